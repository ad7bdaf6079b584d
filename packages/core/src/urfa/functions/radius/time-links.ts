import { L, type CallArgs, type LayoutNode } from '@utm5/protocol';
import { actorOf, defineFunction, guarded, type CoreFunction, type HandlerContext } from '../../core-function';
import type { DialupLinkDef } from '../../../radius/catalog';
import { ServiceType, serviceTypeName } from '../../../tariffication/model';
import { coef, coefE6, engine } from '../tariffication/common';
import { radius } from './common';

/** The link part of rpcf_add_dialup_service_link_ex and rpcf_add_hotspot_slink_ex, before their login fields. */
const LINK_INPUT: LayoutNode[] = [
  L.int('user_id'),
  L.int('account_id'),
  L.int('service_id'),
  L.int('tariff_link_id', { default: '0' }),
  L.int('discount_period_id'),
  L.int('start_date', { default: 'now()' }),
  L.int('expire_date', { default: 'max_time()' }),
  L.int('policy_id'),
  L.int('unabon', { default: '0' }),
  L.double('cost_coef', { default: '1.0' }),
  L.int('house_id', { default: '0' }),
  L.str('comment', { default: '' }),
];

const ADD_COMMENT =
  "user_id is taken from the account; policy_id 0: the service's policy; the login gets the service's login_prefix " +
  "before it, is kept lower-cased, must be unique among links in force and has no ':'; an account may have one link of a service " +
  'with is_dynamic; slink_id 0: refused (the core log says why)';

/** Links a dial-up or hotspot service with its login; a refused login leaves no link. */
async function addTimeLink(
  ctx: HandlerContext,
  call: Parameters<CoreFunction['handler']>[0],
  type: number,
  login: DialupLinkDef,
): Promise<number> {
  const a: CallArgs = call.args;
  const serviceId = a.int('service_id');
  return guarded(
    ctx,
    call,
    `link ${serviceTypeName(type)} service ${serviceId} to account ${a.int('account_id')}`,
    () =>
      ctx.radius.addTimeLink(
        actorOf(call),
        {
          accountId: a.int('account_id'),
          serviceId,
          tariffLinkId: a.int('tariff_link_id'),
          periodId: a.int('discount_period_id'),
          startDate: a.int('start_date'),
          expireDate: a.int('expire_date'),
          policyId: a.int('policy_id'),
          houseId: a.int('house_id'),
          comment: a.str('comment'),
          unabon: a.int('unabon') !== 0,
          costCoefE6: coefE6(a.double('cost_coef')),
        },
        type,
        login,
      ),
    () => 0,
  );
}

export const addDialupServiceLinkEx = defineFunction(
  'rpcf_add_dialup_service_link_ex',
  0x2944,
  {
    comment:
      `links a dial-up service to an account with the login and password utm5_radius authenticates; dialup_allowed_cid / ` +
      `dialup_allowed_csid: regular expressions the Calling-/Called-Station-Id must match (empty: any); callback_enabled 1: the login ` +
      `may ask for a callback; ${ADD_COMMENT}`,
    input: [
      ...LINK_INPUT,
      L.str('dialup_login'),
      L.str('dialup_password', { default: '' }),
      L.str('dialup_allowed_cid', { default: '' }),
      L.str('dialup_allowed_csid', { default: '' }),
      L.int('callback_enabled', { default: '0' }),
    ],
    output: [L.int('slink_id')],
    docs: {
      dialup_allowed_cid: 'regular expression for Calling-Station-Id (empty: any)',
      callback_enabled: '1: callback allowed',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    return {
      slink_id: await addTimeLink(ctx, call, ServiceType.DIALUP, {
        login: a.str('dialup_login'),
        password: a.str('dialup_password'),
        allowedCid: a.str('dialup_allowed_cid'),
        allowedCsid: a.str('dialup_allowed_csid'),
        callbackAllowed: a.int('callback_enabled') !== 0,
      }),
    };
  },
);

export const addHotspotSlinkEx = defineFunction(
  'rpcf_add_hotspot_slink_ex',
  0x2943,
  {
    comment: `links a hotspot service to an account with the login and password utm5_radius authenticates; ${ADD_COMMENT}`,
    input: [...LINK_INPUT, L.str('hotspot_login'), L.str('hotspot_password')],
    output: [L.int('slink_id')],
  },
  async (call, ctx) => ({
    slink_id: await addTimeLink(ctx, call, ServiceType.HOTSPOT, {
      login: call.args.str('hotspot_login'),
      password: call.args.str('hotspot_password'),
    }),
  }),
);

/** What both get functions answer: the link, the account's block, the login and the service's plan and parent. */
async function timeLinkView(ctx: HandlerContext, slinkId: number, type: number) {
  const l = await radius(ctx).serviceLink(slinkId);
  const svc = l && (await engine(ctx).catalog.service(l.serviceId));
  const d = l && (await radius(ctx).dialupLink(l.id));
  if (!l || !svc || svc.type !== type || !d) throw new Error(`no ${serviceTypeName(type)} service link ${slinkId}`);
  const acc = await ctx.billing.accounts.require(l.accountId);
  return {
    tariff_link_id: l.tariffLinkId,
    is_blocked: acc.blockType,
    discount_period_id: l.periodId,
    start_date: l.startDate,
    expire_date: l.expireDate,
    policy_id: l.policyId,
    cost_coef: coef(l.costCoefE6),
    house_id: l.houseId,
    comment: l.comment,
    login: d.login,
    password: d.password,
    allowed_cid: d.allowedCid,
    allowed_csid: d.allowedCsid,
    callback_enabled: d.callbackAllowed ? 1 : 0,
    is_unabon_period: l.unabon ? 1 : 0,
    is_unprepay_period: 0,
    tariff_id: svc.tariffId,
    parent_id: svc.parentId,
  };
}

const GET_COMMENT =
  "is_blocked: the account's block type (0 none); is_unprepay_period is always 0; an unknown slink_id ends the call without data";
const LINK_HEAD = [
  L.int('tariff_link_id'),
  L.int('is_blocked'),
  L.int('discount_period_id'),
  L.int('start_date'),
  L.int('expire_date'),
  L.int('policy_id'),
  L.double('cost_coef'),
  L.int('house_id'),
  L.str('comment'),
  L.str('login'),
  L.str('password'),
];
const LINK_TAIL = [L.int('is_unabon_period'), L.int('is_unprepay_period'), L.int('tariff_id'), L.int('parent_id')];

export const getDialupServiceLink = defineFunction(
  'rpcf_get_dialup_service_link',
  0x272d,
  {
    comment: GET_COMMENT,
    input: [L.int('slink_id')],
    output: [...LINK_HEAD, L.str('allowed_cid'), L.str('allowed_csid'), L.int('callback_enabled'), ...LINK_TAIL],
  },
  async (call, ctx) => timeLinkView(ctx, call.args.int('slink_id'), ServiceType.DIALUP),
);

export const getHotspotServiceLink = defineFunction(
  'rpcf_get_hotspot_service_link',
  0x272c,
  {
    comment: GET_COMMENT,
    input: [L.int('slink_id')],
    output: [...LINK_HEAD, ...LINK_TAIL],
  },
  async (call, ctx) => timeLinkView(ctx, call.args.int('slink_id'), ServiceType.HOTSPOT),
);
