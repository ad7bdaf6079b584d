import type { Logger } from '@utm5/common';
import { verifyArchives, type Database } from '@utm5/db';

/**
 * verify_archive_tables at start: the archives' statuses brought up to date (as db_archiver -t does), so the reports
 * read only archives that are whole and match their tables; each one that does not is logged with why.
 */
export async function checkArchives(db: Database, now: number, log: Logger): Promise<void> {
  const checks = await verifyArchives(db, now);
  for (const c of checks) {
    if (c.status === 'OK') continue;
    log.warn(
      `archive ${c.archive.archiveTable}: ${c.status} (${c.problems.join('; ')}); reports leave it out until db_archiver -ug or a repair`,
    );
  }
  log.info(`${checks.length} archive(s) verified, ${checks.filter((c) => c.status !== 'OK').length} not OK`);
}
