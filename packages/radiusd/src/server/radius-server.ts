// Over ~400 lines: utm5_radius's request state machine (auth and accounting ports, retransmits, sessions) in one place.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { Spool, errorLine, type Logger, type SpooledBatch } from '@utm5/common';
import {
  CARD_LOGIN,
  RADIUS_SESSION_KIND,
  type LoginWire,
  type NasWire,
  type SessionEventWire,
  type StreamClient,
} from '@utm5/protocol';
import { attributeDef } from '@utm5/radius';
import type { RadiusConfig } from '../config';
import { EapChallenges, authenticate } from './authenticate';
import { REJECT_KINDS, authorize, authorizeGuest, type AuthzOptions, type RejectKind } from './authorize';
import { CardRegistrar, cardPin } from './card-autoadd';
import { AddressBook, PoolSet } from './ip-pools';
import { DuplicateCache } from './dedupe';
import { DaeClient } from './dae-client';
import { SessionCommands } from './session-commands';
import type { RequestView } from './wire';
import { SessionTable, type OpenSession } from './sessions';
import type { RadiusState } from './state';
import { billsTraffic, octetCounter } from './traffic-accounting';
import { ATTR } from './attributes';
import { isTelephony } from '../telephony/h323-attrs';
import { TelephonyServer, telOptions } from '../telephony/tel-server';
import { CODE, buildReply, parseRequest } from './wire';

export interface RadiusCounters {
  authRequests: number;
  accepts: number;
  challenges: number;
  rejects: number;
  acctRequests: number;
  acctResponses: number;
  unknownNas: number;
  malformed: number;
  badAuthenticator: number;
  duplicates: number;
  ignored: number;
  /** Unknown logins let in with an address of the guest pool. */
  guests: number;
  sessionsOpen: number;
  eventsSpooled: number;
  eventsAcked: number;
  /** Status-Server requests answered (RFC 5997). */
  statusServer: number;
  /** Access-Rejects by why (telephony ones included). */
  rejectsBy: Record<RejectKind, number>;
}

/** The manual's User-Name: the part before ':' is the callback prefix; the login is the rest, lower-cased. */
function splitUserName(userName: string): { callbackPrefix: string | undefined; login: string } {
  const colon = userName.indexOf(':');
  return {
    callbackPrefix: colon >= 0 ? userName.slice(0, colon) : undefined,
    login: (colon >= 0 ? userName.slice(colon + 1) : userName).toLowerCase(),
  };
}

/** Acct-Status-Type values by their dictionary names. */
const STATUS_VALUES = attributeDef(ATTR.ACCT_STATUS_TYPE).values;
const STATUS: Record<number, SessionEventWire['op']> = {
  [STATUS_VALUES.get('Start')!]: 'start',
  [STATUS_VALUES.get('Stop')!]: 'stop',
  [STATUS_VALUES.get('Interim-Update')!]: 'interim',
};
const KIND_TYPE = { iptraffic: 3, hotspot: 4, dialup: 5 } as const;

/** An Access-Request being answered, with what answering it needs besides the login's entry. */
interface AuthTurn {
  readonly req: RequestView;
  readonly r: RemoteInfo;
  readonly key: string;
  readonly nas: NasWire;
  readonly secret: Buffer;
  readonly login: string;
  readonly userName: string;
  readonly callbackPrefix: string | undefined;
  reject(kind: RejectKind, why: string, attrs?: Parameters<typeof buildReply>[2]): void;
}

interface PendingEvent {
  readonly event: SessionEventWire;
  readonly answer: () => void;
}

/**
 * The RADIUS server: Access-Requests authenticated and authorized from the state the core sent; Accounting-Requests
 * turned into session events, written to the disk buffer in small groups (one fsync per group) before the NAS is
 * answered, then delivered to the core exactly once over Stream. Packets from unknown NASes are dropped and counted;
 * retransmits get the cached answer; a malformed packet is counted and dropped, never thrown.
 */
