import { L } from '@utm5/protocol';
import { defineFunction } from '../core-function';

const MAX_LOCK_SECONDS = 86400;

const result = [L.int('result'), L.str('error'), L.if('result', 'ne', '0', [L.error('22', 'refused:', 'error')])];

export const archiveLock = defineFunction(
  'rpcf_archive_lock',
  0x600000b0,
  {
    comment:
      "UTM5-TS extension (db_archiver -l): hold back the core's database writes for at most timeout seconds; " +
      'calling it again extends the pause',
    input: [L.int('timeout')],
    output: result,
  },
  (call, ctx) => {
    const t = call.args.int('timeout');
    if (!(t >= 1 && t <= MAX_LOCK_SECONDS)) {
      return { result: 1, error: `timeout ${t} is not 1..${MAX_LOCK_SECONDS} seconds` };
    }
    const who = `${call.principal.login}@${call.peer}`;
    ctx.writePause.pause(t, who);
    ctx.journal(call.principal, call.peer, 'archive_lock', `database writes paused for at most ${t} s`);
    return { result: 0, error: '' };
  },
);

export const archiveUnlock = defineFunction(
  'rpcf_archive_unlock',
  0x600000b1,
  {
    comment: "UTM5-TS extension (db_archiver -l): resume the core's database writes held back by rpcf_archive_lock",
    output: result,
  },
  (call, ctx) => {
    const was = ctx.writePause.resume(`${call.principal.login}@${call.peer}`);
    return was ? { result: 0, error: '' } : { result: 1, error: 'database writes were not paused' };
  },
);
