export { hex, u16, i32, rawAttr, rawPacket, splitPackets, rawAttrs } from './bytes';
export { TEST_SERVER_CERT, TEST_SERVER_KEY, TEST_CLIENT_CERT, TEST_CLIENT_KEY } from './tls-fixture';
