import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { CallArgs, resultToVars } from '../api/call-args';
import { NeedMoreData, ValueQueue, decodeLayout, encodeLayout } from '../api/layout-codec';
import { VarStore, VariableError } from '../api/variables';
import { formatFid } from './function-class';
import { AttrType, Code, SslMode, Termination } from './constants';
import { PacketDecoder, attrInt, encodePacket, findAttr, intAttr, packData, type UrfaPacket } from './packet';
import { decodeIp } from './values';
import { ProtocolError } from '../wire/protocol-error';
import { chapMatches } from '../wire/chap';
import type { UrfaFunction, UrfaIdentity, UrfaServerOptions } from './server-types';

type State = 'login' | 'ready' | 'input' | 'busy' | 'closed';

/** Session restore names the customer's IP as a little-endian u32 (or 16 bytes for IPv6). */
function restoreIp(data: Buffer): string | undefined {
  if (data.length === 4) return [data[3], data[2], data[1], data[0]].join('.');
  if (data.length === 16 || data.length === 17 || data.length === 5) {
    try {
      return decodeIp(data);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * One URFA connection on the server side: CHAP login, optional TLS, then calls one at a time. A malformed packet
 * closes this connection only; refused calls are answered and journaled; handler failures are logged.
 */
export class UrfaServerConnection<P extends UrfaIdentity> {
  private socket: Socket;
  private state: State = 'login';
  private decoder = new PacketDecoder();
  private readonly challenge = randomBytes(16);
  private principal: P | undefined;
  private restoredBy: P | undefined;
  private loginTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  /** The call whose inputs are being gathered; `atLeast`: values the last try found it needs at the least. */
  private current: { fid: number; fn: UrfaFunction<P>; values: Buffer[]; atLeast: number } | undefined;
  private inFlight: Promise<void> | undefined;
  private closing = false;

  constructor(
    socket: Socket,
    readonly peer: string,
    readonly peerIp: string,
    private readonly o: UrfaServerOptions<P>,
  ) {
    this.socket = socket;
    this.attach(socket);
    this.loginTimer = setTimeout(
      () => this.fail(`login not completed within ${o.loginTimeoutMs / 1000} s`),
      o.loginTimeoutMs,
    );
    this.send({ code: Code.SESSION_INIT, attrs: [{ type: AttrType.SESSION_ID, data: this.challenge }] });
  }

  get who(): P | undefined {
    return this.principal;
  }

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.cleanup());
    socket.on('error', (err) => this.o.log.debug(`${this.peer}: socket error: ${err.message}`));
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    this.armIdle();
    let packets: UrfaPacket[];
    try {
      packets = this.decoder.push(chunk);
    } catch (err) {
      this.fail(`malformed packet: ${(err as Error).message}`);
      return;
    }
    for (const p of packets) {
      this.queue = this.queue.then(() => this.handle(p)).catch((err) => this.fail(`${(err as Error).message}`));
    }
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.state === 'login') return;
    this.idleTimer = setTimeout(() => this.close(`idle for ${this.o.idleTimeoutMs / 1000} s`), this.o.idleTimeoutMs);
    this.idleTimer.unref?.();
  }

  private send(p: UrfaPacket): void {
    if (this.state === 'closed' || this.socket.destroyed) return;
    this.socket.write(encodePacket(p));
  }

  private async handle(p: UrfaPacket): Promise<void> {
    if (this.state === 'closed') return;
    if (p.code === Code.TERMINATE || p.code === Code.TERMINATE_OLD) {
      this.close('client ended the session');
      return;
    }
    switch (this.state) {
      case 'login':
        if (p.code !== Code.ACCESS_REQUEST)
          throw new ProtocolError('unexpected_packet', 0, `packet 0x${p.code.toString(16)} before login`);
        await this.login(p);
        return;
      case 'ready':
        if (p.code === Code.CALL) return this.startCall(p);
        if (p.code === Code.SESSION_DATA) {
          const t = attrInt(findAttr(p, AttrType.TERMINATION));
          if (t === Termination.DROP_SESSION) {
            this.close('client dropped the session');
            return;
          }
          // Trailing termination after inputs, or the empty packet some clients send for a function without inputs.
          if (!p.attrs.some((a) => a.type === AttrType.DATA)) return;
          throw new ProtocolError('unexpected_packet', 0, 'data outside a call');
        }
        throw new ProtocolError('unexpected_packet', 0, `packet 0x${p.code.toString(16)} outside a call`);
      case 'input':
        if (p.code !== Code.SESSION_DATA)
          throw new ProtocolError('unexpected_packet', 0, `packet 0x${p.code.toString(16)} while reading call input`);
        if (
          findAttr(p, AttrType.TERMINATION) &&
          attrInt(findAttr(p, AttrType.TERMINATION)) === Termination.UNKNOWN_FUNCTION
        ) {
          // The client aborts the call.
          this.current = undefined;
          this.state = 'ready';
          return;
        }
        for (const a of p.attrs) if (a.type === AttrType.DATA) this.current!.values.push(a.data);
        if (this.current!.values.length > this.o.maxCallValues) {
          throw new ProtocolError('too_large', 0, `more than ${this.o.maxCallValues} input values in one call`);
        }
        return this.tryRun();
      default:
        throw new ProtocolError('unexpected_packet', 0, `packet 0x${p.code.toString(16)} in state ${this.state}`);
    }
  }

  private async login(p: UrfaPacket): Promise<void> {
    const login = findAttr(p, AttrType.LOGIN)?.data.toString('utf8') ?? '';
    const loginType = attrInt(findAttr(p, AttrType.LOGIN_TYPE));
    const echoed = findAttr(p, AttrType.CHAP_CHALLENGE)?.data;
    const response = findAttr(p, AttrType.CHAP_RESPONSE)?.data;
    const sslMode = attrInt(findAttr(p, AttrType.SSL_REQUEST)) ?? SslMode.NONE;
    const restoreSid = findAttr(p, AttrType.SESSION_ID)?.data;
    const restoreAddr = findAttr(p, AttrType.CLIENT_IP)?.data;

    const reject = (why: string): void => {
      if (this.o.counters) this.o.counters.loginsRefused++;
      this.o.log.warn(`login refused for '${login}' from ${this.peer}: ${why}`);
      this.send({ code: Code.ACCESS_REJECT, attrs: [intAttr(AttrType.TERMINATION, Termination.ACCESS_REJECTED)] });
      this.close('login refused', true);
    };

    if (echoed && !echoed.equals(this.challenge)) return reject('the echoed challenge is not the one sent');
    if (!response) return reject('no CHAP response');
    const who = this.o.lookupLogin(login, loginType, this.peerIp);
    if (!who.ok) return reject(who.reason);
    const match = who.candidates.find((c) => chapMatches(this.challenge, c.password, response));
    if (!match) return reject('wrong password');

    const tlsMode = sslMode === SslMode.TLS12_CLIENT_CERT || sslMode === SslMode.TLS_AUTO;
    if (!tlsMode && !this.o.plainAllowed(this.peerIp)) {
      return reject(
        `plain URFA (SSL mode ${sslMode}) is not allowed from ${this.peerIp}: use TLS (mode 5 or 6) or ` +
          'add the address to urfa_plain_allowed',
      );
    }

    let principal: P = match.principal;
    let restoredBy: P | undefined;
    if (restoreSid && restoreSid.length === 16) {
      if (!this.o.mayRestore(principal)) return reject(`'${login}' may not restore customer sessions`);
      // NetUP's cabinet sends the customer's IP; k-shym's client sends none, and then only the SID is checked.
      const ip = restoreAddr ? restoreIp(restoreAddr) : undefined;
      if (restoreAddr && !ip) return reject('session restore with a malformed client IP');
      const rec = this.o.sessions.restore(restoreSid, ip);
      if (!rec) return reject(`session restore failed: unknown or expired session id${ip ? ` for ${ip}` : ''}`);
      restoredBy = principal;
      principal = rec.principal;
    } else if (principal.kind === 'customer') {
      // The session init key doubles as the SID, as UTM5's clients keep it.
      this.o.sessions.create(principal, this.peerIp, this.challenge);
    }

    this.principal = principal;
    this.restoredBy = restoredBy;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    this.loginTimer = undefined;
    // A mode 1-4 request served plain gets no attribute 10: a widely used C client (and its Perl binding) refuses an
    // accept whose mode differs from the one it asked for, and without the attribute it goes on in plain. A mode 0
    // request keeps attribute 10 = 0: an old Python client reads the accept's last attribute and needs it.
    const plainServedForSsl = !tlsMode && sslMode !== SslMode.NONE;
    this.send({
      code: Code.ACCESS_ACCEPT,
      attrs: plainServedForSsl ? [] : [intAttr(AttrType.SSL_REQUEST, tlsMode ? sslMode : SslMode.NONE)],
    });
    this.o.log.info(
      `${principal.kind} '${principal.login}' logged in from ${this.peer}` +
        `${restoredBy ? ` (session restored by '${restoredBy.login}')` : ''}${tlsMode ? ` over TLS (mode ${sslMode})` : ' without TLS'}`,
    );
    if (tlsMode) await this.startTls();
    this.state = 'ready';
    this.armIdle();
  }

  private async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = new TLSSocket(plain, {
      isServer: true,
      secureContext: this.o.secureContext(),
      requestCert: true,
      rejectUnauthorized: false,
    });
    this.socket = secure;
    this.decoder = new PacketDecoder();
    secure.on('data', (chunk: Buffer) => this.onData(chunk));
    secure.on('error', (err) => this.fail(`TLS: ${err.message}`));
    await new Promise<void>((resolve) => {
      secure.once('secure', () => {
        const cert = secure.getPeerCertificate();
        const subject =
          cert && Object.keys(cert).length > 0 ? ` client certificate ${JSON.stringify(cert.subject?.CN ?? '')}` : '';
        this.o.log.debug(`${this.peer}: TLS ${secure.getProtocol()} established${subject}`);
        resolve();
      });
      secure.once('close', () => resolve());
    });
  }

  private async startCall(p: UrfaPacket): Promise<void> {
    const fid = attrInt(findAttr(p, AttrType.FUNCTION));
    if (fid === undefined) throw new ProtocolError('bad_attribute', 0, 'call without a function id');
    const principal = this.principal!;
    const fn = this.o.lookupFunction(fid);
    if (!fn) {
      this.o.log.notice(`${principal.login}@${this.peer}: unknown function ${formatFid(fid)}`);
      this.o.onRefused(principal, fid, this.peer, 'unknown');
      this.send({ code: Code.SESSION_DATA, attrs: [intAttr(AttrType.TERMINATION, Termination.UNKNOWN_FUNCTION)] });
      return;
    }
    if (!this.o.permitted(principal, fid)) {
      this.o.log.warn(
        `${principal.kind} '${principal.login}'@${this.peer}: call of ${fn.schema.name} (${formatFid(fid)}) forbidden`,
      );
      this.o.onRefused(principal, fid, this.peer, 'forbidden');
      this.send({ code: Code.SESSION_DATA, attrs: [intAttr(AttrType.TERMINATION, Termination.FORBIDDEN)] });
      return;
    }
    this.send({ code: Code.SESSION_DATA, attrs: [intAttr(AttrType.FUNCTION, fid)] });
    this.current = { fid, fn, values: [], atLeast: 0 };
    this.state = 'input';
    // A function without inputs runs at once; otherwise the inputs follow in session-data packets.
    await this.tryRun();
  }

  /** Decodes the inputs gathered so far; runs the call once they are complete. */
  private async tryRun(): Promise<void> {
    const cur = this.current;
    if (!cur || this.state !== 'input') return;
    // A batch of thousands of rows comes in many packets: decoding it again at each would be quadratic.
    if (cur.values.length < cur.atLeast) return;
    const vars = new VarStore();
    try {
      decodeLayout(cur.fn.schema.input, new ValueQueue(cur.values), { vars, now: this.o.now });
    } catch (err) {
      if (err instanceof NeedMoreData) {
        cur.atLeast = err.atLeast;
        return;
      }
      if (err instanceof VariableError || err instanceof ProtocolError) {
        throw new ProtocolError('bad_value', 0, `input of ${cur.fn.schema.name}: ${err.message}`);
      }
      throw err;
    }
    this.state = 'busy';
    this.current = undefined;
    this.inFlight = this.run(cur.fid, cur.fn, vars);
    await this.inFlight;
    this.inFlight = undefined;
    if (this.closing) {
      this.close('shutting down');
      return;
    }
    if (this.state === 'busy') this.state = 'ready';
  }

  private async run(fid: number, fn: UrfaFunction<P>, vars: VarStore): Promise<void> {
    const principal = this.principal!;
    const started = Date.now();
    let values: Buffer[] = [];
    try {
      const result = await fn.handler({
        principal,
        fid,
        args: new CallArgs(vars),
        peer: this.peer,
        peerIp: this.peerIp,
        restoredBy: this.restoredBy,
      });
      values = encodeLayout(fn.schema.output, { vars: resultToVars(result), now: this.o.now }).values;
    } catch (err) {
      // The call was accepted, so the client waits for its end: it gets an end without data, and the log says why.
      this.o.log.error(
        `${fn.schema.name} (${formatFid(fid)}) for '${principal.login}'@${this.peer} failed: ${(err as Error).message}`,
      );
      values = [];
    }
    for (const pkt of packData(Code.SESSION_DATA, values)) if (!this.socket.destroyed) this.socket.write(pkt);
    this.send({ code: Code.SESSION_DATA, attrs: [intAttr(AttrType.TERMINATION, Termination.NORMAL)] });
    this.o.log.debug(
      `${principal.login}@${this.peer}: ${fn.schema.name} done in ${Date.now() - started} ms, ${values.length} values`,
    );
  }

  private fail(why: string): void {
    if (this.state === 'closed') return;
    if (this.o.counters) this.o.counters.malformed++;
    this.o.log.debug(`${this.peer}: ${why}; connection closed`);
    this.close(why, true);
  }

  private close(why: string, quiet = false): void {
    if (this.state === 'closed') return;
    if (!quiet) this.o.log.debug(`${this.peer}: closing: ${why}`);
    this.state = 'closed';
    this.cleanup();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private cleanup(): void {
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.loginTimer = undefined;
    this.idleTimer = undefined;
    if (this.state !== 'closed') this.state = 'closed';
  }

  /** Graceful stop: let a running call finish and send its result, then close. */
  async shutdown(): Promise<void> {
    this.closing = true;
    if (this.inFlight) await this.inFlight;
    this.close('shutting down');
  }
}
