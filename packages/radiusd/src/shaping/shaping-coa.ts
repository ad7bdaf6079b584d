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

  constructor(private readonly state: RadiusState, private readonly sessions: SessionTable, private readonly dae: DaeClient, private readonly log: Logger) {}

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
    for (const s of this.sessions.all()) {
      const t = todo.get(s.slinkId);
      if (t) this.tell(s, t.before, t.after);
    }
  }

  private tell(s: OpenSession, before: ShapingWire | undefined, after: ShapingWire | undefined): void {
    const nas = this.state.nas.get(s.key.slice(0, s.key.indexOf('|')));
    if (!nas) return;
    if (!nas.coa) {
      this.log.debug(`shaping of link ${s.slinkId} changed; session ${s.key} not told: NAS ${nas.name} does not take CoA (flags)`);
      return;
    }
    const view = after ?? { ...before!, inKbit: 0, outKbit: 0 };
    const attrs = shapingReplyAttrs(view).map(replyAttrInput);
    if (attrs.length === 0) return; // the service has no shaping attributes: nothing a NAS could apply
    const why = after ? `bandwidth in ${kbit(after.inKbit)}, out ${kbit(after.outKbit)}` : 'bandwidth limit removed';
    this.dae.coa(nas, s, attrs, why).catch((err) => this.log.error(`CoA-Request for session ${s.key} not sent: ${errorLine(err)}`));
  }
}
