import { createSocket } from 'node:dgram';
import { freePort } from '@utm5/common/testing';
import { decodePacket, encodeResponse, verifyRequestAuthenticator, type RadiusPacket } from '@utm5/radiusd';

/**
 * A NAS's DM/CoA port on loopback: keeps the requests it gets (verified with the secret) and answers each with
 * Disconnect-ACK, or Disconnect-NAK with Error-Cause 503 (Session-Context-Not-Found) for the ones `nak` picks.
 */
export async function fakeDmNas(secret: string, nak: (p: RadiusPacket) => boolean): Promise<{ port: number; received: RadiusPacket[]; close(): void }> {
  const port = await freePort();
  const received: RadiusPacket[] = [];
  const sock = createSocket('udp4');
  sock.on('message', (m, r) => {
    const d = decodePacket(m, secret);
    if (!d.ok || !verifyRequestAuthenticator(d.packet, secret)) return;
    received.push(d.packet);
    const no = nak(d.packet);
    sock.send(encodeResponse(d.packet, no ? 42 : 41, no ? [{ name: 'Error-Cause', value: 503 }] : [], secret), r.port, r.address);
  });
  await new Promise<void>((r) => sock.bind(port, '127.0.0.1', () => r()));
  return { port, received, close: () => sock.close() };
}
