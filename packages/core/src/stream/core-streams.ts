import type { Journal } from '../journal/journal';
import type { SystemParameterService } from '../settings/system-parameters';
import { RecordRejected, type StreamHub } from './stream-hub';

export interface CoreStreamsDeps {
  readonly hub: StreamHub;
  readonly params: SystemParameterService;
  readonly journal: Journal;
}

/**
 * What the core itself offers over Stream: the system parameters topic (daemons read settings such as the VPN login
 * realm from it) and the "journal" record kind (daemons report notable events into the core journal).
 */
export function registerCoreStreams({ hub, params, journal }: CoreStreamsDeps): void {
  hub.topic('system_parameters', () => params.entries().map(([name, value]) => ({ name, value })));
  hub.recordKind('journal', async (trx, from, items, now) => {
    for (const [i, it] of items.entries()) {
      const e = it as { action?: unknown; details?: unknown; user_id?: unknown };
      if (
        typeof e.action !== 'string' ||
        e.action.length === 0 ||
        e.action.length > 64 ||
        typeof e.details !== 'string'
      ) {
        throw new RecordRejected(
          'UTM_STREAM_BAD_RECORD',
          `journal item ${i}: needs action (1-64 chars) and details (text)`,
        );
      }
      await journal.append(trx, from, now, e.action, e.details, typeof e.user_id === 'number' ? e.user_id : null);
    }
  });
}
