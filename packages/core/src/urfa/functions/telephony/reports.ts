import { L } from '@utm5/protocol';
import { ZONE_TYPE } from '../../../telephony/model';
import { defineFunction } from '../../core-function';
import { money } from '../billing/common';
import { accountScope, cols, filters, grouped, groupedOutput, timeSpan } from '../report-scope';

const at = { index: 'i,j' };
const ROW = { index: 'i' };

/** The reference's columns; the RADIUS ones UTM5-TS does not keep per call are 0 or ''. */
const TEL_REPORT_CELLS = [
  L.int('id', at),
  L.int('account_id', at),
  L.int('slink_id', at),
  L.int('recv_date', at),
  L.int('start_time', at),
  L.int('end_time', at),
  L.str('Called_Station_Id', at),
  L.str('Calling_Station_Id', at),
  L.int('nas_port', at),
  L.str('acct_session_id', at),
  L.int('nas_port_type', at),
  L.str('uname', at),
  L.int('service_type', at),
  L.int('framed_protocol', at),
  L.ip('nas_ip', at),
  L.str('nas_id', at),
  L.int('acct_status_type', at),
  L.long('acct_inp_pack', at),
  L.long('acct_inp_oct', at),
  L.long('acct_out_pack', at),
  L.long('acct_out_oct', at),
  L.int('zone_id', at),
  L.int('did', at),
  L.long('acct_sess_time', at),
  L.str('incoming_trunk', at),
  L.str('outgoing_trunk', at),
  L.str('pbx_id', at),
  L.int('flags', at),
  L.str('dcause', at),
  L.long('duration', at),
  L.double('base_cost', at),
  L.double('cost_mult', at),
  L.double('sum_cost', at),
];

/** 'Stop' in RADIUS accounting: what a rated call is. */
const ACCT_STOP = 2;

export const getTelReport = defineFunction(
  'rpcf_get_tel_report',
  0x5037,
  {
    comment:
      'Telephone calls started in [time_start, time_end), one row per part of a call at one price (prepaid time, ' +
      "time range, border), grouped by account: start_time/end_time and duration are the part's, acct_sess_time the " +
      "call's reported duration; base_cost the price per time unit, cost_mult the border's multiplier, sum_cost the " +
      "part's cost (currency units, unrounded; the call's fixed cost is in its first part). A call without parts (free, " +
      'skipped) is one row. flags: 1 no direction, 2 not covered by a time range, 4 skipped, 8 free, 16 emergency, ' +
      '32 incoming, 64 zero cost (h323_origin_reject). apid is not used',
    input: [
      L.int('user_id', { default: '0' }),
      L.int('account_id', { default: '0' }),
      L.int('apid', { default: '0' }),
      L.int('time_start'),
      L.int('time_end', { default: 'now()' }),
    ],
    output: [
      L.int('dhs_log_size'),
      L.for('i', '0', 'dhs_log_size', [
        L.int('count'),
        L.set({ dst: 'count_array', src: 'count', dstIndex: 'i' }),
        L.for('j', '0', 'count', TEL_REPORT_CELLS),
      ]),
    ],
    docs: { time_start: 'from (unix time, included)', time_end: 'to (unix time, excluded)' },
  },
  async (call, ctx) => {
    const a = call.args;
    const scope = { userId: a.int('user_id'), accountId: a.int('account_id'), groupId: 0 };
    const g = grouped(await ctx.telephony.reports.parts(scope, timeSpan(a)));
    const zero = () => 0;
    const empty = () => '';
    return {
      dhs_log_size: g.length,
      count_array: g.map((x) => x.length),
      id: cols(g, 'callId'),
      account_id: cols(g, 'accountId'),
      slink_id: cols(g, 'slinkId'),
      recv_date: cols(g, 'recvDate'),
      start_time: cols(g, 'start'),
      end_time: g.map((x) => x.map((r) => r.start + r.duration)),
      Called_Station_Id: cols(g, 'called', String),
      Calling_Station_Id: cols(g, 'calling', String),
      nas_port: cols(g, 'callId', zero),
      acct_session_id: cols(g, 'sessionId', String),
      nas_port_type: cols(g, 'callId', zero),
      uname: cols(g, 'login', String),
      service_type: cols(g, 'callId', zero),
      framed_protocol: cols(g, 'callId', zero),
      nas_ip: cols(g, 'callId', () => '0.0.0.0'),
      nas_id: cols(g, 'callId', empty),
      acct_status_type: cols(g, 'callId', () => ACCT_STOP),
      acct_inp_pack: cols(g, 'callId', zero),
      acct_inp_oct: cols(g, 'callId', zero),
      acct_out_pack: cols(g, 'callId', zero),
      acct_out_oct: cols(g, 'callId', zero),
      zone_id: cols(g, 'zoneId'),
      did: cols(g, 'dirId'),
      acct_sess_time: cols(g, 'callDuration'),
      incoming_trunk: cols(g, 'incomingTrunk', String),
      outgoing_trunk: cols(g, 'outgoingTrunk', String),
      pbx_id: cols(g, 'pbxId', String),
      flags: cols(g, 'flags'),
      dcause: cols(g, 'disconnectCause', String),
      duration: cols(g, 'duration'),
      base_cost: cols(g, 'basePrice', (v) => money(Number(v))),
      cost_mult: cols(g, 'mult'),
      sum_cost: cols(g, 'cost', (v) => money(Number(v))),
    };
  },
);

