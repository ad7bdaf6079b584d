import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chainsThrough,
  cycleChains,
  cyclicComponents,
  formatChain,
  packagesImportGraph,
  specifiers,
} from './helpers/import-graph';
import { ROOT } from './helpers/paths';

test('the cycle finder: every component with a cycle, each listed as chains through all of its files', () => {
  const graph = new Map<string, string[]>([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts', 'd.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['e.ts']],
    ['e.ts', []],
    ['f.ts', ['f.ts']],
    ['g.ts', ['h.ts', 'a.ts']],
    ['h.ts', ['g.ts']],
  ]);
  assert.deepEqual(cyclicComponents(graph), [['a.ts', 'b.ts', 'c.ts'], ['g.ts', 'h.ts'], ['f.ts']]);
  assert.deepEqual(cycleChains(graph).map(formatChain), [
    'a.ts -> b.ts -> c.ts -> a.ts',
    'g.ts -> h.ts -> g.ts',
    'f.ts -> f.ts',
  ]);
  // A figure eight: one chain cannot pass through both loops, so each gets its own.
  const eight = new Map([
    ['x.ts', ['y.ts', 'z.ts']],
    ['y.ts', ['x.ts']],
    ['z.ts', ['x.ts']],
  ]);
  assert.deepEqual(cycleChains(eight).map(formatChain), ['x.ts -> y.ts -> x.ts', 'z.ts -> x.ts -> z.ts']);
  const acyclic = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', []],
  ]);
  assert.deepEqual(cyclicComponents(acyclic), []);
});

test('the specifier parser sees type imports, re-exports, import() and require(), and no comments or strings', () => {
  const text = [
    "import { a } from './a';",
    "import type { B } from './b';",
    "export * from './c';",
    "export type { D } from './d';",
    "import e = require('./e');",
    "const f = () => import('./f');",
    "let g: import('./g').G;",
    "const h = require('./h');",
    "// import { x } from './comment';",
    `const s = "import('./string')";`,
  ].join('\n');
  assert.deepEqual(specifiers('t.ts', text), ['./a', './b', './c', './d', './e', './f', './g', './h']);
});

test('no import cycles in packages/*/src, type imports included', () => {
  const graph = packagesImportGraph(ROOT);
  assert.ok(graph.size > 100, `only ${graph.size} files found under packages/*/src`);
  const report = cyclicComponents(graph).map((c) => {
    const chains = chainsThrough(graph, c).map((chain) => '  ' + formatChain(chain));
    return `${c.length} files:\n${chains.join('\n')}`;
  });
  assert.equal(
    report.length,
    0,
    `${report.length} group(s) of files import each other in a circle; break one import in each chain:\n` +
      report.join('\n'),
  );
});
