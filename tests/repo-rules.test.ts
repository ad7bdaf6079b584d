import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UTM5_TS_VERSION } from '@utm5/common';
import { ROOT } from './helpers/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { generatedFiles } = require(join(ROOT, 'scripts', 'generated-files.js')) as {
  generatedFiles: () => { path: string; content: string }[];
};

/** STYLE.md rule 1: which @utm5 packages each package may import. */
const ALLOWED: Record<string, readonly string[]> = {
  // The address helpers: a node-only leaf below the codecs, so every package may use the one parser.
  inet: [],
  common: ['inet'],
  protocol: ['inet'],
  netflow: ['inet'],
  radius: ['inet'],
  dhcp: ['inet'],
  // Rendering is a library the core drives; it knows no billing.
  documents: ['common'],
  db: ['common'],
  core: ['common', 'db', 'protocol', 'netflow', 'inet', 'documents'],
  radiusd: ['common', 'protocol', 'radius', 'inet'],
  rfw: ['common', 'protocol', 'inet'],
  collector: ['common', 'protocol', 'netflow', 'inet'],
  // The telephony case sets its reference data up over URFA, as a sysadmin's script would.
  testcase: ['common', 'db', 'core', 'urfaclient'],
  // utm5_dhcp answers from the tables the core pushes over Stream, never from the database.
  dhcpd: ['common', 'protocol', 'dhcp', 'inet'],
  urfaclient: ['common', 'protocol'],
  tools: ['common', 'protocol', 'netflow', 'radius', 'urfaclient', 'inet'],
  // db_archiver and utm5_verify read utm5.cfg by the core's own declaration and work on the database;
  // utm5_security_check reads every program's config by that program's declaration (so its defaults count).
  dbtools: ['common', 'db', 'core', 'protocol', 'radiusd', 'rfw', 'collector', 'tools', 'urfaclient'],
};
/** Packages that may import no npm package, only node:* and the @utm5 packages their entry above allows. */
const NODE_ONLY = new Set(['inet', 'protocol', 'netflow', 'radius', 'dhcp']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)['"]([^'"]+)['"]/g)) out.push(m[1]!);
  return out;
}

test('packages import only what the dependency direction allows, and declare their npm dependencies', () => {
  const problems: string[] = [];
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    if (!existsSync(src)) continue;
    const allowed = ALLOWED[pkg];
    if (!allowed) {
      problems.push(`packages/${pkg} has no entry in the dependency rules (tests/repo-rules.test.ts)`);
      continue;
    }
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8'));
    const declared = new Set(Object.keys(manifest.dependencies ?? {}));
    const devDeclared = new Set(Object.keys(manifest.devDependencies ?? {}));
    // `tsc -b` builds a package after the ones its tsconfig references: an unreferenced import builds by luck of order.
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'tsconfig.json'), 'utf8')) as {
      references?: { path: string }[];
    };
    const referenced = new Set(
      (tsconfig.references ?? []).map((r) => r.path.replace(/^\.\.\//, '').replace(/\/$/, '')),
    );
    const reported = new Set<string>();
    for (const file of sources(src)) {
      const isTest = /\.test\.ts$|[/\\]testing[/\\]/.test(file);
      for (const spec of imports(file)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const rel = file.slice(ROOT.length + 1);
        if (spec.startsWith('@utm5/')) {
          const target = spec.split('/')[1]!;
          if (target !== pkg && !allowed.includes(target) && !isTest) problems.push(`${rel} imports ${spec}`);
          if (target === pkg || reported.has(target)) continue;
          const name = `@utm5/${target}`;
          if (!declared.has(name) && !(isTest && devDeclared.has(name))) {
            problems.push(
              `packages/${pkg} imports ${name} (${rel}), not in packages/${pkg}/package.json ${isTest ? 'devDependencies' : 'dependencies'}`,
            );
            reported.add(target);
          }
          if (!referenced.has(target)) {
            problems.push(`packages/${pkg} imports ${name} (${rel}), not in packages/${pkg}/tsconfig.json references`);
            reported.add(target);
          }
          continue;
        }
        if (NODE_ONLY.has(pkg) && !isTest) {
          problems.push(`${rel} imports ${spec}, but ${pkg} may import only node:*`);
          continue;
        }
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!declared.has(name) && !isTest)
          problems.push(`${rel} imports ${name}, not in packages/${pkg}/package.json`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

/** STYLE.md rules 5-6: every error code a package raises is declared, with its meaning, in a catalogue. */
test('every UTM_* error code used in packages/*/src is declared in the catalogue of its package or of one it imports', () => {
  const catalogues = new Map<string, Set<string>>();
  const used = new Map<string, { code: string; rel: string }[]>();
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    const src = join(ROOT, 'packages', pkg, 'src');
    if (!existsSync(src)) continue;
    const declared = new Set<string>();
    catalogues.set(pkg, declared);
    const uses: { code: string; rel: string }[] = [];
    used.set(pkg, uses);
    for (const file of sources(src)) {
      if (/\.test\.ts$/.test(file)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/export const \w+ErrorCodes = \{([\s\S]*?)\} as const/g)) {
        for (const k of m[1]!.matchAll(/^\s*(UTM_[A-Z0-9_]+)\s*:/gm)) declared.add(k[1]!);
      }
      for (const m of text.matchAll(/'(UTM_[A-Z0-9_]+)'/g))
        uses.push({ code: m[1]!, rel: file.slice(ROOT.length + 1) });
    }
  }
  const problems: string[] = [];
  for (const [pkg, uses] of used) {
    const visible = [pkg, ...(ALLOWED[pkg] ?? [])];
    for (const u of uses) {
      if (!visible.some((p) => catalogues.get(p)?.has(u.code)))
        problems.push(`${u.rel} uses ${u.code}, which no catalogue of ${visible.join(', ')} declares`);
    }
  }
  assert.deepEqual(problems, []);
});

test('generated files (config samples, api.xml) match their declarations: run `npm run gen` after changing one', () => {
  for (const f of generatedFiles()) {
    const p = join(ROOT, f.path);
    assert.ok(existsSync(p), `${f.path} is missing`);
    assert.equal(readFileSync(p, 'utf8'), f.content, `${f.path} differs from its declaration`);
  }
});

test('the version constant matches package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(UTM5_TS_VERSION, pkg.version);
});

test('every bin/ program is executable and loads its package entry', () => {
  for (const name of readdirSync(join(ROOT, 'bin'))) {
    const p = join(ROOT, 'bin', name);
    assert.ok((statSync(p).mode & 0o111) !== 0, `bin/${name} is not executable`);
    const m = /require\('\.\.\/(packages\/[^']+)'\)/.exec(readFileSync(p, 'utf8'));
    assert.ok(m, `bin/${name} does not require a package entry`);
    assert.ok(existsSync(join(ROOT, m[1]!)), `bin/${name} requires ${m[1]}, which the build did not produce`);
  }
});
