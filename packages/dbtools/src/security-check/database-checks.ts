import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SecretBox } from '@utm5/common';
import { DEFAULT_SYSTEM_USERS, defaultPasswordOf } from '@utm5/core';
import { SystemUserRepo, mysqlAcceptsNoPassword, type Database } from '@utm5/db';
import type { Utm5Config } from '../utm5-database';
import type { SecurityFinding } from './finding';

/** Why a check could not run; printed to stderr, not counted as a finding. */
export class CheckSkipped extends Error {}

/**
 * System users whose password is still their login, as a new installation ships them. Opening the sealed passwords
 * needs the core's key file; without it nothing can be told.
 */
export async function checkDefaultPasswords(db: Database, config: Utm5Config): Promise<SecurityFinding[]> {
  const keyFile = resolve(config.secret_key_file);
  if (!existsSync(keyFile))
    throw new CheckSkipped(`secret key file ${keyFile} does not exist (has utm5_core started?)`);
  // Not SecretBox.fromKeyFile: it tightens a loose key file's mode, and a check must report that, not hide it.
  const hex = readFileSync(keyFile, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new CheckSkipped(`secret key file ${keyFile} is not 64 hex digits`);
  const box = SecretBox.fromKey(Buffer.from(hex, 'hex'));
  const out: SecurityFinding[] = [];
  for (const u of await new SystemUserRepo(db).list()) {
    const def = defaultPasswordOf(u.login);
    if (def === undefined || box.open(u.passwordEnc) !== def) continue;
    const shipped = DEFAULT_SYSTEM_USERS.find((d) => d.login === u.login);
    out.push({
      check: 'default-password',
      where: `system user '${u.login}' (id ${u.id}${shipped ? `, ${shipped.role}` : ''})`,
      problem: 'still has its default password (the login); it may log in from loopback only',
      fix:
        `utm5_urfaclient -l ${u.login} -P ${def} -a change_own_password -old_pass ${def} -new_pass NEW` +
        (shipped ? `, then set NEW in ${shipped.passwordIn}` : ''),
    });
  }
  return out;
}

/** A MySQL server that lets the core's login in with no password, whatever database_password says. */
export async function checkDatabaseAcceptsNoPassword(config: Utm5Config, file: string): Promise<SecurityFinding[]> {
  if (config.database_type !== 'mysql' || config.database_password === '') return [];
  if (!(await mysqlAcceptsNoPassword(config))) return [];
  return [
    {
      check: 'database-password',
      where: `database_login in ${file}`,
      problem: `the MySQL server lets '${config.database_login ?? 'the current user'}' in without a password (database_password is not needed)`,
      fix: "ALTER USER ... IDENTIFIED BY '...' for every host of that login, and DROP the anonymous users ('' @ host)",
    },
  ];
}
