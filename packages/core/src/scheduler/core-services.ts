import type { Logger } from '@utm5/common';
import type { SessionStore } from '@utm5/protocol';
import type { Journal } from '../journal/journal';
import type { SystemParameterService } from '../settings/system-parameters';
import type { Principal } from '../system-users/principal';
import type { Tariffication } from '../tariffication/engine';
import type { Scheduler } from './scheduler';

export interface CoreServicesDeps {
  readonly scheduler: Scheduler;
  readonly tariffication: Pick<Tariffication, 'closeOverdue'>;
  readonly urfaSessions: SessionStore<Principal>;
  readonly counters: {
    readonly urfa: { readonly malformed: number; readonly loginsRefused: number };
    readonly stream: { readonly malformed: number; readonly loginsRefused: number };
  };
  readonly params: Pick<SystemParameterService, 'int'>;
  readonly journal: Pick<Journal, 'prune'>;
  readonly log: Logger;
}

/** The system services of the core itself; billing modules register theirs the same way. */
export function registerCoreServices(core: CoreServicesDeps): void {
  // Period ends, flow charges and charge-policy timemarks run on their own timemarks; this service is the safety net
  // (periods whose end passed while the core was down or a timemark failed) and the handle for a manual run.
  core.scheduler.register({
    name: 'period_closer',
    title:
      'Close accounting periods whose end has passed (their timemarks close them on time; this catches any missed)',
    schedule: { kind: 'periodic', periodMin: 5, alignMin: 0 },
    enabled: true,
    runGroups: ['tariffication'],
    async run() {
      const n = await core.tariffication.closeOverdue();
      return n > 0 ? `${n} overdue accounting periods closed` : 'no overdue accounting periods';
    },
  });
  core.scheduler.register({
    name: 'session_cleaner',
    title: 'Forget customer session ids (SID) idle longer than urfa_session_timeout',
    schedule: { kind: 'periodic', periodMin: 5, alignMin: 0 },
    enabled: true,
    runGroups: ['sessions'],
    async run() {
      const before = core.urfaSessions.size;
      core.urfaSessions.expireNow();
      return `${before - core.urfaSessions.size} expired, ${core.urfaSessions.size} active`;
    },
  });
  let reported = { u: 0, s: 0, ul: 0, sl: 0 };
  core.scheduler.register({
    name: 'protocol_stats',
    title: 'Report malformed URFA/Stream input and refused logins since the last run (Stats level)',
    schedule: { kind: 'periodic', periodMin: 5, alignMin: 1 },
    enabled: true,
    runGroups: [],
    async run() {
      const c = core.counters;
      const delta = {
        u: c.urfa.malformed - reported.u,
        s: c.stream.malformed - reported.s,
        ul: c.urfa.loginsRefused - reported.ul,
        sl: c.stream.loginsRefused - reported.sl,
      };
      reported = { u: c.urfa.malformed, s: c.stream.malformed, ul: c.urfa.loginsRefused, sl: c.stream.loginsRefused };
      const line = `URFA malformed ${delta.u}, logins refused ${delta.ul}; Stream malformed ${delta.s}, logins refused ${delta.sl}`;
      if (delta.u + delta.s + delta.ul + delta.sl > 0) core.log.stats(line);
      return line;
    },
  });
  core.scheduler.register({
    name: 'journal_cleaner',
    title: 'Remove user_log entries older than the journal_keep_days system parameter (0 keeps all)',
    schedule: { kind: 'fixed', times: [{ hour: 3, minute: 30 }] },
    enabled: true,
    runGroups: ['database'],
    async run(now) {
      const days = core.params.int('journal_keep_days');
      if (!(days > 0)) return 'journal_keep_days is 0: nothing removed';
      const n = await core.journal.prune(now - days * 86400);
      return `${n} entries older than ${days} days removed`;
    },
  });
}
