import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { parseIpv4 } from '@utm5/inet';
import { chapResponse } from '../wire/chap';
import { ValueQueue, decodeLayout, encodeLayout, type LayoutContext } from '../api/layout-codec';
import type { FunctionSchema } from '../api/layout';
import type { VarStore } from '../api/variables';
import { AttrType, Code, LoginType, SslMode, Termination, URFA_MAX_PACKET } from './constants';
import { formatFid } from './function-class';
import {
  PacketDecoder,
  attrInt,
  encodePacket,
  findAttr,
  intAttr,
  packData,
  type UrfaAttr,
  type UrfaPacket,
} from './packet';

export type UrfaClientErrorKind =
  'connect' | 'rejected' | 'forbidden' | 'unknown_function' | 'protocol' | 'timeout' | 'closed' | 'no_output';

export class UrfaClientError extends Error {
  constructor(
    readonly kind: UrfaClientErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'UrfaClientError';
  }
}

export interface UrfaClientOptions {
  readonly host: string;
  readonly port: number;
  readonly login: string;
  readonly password: string;
  /** 1 system user, 2 any (the core decides by who owns the login), 0 customer, 3 dealer. Default 2. */
  readonly loginType?: number;
  /** SSL mode to request: 6 (TLS, the default), 5 (TLS with client certificate), 0 (plain, loopback). */
  readonly sslMode?: number;
  /** TLS options: client certificate, CA to verify the core with. Without a CA the core is not verified. */
  readonly tls?: ConnectionOptions;
  /** Session restore: a customer's saved SID and the IP the session was opened from. */
  readonly restore?: { readonly sid: Buffer; readonly ip: string };
  readonly timeoutMs?: number;
}

function restoreIpAttr(ip: string): Buffer {
  const n = parseIpv4(ip);
  if (n !== undefined) {
    // The attribute carries the address least significant byte first.
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n, 0);
    return b;
  }
  throw new UrfaClientError('protocol', `session restore needs an IPv4 address, got '${ip}'`);
}

/** A URFA client: log in once, then call functions by id (raw values) or by schema (variables). */
export class UrfaClient {
  private socket: Socket;
  private decoder = new PacketDecoder();
  private readonly inbox: UrfaPacket[] = [];
  private waiter: { resolve: (p: UrfaPacket) => void; reject: (e: Error) => void } | undefined;
  private ended: Error | undefined;
  /** The SID the core gave a customer session (or the restored one). */
  sessionId: Buffer | undefined;
  /** The SSL mode the core chose (0 = plain). */
  sslMode = 0;

  private constructor(
    socket: Socket,
    private readonly timeoutMs: number,
  ) {
    this.socket = socket;
    this.listen(socket);
  }

