import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DbSettings } from '../db-params';
import { mariaDbUnavailable, sqliteSettings, startMariaDb, type MariaDbServer } from './mariadb-server';

/**
 * Where a test suite gets a fresh database: `fresh(name)` returns settings for a new, empty database on this backend.
 */
export interface Backend {
  readonly name: 'sqlite' | 'mariadb';
  fresh(name: string, over?: Partial<DbSettings>): DbSettings;
}

/**
 * Runs one conformance suite on every backend: SQLite always, MariaDB when its binaries exist (skipped with a clear
 * message otherwise, as on a laptop without it). CI installs mariadb-server, so there both run.
 */
export function onEveryBackend(title: string, suite: (backend: () => Backend) => void): void {
  describe(`${title} [sqlite]`, () => {
    let dir = '';
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'utm5-sqlite-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    suite(() => ({ name: 'sqlite', fresh: (n, over) => sqliteSettings(join(dir, `${n}.db`), over) }));
  });
  const why = process.env['UTM5_SKIP_MARIADB'] ? 'UTM5_SKIP_MARIADB is set' : mariaDbUnavailable();
  describe(`${title} [mariadb]`, { skip: why ? `MariaDB suite skipped: ${why}` : false }, () => {
    let server: MariaDbServer | undefined;
    before(async () => {
      server = await startMariaDb();
      process.stdout.write(
        `${title}: running on a real MariaDB test server (pid ${server.pid}, socket ${server.socket})\n`,
      );
    });
    after(async () => {
      await server?.stop();
    });
    suite(() => ({ name: 'mariadb', fresh: (n, over) => server!.settings(`utm5_${n.replace(/\W/g, '_')}`, over) }));
  });
}
