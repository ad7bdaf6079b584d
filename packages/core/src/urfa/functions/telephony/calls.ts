import { L, type CallArgs, type CallResult } from '@utm5/protocol';
import { BillingError, badInput } from '../../../billing/billing-error';
import type { CallOutcome, CallRecord } from '../../../telephony/model';
import { defineFunction, type HandlerContext } from '../../core-function';
import type { UrfaCall } from '@utm5/protocol';
import type { Principal } from '../../../system-users/principal';

/**
 * rpcf_put_tel_calls takes at most this many calls: a batch is one transaction, and its refusals one reply. On SQLite
 * a commit of a batch costs about as much as rating a thousand calls (the random pages of the call id index), so
 * batches of thousands are what makes an import fast; ten thousand hold the database for a fraction of a second.
 */
export const MAX_BATCH = 10_000;
/** Refusals beyond this many are counted in the core log, not listed. */
const LOGGED_REFUSALS = 20;
const PUT_TEL_CALL_ID = 0x10310;

/** The fields of rpcf_put_tel_call, in its order (rpcf_put_tel_calls repeats them per call). */
function fields(o: { index?: string; defaults: boolean }) {
  const s = (n: string) => L.str(n, { ...(o.index ? { index: o.index } : {}), ...(o.defaults ? { default: '' } : {}) });
  const i = (n: string) =>
    L.int(n, { ...(o.index ? { index: o.index } : {}), ...(o.defaults ? { default: '0' } : {}) });
  return [
    s('calling_number'),
    s('called_number'),
    s('incoming_trunk'),
    s('outgoing_trunk'),
    s('session_id'),
    s('pbx_id'),
    s('login'),
    s('disconnect_cause'),
    i('call_start_date'),
    i('call_duration'),
  ];
}

const DOCS = {
  calling_number: 'calling number (ANI)',
  called_number: 'called number (a tech prefix of a link first, then the number)',
  session_id: "the source's unique call id ('' : a hash of the call names it)",
  login: "the telephony link number's login ('' : not known)",
  call_start_date: 'call start (unix time; 0: now)',
  call_duration: 'duration (s)',
};

function record(a: CallArgs, i?: number): CallRecord {
  return {
    calling: a.str('calling_number', i),
    called: a.str('called_number', i),
    incomingTrunk: a.str('incoming_trunk', i),
    outgoingTrunk: a.str('outgoing_trunk', i),
    sessionId: a.str('session_id', i),
    pbxId: a.str('pbx_id', i),
    login: a.str('login', i),
    disconnectCause: a.str('disconnect_cause', i),
    start: a.int('call_start_date', i),
    duration: a.int('call_duration', i),
  };
}

/** Counts the outcomes and writes the refusals (the first few) to the core log. */
function report(call: UrfaCall<Principal>, ctx: HandlerContext, what: string, out: readonly CallOutcome[]) {
  const refused = out.flatMap((o, i) => (o.kind === 'refused' ? [{ i, reason: o.reason }] : []));
  const imported = out.filter((o) => o.kind === 'imported').length;
  const duplicates = out.filter((o) => o.kind === 'duplicate').length;
  const log = ctx.log.child({ component: 'urfa' });
  const who = `${call.principal.login}@${call.peer}`;
  if (refused.length > 0) {
    const more = refused.length > LOGGED_REFUSALS ? `; and ${refused.length - LOGGED_REFUSALS} more` : '';
    const list = refused
      .slice(0, LOGGED_REFUSALS)
      .map((r) => `call ${r.i}: ${r.reason}`)
      .join('; ');
    log.warn(`${who}: ${what}: ${refused.length} of ${out.length} calls refused: ${list}${more}`);
  }
  log.debug(`${who}: ${what}: ${imported} imported, ${duplicates} duplicates`);
  return { imported, duplicates, refused };
}

export const putTelCall = defineFunction(
  'rpcf_put_tel_call',
  PUT_TEL_CALL_ID,
  {
    comment:
      'One telephone call (a CDR) to rate and charge now: its link is found by the calling number, a tech prefix of the ' +
      'called number, the login, then the called number (an incoming call). No output: a duplicate (its session_id, or ' +
      'its fields when it has none, seen before) is not charged again; a refused call is written to the core log',
    input: fields({ defaults: true }),
    docs: DOCS,
  },
  async (call, ctx) => {
    const out = await ctx.telephony.calls.rate([record(call.args)], 'urfa');
    report(call, ctx, 'put_tel_call', out);
    return {};
  },
);

export const putTelCalls = defineFunction(
  'rpcf_put_tel_calls',
  0x60000090,
  {
    comment:
      `UTM5-TS extension (utm5_send_cdr): up to ${MAX_BATCH} calls, with the fields of rpcf_put_tel_call each, rated ` +
      'and charged ' +
      'in one transaction. imported: calls written; duplicates: calls seen before (or twice in the batch), not ' +
      'charged; then each refused call with its 0-based index in the batch and the reason. Needs the right to call ' +
      'rpcf_put_tel_call too',
    input: [
      L.int('count', { default: 'size(calling_number)' }),
      L.for('i', '0', 'count', fields({ index: 'i', defaults: false })),
    ],
    output: [
      L.int('imported'),
      L.int('duplicates'),
      L.int('refused_count'),
      L.for('i', '0', 'refused_count', [
        L.int('refused_index', { index: 'i' }),
        L.str('refused_reason', { index: 'i' }),
      ]),
    ],
    docs: { count: `number of calls (at most ${MAX_BATCH})`, ...DOCS },
  },
  async (call, ctx): Promise<CallResult> => {
    if (!ctx.systemUsers.permitted(call.principal, PUT_TEL_CALL_ID))
      throw new BillingError(
        'UTM_NOT_ALLOWED',
        'rpcf_put_tel_calls needs the right to call rpcf_put_tel_call (0x10310)',
      );
    const count = call.args.int('count');
    if (count < 0 || count > MAX_BATCH)
      throw badInput(`rpcf_put_tel_calls: count ${count} must be 0..${MAX_BATCH}; send the calls in batches`);
    const records = Array.from({ length: count }, (_, i) => record(call.args, i));
    const r = report(call, ctx, 'put_tel_calls', await ctx.telephony.calls.rate(records, 'cdr'));
    return {
      imported: r.imported,
      duplicates: r.duplicates,
      refused_count: r.refused.length,
      refused_index: r.refused.map((x) => x.i),
      refused_reason: r.refused.map((x) => x.reason),
    };
  },
);
