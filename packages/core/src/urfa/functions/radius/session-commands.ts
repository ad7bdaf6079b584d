import { L, SESSION_COMMAND_TEXT } from '@utm5/protocol';
import { defineFunction } from '../../core-function';
import { SESSION_COMMAND_TIMEOUT_MS } from '../../../radius/session-commands';

const INPUT = [L.str('acct_session_id'), L.ip('nas_ip')];
const CODES = Object.entries(SESSION_COMMAND_TEXT)
  .map(([code, text]) => `${code} ${text}`)
  .join(', ');

export const radiusDisconnectSession = defineFunction(
  'rpcf_radius_disconnect_session',
  0x1071,
  {
    comment:
      "utm5_radius sends the NAS a Disconnect-Request (RFC 5176) for the open session; the session closes when the NAS's " +
      `Accounting-Stop comes; the call waits at most ${SESSION_COMMAND_TIMEOUT_MS / 1000} s; error_code: ${CODES}`,
    input: INPUT,
    output: [L.int('error_code')],
  },
  async (call, ctx) => ({
    error_code: await ctx.radius.commands.disconnect(call.args.ip('nas_ip'), call.args.str('acct_session_id')),
  }),
);

export const radiusDropSession = defineFunction(
  'rpcf_radius_drop_session',
  0x1072,
  {
    comment:
      'closes the open session in the billing without asking the NAS: its time is charged up to now and connected utm5_radius ' +
      `daemons forget it; error_code 0 closed (also when no utm5_radius was connected to tell), 1 ${SESSION_COMMAND_TEXT[1]}`,
    input: INPUT,
    output: [L.int('error_code')],
  },
  async (call, ctx) => ({
    error_code: await ctx.radius.commands.drop(call.args.ip('nas_ip'), call.args.str('acct_session_id')),
  }),
);