export class RadiusServer {
  private auth: Socket | undefined;
  private acct: Socket | undefined;
  private readonly dup: DuplicateCache;
  readonly sessions: SessionTable;
  private readonly book = new AddressBook();
  /** IP pools by name (the core's 'radius_ippools'), giving addresses from the same book as the IP groups. */
  readonly pools: PoolSet;
  private readonly eap = new EapChallenges();
  readonly dm: DaeClient;
  /** Disconnect and drop of sessions, asked by the core. */
  readonly commands: SessionCommands;
  /** Requests with h323-conf-id: registrations, call authorizations and calls (the manual's IP telephony). */
  readonly tel: TelephonyServer;
  /** radius_card_autoadd: registers card users through the core (undefined when off). */
  private readonly cards: CardRegistrar | undefined;
  /** Called for each Accounting-Start (Dynashape: a session accepted just before its link's change gets a CoA). */
  onSessionStart: (s: OpenSession) => void = () => undefined;
  /** Called with each answer's time since its request arrived (auth: the authentication port), for the histogram. */
  onAnswered: ((auth: boolean, seconds: number) => void) | undefined;
  /** Accounts whose sessions were already told to go (so each state change sends one Disconnect-Request). */
  private readonly disconnected = new Set<number>();
  private readonly spool: Spool<SessionEventWire>;
  private pending: PendingEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private housekeeping: NodeJS.Timeout | undefined;
  private readonly authz: AuthzOptions;
  readonly counters: RadiusCounters = {
    authRequests: 0,
    accepts: 0,
    challenges: 0,
    rejects: 0,
    statusServer: 0,
    rejectsBy: Object.fromEntries(REJECT_KINDS.map((k) => [k, 0])) as Record<RejectKind, number>,
    acctRequests: 0,
    acctResponses: 0,
    unknownNas: 0,
    malformed: 0,
    badAuthenticator: 0,
    duplicates: 0,
    ignored: 0,
    guests: 0,
    sessionsOpen: 0,
    eventsSpooled: 0,
    eventsAcked: 0,
  };

  constructor(
    private readonly c: RadiusConfig,
    private readonly log: Logger,
    private readonly state: RadiusState,
    private readonly stream: StreamClient,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    this.dup = new DuplicateCache(c.duplicate_window * 1000);
    this.dm = new DaeClient(c.disconnect_request_timeout * 1000, log, c.dac_bind_host);
    this.sessions = new SessionTable(
      `${c.radius_spool_dir}/sessions.json`,
      c.use_closed_sessions_cache ? c.closed_sessions_cache_size : 0,
    );
    this.cards = c.radius_card_autoadd ? new CardRegistrar(stream) : undefined;
    this.tel = new TelephonyServer(telOptions(c), c.radius_spool_dir, stream, log);
    this.commands = new SessionCommands({
      state,
      sessions: this.sessions,
      dm: this.dm,
      forget: (key) => this.forget(key),
      log,
    });
    this.spool = new Spool(c.radius_spool_dir, 1_000_000);
    this.authz = {
      vap: c.radius_auth_vap,
      nasPorts: {
        iptraffic: c.radius_nas_port_vpn,
        dialup: c.radius_nas_port_dialup,
        hotspot: c.radius_nas_port_hotspot,
      },
      defaultSessionTimeout: c.radius_default_session_timeout,
      interimInterval: c.interim_update_interval,
      callbackAvpair: c.radius_callback_avpair_enable,
      ippoolAcctTimeout: c.radius_ippool_acct_timeout,
      blockedPool: c.blocked_pool_name,
    };
    this.pools = new PoolSet(this.book, c.named_pool_shuffle);
  }

  async start(): Promise<void> {
    const { batches, problems } = this.spool.open();
    for (const p of problems)
      this.log.error(`disk buffer: ${p.file} is unreadable (${p.reason}); kept as ${p.file}.bad`);
    for (const b of batches) this.deliver(b);
    this.tel.open();
    const restored = this.sessions.load();
    if (restored > 0) this.log.info(`${restored} open session(s) restored from the last run`);
    this.pools.update(this.state.pools);
    // Addresses of sessions still open stay busy.
    for (const s of this.sessions.all())
      if (s.framedIp)
        this.book.hold(s.framedIp, this.c.radius_ippool_timeout ? this.now() + this.c.radius_ippool_timeout : Infinity);
    this.auth = await this.bind(
      this.c.radius_auth_host,
      this.c.radius_auth_port,
      (m, r) => this.onAuth(m, r),
      'radius_auth_host/radius_auth_port',
    );
    this.acct = await this.bind(
      this.c.radius_acct_host,
      this.c.radius_acct_port,
      (m, r) => this.onAcct(m, r),
      'radius_acct_host/radius_acct_port',
    );
    await this.dm.start();
    this.housekeeping = setInterval(() => this.tidy(), 1000);
  }

