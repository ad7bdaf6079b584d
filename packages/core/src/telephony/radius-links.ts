import type { TelLink, TelNumber } from './model';
import type { TelSnapshot } from './snapshot';

/** The live telephony link a RADIUS login names, with its number entries carrying that login. */
export interface LoginLink {
  readonly link: TelLink;
  /** The link's entries with the login (the ones whose passwords may let it in). */
  readonly entries: readonly TelNumber[];
  /** Every number of the link (for xpgk-ep-number / h323-ivr-in). */
  readonly numbers: readonly string[];
}

/**
 * The manual: the RADIUS server "searches for the telephony service link which is identified by the login in its
 * properties". Logins compare case-insensitively, as utm5_radius lower-cases them. When several live links carry
 * the login (a configuration mistake), the lowest link id wins, so the answer does not change between reloads.
 */
export function linkByLogin(snap: TelSnapshot, login: string): LoginLink | undefined {
  const want = login.toLowerCase();
  if (want === '') return undefined;
  let best: TelLink | undefined;
  for (const n of snap.numbers) {
    if (n.login.toLowerCase() !== want) continue;
    const l = snap.links.get(n.slinkId);
    if (l && (!best || l.slinkId < best.slinkId)) best = l;
  }
  if (!best) return undefined;
  const id = best.slinkId;
  const ofLink = snap.numbers.filter((n) => n.slinkId === id);
  return {
    link: best,
    entries: ofLink.filter((n) => n.login.toLowerCase() === want),
    numbers: ofLink.map((n) => n.number).filter((n) => n !== ''),
  };
}

/**
 * The called number as the direction lookup sees it: stripped of the link's longest tech prefix (a number ending in
 * '#') it begins with, with or without the '#' (rule 9 (b)).
 */
export function strippedCalled(entries: readonly TelNumber[], called: string): string {
  let best = '';
  for (const n of entries) {
    if (!n.number.endsWith('#')) continue;
    const p = n.number.slice(0, -1);
    if (p.length <= best.length) continue;
    if (called.startsWith(`${p}#`) || called.startsWith(p)) best = p;
  }
  if (best === '') return called;
  return called.startsWith(`${best}#`) ? called.slice(best.length + 1) : called.slice(best.length);
}
