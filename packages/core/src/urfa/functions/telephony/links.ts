import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { actorOf, defineFunction, guarded } from '../../core-function';
import type { TelNumberDef, TelNumberView } from '../../../telephony/catalog';
import { ServiceType } from '../../../tariffication/model';
import { coef, coefE6 } from '../tariffication/common';
import { radius } from '../radius/common';
import { settled, tel } from './common';

const NUMBER_FIELDS = ['login', 'number', 'incoming_trunk', 'outgoing_trunk', 'pbx_id', 'password', 'allowed_cid'];
const numberLoop = (count: string): LayoutNode =>
  L.for(
    'i',
    '0',
    count,
    NUMBER_FIELDS.map((n) => L.str(n, { index: 'i' })),
  );

function numbers(a: CallArgs, count: string): TelNumberDef[] {
  return Array.from({ length: a.int(count) }, (_, i) => ({
    login: a.str('login', i),
    number: a.str('number', i),
    incomingTrunk: a.str('incoming_trunk', i),
    outgoingTrunk: a.str('outgoing_trunk', i),
    pbxId: a.str('pbx_id', i),
    password: a.str('password', i),
    allowedCid: a.str('allowed_cid', i),
  }));
}

function numberRows(ns: readonly TelNumberView[]) {
  return {
    login: ns.map((n) => n.login),
    number: ns.map((n) => n.number),
    incoming_trunk: ns.map((n) => n.incomingTrunk),
    outgoing_trunk: ns.map((n) => n.outgoingTrunk),
    pbx_id: ns.map((n) => n.pbxId),
    password: ns.map((n) => n.password),
    allowed_cid: ns.map((n) => n.allowedCid),
  };
}

const NUM_COMMENT =
  "numbers: a number is the calling number (ANI) of the link's calls (with incoming/outgoing trunk and PBX id when " +
  "given); a number ending in '#' is a tech prefix: called numbers starting with it are the link's, stripped of it; " +
  'login: the accounting code or RADIUS User-Name of its calls; a number (with the same trunks and PBX id) or a login ' +
  'of another telephony link in force is refused; password: for RADIUS (kept sealed)';

