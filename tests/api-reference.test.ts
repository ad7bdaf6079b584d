import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_FUNCTIONS } from '@utm5/core';
import type { LayoutNode } from '@utm5/protocol';
import { parseApiXml } from '@utm5/urfaclient';
import { ROOT } from './helpers/paths';

// NetUP's api.xml (UTM5 5.3) lives beside the project in shared/reference, not in it; CI, which clones only the
// project, skips this check, every developer machine runs it.
const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'urfa-api-5.3.xml');

/** What travels on the wire: scalar types and names in order, loops and conditions as structure. */
function wire(nodes: readonly LayoutNode[]): string {
  return nodes
    .map((n) => {
      switch (n.tag) {
        case 'for':
          return `for[${wire(n.body)}]`;
        case 'if': {
          const body = wire(n.body);
          return body ? `if(${n.variable} ${n.condition} ${n.value})[${body}]` : '';
        }
        case 'set':
        case 'break':
        case 'error':
          return '';
        default:
          return `${n.tag}:${n.name}`;
      }
    })
    .filter(Boolean)
    .join(' ');
}

test(
  'functions UTM5 also has keep its id, name and wire layout',
  { skip: existsSync(REFERENCE) ? false : 'shared/reference is not beside this checkout' },
  () => {
    const ref = parseApiXml(readFileSync(REFERENCE, 'utf8'), REFERENCE);
    // NetUP's file has a few ids twice (an old and a _new variant): match by name first, then by id.
    const byId = new Map([...ref.values()].map((f) => [f.id, f]));
    let compared = 0;
    for (const f of ALL_FUNCTIONS) {
      const r = ref.get(f.schema.name) ?? byId.get(f.schema.id);
      if (!r) {
        assert.ok(
          f.schema.id >= 0x60000000 && f.schema.id <= 0x6fffffff,
          `${f.schema.name} (${f.schema.id}) is neither a UTM5 function nor in the extension range`,
        );
        continue;
      }
      compared++;
      assert.equal(f.schema.name, r.name, `name of ${f.schema.id}`);
      assert.equal(f.schema.id, r.id, `id of ${r.name}`);
      assert.equal(wire(f.schema.input), wire(r.input), `${r.name} input`);
      assert.equal(wire(f.schema.output), wire(r.output), `${r.name} output`);
    }
    assert.ok(compared >= 15, `${compared} functions compared`);
  },
);
