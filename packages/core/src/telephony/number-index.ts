import type { CallRecord, TelNumber } from './model';

/** How a call was attributed to a link's number (rule 9 of the brief). */
export type NumberMatch =
  | { readonly kind: 'ani'; readonly entry: TelNumber }
  /** `called` is the called number stripped of the tech prefix (what the direction lookup reads). */
  | { readonly kind: 'prefix'; readonly entry: TelNumber; readonly called: string }
  | { readonly kind: 'login'; readonly entry: TelNumber }
  | { readonly kind: 'incoming'; readonly entry: TelNumber };

const TECH = '#';

/** An entry's trunks and PBX id, where set, must be the call's. */
function fits(e: TelNumber, r: CallRecord): boolean {
  return (
    (e.incomingTrunk === '' || e.incomingTrunk === r.incomingTrunk) &&
    (e.outgoingTrunk === '' || e.outgoingTrunk === r.outgoingTrunk) &&
    (e.pbxId === '' || e.pbxId === r.pbxId)
  );
}

function push<K>(m: Map<K, TelNumber[]>, k: K, e: TelNumber): void {
  (m.get(k) ?? m.set(k, []).get(k)!).push(e);
}

/**
 * The numbers of live telephony links indexed once per snapshot, so a call finds its link in a few map look-ups: by
 * calling number (ANI), by tech prefix of the called number (longest first), by login, by called number (incoming).
 * Among entries that fit equally the one of lowest id wins.
 */
export class NumberIndex {
  private readonly byNumber = new Map<string, TelNumber[]>();
  private readonly byLogin = new Map<string, TelNumber[]>();
  private readonly byPrefix = new Map<string, TelNumber[]>();
  /** The distinct tech prefix lengths, longest first. */
  private readonly prefixLengths: number[];

  constructor(numbers: readonly TelNumber[]) {
    const sorted = [...numbers].sort((a, b) => a.id - b.id);
    const lengths = new Set<number>();
    for (const e of sorted) {
      if (e.number.endsWith(TECH)) {
        const p = e.number.slice(0, -1);
        if (p === '') continue;
        push(this.byPrefix, p, e);
        lengths.add(p.length);
      } else if (e.number !== '') push(this.byNumber, e.number, e);
      if (e.login !== '') push(this.byLogin, e.login, e);
    }
    this.prefixLengths = [...lengths].sort((a, b) => b - a);
  }

  /** The entry a call belongs to, trying ANI, tech prefix, login, then the called number; undefined: none. */
  find(r: CallRecord): NumberMatch | undefined {
    const ani = r.calling === '' ? undefined : this.byNumber.get(r.calling)?.find((e) => fits(e, r));
    if (ani) return { kind: 'ani', entry: ani };
    for (const len of this.prefixLengths) {
      if (r.called.length < len) continue;
      const p = r.called.slice(0, len);
      const e = this.byPrefix.get(p)?.find((x) => fits(x, r));
      if (!e) continue;
      const rest = r.called.slice(len);
      return { kind: 'prefix', entry: e, called: rest.startsWith(TECH) ? rest.slice(1) : rest };
    }
    const login = r.login === '' ? undefined : this.byLogin.get(r.login)?.[0];
    if (login) return { kind: 'login', entry: login };
    const incoming = r.called === '' ? undefined : this.byNumber.get(r.called)?.[0];
    if (incoming) return { kind: 'incoming', entry: incoming };
    return undefined;
  }
}
