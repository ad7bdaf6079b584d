/**
 * The Stream contract between the core and utm5_rfw, declared once here where both sides import it.
 *
 * utm5_rfw logs in as a system user (rfw) with its rfw_name as the sender name; the core serves it only when a
 * firewall of that name is registered (netflow_providers.name) and answers RFW_METHOD.EXEC.
 *
 * core -> rfw, RFW_METHOD.EXEC: the next commands queued for this firewall, in queue order (seq ascending, gapless per
 * firewall is NOT promised: seq is the queue's global id). utm5_rfw answers when each command is done: run (exit 0),
 * or failed after its retries (reported, never silently dropped). The core then marks them delivered and sends the
 * next batch; a batch is never sent while the previous one is unanswered. A command whose seq is at or below the
 * rfw's last executed seq (a resend after a lost reply) is answered as done without running it again (status
 * 'duplicate'), so each command runs once.
 *
 * rfw -> core, RFW_METHOD.SYNC: after login, with the sync flags (-s / sync_flags), asks the core to queue, for this
 * firewall only, the commands of the flags' events for the current state (the manual's "Synchronization of rules").
 * With no flags it is not called, and the commands cached while the rfw was away are delivered as they are.
 */

export const RFW_METHOD = {
  EXEC: 'rfw_exec',
  SYNC: 'rfw_sync',
} as const;

/** The most commands in one RFW_METHOD.EXEC call. */
export const RFW_BATCH_MAX = 500;

export const RFW_SYNC_FLAGS = ['enable', 'disable', 'users', 'iptraffic', 'dialup', 'blocks', 'shaping'] as const;
export type RfwSyncFlag = (typeof RFW_SYNC_FLAGS)[number];

export interface RfwCommandWire {
  /** The queue id: ascending in the order the commands must run. */
  readonly seq: number;
  /**
   * The command as an argument vector, variables already substituted: each element is one literal argument, whatever
   * it holds (spaces, quotes, `;`, `$()`, newlines). For firewall_type=local the rfw runs
   * [sudo_path] [firewall_path] argv... without a shell; for cisco it joins argv with spaces for rsh.
   */
  readonly argv: readonly string[];
  /** Commands with the same key run in order even when dont_fork is off (the customer's IP, or 'a<account id>'). */
  readonly key: string;
  /** The rule that made it and the event's key (FW_EVENTS in the core), for the rfw's log. */
  readonly ruleId: number;
  readonly event: string;
  /** When the event happened (unix s, the core's clock). */
  readonly at: number;
}

export interface RfwExecArgs {
  readonly commands: readonly RfwCommandWire[];
}

export type RfwCommandStatus = 'ok' | 'failed' | 'duplicate';

export interface RfwCommandResult {
  readonly seq: number;
  readonly status: RfwCommandStatus;
  /** The exit code of the last attempt (-1 when it could not start or was killed). */
  readonly exitCode: number;
  readonly attempts: number;
  /** The last attempt's stderr, at most 1,000 characters. */
  readonly stderr: string;
}

export interface RfwExecResult {
  readonly results: readonly RfwCommandResult[];
}

export interface RfwSyncArgs {
  readonly flags: readonly RfwSyncFlag[];
}

export interface RfwSyncResult {
  /** How many commands the sync queued. */
  readonly queued: number;
}

const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

/** RFW_METHOD.EXEC's arguments, or undefined when malformed. */
export function rfwExecArgs(v: unknown): RfwExecArgs | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const cmds = (v as { commands?: unknown }).commands;
  if (!Array.isArray(cmds) || cmds.length > RFW_BATCH_MAX) return undefined;
  for (const c of cmds as RfwCommandWire[]) {
    if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.seq) || c.seq <= 0) return undefined;
    if (!Array.isArray(c.argv) || c.argv.length === 0 || c.argv.length > 256) return undefined;
    if (!c.argv.every((a) => isStr(a, 65536))) return undefined;
    if (!isStr(c.key, 255) || !isStr(c.event, 64) || !Number.isSafeInteger(c.ruleId) || !Number.isSafeInteger(c.at))
      return undefined;
  }
  return v as RfwExecArgs;
}

/** RFW_METHOD.EXEC's result, or undefined when malformed. */
export function rfwExecResult(v: unknown): RfwExecResult | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const rs = (v as { results?: unknown }).results;
  if (!Array.isArray(rs)) return undefined;
  for (const r of rs as RfwCommandResult[]) {
    if (typeof r !== 'object' || r === null || !Number.isSafeInteger(r.seq)) return undefined;
    if (r.status !== 'ok' && r.status !== 'failed' && r.status !== 'duplicate') return undefined;
    if (!Number.isSafeInteger(r.exitCode) || !Number.isSafeInteger(r.attempts) || !isStr(r.stderr, 4000))
      return undefined;
  }
  return v as RfwExecResult;
}

/** RFW_METHOD.SYNC's arguments, or undefined when malformed. */
export function rfwSyncArgs(v: unknown): RfwSyncArgs | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const f = (v as { flags?: unknown }).flags;
  if (!Array.isArray(f) || !f.every((x) => (RFW_SYNC_FLAGS as readonly unknown[]).includes(x))) return undefined;
  return v as RfwSyncArgs;
}

/** Parses `-s` / sync_flags: flags joined by ':' (the manual) or ','; undefined names the first unknown flag. */
export function parseRfwSyncFlags(text: string): { flags: RfwSyncFlag[] } | { unknown: string } {
  const flags: RfwSyncFlag[] = [];
  for (const part of text
    .split(/[:,]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!(RFW_SYNC_FLAGS as readonly string[]).includes(part)) return { unknown: part };
    if (!flags.includes(part as RfwSyncFlag)) flags.push(part as RfwSyncFlag);
  }
  return { flags };
}
