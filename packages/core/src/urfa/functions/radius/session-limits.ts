import { L } from '@utm5/protocol';
import { defineFunction, guarded } from '../../core-function';
import type { LimitLevel } from '../../../radius/catalog';
import { refusal } from '../tariffication/common';
import { badInput } from '../traffic/common';
import { radius } from './common';

/** The capacity levels, as the manual names them; the strictest limit in force over a session wins. */
const LEVELS: readonly LimitLevel[] = ['dealer', 'user', 'account', 'service'];

const COMMENT =
  "UTM5-TS extension: capacity limits, the most simultaneous RADIUS sessions of all the logins of a dealer's users, a user, " +
  'an account or a service (level dealer, user, account or service; ref_id its id); utm5_radius refuses a login when any level over ' +
  "it is full (the per-login limit is the service's radius_sessions_limit)";

export const setSessionLimit = defineFunction(
  'utm5ts_set_session_limit',
  0x60000080,
  {
    comment: `${COMMENT}; max_sessions 0 removes the limit; result 0 done, -1 a bad value`,
    input: [L.str('level'), L.int('ref_id'), L.int('max_sessions')],
    output: [L.int('result')],
    docs: {
      level: 'dealer, user, account or service',
      ref_id: 'id of the dealer, user, account or service',
      max_sessions: 'simultaneous sessions (0: no limit)',
    },
  },
  async (call, ctx) => {
    const a = call.args;
    const level = a.str('level') as LimitLevel;
    return {
      result: await guarded(
        ctx,
        call,
        `session limit of ${level} ${a.int('ref_id')}`,
        async () => {
          if (!LEVELS.includes(level)) throw badInput(`level '${level}' must be ${LEVELS.join(', ')}`);
          if (a.int('ref_id') <= 0 || a.int('max_sessions') < 0)
            throw badInput(`ref_id ${a.int('ref_id')} must be > 0 and max_sessions ${a.int('max_sessions')} >= 0`);
          await radius(ctx).setLimit(level, a.int('ref_id'), a.int('max_sessions'));
          return 0;
        },
        refusal,
      ),
    };
  },
);

export const getSessionLimits = defineFunction(
  'utm5ts_get_session_limits',
  0x60000081,
  {
    comment: `${COMMENT}; every limit set, by level (dealer, user, account, service) and id`,
    output: [
      L.int('limits_count'),
      L.for('i', '0', 'limits_count', [
        L.str('level', { index: 'i' }),
        L.int('ref_id', { index: 'i' }),
        L.int('max_sessions', { index: 'i' }),
      ]),
    ],
  },
  async (_call, ctx) => {
    const ls = (await radius(ctx).limitItems()).sort(
      (x, y) => LEVELS.indexOf(x.level) - LEVELS.indexOf(y.level) || x.refId - y.refId,
    );
    return {
      limits_count: ls.length,
      level: ls.map((l) => l.level),
      ref_id: ls.map((l) => l.refId),
      max_sessions: ls.map((l) => l.max),
    };
  },
);