  private listen(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const p of this.decoder.push(chunk)) this.deliver(p);
      } catch (err) {
        this.terminate(new UrfaClientError('protocol', `malformed packet from the core: ${(err as Error).message}`));
      }
    });
    socket.on('error', (err) => this.terminate(new UrfaClientError('closed', `connection error: ${err.message}`)));
    socket.on('close', () => this.terminate(new UrfaClientError('closed', 'the core closed the connection')));
  }

  private deliver(p: UrfaPacket): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(p);
    } else this.inbox.push(p);
  }

  private terminate(err: Error): void {
    if (this.ended) return;
    this.ended = err;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(err);
    }
  }

  private next(what: string): Promise<UrfaPacket> {
    const p = this.inbox.shift();
    if (p) return Promise.resolve(p);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new UrfaClientError('timeout', `no answer from the core within ${this.timeoutMs / 1000} s (${what})`));
      }, this.timeoutMs);
      this.waiter = {
        resolve: (x) => {
          clearTimeout(timer);
          resolve(x);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private send(code: number, attrs: UrfaAttr[]): void {
    this.socket.write(encodePacket({ code, attrs }));
  }

  static async connect(o: UrfaClientOptions): Promise<UrfaClient> {
    const timeoutMs = o.timeoutMs ?? 30_000;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host: o.host, port: o.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new UrfaClientError('timeout', `connecting to ${o.host}:${o.port} timed out`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const why =
          err.code === 'ECONNREFUSED'
            ? 'connection refused (is utm5_core running and urfa_bind_host set?)'
            : err.message;
        reject(new UrfaClientError('connect', `cannot connect to ${o.host}:${o.port}: ${why}`));
      });
    });
    const c = new UrfaClient(socket, timeoutMs);
    try {
      await c.login(o);
    } catch (err) {
      socket.destroy();
      throw err;
    }
    return c;
  }

  private async login(o: UrfaClientOptions): Promise<void> {
    const init = await this.next('session init');
    const challenge = init.code === Code.SESSION_INIT ? findAttr(init, AttrType.SESSION_ID)?.data : undefined;
    if (!challenge)
      throw new UrfaClientError('protocol', 'the peer did not start a URFA session (is this the URFA port?)');
    const response = chapResponse(challenge, o.password);
    const mode = o.sslMode ?? SslMode.TLS_AUTO;
    const attrs: UrfaAttr[] = [
      intAttr(AttrType.LOGIN_TYPE, o.loginType ?? LoginType.ANY),
      { type: AttrType.LOGIN, data: Buffer.from(o.login, 'utf8') },
      { type: AttrType.CHAP_CHALLENGE, data: challenge },
      { type: AttrType.CHAP_RESPONSE, data: response },
      intAttr(AttrType.SSL_REQUEST, mode),
    ];
    if (o.restore) {
      attrs.push(
        { type: AttrType.SESSION_ID, data: o.restore.sid },
        { type: AttrType.CLIENT_IP, data: restoreIpAttr(o.restore.ip) },
      );
    }
    this.send(Code.ACCESS_REQUEST, attrs);
    const answer = await this.next('login');
    if (answer.code === Code.ACCESS_REJECT) throw new UrfaClientError('rejected', `access rejected for '${o.login}'`);
    if (answer.code !== Code.ACCESS_ACCEPT)
      throw new UrfaClientError('protocol', `unexpected answer 0x${answer.code.toString(16)} to login`);
    this.sslMode = attrInt(findAttr(answer, AttrType.SSL_REQUEST)) ?? 0;
    // The session init key is the SID of a customer session (and stays the restored one on restore).
    this.sessionId = o.restore?.sid ?? challenge;
    if (this.sslMode !== 0) await this.startTls(o);
  }

  private async startTls(o: UrfaClientOptions): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = await new Promise<Socket>((resolve, reject) => {
      const s = tlsConnect({ socket: plain, rejectUnauthorized: false, minVersion: 'TLSv1.2', ...o.tls });
      s.once('secureConnect', () => resolve(s));
      s.once('error', (err) => reject(new UrfaClientError('connect', `TLS with the core failed: ${err.message}`)));
    });
    this.socket = secure;
    this.decoder = new PacketDecoder();
    this.listen(secure);
  }

  /** Calls a function with raw input values; returns the raw output values. */
  async callRaw(fid: number, input: readonly Buffer[]): Promise<Buffer[]> {
    if (this.ended) throw this.ended;
    this.send(Code.CALL, [intAttr(AttrType.FUNCTION, fid)]);
    const first = await this.next(`call ${formatFid(fid)}`);
    const term = attrInt(findAttr(first, AttrType.TERMINATION));
    if (term === Termination.FORBIDDEN)
      throw new UrfaClientError('forbidden', `function ${formatFid(fid)} is forbidden for this login`);
    if (term === Termination.UNKNOWN_FUNCTION)
      throw new UrfaClientError('unknown_function', `the core does not know function ${formatFid(fid)}`);
    if (attrInt(findAttr(first, AttrType.FUNCTION)) !== fid) {
      throw new UrfaClientError('protocol', `the core did not acknowledge call ${formatFid(fid)}`);
    }
    for (const pkt of packData(Code.SESSION_DATA, input, URFA_MAX_PACKET)) this.socket.write(pkt);
    const out: Buffer[] = [];
    for (;;) {
      const p = await this.next(`output of ${formatFid(fid)}`);
      for (const a of p.attrs) if (a.type === AttrType.DATA) out.push(a.data);
      const t = attrInt(findAttr(p, AttrType.TERMINATION));
      if (t !== undefined) {
        if (t !== Termination.NORMAL)
          throw new UrfaClientError('protocol', `call ${formatFid(fid)} ended with code ${t}`);
        return out;
      }
    }
  }

  /**
   * Calls a function by its schema: inputs are encoded from vars, outputs decoded into vars (and reported to
   * onValue in wire order). A layout <error> tag surfaces as LayoutErrorTag.
   */
  async call(schema: FunctionSchema, ctx: LayoutContext & { vars: VarStore }): Promise<void> {
    const { values } = encodeLayout(schema.input, ctx);
    const out = await this.callRaw(schema.id, values);
    if (out.length === 0 && schema.output.length > 0) {
      throw new UrfaClientError(
        'no_output',
        `${schema.name} returned no data (the call failed in the core; see its log)`,
      );
    }
    decodeLayout(schema.output, new ValueQueue(out), ctx);
  }

  async close(): Promise<void> {
    if (!this.ended) {
      try {
        this.send(Code.TERMINATE, [intAttr(AttrType.TERMINATION, Termination.DROP_SESSION)]);
      } catch {
        // already gone
      }
    }
    this.ended ??= new UrfaClientError('closed', 'closed');
    this.socket.end();
    this.socket.destroy();
  }
}
