/**
 * The Stream protocol (ours): JSON messages in length-prefixed frames between utm5_core and its daemons.
 *
 *   core -> daemon: hello (challenge) | welcome | denied | snapshot | event | time | ack | nack | pong
 *   daemon -> core: login (CHAP-MD5 over the challenge, as URFA) | ping | records
 *
 * Records carry a sequence number per sender; the core commits them and the sender's last sequence number in one
 * transaction, then acknowledges. A resend after a dropped link is acknowledged without being applied again.
 */
export interface HelloMsg { t: 'hello'; version: number; server: string; challenge: string }
export interface WelcomeMsg { t: 'welcome'; sender: string; lastSeq: number; now: number; testClock: boolean }
export interface DeniedMsg { t: 'denied'; reason: string }
export interface SnapshotMsg { t: 'snapshot'; topic: string; items: unknown[] }
export interface EventMsg { t: 'event'; topic: string; op: 'upsert' | 'delete'; key: string; item?: unknown }
export interface TimeMsg { t: 'time'; now: number }
export interface AckMsg { t: 'ack'; seq: number; duplicate?: boolean }
export interface NackMsg { t: 'nack'; seq: number; reason: string }
export interface PongMsg { t: 'pong'; id: number }

export interface LoginMsg { t: 'login'; login: string; response: string; sender: string; topics: string[] }
export interface PingMsg { t: 'ping'; id: number }
export interface RecordsMsg { t: 'records'; seq: number; kind: string; items: unknown[] }

export type ServerMsg = HelloMsg | WelcomeMsg | DeniedMsg | SnapshotMsg | EventMsg | TimeMsg | AckMsg | NackMsg | PongMsg;
export type ClientMsg = LoginMsg | PingMsg | RecordsMsg;

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** Validates a message from a daemon; returns why not when it is malformed. */
export function checkClientMsg(m: Record<string, unknown>): ClientMsg | string {
  switch (m['t']) {
    case 'login':
      if (!isStr(m['login']) || !isStr(m['response']) || !isStr(m['sender']) || !Array.isArray(m['topics']) || !m['topics'].every(isStr)) {
        return 'login needs login, response, sender and topics';
      }
      if (m['sender'].length === 0 || m['sender'].length > 100) return 'sender must be 1-100 characters';
      return m as unknown as LoginMsg;
    case 'ping':
      return isInt(m['id']) ? (m as unknown as PingMsg) : 'ping needs an integer id';
    case 'records':
      if (!isInt(m['seq']) || (m['seq'] as number) < 1 || !isStr(m['kind']) || !Array.isArray(m['items'])) {
        return 'records needs seq >= 1, kind and items';
      }
      return m as unknown as RecordsMsg;
    default:
      return `unknown message type '${String(m['t'])}'`;
  }
}
