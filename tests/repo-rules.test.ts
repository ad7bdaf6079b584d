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
  common: [],
  protocol: [],
  netflow: [],
  radius: [],
  db: ['common'],
  core: ['common', 'db', 'protocol', 'netflow'],
  radiusd: ['common', 'protocol', 'radius'],
  rfw: ['common', 'protocol'],
  collector: ['common', 'protocol', 'netflow'],
  testcase: ['common', 'db', 'core'],
  dhcpd: ['common', 'protocol', 'db'],
  urfaclient: ['common', 'protocol'],
  tools: ['common', 'protocol', 'netflow', 'radius', 'urfaclient'],
};
/** Packages that may import nothing but node:* (pure codecs). */
const NODE_ONLY = new Set(['protocol', 'netflow', 'radius']);

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
    for (const file of sources(src)) {
      const isTest = /\.test\.ts$|[/\\]testing[/\\]/.test(file);
      for (const spec of imports(file)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        const rel = file.slice(ROOT.length + 1);
        if (spec.startsWith('@utm5/')) {
          const target = spec.split('/')[1]!;
          if (target !== pkg && !allowed.includes(target) && !isTest) problems.push(`${rel} imports ${spec}`);
          continue;
        }
        if (NODE_ONLY.has(pkg) && !isTest) {
          problems.push(`${rel} imports ${spec}, but ${pkg} may import only node:*`);
          continue;
        }
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!declared.has(name) && !isTest) problems.push(`${rel} imports ${name}, not in packages/${pkg}/package.json`);
      }
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
