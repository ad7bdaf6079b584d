import { errorLine, type Logger } from '@utm5/common';
import type { Database } from '@utm5/db';
import {
  RADIUS_CALL,
  SESSION_COMMAND_CODE as CODE,
  SESSION_COMMAND_TEXT,
  StreamCallError,
  sessionCommandResult,
  type SessionCommandArgs,
  type SessionCommandCode,
  type SessionEventWire,
} from '@utm5/protocol';
import type { StreamHub } from '../stream/stream-hub';
import type { RadiusSessions } from './sessions';

/**
 * How long the core waits for utm5_radius to answer a session command. Longer than the radius's default
 * disconnect_request_timeout (5 s), so the NAS's silence is reported as such (4) rather than as the radius's (6).
 */
export const SESSION_COMMAND_TIMEOUT_MS = 15_000;

export interface SessionCommandsDeps {
  readonly db: Database;
  readonly hub: () => StreamHub | undefined;
  readonly sessions: RadiusSessions;
  readonly now: () => number;
  readonly log: Logger;
}

/**
 * The administrator's session commands (rpcf_radius_disconnect_session, rpcf_radius_drop_session). Disconnect asks a
 * connected utm5_radius to send the NAS a Disconnect-Request and reports the NAS's answer; the session closes when
 * the NAS's Accounting-Stop comes. Drop closes the session in the billing now, charging its time up to now, without
 * the NAS, and tells every connected utm5_radius to forget it. Neither waits longer than SESSION_COMMAND_TIMEOUT_MS;
 * with no utm5_radius connected a disconnect answers 3 at once.
 */
export class SessionCommands {
  constructor(private readonly d: SessionCommandsDeps) {}

  private async openSession(nas: string, sid: string): Promise<Record<string, unknown> | undefined> {
    return this.d.db.knex('radius_sessions').where({ nas_ip: nas, acct_session_id: sid, stopped_at: 0 }).first();
  }

  private args(row: Record<string, unknown>): SessionCommandArgs {
    return {
      nas: String(row['nas_ip']),
      sid: String(row['acct_session_id']),
      login: String(row['login']),
      framedIp: String(row['framed_ip']),
    };
  }

  private done(what: string, nas: string, sid: string, code: SessionCommandCode): SessionCommandCode {
    const line = `${what} of session '${sid}' at NAS ${nas}: ${SESSION_COMMAND_TEXT[code]}`;
    if (code === CODE.DONE) this.d.log.info(line);
    else this.d.log.notice(line);
    return code;
  }

  /** Asks a connected utm5_radius to disconnect the session; the code says how it went (SESSION_COMMAND_TEXT). */
  async disconnect(nas: string, sid: string): Promise<SessionCommandCode> {
    const row = await this.openSession(nas, sid);
    if (!row) return this.done('disconnect', nas, sid, CODE.NO_SESSION);
    if (!(await this.d.db.knex('nas').where({ ip: nas, is_deleted: false }).first('id')))
      return this.done('disconnect', nas, sid, CODE.NO_NAS);
    const link = this.d.hub()?.answering(RADIUS_CALL.DISCONNECT)[0];
    if (!link) return this.done('disconnect', nas, sid, CODE.RADIUS_OFFLINE);
    try {
      const r = sessionCommandResult(
        await link.call(RADIUS_CALL.DISCONNECT, this.args(row), SESSION_COMMAND_TIMEOUT_MS),
      );
      if (!r)
        throw new StreamCallError(
          'refused',
          RADIUS_CALL.DISCONNECT,
          'utm5_radius answered something else than a result code',
        );
      return this.done('disconnect', nas, sid, r.code);
    } catch (err) {
      return this.done('disconnect', nas, sid, this.failure(err));
    }
  }

  /**
   * Closes the session in the billing (an Accounting-Stop at the present moment: its time is charged up to now) and
   * tells every connected utm5_radius to forget it. 0 once the billing closed it, whether or not a radius was there
   * to tell: a radius that was not forgets it at the NAS's Stop or after three missed Interim-Updates.
   */
  async drop(nas: string, sid: string): Promise<SessionCommandCode> {
    const row = await this.openSession(nas, sid);
    if (!row) return this.done('drop', nas, sid, CODE.NO_SESSION);
    const now = this.d.now();
    const stop: SessionEventWire = {
      op: 'stop',
      nas,
      sid,
      login: String(row['login']),
      slinkId: Number(row['slink_id']),
      accountId: Number(row['account_id']),
      serviceType: Number(row['service_type']),
      framedIp: String(row['framed_ip']),
      calling: String(row['calling_station']),
      called: String(row['called_station']),
      time: now,
      duration: Math.max(0, now - Number(row['started_at'])),
      inOctets: Number(row['in_octets']),
      outOctets: Number(row['out_octets']),
      cause: 'admin-drop',
    };
    const closed = await this.d.db.tx((trx) => this.d.sessions.apply(trx, [stop], now));
    if (closed.applied !== 1)
      throw new Error(`session '${sid}' at NAS ${nas} could not be closed: its stored fields do not make a valid Stop`);
    const links = this.d.hub()?.answering(RADIUS_CALL.DROP) ?? [];
    if (links.length === 0)
      this.d.log.notice(`drop of session '${sid}' at NAS ${nas}: no utm5_radius connected to tell`);
    await Promise.all(
      links.map((l) =>
        l.call(RADIUS_CALL.DROP, this.args(row), SESSION_COMMAND_TIMEOUT_MS).catch((err) => {
          this.d.log.warn(`drop of session '${sid}' at NAS ${nas}: ${l.sender} was not told (${errorLine(err)})`);
        }),
      ),
    );
    return this.done('drop', nas, sid, CODE.DONE);
  }

  private failure(err: unknown): SessionCommandCode {
    if (!(err instanceof StreamCallError)) throw err;
    if (err.failure === 'timeout') return CODE.RADIUS_TIMEOUT;
    if (err.failure === 'refused') {
      this.d.log.warn(errorLine(err));
      return CODE.RADIUS_REFUSED;
    }
    return CODE.RADIUS_OFFLINE;
  }
}
