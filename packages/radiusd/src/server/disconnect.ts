import { createSocket, type Socket } from 'node:dgram';
import type { Logger } from '@utm5/common';
import type { NasWire } from '@utm5/protocol';
import { decodePacket, encodeRequest, verifyResponse } from '../codec/index';
import type { OpenSession } from './sessions';

export interface DisconnectCounters {
  dmSent: number;
  dmAcked: number;
  dmNaked: number;
  dmTimeouts: number;
}

/**
 * Disconnect-Requests (RFC 5176) to a NAS's DM/CoA port: the session named by User-Name, Acct-Session-Id and
 * Framed-IP-Address; the answer's authenticator is checked; ACK, NAK (with its Error-Cause) and silence are logged.
 */
export class Disconnector {
  private socket: Socket | undefined;
  private readonly waiting = new Map<number, { request: Buffer; secret: string; done: (r: 'ack' | 'nak' | 'timeout', cause?: number) => void }>();
  private nextId = 0;
  readonly counters: DisconnectCounters = { dmSent: 0, dmAcked: 0, dmNaked: 0, dmTimeouts: 0 };

  constructor(private readonly timeoutMs: number, private readonly log: Logger) {}

  private sock(): Socket {
    if (this.socket) return this.socket;
    const s = createSocket('udp4');
    s.on('message', (m) => {
      const w = this.waiting.get(m[1] ?? -1);
      if (!w || !verifyResponse(w.request, m, w.secret)) return;
      const d = decodePacket(m, w.secret, { requestAuthenticator: w.request.subarray(4, 20) });
      if (!d.ok) return;
      if (d.packet.code === 41) w.done('ack');
      else if (d.packet.code === 42) w.done('nak', d.packet.integer('Error-Cause'));
    });
    s.on('error', (err) => this.log.error(`DM/CoA socket: ${err.message}`));
    s.unref();
    this.socket = s;
    return s;
  }

  /** Sends the Disconnect-Request; resolves with the NAS's verdict. */
  disconnect(nas: NasWire, s: Pick<OpenSession, 'key' | 'login' | 'framedIp'>, why: string): Promise<'ack' | 'nak' | 'timeout'> {
    const id = this.nextId++ & 0xff;
    const secret = nas.daeSecret || nas.secret;
    const request = encodeRequest('Disconnect-Request', [
      { name: 'User-Name', value: s.login }, { name: 'Acct-Session-Id', value: s.key.slice(s.key.indexOf('|') + 1) },
      ...(s.framedIp ? [{ name: 'Framed-IP-Address', value: s.framedIp }] : []),
    ], secret, { identifier: id });
    this.counters.dmSent++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('timeout'), this.timeoutMs);
      const done = (r: 'ack' | 'nak' | 'timeout', cause?: number) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (r === 'ack') this.counters.dmAcked++;
        else if (r === 'nak') this.counters.dmNaked++;
        else this.counters.dmTimeouts++;
        const line = `Disconnect-Request for '${s.login}' (session ${s.key}) to NAS ${nas.name} (${nas.ip}:${nas.daePort}), ${why}:`;
        if (r === 'ack') this.log.info(`${line} Disconnect-ACK`);
        else if (r === 'nak') this.log.warn(`${line} Disconnect-NAK${cause ? ` (Error-Cause ${cause})` : ''}`);
        else this.log.warn(`${line} no answer in ${this.timeoutMs} ms (disconnect_request_timeout)`);
        resolve(r);
      };
      this.waiting.set(id, { request, secret, done });
      this.sock().send(request, nas.daePort, nas.ip);
    });
  }

  close(): void {
    for (const w of this.waiting.values()) w.done('timeout');
    this.socket?.close();
    this.socket = undefined;
  }
}
