import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/** A directed graph of files: each file to the files it imports. */
export type Graph = ReadonlyMap<string, readonly string[]>;

/**
 * Every module specifier a TypeScript file names: import and export-from declarations (`import type` and
 * `export type` included, since a cycle of types alone still ties the files together for tsc and for a reader),
 * `import x = require()`, dynamic `import()` and `require()` calls, and `import('...')` type references.
 * The file is parsed, not scanned, so a specifier in a comment or a string does not count.
 */
export function specifiers(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const literal = (n: ts.Node | undefined): void => {
    if (n && ts.isStringLiteralLike(n)) out.push(n.text);
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) literal(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) {
      literal(n.moduleReference.expression);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) literal(n.argument.literal);
    else if (ts.isCallExpression(n)) {
      const callee = n.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if ((isImport || isRequire) && n.arguments.length >= 1) literal(n.arguments[0]);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `./x` -> x.ts or x/index.ts; Node16-style `./x.js` -> x.ts. */
function resolveFile(base: string): string | undefined {
  const stem = base.replace(/\.js$/, '');
  for (const c of [stem + '.ts', join(stem, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

/** An exports-map target (`./dist/testing/index.js` or its `.d.ts`) -> the source it is built from. */
function sourceOfTarget(pkgDir: string, target: string): string | undefined {
  const src = target.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$|\.js$/, '');
  return resolveFile(join(pkgDir, src));
}

interface Manifest {
  name?: string;
  exports?: unknown;
}

function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const e = entry as Record<string, unknown>;
    for (const key of ['types', 'default', 'require', 'import']) {
      const t = exportTarget(e[key]);
      if (t) return t;
    }
  }
  return undefined;
}

/**
 * The import graph of packages/*\/src under root, with repository-relative paths (forward slashes). Relative
 * specifiers resolve to files; `@utm5/<pkg>[/<sub>]` resolves through that package's exports map to its source.
 * Anything else (node:*, npm packages) is not part of the graph.
 */
export function packagesImportGraph(root: string): Graph {
  const packagesDir = join(root, 'packages');
  const exportsOf = new Map<string, Record<string, unknown>>();
  const files: string[] = [];
  for (const pkg of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, pkg);
    if (!existsSync(join(dir, 'src'))) continue;
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const exp = manifest.exports;
    exportsOf.set(
      manifest.name ?? `@utm5/${pkg}`,
      typeof exp === 'object' && exp !== null && !Array.isArray(exp) ? (exp as Record<string, unknown>) : { '.': exp },
    );
    tsFiles(join(dir, 'src'), files);
  }
  const pkgDirOf = (name: string): string => join(packagesDir, name.slice('@utm5/'.length));
  const resolve = (from: string, spec: string): string | undefined => {
    if (spec.startsWith('./') || spec.startsWith('../')) return resolveFile(join(dirname(from), spec));
    const m = /^(@utm5\/[^/]+)(\/.*)?$/.exec(spec);
    if (!m) return undefined;
    const exp = exportsOf.get(m[1]!);
    if (!exp) return undefined;
    const target = exportTarget(exp['.' + (m[2] ?? '')]);
    if (target) return sourceOfTarget(pkgDirOf(m[1]!), target);
    return m[2] ? undefined : resolveFile(join(pkgDirOf(m[1]!), 'src', 'index'));
  };
  const rel = (p: string): string => relative(root, p).split(sep).join('/');
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const spec of specifiers(file, readFileSync(file, 'utf8'))) {
      const t = resolve(file, spec);
      if (t) targets.add(rel(t));
    }
    graph.set(rel(file), [...targets].sort());
  }
  return graph;
}

/**
 * Tarjan's strongly connected components that hold a cycle: two or more files, or one file that imports itself.
 * Iterative, so a long chain of imports cannot overflow the stack.
 */
export function cyclicComponents(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let next = 0;
  const edges = (v: string): readonly string[] => graph.get(v) ?? [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { v: string; i: number }[] = [{ v: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const ws = edges(frame.v);
      if (frame.i < ws.length) {
        const w = ws[frame.i++]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) !== index.get(frame.v)) continue;
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== frame.v);
      if (scc.length > 1 || edges(frame.v).includes(frame.v)) out.push(scc.sort());
    }
  }
  return out.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

/** The shortest chain from `from` back to itself through `members` only (breadth-first), as [from, ..., from]. */
function shortestCycle(graph: Graph, from: string, members: ReadonlySet<string>): string[] {
  const prev = new Map<string, string>();
  const queue = [from];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k]!;
    for (const w of graph.get(v) ?? []) {
      if (w === from) {
        const path = [from];
        for (let u = v; u !== from; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, from];
      }
      if (!members.has(w) || prev.has(w)) continue;
      prev.set(w, v);
      queue.push(w);
    }
  }
  throw new Error(`${from} is on no cycle within its component`);
}

/**
 * Cycles that together pass through every file of one cyclic component: for each file not yet on a listed cycle,
 * the shortest cycle through it. Listing every elementary cycle instead could run to millions in a large
 * component; this list stays shorter than the component and still shows each file's way round.
 */
export function chainsThrough(graph: Graph, component: readonly string[]): string[][] {
  const members = new Set(component);
  const covered = new Set<string>();
  const chains: string[][] = [];
  for (const v of component) {
    if (covered.has(v)) continue;
    const chain = shortestCycle(graph, v, members);
    for (const u of chain) covered.add(u);
    chains.push(chain);
  }
  return chains;
}

/** chainsThrough() of every cyclic component, the largest component first. */
export function cycleChains(graph: Graph): string[][] {
  return cyclicComponents(graph).flatMap((c) => chainsThrough(graph, c));
}

export const formatChain = (chain: readonly string[]): string => chain.join(' -> ');
