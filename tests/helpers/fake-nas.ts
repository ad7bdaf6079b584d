import { createSocket } from 'node:dgram';
import { freePort } from '@utm5/common/testing';
import {
  decodePacket,
  encodeResponse,
  verifyRequestAuthenticator,
  type AttributeInput,
  type RadiusPacket,
} from '@utm5/radius';

export interface FakeNas {
  /** The DM/CoA port (for the NAS's das_port). */
  readonly port: number;
  /** Every request that verified with the secret, in arrival order. */
  readonly received: RadiusPacket[];
  close(): void;
}

/**
 * A NAS's DM/CoA port on loopback: takes Disconnect-/CoA-Requests whose authenticator verifies with `secret` and
 * answers each with the code and attributes `answer` gives (nothing: no answer).
 */
export async function fakeNas(
  secret: string,
  answer: (p: RadiusPacket) => { code: number; attrs?: AttributeInput[] } | undefined,
): Promise<FakeNas> {
  const port = await freePort();
  const received: RadiusPacket[] = [];
  const sock = createSocket('udp4');
  sock.on('message', (m, r) => {
    const d = decodePacket(m, secret);
    if (!d.ok || !verifyRequestAuthenticator(d.packet, secret)) return;
    received.push(d.packet);
    const a = answer(d.packet);
    if (a) sock.send(encodeResponse(d.packet, a.code, a.attrs ?? [], secret), r.port, r.address);
  });
  await new Promise<void>((r) => sock.bind(port, '127.0.0.1', () => r()));
  return { port, received, close: () => sock.close() };
}

/** The usual answer of a NAS to Disconnect-Requests: ACK, or NAK with Error-Cause 503 (Session-Context-Not-Found) for the ones `nak` picks. */
export function ackOrNak(
  nak: (p: RadiusPacket) => boolean,
): (p: RadiusPacket) => { code: number; attrs?: AttributeInput[] } {
  return (p) => (nak(p) ? { code: 42, attrs: [{ name: 'Error-Cause', value: 503 }] } : { code: 41 });
}
