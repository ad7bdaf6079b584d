import { UserLogRepo } from '@utm5/db';
import type { Core } from '../core';
import { RecordRejected } from './stream-hub';

/**
 * What the core itself offers over Stream: the system parameters topic (daemons read settings such as the VPN login
 * realm from it) and the "journal" record kind (daemons report notable events into the core journal).
 */
export function registerCoreStreams(core: Core): void {
  const hub = core.stream!;
  hub.topic('system_parameters', () => core.params!.entries().map(([name, value]) => ({ name, value })));
  hub.recordKind('journal', async (trx, from, items, now) => {
    const repo = new UserLogRepo(core.db!);
    for (const [i, it] of items.entries()) {
      const e = it as { action?: unknown; details?: unknown; user_id?: unknown };
      if (typeof e.action !== 'string' || e.action.length === 0 || e.action.length > 64 || typeof e.details !== 'string') {
        throw new RecordRejected('UTM_STREAM_BAD_RECORD', `journal item ${i}: needs action (1-64 chars) and details (text)`);
      }
      await repo.append({
        ts: now, actorId: from.id, actorLogin: from.login, actorIp: '', action: e.action, details: e.details,
        userId: typeof e.user_id === 'number' ? e.user_id : null,
      }, trx);
    }
  });
}
