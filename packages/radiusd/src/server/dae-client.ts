import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '@utm5/common';
import type { NasWire } from '@utm5/protocol';
import { RADIUS_CODES, codeName, decodePacket, encodeRequest, verifyResponse, type AttributeInput } from '@utm5/radius';
import { ATTR } from './attributes';
import type { OpenSession } from './sessions';

/** The requests of RFC 5176 (Dynamic Authorization Extensions) utm5_radius sends to a NAS's DM/CoA port. */
export type DaeRequest = 'Disconnect-Request' | 'CoA-Request';
export type DaeVerdict = 'ack' | 'nak' | 'timeout';
/** What a Disconnect/CoA request names the session by. */
export type DaeSession = Pick<OpenSession, 'key' | 'login' | 'framedIp'>;

export interface DaeCounters {
  dmSent: number;
  dmAcked: number;
  dmNaked: number;
  dmTimeouts: number;
  /** Requests sent again for want of an answer. */
  dmRetries: number;
  coaSent: number;
  coaAcked: number;
  coaNaked: number;
  coaTimeouts: number;
  coaRetries: number;
}

const CODE: Record<DaeRequest, { request: number; ack: number; nak: number; counter: 'dm' | 'coa' }> = {
  'Disconnect-Request': {
    request: RADIUS_CODES['Disconnect-Request'],
    ack: RADIUS_CODES['Disconnect-ACK'],
    nak: RADIUS_CODES['Disconnect-NAK'],
    counter: 'dm',
  },
  'CoA-Request': {
    request: RADIUS_CODES['CoA-Request'],
    ack: RADIUS_CODES['CoA-ACK'],
    nak: RADIUS_CODES['CoA-NAK'],
    counter: 'coa',
  },
};

/** The attributes that name a session to its NAS (RFC 5176 3): User-Name, Acct-Session-Id and Framed-IP-Address. */
export function sessionIdentity(s: DaeSession): AttributeInput[] {
  return [
    { name: ATTR.USER_NAME, value: s.login },
    { name: ATTR.ACCT_SESSION_ID, value: s.key.slice(s.key.indexOf('|') + 1) },
    ...(s.framedIp ? [{ name: ATTR.FRAMED_IP_ADDRESS, value: s.framedIp }] : []),
  ];
}

/**
 * A Disconnect- or CoA-Request for a session: its identification, then `extra` (a CoA's new attribute values); the
 * Request Authenticator is MD5 over the packet with a zero authenticator and the secret (RFC 5176 3, as RFC 2866).
 */
export function encodeDaeRequest(
  kind: DaeRequest,
  s: DaeSession,
  extra: readonly AttributeInput[],
  secret: string,
  identifier: number,
): Buffer {
  return encodeRequest(kind, [...sessionIdentity(s), ...extra], secret, { identifier });
}

interface Waiting {
  readonly request: Buffer;
  readonly secret: string;
  readonly kind: DaeRequest;
  done(r: DaeVerdict, cause?: number): void;
}

/** Sends of one request (the first and the retransmits) within disconnect_request_timeout. */
const TRIES = 3;
const MAX_IN_FLIGHT = 256; // the Identifier is one byte: at most this many requests to one NAS can be told apart

/**
 * Disconnect-Requests and CoA-Requests (RFC 5176) to a NAS's DM/CoA port, signed with its DM/CoA secret (the NAS
 * secret when none is set): identifiers are allocated per NAS (a request waits when 256 are already out to it); an
 * answer is matched by the NAS's address and identifier and its authenticator checked; ACK, NAK (with its
 * Error-Cause) and silence for disconnect_request_timeout are logged and counted.
 */
export class DaeClient {
  private readonly sockets = new Map<'udp4' | 'udp6', Socket>();
  private readonly inFlight = new Map<string, Map<number, Waiting>>();
  private readonly nextId = new Map<string, number>();
  private readonly backlog = new Map<string, (() => void)[]>();
  readonly counters: DaeCounters = {
    dmSent: 0,
    dmAcked: 0,
    dmNaked: 0,
    dmTimeouts: 0,
    dmRetries: 0,
    coaSent: 0,
    coaAcked: 0,
    coaNaked: 0,
    coaTimeouts: 0,
    coaRetries: 0,
  };

  /** `bindHost` (dac_bind_host): the local address requests go out from and answers come back to; 0.0.0.0: any. */
  constructor(
    private readonly timeoutMs: number,
    private readonly log: Logger,
    private readonly bindHost = '0.0.0.0',
  ) {}

  private get bound(): boolean {
    return this.bindHost !== '0.0.0.0' && this.bindHost !== '::';
  }