export const addTelServiceLink = defineFunction(
  'rpcf_add_tel_service_link',
  0x1033a,
  {
    comment: `links a telephony service to an account with its numbers; user_id is taken from the account; policy_id 0: the service's; ${NUM_COMMENT}; slink_id 0: refused (the core log says why)`,
    input: [
      L.int('user_id'),
      L.int('account_id'),
      L.int('service_id'),
      L.int('tplink_id'),
      L.int('discount_period_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('policy_id'),
      L.int('recalc_fee'),
      L.double('cost_coef', { default: '1.0' }),
      L.int('house_id', { default: '0' }),
      L.str('comment', { default: '' }),
      L.int('login_count'),
      numberLoop('login_count'),
    ],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => {
    const a = call.args;
    const serviceId = a.int('service_id');
    return {
      slink_id: await guarded(
        ctx,
        call,
        `link telephony service ${serviceId} to account ${a.int('account_id')}`,
        async () =>
          settled(
            ctx,
            await tel(ctx).addLink(
              actorOf(call),
              {
                accountId: a.int('account_id'),
                serviceId,
                tariffLinkId: a.int('tplink_id'),
                periodId: a.int('discount_period_id'),
                startDate: a.int('start_date'),
                expireDate: a.int('expire_date'),
                policyId: a.int('policy_id'),
                houseId: a.int('house_id'),
                comment: a.str('comment'),
                unabon: a.int('recalc_fee') !== 0,
                costCoefE6: coefE6(a.double('cost_coef')),
              },
              numbers(a, 'login_count'),
            ),
          ),
        () => 0,
      ),
    };
  },
);

export const editTelServiceLink = defineFunction(
  'rpcf_edit_tel_service_link',
  0x1033b,
  {
    comment: `the numbers replace the link's; ${NUM_COMMENT}; slinkId 0: refused (the core log says why)`,
    input: [
      L.int('slinkId'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('policy_id'),
      L.double('cost_coef'),
      L.int('house_id', { default: '0' }),
      L.str('comment', { default: '' }),
      L.int('loginCount'),
      numberLoop('loginCount'),
    ],
    output: [L.int('slinkId')],
  },
  async (call, ctx) => {
    const a = call.args;
    const id = a.int('slinkId');
    return {
      slinkId: await guarded(
        ctx,
        call,
        `edit telephony link ${id}`,
        async () => {
          await tel(ctx).editLink(
            actorOf(call),
            id,
            {
              startDate: a.int('start_date'),
              expireDate: a.int('expire_date'),
              policyId: a.int('policy_id'),
              costCoefE6: coefE6(a.double('cost_coef')),
              houseId: a.int('house_id'),
              comment: a.str('comment'),
            },
            numbers(a, 'loginCount'),
          );
          return settled(ctx, id);
        },
        () => 0,
      ),
    };
  },
);

export const getTelServiceLink = defineFunction(
  'rpcf_get_tel_service_link',
  0x1033c,
  {
    comment:
      'passwords are answered (as UTM5 does) so an edit can send the numbers back unchanged; an unknown slinkId ends the call without data',
    input: [L.int('slinkId')],
    output: [
      L.int('accounting_period_id'),
      L.int('start_date'),
      L.int('expire_date'),
      L.int('policy_id'),
      L.double('cost_coef'),
      L.int('house_id'),
      L.str('comment'),
      L.int('numSize'),
      numberLoop('numSize'),
      L.int('slinkId'),
    ],
  },
  async (call, ctx) => {
    const id = call.args.int('slinkId');
    const l = await radius(ctx).serviceLink(id);
    const svc = l && (await ctx.tariffication.catalog.service(l.serviceId));
    if (!l || svc?.type !== ServiceType.TELEPHONY) throw new Error(`no telephony service link ${id}`);
    const ns = await tel(ctx).linkNumbers(id);
    return {
      accounting_period_id: l.periodId,
      start_date: l.startDate,
      expire_date: l.expireDate,
      policy_id: l.policyId,
      cost_coef: coef(l.costCoefE6),
      house_id: l.houseId,
      comment: l.comment,
      numSize: ns.length,
      ...numberRows(ns),
      slinkId: id,
    };
  },
);

export const getTelNumberList = defineFunction(
  'rpcf_get_tel_number_list',
  0x10319,
  {
    comment:
      'the numbers of every telephony link in force; password is always empty (a list of every secret is no place for ' +
      "them: rpcf_get_tel_service_link answers one link's)",
    output: [
      L.int('count'),
      L.for('i', '0', 'count', [
        L.int('num_id', { index: 'i' }),
        L.int('slink_id', { index: 'i' }),
        ...NUMBER_FIELDS.map((n) => L.str(n, { index: 'i' })),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ns = await tel(ctx).numbers();
    return { count: ns.length, num_id: ns.map((n) => n.id), slink_id: ns.map((n) => n.slinkId), ...numberRows(ns) };
  },
);

export const isTelNumberUsed = defineFunction(
  'rpcf_is_tel_number_used',
  0x10311,
  {
    comment:
      'result 1: a telephony link in force other than slink_id (0: any) has the number with these trunks and PBX id, or the login (non-empty); 0 otherwise',
    input: [
      L.int('slink_id'),
      L.str('login'),
      L.str('incoming_trunk'),
      L.str('outgoing_trunk'),
      L.str('pbx_id'),
      L.str('number'),
    ],
    output: [L.int('result')],
  },
  async (call, ctx) => {
    const a = call.args;
    const used = await tel(ctx).isNumberUsed(a.int('slink_id'), a.str('login'), {
      number: a.str('number'),
      incomingTrunk: a.str('incoming_trunk'),
      outgoingTrunk: a.str('outgoing_trunk'),
      pbxId: a.str('pbx_id'),
    });
    return { result: used ? 1 : 0 };
  },
);
