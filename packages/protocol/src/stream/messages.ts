/**
 * The Stream protocol (ours): JSON messages in length-prefixed frames between utm5_core and its daemons.
 *
 *   core -> daemon: hello (challenge) | welcome | denied | snapshot | event | time | ack | nack | pong
 *   daemon -> core: login (CHAP-MD5 over the challenge, as URFA) | ping | records
 *   either way:     call | reply
 *
 * Records carry a sequence number per sender; the core commits them and the sender's last sequence number in one
 * transaction, then acknowledges. A resend after a dropped link is acknowledged without being applied again.
 * A call asks the other side to do something now and answer (see calls.ts): it is not kept across a dropped link, so
 * it suits requests whose asker is waiting (a pending Access-Request, an administrator's URFA call), not data.
 */
export interface HelloMsg {
  t: 'hello';
  version: number;
  server: string;
  challenge: string;
}
export interface WelcomeMsg {
  t: 'welcome';
  sender: string;
  lastSeq: number;
  now: number;
  testClock: boolean;
}
export interface DeniedMsg {
  t: 'denied';
  reason: string;
}
export interface SnapshotMsg {
  t: 'snapshot';
  topic: string;
  items: unknown[];
}
export interface EventMsg {
  t: 'event';
  topic: string;
  op: 'upsert' | 'delete';
  key: string;
  item?: unknown;
}
export interface TimeMsg {
  t: 'time';
  now: number;
}
export interface AckMsg {
  t: 'ack';
  seq: number;
  duplicate?: boolean;
}
export interface NackMsg {
  t: 'nack';
  seq: number;
  reason: string;
}
export interface PongMsg {
  t: 'pong';
  id: number;
}
/** A request to the other side; `id` is the caller's, unique among its calls in flight. */
export interface CallMsg {
  t: 'call';
  id: number;
  method: string;
  args: unknown;
}
/** The answer to call `id`: its result, or why it was not carried out. */
export type ReplyMsg =
  { t: 'reply'; id: number; ok: true; result: unknown } | { t: 'reply'; id: number; ok: false; error: string };

/** `methods`: the calls this daemon answers (the core calls only a daemon that named the method). */
export interface LoginMsg {
  t: 'login';
  login: string;
  response: string;
  sender: string;
  topics: string[];
  methods?: string[];
}
export interface PingMsg {
  t: 'ping';
  id: number;
}
export interface RecordsMsg {
  t: 'records';
  seq: number;
  kind: string;
  items: unknown[];
}

export type ServerMsg =
  | HelloMsg
  | WelcomeMsg
  | DeniedMsg
  | SnapshotMsg
  | EventMsg
  | TimeMsg
  | AckMsg
  | NackMsg
  | PongMsg
  | CallMsg
  | ReplyMsg;
export type ClientMsg = LoginMsg | PingMsg | RecordsMsg | CallMsg | ReplyMsg;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Validates a message from a daemon; returns why not when it is malformed. */
export function checkClientMsg(m: Record<string, unknown>): ClientMsg | string {
  switch (m['t']) {
    case 'login':
      if (
        !isStr(m['login']) ||
        !isStr(m['response']) ||
        !isStr(m['sender']) ||
        !Array.isArray(m['topics']) ||
        !m['topics'].every(isStr)
      ) {
        return 'login needs login, response, sender and topics';
      }
      if (m['sender'].length === 0 || m['sender'].length > 100) return 'sender must be 1-100 characters';
      if (m['methods'] !== undefined && !(Array.isArray(m['methods']) && m['methods'].every(isStr)))
        return 'login methods must be a list of names';
      return m as unknown as LoginMsg;
    case 'ping':
      return isInt(m['id']) ? (m as unknown as PingMsg) : 'ping needs an integer id';
    case 'records':
      if (!isInt(m['seq']) || (m['seq'] as number) < 1 || !isStr(m['kind']) || !Array.isArray(m['items'])) {
        return 'records needs seq >= 1, kind and items';
      }
      return m as unknown as RecordsMsg;
    case 'call':
    case 'reply':
      return checkCallMsg(m);
    default:
      return `unknown message type '${String(m['t'])}'`;
  }
}

/** Validates a call or reply from either side; returns why not when it is malformed. */
export function checkCallMsg(m: Record<string, unknown>): CallMsg | ReplyMsg | string {
  if (!isInt(m['id']) || (m['id'] as number) < 1) return `${String(m['t'])} needs an integer id >= 1`;
  if (m['t'] === 'call') {
    if (!isStr(m['method']) || m['method'].length === 0 || m['method'].length > 64)
      return 'call needs a method of 1-64 characters';
    return m as unknown as CallMsg;
  }
  if (m['t'] !== 'reply' || typeof m['ok'] !== 'boolean') return 'reply needs ok (true or false)';
  if (m['ok'] === false && !isStr(m['error'])) return 'a failed reply needs an error';
  return m as unknown as ReplyMsg;
}