  /** Binds to dac_bind_host now, so a wrong address stops the start with a clear error instead of failing each request. */
  async start(): Promise<void> {
    if (!this.bound) return;
    const s = this.sock(this.bindHost.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error) =>
        reject(new Error(`cannot bind the DM/CoA socket to ${this.bindHost}: ${err.message} (dac_bind_host)`));
      s.once('error', fail);
      s.once('listening', () => {
        s.off('error', fail);
        resolve();
      });
    });
  }

  private sock(family: 'udp4' | 'udp6'): Socket {
    const cur = this.sockets.get(family);
    if (cur) return cur;
    const s = createSocket(family);
    // Sends wait for the bind; a socket of the other family than dac_bind_host's binds to any address on first send.
    if (this.bound && family === (this.bindHost.includes(':') ? 'udp6' : 'udp4'))
      s.bind({ address: this.bindHost, port: 0 });
    s.on('message', (m, r) => this.answer(m, r));
    s.on('error', (err) => this.log.error(`DM/CoA socket: ${err.message}`));
    s.unref();
    this.sockets.set(family, s);
    return s;
  }

  private answer(m: Buffer, r: RemoteInfo): void {
    const id = m[1] ?? -1;
    const ok = (w: Waiting | undefined): w is Waiting => w !== undefined && verifyResponse(w.request, m, w.secret);
    let w = this.inFlight.get(r.address.replace(/^::ffff:/, ''))?.get(id);
    // A NAS may answer from another of its addresses: then the authenticator alone says whose answer it is.
    if (!ok(w)) w = [...this.inFlight.values()].map((used) => used.get(id)).find(ok);
    if (!w) return;
    const d = decodePacket(m, w.secret, { requestAuthenticator: w.request.subarray(4, 20) });
    if (!d.ok) return;
    if (d.packet.code === CODE[w.kind].ack) w.done('ack');
    else if (d.packet.code === CODE[w.kind].nak) w.done('nak', d.packet.integer(ATTR.ERROR_CAUSE));
  }

  /** Sends a Disconnect-Request for the session; resolves with the NAS's verdict (rejects only when it cannot be encoded). */
  disconnect(nas: NasWire, s: DaeSession, why: string): Promise<DaeVerdict> {
    return this.request('Disconnect-Request', nas, s, [], why);
  }

  /** Sends a CoA-Request carrying the session's new attribute values; resolves with the NAS's verdict. */
  coa(nas: NasWire, s: DaeSession, attrs: readonly AttributeInput[], why: string): Promise<DaeVerdict> {
    return this.request('CoA-Request', nas, s, attrs, why);
  }

  private request(
    kind: DaeRequest,
    nas: NasWire,
    s: DaeSession,
    extra: readonly AttributeInput[],
    why: string,
  ): Promise<DaeVerdict> {
    return new Promise((resolve, reject) => {
      const send = () => {
        const used = this.inFlight.get(nas.ip) ?? this.inFlight.set(nas.ip, new Map()).get(nas.ip)!;
        if (used.size >= MAX_IN_FLIGHT) {
          (this.backlog.get(nas.ip) ?? this.backlog.set(nas.ip, []).get(nas.ip)!).push(send);
          return;
        }
        let id = this.nextId.get(nas.ip) ?? 0;
        while (used.has(id)) id = (id + 1) & 0xff;
        this.nextId.set(nas.ip, (id + 1) & 0xff);
        const secret = nas.daeSecret || nas.secret;
        let request: Buffer;
        try {
          request = encodeDaeRequest(kind, s, extra, secret, id);
        } catch (err) {
          // An attribute that does not fit (the encoder says which): this request fails, the next waiting one goes.
          reject(err);
          this.backlog.get(nas.ip)?.shift()?.();
          return;
        }
        const counter = CODE[kind].counter;
        this.counters[`${counter}Sent`]++;
        const sock = this.sock(nas.ip.includes(':') ? 'udp6' : 'udp4');
        // UDP may lose the request or the answer: the same packet (same identifier, so a NAS that acted on it answers
        // again) is sent up to TRIES times within disconnect_request_timeout.
        let tries = 1;
        const retry = () => {
          if (tries >= TRIES) return done('timeout');
          tries++;
          this.counters[`${counter}Retries`]++;
          sock.send(request, nas.daePort, nas.ip);
          timer = setTimeout(retry, this.timeoutMs / TRIES);
        };
        let timer = setTimeout(retry, this.timeoutMs / TRIES);
        const done = (r: DaeVerdict, cause?: number) => {
          clearTimeout(timer);
          used.delete(id);
          if (r === 'ack') this.counters[`${counter}Acked`]++;
          else if (r === 'nak') this.counters[`${counter}Naked`]++;
          else this.counters[`${counter}Timeouts`]++;
          const line = `${kind} for '${s.login}' (session ${s.key}) to NAS ${nas.name} (${nas.ip}:${nas.daePort}), ${why}:`;
          if (r === 'ack') this.log.info(`${line} ${codeName(CODE[kind].ack)}`);
          else if (r === 'nak')
            this.log.warn(`${line} ${codeName(CODE[kind].nak)}${cause ? ` (Error-Cause ${cause})` : ''}`);
          else this.log.warn(`${line} no answer in ${this.timeoutMs} ms (disconnect_request_timeout)`);
          resolve(r);
          this.backlog.get(nas.ip)?.shift()?.();
        };
        used.set(id, { request, secret, kind, done });
        sock.send(request, nas.daePort, nas.ip);
      };
      send();
    });
  }

  close(): void {
    for (const list of this.backlog.values()) list.length = 0;
    for (const used of this.inFlight.values()) for (const w of [...used.values()]) w.done('timeout');
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
  }
}
