import type { Logger } from '@utm5/common';
import {
  RADIUS_CALL,
  SESSION_COMMAND_CODE as CODE,
  sessionCommandArgs,
  type CallHandler,
  type SessionCommandArgs,
  type SessionCommandResult,
} from '@utm5/protocol';
import type { DaeClient } from './dae-client';
import { SessionTable, type OpenSession } from './sessions';
import type { RadiusState } from './state';

export interface SessionCommandsDeps {
  readonly state: RadiusState;
  readonly sessions: SessionTable;
  readonly dm: DaeClient;
  /** Closes a session here (address freed, remembered as closed) without telling the core. */
  readonly forget: (key: string) => OpenSession | undefined;
  readonly log: Logger;
}

function args(v: unknown): SessionCommandArgs {
  const a = sessionCommandArgs(v);
  if (!a) throw new Error('a session command needs nas, sid, login and framedIp (text)');
  return a;
}

/**
 * The core's session commands (the administrator's rpcf_radius_disconnect_session and rpcf_radius_drop_session), as
 * Stream calls this daemon answers with a SESSION_COMMAND_CODE.
 */
export class SessionCommands {
  constructor(private readonly d: SessionCommandsDeps) {}

  /** The calls to name to the core at login. */
  handlers(): Record<string, CallHandler> {
    return {
      [RADIUS_CALL.DISCONNECT]: async (a) => this.disconnect(args(a)),
      [RADIUS_CALL.DROP]: async (a) => this.drop(args(a)),
    };
  }

  /**
   * A Disconnect-Request to the session's NAS, answered with the NAS's verdict. A session this daemon has no record of
   * (the core knows it; e.g. the open-sessions file was lost) is named by what the core sent.
   */
  async disconnect(a: SessionCommandArgs): Promise<SessionCommandResult> {
    const nas = this.d.state.nas.get(a.nas);
    if (!nas) return { code: CODE.NO_NAS };
    const key = SessionTable.key(a.nas, a.sid);
    const s = this.d.sessions.get(key) ?? { key, login: a.login, framedIp: a.framedIp };
    const r = await this.d.dm.disconnect(nas, s, 'asked by the core (rpcf_radius_disconnect_session)');
    return { code: r === 'ack' ? CODE.DONE : r === 'nak' ? CODE.NAS_REFUSED : CODE.NAS_TIMEOUT };
  }

  /** The billing closed the session without the NAS: it no longer counts here (capacity limits, its address). */
  drop(a: SessionCommandArgs): SessionCommandResult {
    const s = this.d.forget(SessionTable.key(a.nas, a.sid));
    this.d.log.info(
      `session '${a.sid}' at NAS ${a.nas} of '${s?.login ?? a.login}' dropped by the core (closed in the billing without the NAS)` +
        (s ? '' : '; it was not open here'),
    );
    return { code: s ? CODE.DONE : CODE.NO_SESSION };
  }
}