  private bind(host: string, port: number, fn: (m: Buffer, r: RemoteInfo) => void, hint: string): Promise<Socket> {
    const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    s.on('message', (m, r) => {
      try {
        fn(m, r);
      } catch (err) {
        // A bug must not take the server down with it: the packet is dropped and the fault logged.
        this.counters.malformed++;
        this.log.error(`RADIUS packet from ${r.address}:${r.port} dropped: ${errorLine(err)}`);
      }
    });
    return new Promise((resolve, reject) => {
      s.once('error', (err) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message} (${hint})`)));
      s.bind(port, host, () => {
        s.removeAllListeners('error');
        s.on('error', (err) => this.log.error(`RADIUS socket ${host}:${port}: ${err.message}`));
        resolve(s);
      });
    });
  }

  private nasOf(r: RemoteInfo): NasWire | undefined {
    const nas = this.state.nas.get(r.address) ?? this.state.nas.get(r.address.replace(/^::ffff:/, ''));
    if (!nas) {
      this.counters.unknownNas++;
      this.log.debug(`packet from unknown NAS ${r.address} dropped`);
    }
    return nas;
  }

  /** Answers and remembers the answer for retransmits. */
  private send(sock: Socket, r: RemoteInfo, key: string, out: Buffer): void {
    const at = this.dup.answered(key, out);
    sock.send(out, r.port, r.address);
    if (at !== undefined && this.onAnswered) this.onAnswered(sock === this.auth, (performance.now() - at) / 1000);
  }

  /**
   * What both ports do first: the NAS by source address, the packet decoded with its secret, the code this port
   * takes, the authenticator checked (`badAuth` names the fault, or undefined), and retransmits answered from the
   * cache. Undefined when the packet stops here (counted).
   */
  private receive(
    msg: Buffer,
    r: RemoteInfo,
    sock: Socket,
    code: number,
    badAuth: (req: RequestView) => string | undefined,
  ): { nas: NasWire; secret: Buffer; req: RequestView; key: string } | undefined {
    const nas = this.nasOf(r);
    if (!nas) return undefined;
    const secret = Buffer.from(nas.secret);
    const req = parseRequest(msg, secret);
    if ('error' in req) {
      this.counters.malformed++;
      this.log.debug(`malformed packet from NAS ${nas.name} (${r.address}): ${req.error}`);
      return undefined;
    }
    if (req.code === CODE.STATUS_SERVER) {
      // RFC 5997: a Status-Server without a valid Message-Authenticator is discarded (it proves the secret).
      if (!req.packet.has(ATTR.MESSAGE_AUTHENTICATOR) || req.badMessageAuthenticator) {
        this.counters.badAuthenticator++;
        this.log.warn(
          `Status-Server from NAS ${nas.name} without a valid Message-Authenticator (check the shared secret)`,
        );
        return undefined;
      }
    } else if (req.code !== code) {
      this.counters.ignored++;
      return undefined;
    }
    const bad = badAuth(req);
    if (bad) {
      this.counters.badAuthenticator++;
      this.log.warn(`${bad} from NAS ${nas.name} (check the shared secret)`);
      return undefined;
    }
    const key = DuplicateCache.key(r.address, r.port, req.identifier, req.authenticator);
    const seen = this.dup.check(key, performance.now());
    if (seen !== undefined) {
      this.counters.duplicates++;
      if (Buffer.isBuffer(seen)) sock.send(seen, r.port, r.address);
      return undefined;
    }
    return { nas, secret, req, key };
  }

  /** RFC 5997: a Status-Server is answered Access-Accept on the authentication port, Accounting-Response on the other. */
  private answerStatus(sock: Socket, r: RemoteInfo, key: string, req: RequestView, secret: Buffer, code: number): void {
    this.counters.statusServer++;
    this.send(sock, r, key, buildReply(req, code, [], secret));
  }

  private onAuth(msg: Buffer, r: RemoteInfo): void {
    const got = this.receive(msg, r, this.auth!, CODE.ACCESS_REQUEST, (q) =>
      q.badMessageAuthenticator ? 'Access-Request with a wrong Message-Authenticator' : undefined,
    );
    if (!got) return;
    const { nas, secret, req, key } = got;
    if (req.code === CODE.STATUS_SERVER) return this.answerStatus(this.auth!, r, key, req, secret, CODE.ACCESS_ACCEPT);
    this.counters.authRequests++;
    if (isTelephony(req.packet)) return this.telAuth(req, r, key, nas, secret);
    const userName = req.text(ATTR.USER_NAME);
    if (userName === undefined) {
      this.counters.ignored++;
      this.dup.forget(key);
      return;
    } // the manual: ignored
    const { callbackPrefix, login } = splitUserName(userName);
    const reject = (kind: RejectKind, why: string, attrs: Parameters<typeof buildReply>[2] = []) => {
      this.counters.rejects++;
      this.counters.rejectsBy[kind]++;
      this.log.info(`Access-Reject for '${login}' from NAS ${nas.name}: ${why}`);
      this.send(this.auth!, r, key, buildReply(req, CODE.ACCESS_REJECT, attrs, secret));
    };
    const turn: AuthTurn = { req, r, key, nas, secret, login, userName, callbackPrefix, reject };
    const entry: LoginWire | undefined = this.state.logins.get(login);
    if (entry) return this.answerKnown(turn, entry);
    const pin = this.cards ? cardPin(req, login) : undefined;
    if (pin === undefined) {
      if (this.c.guest_pool_name) return this.acceptGuest(r, key, req, secret, login, nas.name);
      return reject(
        'unknown_login',
        this.cards && CARD_LOGIN.test(login)
          ? 'unknown login (card users are registered with PAP only)'
          : 'unknown login',
      );
    }
    // radius_card_autoadd: the core registers the card user and sends its login before it answers.
    this.log.debug(`unknown login '${login}' from NAS ${nas.name}: attempt to add a new card user`);
    this.cards!.register(login, pin, nas.ip)
      .then((o) => {
        if (!this.auth) return; // stopped meanwhile
        const made = this.state.logins.get(login);
        if (!o.ok) return reject('card', `card user not registered: ${o.reason}`);
        if (!made) return reject('card', 'the core registered the card user but its login has not arrived');
        this.log.info(`card user with login '${login}' added by the core`);
        this.answerKnown(turn, made);
      })
      .catch((err) => {
        this.dup.forget(key);
        this.log.error(`Access-Request for '${login}' from NAS ${nas.name} dropped: ${errorLine(err)}`);
      });
  }

  /** A telephony Access-Request: the core decides (TelephonyServer), the answer goes out here. */
  private telAuth(req: RequestView, r: RemoteInfo, key: string, nas: NasWire, secret: Buffer): void {
    const who = `telephony Access-Request from NAS ${nas.name}`;
    this.tel.authorize(req, nas, {
      accept: (attrs) => {
        if (!this.auth) return; // stopped meanwhile
        this.counters.accepts++;
        this.send(this.auth, r, key, buildReply(req, CODE.ACCESS_ACCEPT, attrs, secret));
      },
      reject: (why, attrs) => {
        if (!this.auth) return;
        this.counters.rejects++;
        this.counters.rejectsBy.telephony++;
        this.log.info(`Access-Reject for ${who}: ${why}`);
        this.send(this.auth, r, key, buildReply(req, CODE.ACCESS_REJECT, attrs, secret));
      },
      drop: (why) => {
        this.dup.forget(key);
        this.log.warn(`${who} dropped: ${why}`);
      },
    });
  }

  /** Authentication and authorization of a login the core sent, and the answer. */
  private answerKnown(t: AuthTurn, entry: LoginWire): void {
    const { req, r, key, nas, secret, login, userName, callbackPrefix, reject } = t;
    const authn = authenticate(
      req,
      login,
      entry.password,
      { nullPassword: this.c.radius_auth_null, mppe: this.c.radius_auth_mppe, userName },
      this.eap,
      Date.now(),
    );
    if (authn.ok === 'challenge') {
      this.counters.challenges++;
      this.send(this.auth!, r, key, buildReply(req, CODE.ACCESS_CHALLENGE, authn.attrs, secret));
      return;
    }
    if (!authn.ok) return reject('authentication', authn.reason, authn.attrs);
    const verdict = authorize(
      entry,
      nas,
      {
        callbackPrefix,
        callingStation: req.text(ATTR.CALLING_STATION_ID) ?? '',
        calledStation: req.text(ATTR.CALLED_STATION_ID) ?? '',
        nasPortType: req.int(ATTR.NAS_PORT_TYPE),
        framedIp: req.ip(ATTR.FRAMED_IP_ADDRESS),
      },
      this.state,
      this.sessions,
      this.pools,
      this.authz,
      this.now(),
    );
    if (!verdict.ok) return reject(verdict.kind, verdict.reason);
    this.counters.accepts++;
    this.log.debug(`Access-Accept for '${login}' (link ${entry.slinkId}) from NAS ${nas.name}`);
    this.send(this.auth!, r, key, buildReply(req, CODE.ACCESS_ACCEPT, [...verdict.attrs, ...authn.attrs], secret));
  }

  /** A login we do not know, with guest_pool_name set: let in with an address of the guest pool (the manual). */
  private acceptGuest(
    r: RemoteInfo,
    key: string,
    req: Parameters<typeof buildReply>[0],
    secret: Buffer,
    login: string,
    nasName: string,
  ): void {
    const verdict = authorizeGuest(this.pools, this.c.guest_pool_name!, this.authz, this.now());
    if (!verdict.ok) {
      this.counters.rejects++;
      this.counters.rejectsBy[verdict.kind]++;
      this.log.info(`Access-Reject for '${login}' from NAS ${nasName}: ${verdict.reason}`);
      this.send(this.auth!, r, key, buildReply(req, CODE.ACCESS_REJECT, [], secret));
      return;
    }
    this.counters.accepts++;
    this.counters.guests++;
    this.log.info(
      `guest access for unknown login '${login}' from NAS ${nasName} (guest pool '${this.c.guest_pool_name}')`,
    );
    this.send(this.auth!, r, key, buildReply(req, CODE.ACCESS_ACCEPT, verdict.attrs, secret));
  }

  /** 'guest' or 'blocked' when the address is of that pool: such a session's time is not charged. */
  private poolKind(ip: string): SessionEventWire['pool'] {
    if (!ip || (!this.c.guest_pool_name && !this.c.blocked_pool_name)) return undefined;
    const name = this.pools.nameOf(ip);
    if (name === undefined) return undefined;
    if (name === this.c.guest_pool_name) return 'guest';
    if (name === this.c.blocked_pool_name) return 'blocked';
    return undefined;
  }

  private onAcct(msg: Buffer, r: RemoteInfo): void {
    const got = this.receive(msg, r, this.acct!, CODE.ACCOUNTING_REQUEST, (q) =>
      q.requestAuthenticatorValid ? undefined : 'Accounting-Request with a wrong authenticator',
    );
    if (!got) return;
    const { nas, secret, req, key } = got;
    if (req.code === CODE.STATUS_SERVER)
      return this.answerStatus(this.acct!, r, key, req, secret, CODE.ACCOUNTING_RESPONSE);
    this.counters.acctRequests++;
    const op = STATUS[req.int(ATTR.ACCT_STATUS_TYPE) ?? 0];
    const sid = req.text(ATTR.ACCT_SESSION_ID);
    const answer = () => this.send(this.acct!, r, key, buildReply(req, CODE.ACCOUNTING_RESPONSE, [], secret));
    if (isTelephony(req.packet))
      return this.tel.account(req, op, nas.ip, this.now(), () => {
        this.counters.acctResponses++;
        answer();
      });
    if (!sid || !op) {
      // Accounting-On/Off and other types: acknowledged, nothing to record.
      if (!sid && op) {
        this.counters.ignored++;
        this.dup.forget(key);
        return;
      }
      answer();
      return;
    }
    const userName = req.text(ATTR.USER_NAME) ?? '';
    const { login } = splitUserName(userName);
    const entry = this.state.logins.get(login);
    const skey = SessionTable.key(nas.ip, sid);
    const now = this.now();
    const framedIp = req.ip(ATTR.FRAMED_IP_ADDRESS) ?? '';
    if (!framedIp) {
      // The manual: Acct-Status-Type, Acct-Session-Id and Framed-IP-Address are mandatory; without one the request is ignored.
      this.counters.ignored++;
      this.dup.forget(key);
      // Notice, not Debug: a NAS that never sends the address loses every session, and its admin must see why.
      this.log.notice(
        `Accounting-Request for session '${sid}' from NAS ${nas.name} without Framed-IP-Address ignored ` +
          '(the manual makes it mandatory; configure the NAS to send it)',
      );
      return;
    }
    if (op !== 'start' && !this.sessions.get(skey) && this.sessions.isClosed(skey)) {
      answer(); // a late Interim or Stop of a closed session: not passed on (closed sessions cache)
      return;
    }
    const acc = entry ? this.state.accounts.get(entry.accountId) : undefined;
    if (op === 'start' || (op === 'interim' && !this.sessions.get(skey))) {
      const started: OpenSession = {
        key: skey,
        login,
        slinkId: entry?.slinkId ?? 0,
        accountId: entry?.accountId ?? 0,
        userId: acc?.userId ?? 0,
        dealerId: acc?.dealerId ?? 0,
        serviceId: entry?.serviceId ?? 0,
        framedIp,
        startedAt: now,
        lastSeen: now,
      };
      this.sessions.add(started);
      if (op === 'start') this.onSessionStart(started);
      if (framedIp)
        this.book.hold(framedIp, this.c.radius_ippool_timeout ? now + this.c.radius_ippool_timeout : Infinity);
    } else if (op === 'interim') {
      this.sessions.touch(skey, now);
    } else {
      const s = this.sessions.remove(skey, true);
      const ip = framedIp || s?.framedIp;
      if (ip) this.book.release(ip);
    }
    let event: SessionEventWire = {
      op,
      nas: nas.ip,
      sid,
      login,
      slinkId: entry?.slinkId ?? 0,
      accountId: entry?.accountId ?? 0,
      serviceType: entry ? KIND_TYPE[entry.kind] : 0,
      framedIp,
      calling: req.text(ATTR.CALLING_STATION_ID) ?? '',
      called: req.text(ATTR.CALLED_STATION_ID) ?? '',
      time: req.int(ATTR.EVENT_TIMESTAMP) ?? now,
      duration: req.int(ATTR.ACCT_SESSION_TIME) ?? 0,
      inOctets: octetCounter(req.int(ATTR.ACCT_INPUT_OCTETS), req.int(ATTR.ACCT_INPUT_GIGAWORDS)),
      outOctets: octetCounter(req.int(ATTR.ACCT_OUTPUT_OCTETS), req.int(ATTR.ACCT_OUTPUT_GIGAWORDS)),
      cause: String(req.int(ATTR.ACCT_TERMINATE_CAUSE) ?? ''),
      nasPort: req.int(ATTR.NAS_PORT) ?? 0,
      nasPortType: req.int(ATTR.NAS_PORT_TYPE) ?? 0,
      nasId: (req.text(ATTR.NAS_IDENTIFIER) ?? '').slice(0, 255),
      inPackets: req.int(ATTR.ACCT_INPUT_PACKETS) ?? 0,
      outPackets: req.int(ATTR.ACCT_OUTPUT_PACKETS) ?? 0,
      ...(billsTraffic(op, this.c) ? { billTraffic: true } : {}),
    };
    const pool = this.poolKind(framedIp || this.sessions.get(skey)?.framedIp || '');
    if (pool) event = { ...event, pool };
    this.pending.push({ event, answer });
    if (this.pending.length >= 256) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), 5);
  }

  /** Writes the waiting events to the disk buffer (one fsync), answers their NASes, and sends them to the core. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let batch: SpooledBatch<SessionEventWire>;
    try {
      batch = this.spool.add(group.map((p) => p.event)).batch;
    } catch (err) {
      // Not durable: the NASes are not answered and will retransmit.
      this.log.error(
        `disk buffer ${this.c.radius_spool_dir}: ${errorLine(err)}; ${group.length} accounting request(s) left unanswered`,
      );
      return;
    }
    this.counters.eventsSpooled += group.length;
    for (const p of group) {
      p.answer();
      this.counters.acctResponses++;
    }
    this.deliver(batch);
  }

  private deliver(b: SpooledBatch<SessionEventWire>): void {
    this.stream
      .send(RADIUS_SESSION_KIND, b.items, {
        ...(b.seq > 0 ? { seq: b.seq } : {}),
        onSequenced: (seq) => this.spool.setSeq(b, seq),
      })
      .then(
        () => {
          this.counters.eventsAcked += b.items.length;
          this.spool.remove(b.id);
        },
        (err: Error) => {
          this.log.error(`the core refused ${b.items.length} session event(s): ${err.message}`);
          this.spool.remove(b.id);
        },
      );
  }

  private tidy(): void {
    const now = this.now();
    this.dup.sweep(performance.now());
    this.eap.sweep(Date.now());
    this.cards?.sweep();
    this.counters.sessionsOpen = this.sessions.size;
    if (this.c.interim_update_interval) {
      for (const s of this.sessions.stale(now - 3 * this.c.interim_update_interval)) {
        this.forget(s.key);
        this.log.info(`session ${s.key} of '${s.login}' closed: no Interim-Update for three intervals`);
        // The core closes it too, charged up to the last time the NAS spoke of it.
        const entry = this.state.logins.get(s.login);
        this.pending.push({
          event: {
            op: 'stop',
            nas: s.key.slice(0, s.key.indexOf('|')),
            sid: s.key.slice(s.key.indexOf('|') + 1),
            login: s.login,
            slinkId: s.slinkId,
            accountId: s.accountId,
            serviceType: entry ? KIND_TYPE[entry.kind] : 0,
            framedIp: s.framedIp,
            calling: '',
            called: '',
            time: s.lastSeen,
            duration: Math.max(0, s.lastSeen - s.startedAt),
            inOctets: 0,
            outOctets: 0,
            cause: 'interim-timeout',
          },
          answer: () => undefined,
        });
      }
      if (this.pending.length > 0) this.flush();
    }
    try {
      this.sessions.save();
    } catch (err) {
      this.log.warn(`cannot save open sessions: ${errorLine(err)}`);
    }
  }

  /** Closes a session here (its address freed, remembered as closed); the core is not told. */
  forget(key: string): OpenSession | undefined {
    const s = this.sessions.remove(key, true);
    if (s?.framedIp) this.book.release(s.framedIp);
    return s;
  }

  /**
   * The accounts changed (the core republished them): sessions of an account whose money ran out (balance plus
   * credit below zero, not unlimited) are disconnected, and so are those of an account that was just unblocked,
   * so that the user reconnects with full access (the manual).
   */
  accountsChanged(
    before: ReadonlyMap<number, { blockType: number; balance: number; credit: number; unlimited: boolean }>,
  ): void {
    const byAccount = new Map<number, OpenSession[]>();
    for (const s of this.sessions.all())
      if (s.accountId > 0) (byAccount.get(s.accountId) ?? byAccount.set(s.accountId, []).get(s.accountId)!).push(s);
    for (const [accountId, list] of byAccount) {
      const now = this.state.accounts.get(accountId);
      if (!now) continue;
      const was = before.get(accountId);
      const broke = !now.unlimited && now.balance + now.credit < 0;
      const unblocked = was !== undefined && was.blockType !== 0 && now.blockType === 0;
      if (!broke) this.disconnected.delete(accountId);
      if (!(broke && !this.disconnected.has(accountId)) && !unblocked) continue;
      if (broke) this.disconnected.add(accountId);
      for (const s of list) {
        const nas = this.state.nas.get(s.key.slice(0, s.key.indexOf('|')));
        if (nas) void this.dm.disconnect(nas, s, broke ? 'the balance is negative' : 'the account was unblocked');
      }
    }
  }

  async stop(): Promise<void> {
    this.dm.close();
    if (this.housekeeping) clearInterval(this.housekeeping);
    this.flush();
    this.tel.stop();
    for (const s of [this.auth, this.acct]) await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    this.auth = undefined;
    this.acct = undefined;
    this.sessions.save();
  }
}
