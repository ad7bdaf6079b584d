import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { SecurityFinding } from './finding';

/** Runs a program and gives its stdout, or undefined when it is missing, fails or takes longer than 5 s. */
export type RunFn = (cmd: string, args: readonly string[]) => Promise<string | undefined>;

export const runQuiet: RunFn = (cmd, args) =>
  new Promise((done) => {
    execFile(cmd, [...args], { timeout: 5000, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout) =>
      done(err ? undefined : stdout),
    );
  });

const FIX =
  'install and enable chrony or systemd-timesyncd (timedatectl set-ntp true): periods, sessions, CDRs and payments ' +
  'are stamped with this clock';

/**
 * Whether the system clock follows a time source, asked the way each common setup answers: systemd (timedatectl,
 * which covers timesyncd and chrony/ntpd through the kernel's sync flag), then chrony itself (containers without
 * systemd), then timesyncd's flag file.
 */
export async function checkTimeSync(run: RunFn = runQuiet, exists = existsSync): Promise<SecurityFinding[]> {
  const finding = (problem: string): SecurityFinding[] => [
    { check: 'time-sync', where: 'system clock', problem, fix: FIX },
  ];
  const td = (await run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']))?.trim();
  if (td === 'yes') return [];
  const chrony = await run('chronyc', ['-n', 'tracking']);
  const leap = chrony && /^Leap status\s*:\s*(.+)$/m.exec(chrony)?.[1]?.trim();
  if (leap === 'Normal') return [];
  if (exists('/run/systemd/timesync/synchronized')) return [];
  if (td === 'no') return finding('not synchronised (timedatectl: NTPSynchronized=no)');
  if (leap) return finding(`not synchronised (chronyc tracking: Leap status ${leap})`);
  return finding('no time synchronisation answered (neither timedatectl nor chronyc)');
}
