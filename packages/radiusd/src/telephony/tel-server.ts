import { Spool, errorLine, type Logger, type SpooledBatch } from '@utm5/common';
import { StreamCallError, TEL_CALL, TEL_CALL_KIND, type TelAuthorizeResult, type TelCallWire } from '@utm5/protocol';
import type { RadiusConfig } from '../config';
import type { ReplyAttr } from '../server/attributes';
import type { RequestView } from '../server/wire';
import { parseFieldFormat } from './field-format';
import { isRegistration, telAuthorizeArgs, telCallWire, telReply, type TelOptions } from './tel-requests';

/**
 * How long a telephony Access-Request waits for the core: gatekeepers retransmit after a few seconds and give up
 * after a few tries, so the answer must come within the first retransmit budget.
 */
export const TEL_AUTHORIZE_TIMEOUT_MS = 4000;

export interface TelCounters {
  telAuthRequests: number;
  telAccepts: number;
  telRejects: number;
  telAcctRequests: number;
  telCallsSpooled: number;
  telCallsAcked: number;
}

/** The part of the Stream client telephony needs. */
export interface TelCore {
  call(method: string, args: unknown, timeoutMs: number): Promise<unknown>;
  send(kind: string, items: unknown[], opts: { seq?: number; onSequenced?: (seq: number) => void }): Promise<void>;
}

/** Reads the telephony parameters of radius5.cfg; throws with the key at fault for a bad trunk/PBX format. */
export function telOptions(c: RadiusConfig): TelOptions {
  const fmt = (key: string, v: string | undefined) => (v === undefined ? undefined : parseFieldFormat(key, v));
  return {
    loginFromRemoteAddress: c.radius_auth_h323_remote_address,
    extendedRegistration: c.radius_auth_tel_ext_reg,
    nasPorts: c.radius_nas_port_tel,
    sessionTimeout: c.tel_session_timeout,
    currency: c.h323_currency,
    returnCodePositive: c.h323_return_code_positive,
    sendXpgkEpNumber: c.send_xpgk_ep_number !== undefined,
    sendIvrIn: c.send_h323_ivr_in !== undefined,
    originReject: c.h323_origin_reject,
    rewriteLoginAnswer: c.radius_acct_rewrite_login_answer,
    rewriteLoginOriginate: c.radius_acct_rewrite_login_originate,
    incomingTrunk: fmt('incoming_trunk_format', c.incoming_trunk_format),
    outgoingTrunk: fmt('outgoing_trunk_format', c.outgoing_trunk_format),
    pbxId: fmt('pbx_id_format', c.pbx_id_format),
  };
}

const isResult = (v: unknown): v is TelAuthorizeResult =>
  typeof v === 'object' && v !== null && typeof (v as { accepted?: unknown }).accepted === 'boolean';

/** How the server answers one request: the reply's attributes go out with Access-Accept or Access-Reject. */
export interface TelAnswer {
  accept(attrs: ReplyAttr[]): void;
  reject(why: string, attrs: ReplyAttr[]): void;
  /** No answer (the core could not be asked): forgotten, so the NAS's retransmit is handled afresh. */
  drop(why: string): void;
}

/**
 * utm5_radius's telephony (the manual's IP telephony over RADIUS): Access-Requests carrying h323-conf-id are
 * registrations (no Called-Station-Id) or call authorizations the core answers (TEL_CALL.AUTHORIZE: credit time,
 * balance, return code); their Accounting Start/Stop become call records, written to the disk buffer (its own
 * directory, tel/ under radius_spool_dir) before the NAS is answered and delivered to the core exactly once, where a
 * retransmitted Stop is a duplicate of the call's uid and charged nothing.
 */
export class TelephonyServer {
  readonly counters: TelCounters = {
    telAuthRequests: 0,
    telAccepts: 0,
    telRejects: 0,
    telAcctRequests: 0,
    telCallsSpooled: 0,
    telCallsAcked: 0,
  };
  private readonly spool: Spool<TelCallWire>;
  private pending: { event: TelCallWire; answer: () => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly o: TelOptions,
    spoolDir: string,
    private readonly core: TelCore,
    private readonly log: Logger,
    private readonly timeoutMs = TEL_AUTHORIZE_TIMEOUT_MS,
  ) {
    this.spool = new Spool(`${spoolDir}/tel`, 1_000_000);
  }

