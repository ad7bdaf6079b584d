import { errorLine, type Logger } from '@utm5/common';
import type { ShapingWire } from '@utm5/protocol';
import type { DaeClient } from '../server/dae-client';
import type { OpenSession, SessionTable } from '../server/sessions';
import type { RadiusState } from '../server/state';
import { replyAttrInput } from '../server/wire';
import { shapingReplyAttrs } from './shaping-attrs';

function same(a: ShapingWire | undefined, b: ShapingWire | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

const kbit = (k: number) => (k > 0 ? `${k} Kbit/s` : 'no limit');

/**
 * Dynashape on utm5_radius: when the core changes a link's bandwidth (a 'radius_shaping' snapshot or event), each
 * open session of the link on a NAS that takes CoA gets a CoA-Request with its identification and the service's
 * shaping attributes for the new bandwidth; when the link leaves shaping, the attributes for no limit (every
 * variable 0). Changes that arrive together (a snapshot, a burst of events) are sent after one pass over the sessions.
 */
export class ShapingCoa {
  /** Links changed since the last pass, with what they had before the first of those changes. */
  private changed = new Map<number, ShapingWire | undefined>();
  private pass: NodeJS.Immediate | undefined;
  /** The last real change per link: when, and what the link had before it (for sessions accepted just before). */
  private readonly recent = new Map<number, { atMs: number; before: ShapingWire | undefined }>();

  /**
   * `raceMs`: how long before its Accounting-Start a session's Access-Accept may have been (radius_ippool_acct_timeout):
   * a session starting that soon after its link's change may carry the attributes of before it.
   */
  constructor(
    private readonly state: RadiusState,
    private readonly sessions: SessionTable,
    private readonly dae: DaeClient,
    private readonly log: Logger,
    private readonly raceMs = 30_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /**
   * A session started (Accounting-Start). When its link's bandwidth changed within raceMs, its Access-Accept may
   * predate the change and the CoA pass may have run before the session existed: it gets the CoA now (a CoA with the
   * values in force is harmless when the Accept had them already).
   */
  sessionStarted(s: OpenSession): void {
    const r = this.recent.get(s.slinkId);
    if (!r) return;
    if (this.nowMs() - r.atMs > this.raceMs) {
      this.recent.delete(s.slinkId);
      return;
    }
    this.tell(s, r.before, this.state.shaping.get(s.slinkId));
  }

  /** A snapshot replaced what the links had (`before`). */
  snapshot(before: ReadonlyMap<number, ShapingWire>): void {
    for (const id of new Set([...before.keys(), ...this.state.shaping.keys()])) this.note(id, before.get(id));
  }

  /** One link changed; `before` is what it had. */
  linkChanged(slinkId: number, before: ShapingWire | undefined): void {
    this.note(slinkId, before);
  }

  private note(slinkId: number, before: ShapingWire | undefined): void {
    if (!this.changed.has(slinkId)) this.changed.set(slinkId, before);
    this.pass ??= setImmediate(() => this.send());
  }

  private send(): void {
    this.pass = undefined;
    const todo = new Map<number, { before: ShapingWire | undefined; after: ShapingWire | undefined }>();
    for (const [id, before] of this.changed) {
      const after = this.state.shaping.get(id);
      if (!same(before, after)) todo.set(id, { before, after });
    }
    this.changed = new Map();
    if (todo.size === 0) return;
    const now = this.nowMs();
    for (const [id, t] of todo) this.recent.set(id, { atMs: now, before: t.before });
    for (const [id, r] of this.recent) if (now - r.atMs > this.raceMs) this.recent.delete(id);
    for (const s of this.sessions.all()) {
      const t = todo.get(s.slinkId);
      if (t) this.tell(s, t.before, t.after);
    }
  }

  private tell(s: OpenSession, before: ShapingWire | undefined, after: ShapingWire | undefined): void {
    const nas = this.state.nas.get(s.key.slice(0, s.key.indexOf('|')));
    if (!nas) return;
    if (!nas.coa) {
      this.log.debug(
        `shaping of link ${s.slinkId} changed; session ${s.key} not told: NAS ${nas.name} does not take CoA (flags)`,
      );
      return;
    }
    const view = after ?? { ...before!, inKbit: 0, outKbit: 0 };
    const attrs = shapingReplyAttrs(view).map(replyAttrInput);
    if (attrs.length === 0) return; // the service has no shaping attributes: nothing a NAS could apply
    const why = after ? `bandwidth in ${kbit(after.inKbit)}, out ${kbit(after.outKbit)}` : 'bandwidth limit removed';
    this.dae
      .coa(nas, s, attrs, why)
      .catch((err) => this.log.error(`CoA-Request for session ${s.key} not sent: ${errorLine(err)}`));
  }
}
