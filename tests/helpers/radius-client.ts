import { createSocket } from 'node:dgram';
import { decodePacket, encodeRequest, verifyResponse, type AttributeInput, type RadiusPacket } from '@utm5/radius';

/** Sends one request to a loopback RADIUS port and resolves with the verified, decoded answer (or undefined on timeout). */
export function exchange(
  port: number,
  secret: string,
  code: 'Access-Request' | 'Accounting-Request',
  attrs: AttributeInput[],
  ms = 2000,
): Promise<RadiusPacket | undefined> {
  const req = encodeRequest(code, attrs, secret, {
    ...(code === 'Access-Request' ? { messageAuthenticator: true } : {}),
  });
  const sock = createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.close();
      resolve(undefined);
    }, ms);
    sock.on('message', (m) => {
      clearTimeout(timer);
      sock.close();
      if (!verifyResponse(req, m, secret)) return reject(new Error('the answer does not verify with the secret'));
      const d = decodePacket(m, secret, { requestAuthenticator: req.subarray(4, 20) });
      if (!d.ok) return reject(new Error(`undecodable answer: ${d.message}`));
      resolve(d.packet);
    });
    sock.send(req, port, '127.0.0.1');
  });
}