  /** Resends what a previous run spooled; before the Stream link starts, so the batches keep their order. */
  open(): void {
    const { batches, problems } = this.spool.open();
    for (const p of problems)
      this.log.error(`telephony disk buffer: ${p.file} is unreadable (${p.reason}); kept as ${p.file}.bad`);
    for (const b of batches) this.deliver(b);
  }

  /** A telephony Access-Request: asks the core, then answers. */
  authorize(req: RequestView, nas: { ip: string; name: string }, a: TelAnswer): void {
    this.counters.telAuthRequests++;
    const registration = isRegistration(req, this.o);
    const asked = telAuthorizeArgs(req, this.o, nas.ip);
    if ('refuse' in asked) {
      this.counters.telRejects++;
      return a.reject(asked.refuse, []);
    }
    const what = registration
      ? `registration of '${asked.args.login}'`
      : `call of '${asked.args.login}' ('${asked.args.calling}' -> '${asked.args.called}')`;
    this.core.call(TEL_CALL.AUTHORIZE, asked.args, this.timeoutMs).then(
      (r) => {
        if (!isResult(r)) return a.drop(`the core answered the ${what} with something else than a result`);
        const reply = telReply(r, registration, this.o);
        if (reply.accept) {
          this.counters.telAccepts++;
          this.log.debug(`${what} from NAS ${nas.name} accepted${r.accepted ? ` (${r.creditTime} s)` : ''}`);
          return a.accept(reply.attrs);
        }
        this.counters.telRejects++;
        a.reject(`${what}: ${r.accepted ? 'refused' : r.reason}`, reply.attrs);
      },
      (err: unknown) => {
        // The core is away or slow: refused, since a call nobody authorized cannot be let through.
        if (err instanceof StreamCallError && err.failure === 'link_lost')
          return a.drop(`the link to the core dropped while asking about the ${what}`);
        this.counters.telRejects++;
        a.reject(`the ${what} could not be authorized: ${errorLine(err)}`, []);
      },
    );
  }

  /** A telephony Accounting-Request: Start and Stop are spooled, the NAS answered once they are on disk. */
  account(
    req: RequestView,
    op: 'start' | 'stop' | 'interim' | undefined,
    nasIp: string,
    now: number,
    answer: () => void,
  ): void {
    this.counters.telAcctRequests++;
    if (op !== 'start' && op !== 'stop') return answer(); // Interim-Update, Accounting-On/Off: nothing to rate
    this.pending.push({ event: telCallWire(req, op, this.o, nasIp, now), answer });
    if (this.pending.length >= 256) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 5);
  }

  /** Writes the waiting calls to the disk buffer (one fsync), answers their NASes, and sends them to the core. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.pending;
    this.pending = [];
    if (group.length === 0) return;
    let batch: SpooledBatch<TelCallWire>;
    try {
      batch = this.spool.add(group.map((p) => p.event)).batch;
    } catch (err) {
      // Not durable: the NASes are not answered and will retransmit.
      this.log.error(`telephony disk buffer: ${errorLine(err)}; ${group.length} accounting request(s) left unanswered`);
      return;
    }
    this.counters.telCallsSpooled += group.length;
    for (const p of group) p.answer();
    this.deliver(batch);
  }

  private deliver(b: SpooledBatch<TelCallWire>): void {
    this.core
      .send(TEL_CALL_KIND, b.items, {
        ...(b.seq > 0 ? { seq: b.seq } : {}),
        onSequenced: (seq) => this.spool.setSeq(b, seq),
      })
      .then(
        () => {
          this.counters.telCallsAcked += b.items.length;
          this.spool.remove(b.id);
        },
        (err: Error) => {
          this.log.error(`the core refused ${b.items.length} telephony call record(s): ${err.message}`);
          this.spool.remove(b.id);
        },
      );
  }

  stop(): void {
    this.flush();
  }
}
