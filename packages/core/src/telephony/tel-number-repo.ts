import type { SecretBox } from '@utm5/common';
import type { Knex } from '@utm5/db';
import { BillingError, badInput as bad } from '../billing/billing-error';
import { ServiceType } from '../tariffication/model';
import type { TelNumber } from './model';

type K = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

/** A number of a telephony link as rpcf_add_tel_service_link carries it (password in clear). */
export interface TelNumberDef {
  readonly login: string;
  readonly number: string;
  readonly incomingTrunk: string;
  readonly outgoingTrunk: string;
  readonly pbxId: string;
  readonly password: string;
  readonly allowedCid: string;
}

/** What identifies a number among live links: the number with its trunks and PBX id. */
export type NumberKey = Pick<TelNumberDef, 'number' | 'incomingTrunk' | 'outgoingTrunk' | 'pbxId'>;

function toNumber(r: Row): TelNumber & { password: string } {
  return {
    id: Number(r['id']),
    slinkId: Number(r['slink_id']),
    login: String(r['login']),
    number: String(r['number']),
    incomingTrunk: String(r['incoming_trunk']),
    outgoingTrunk: String(r['outgoing_trunk']),
    pbxId: String(r['pbx_id']),
    allowedCid: String(r['allowed_cid']),
    password: String(r['password']),
  };
}

/** tel_numbers joined to the live telephony links: numbers of removed links are not in use. */
function live(k: K) {
  return k('tel_numbers')
    .join('service_links', 'service_links.id', 'tel_numbers.slink_id')
    .join('services', 'services.id', 'service_links.service_id')
    .where({ 'service_links.is_deleted': false, 'services.service_type': ServiceType.TELEPHONY });
}

const FIELDS: readonly [keyof TelNumberDef, string, number][] = [
  ['login', 'login', 255],
  ['number', 'number', 64],
  ['incomingTrunk', 'incoming_trunk', 128],
  ['outgoingTrunk', 'outgoing_trunk', 128],
  ['pbxId', 'pbx_id', 128],
  ['allowedCid', 'allowed_cid', 255],
];

function check(where: string, n: TelNumberDef, i: number): void {
  const w = `${where}, number ${i} ('${n.number}')`;
  if (!n.login && !n.number) throw bad(`${where}, number ${i}: needs a login or a number (or both)`);
  for (const [key, field, max] of FIELDS) {
    const v = n[key];
    if (v.length > max) throw bad(`${w}: ${field} is longer than ${max} characters`);
    if (key !== 'allowedCid' && /\s/.test(v)) throw bad(`${w}: ${field} '${v}' must not contain spaces`);
  }
  if (n.number.slice(0, -1).includes('#'))
    throw bad(`${w}: '#' may only end a number (a tech prefix: 'P#' takes called numbers starting with P)`);
  if (n.number === '#') throw bad(`${w}: a tech prefix needs digits before '#'`);
  if (n.allowedCid) {
    try {
      new RegExp(n.allowedCid);
    } catch {
      throw bad(`${w}: allowed_cid '${n.allowedCid}' is not a regular expression`);
    }
  }
}

const sameKey = (a: NumberKey, b: NumberKey) =>
  a.number === b.number &&
  a.incomingTrunk === b.incomingTrunk &&
  a.outgoingTrunk === b.outgoingTrunk &&
  a.pbxId === b.pbxId;

/** The numbers of telephony service links; passwords sealed ('' = none). */
export const telNumberRepo = {
  /** The live telephony link other than `exceptSlink` that has this number with these trunks and PBX id. */
  async numberOwner(k: K, n: NumberKey, exceptSlink: number): Promise<number | undefined> {
    if (!n.number) return undefined;
    const r = await live(k)
      .where({
        'tel_numbers.number': n.number,
        'tel_numbers.incoming_trunk': n.incomingTrunk,
        'tel_numbers.outgoing_trunk': n.outgoingTrunk,
        'tel_numbers.pbx_id': n.pbxId,
      })
      .whereNot('tel_numbers.slink_id', exceptSlink)
      .first('tel_numbers.slink_id as s');
    return r ? Number(r.s) : undefined;
  },

  /** The live telephony link other than `exceptSlink` that has this login. */
  async loginOwner(k: K, login: string, exceptSlink: number): Promise<number | undefined> {
    if (!login) return undefined;
    const r = await live(k)
      .where({ 'tel_numbers.login': login })
      .whereNot('tel_numbers.slink_id', exceptSlink)
      .first('tel_numbers.slink_id as s');
    return r ? Number(r.s) : undefined;
  },

  /**
   * Replaces the numbers of link `slinkId`. A number (with its trunks and PBX id) or a login of another live
   * telephony link is refused: a call must belong to one link.
   */
  async replace(
    trx: Knex.Transaction,
    secrets: SecretBox,
    slinkId: number,
    nums: readonly TelNumberDef[],
  ): Promise<void> {
    const where = `telephony link ${slinkId}`;
    for (const [i, n] of nums.entries()) {
      check(where, n, i);
      // A login-only entry (no number) has no twin to look for.
      const twin = n.number === '' ? i : nums.findIndex((m) => sameKey(m, n));
      if (twin !== i)
        throw bad(`${where}: number '${n.number}' (with the same trunks and PBX id) is given twice (${twin} and ${i})`);
      const owner = await this.numberOwner(trx, n, slinkId);
      if (owner !== undefined)
        throw new BillingError(
          'UTM_IN_USE',
          `${where}: number '${n.number}' (trunks '${n.incomingTrunk}'/'${n.outgoingTrunk}', PBX '${n.pbxId}') belongs to service link ${owner}`,
        );
      const lo = await this.loginOwner(trx, n.login, slinkId);
      if (lo !== undefined)
        throw new BillingError('UTM_IN_USE', `${where}: login '${n.login}' belongs to service link ${lo}`);
    }
    await trx('tel_numbers').where({ slink_id: slinkId }).delete();
    for (const n of nums)
      await trx('tel_numbers').insert({
        slink_id: slinkId,
        login: n.login,
        number: n.number,
        incoming_trunk: n.incomingTrunk,
        outgoing_trunk: n.outgoingTrunk,
        pbx_id: n.pbxId,
        password: n.password ? secrets.seal(n.password) : '',
        allowed_cid: n.allowedCid,
      });
  },

  /** A link's numbers in the order written, passwords still sealed. */
  async ofLink(k: K, slinkId: number): Promise<(TelNumber & { password: string })[]> {
    return ((await k('tel_numbers').where({ slink_id: slinkId }).orderBy('id')) as Row[]).map(toNumber);
  },

  /** The numbers of every live telephony link, passwords still sealed. */
  async all(k: K): Promise<(TelNumber & { password: string })[]> {
    return ((await live(k).orderBy('tel_numbers.id').select('tel_numbers.*')) as Row[]).map(toNumber);
  },
};