export const telDirectionsReport = defineFunction(
  'rpcf_tel_directions_report',
  0x60000091,
  {
    comment:
      'UTM5-TS extension: telephone calls started in [time_start, time_end) of the user/account/group (0: any), per ' +
      'zone and direction (0: none): calls, seconds as reported, seconds as charged (rounded) and cost (currency ' +
      'units, the sum of unrounded costs). Rows by zone id, then direction id',
    input: filters,
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.int('zone_id', ROW),
        L.str('zone_name', ROW),
        L.int('dir_id', ROW),
        L.str('dir_name', ROW),
        L.int('calls', ROW),
        L.long('seconds', ROW),
        L.long('rounded', ROW),
        L.double('cost', ROW),
      ]),
    ],
    docs: { time_start: 'from (unix time, included)', time_end: 'to (unix time, excluded)', apid: 'not used' },
  },
  async (call, ctx) => {
    const rows = await ctx.telephony.reports.directions(accountScope(call.args), timeSpan(call.args));
    return {
      count: rows.length,
      zone_id: rows.map((r) => r.zoneId),
      zone_name: rows.map((r) => r.zoneName),
      dir_id: rows.map((r) => r.dirId),
      dir_name: rows.map((r) => r.dirName),
      calls: rows.map((r) => r.calls),
      seconds: rows.map((r) => r.seconds),
      rounded: rows.map((r) => r.rounded),
      cost: rows.map((r) => money(r.cost)),
    };
  },
);

const CALL_CELLS = [
  L.int('call_id', at),
  L.str('calling', at),
  L.str('called', at),
  L.int('start_time', at),
  L.int('duration', at),
  L.int('rounded', at),
  L.double('cost', at),
  L.int('zone_id', at),
  L.str('zone_name', at),
  L.int('zone_type', at),
];

export const telCallDetails = defineFunction(
  'rpcf_tel_call_details',
  0x60000092,
  {
    comment:
      "UTM5-TS extension: an invoice's call details: the calls started in [time_start, time_end) of the " +
      'user/account/group (0: any), grouped by account, by zone type, start and id. zone_type: ' +
      `${ZONE_TYPE.LOCAL} local, ${ZONE_TYPE.INNERZONE} innerzone, ${ZONE_TYPE.INTERCITY} intercity, ` +
      `${ZONE_TYPE.INTERNATIONAL} international (-1 in the rows: in no zone); the input zone_type -1 lists every call. ` +
      'duration as reported, rounded as charged (s); cost in currency units, unrounded',
    input: [...filters, L.int('zone_type', { default: '-1' })],
    output: groupedOutput('i', 'j', [L.int('account_id', at), ...CALL_CELLS]),
    docs: { zone_type: '-1 every call, else 0..3', time_start: 'from (unix time, included)', apid: 'not used' },
  },
  async (call, ctx) => {
    const a = call.args;
    const g = grouped(
      (await ctx.telephony.reports.details(accountScope(a), timeSpan(a), a.int('zone_type'))).sort(
        (x, y) => x.accountId - y.accountId,
      ),
    );
    return {
      accounts_count: g.length,
      atr_size_array: g.map((x) => x.length),
      account_id: cols(g, 'accountId'),
      call_id: cols(g, 'callId'),
      calling: cols(g, 'calling', String),
      called: cols(g, 'called', String),
      start_time: cols(g, 'start'),
      duration: cols(g, 'duration'),
      rounded: cols(g, 'rounded'),
      cost: cols(g, 'cost', (v) => money(Number(v))),
      zone_id: cols(g, 'zoneId'),
      zone_name: cols(g, 'zoneName', String),
      zone_type: cols(g, 'zoneType'),
    };
  },
);
