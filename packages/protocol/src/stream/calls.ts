import type { CallMsg, ReplyMsg } from './messages';

/** What a side answers one method's calls with; throwing refuses the call with the error's message. */
export type CallHandler = (args: unknown) => Promise<unknown>;

export type StreamCallFailure = 'offline' | 'timeout' | 'link_lost' | 'refused';

/**
 * A call that got no result: the link was down when it was made ('offline'), no reply came in time ('timeout'), the
 * link dropped while waiting ('link_lost'), or the other side refused it ('refused', with its reason). The caller
 * decides what each means for its own asker; none of them says whether the other side did the work (only 'offline'
 * guarantees it did not).
 */
export class StreamCallError extends Error {
  readonly code = 'UTM_STREAM_CALL';

  constructor(
    readonly failure: StreamCallFailure,
    readonly method: string,
    detail: string,
  ) {
    super(`Stream call ${method}: ${detail}`);
    this.name = 'StreamCallError';
  }
}

interface Waiting {
  readonly method: string;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: StreamCallError) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The calls one side of a link has made and waits for: each gets an id, a timer, and is settled by its reply, its
 * timeout or the link's loss — whichever comes first; a late reply is ignored. Used by both ends of Stream.
 */
export class CallTable {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();

  get inFlight(): number {
    return this.waiting.size;
  }

  /** Sends the call through `send` (which may throw if the link is gone) and waits at most `timeoutMs` for its reply. */
  call(send: (m: CallMsg) => void, method: string, args: unknown, timeoutMs: number): Promise<unknown> {
    const id = (this.nextId = (this.nextId % 0x7fffffff) + 1);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new StreamCallError('timeout', method, `no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { method, resolve, reject, timer });
      try {
        send({ t: 'call', id, method, args });
      } catch (err) {
        this.fail(id, new StreamCallError('link_lost', method, (err as Error).message));
      }
    });
  }

  /** A reply arrived: settles its call (a reply to nothing in flight, e.g. after a timeout, is dropped). */
  settle(r: ReplyMsg): void {
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    clearTimeout(w.timer);
    if (r.ok) w.resolve(r.result);
    else w.reject(new StreamCallError('refused', w.method, r.error));
  }

  /** The link dropped: every call in flight fails now rather than at its timeout. */
  failAll(why: string): void {
    for (const id of [...this.waiting.keys()])
      this.fail(id, new StreamCallError('link_lost', this.waiting.get(id)!.method, why));
  }

  private fail(id: number, err: StreamCallError): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    w.reject(err);
  }
}

/**
 * Answers a call from the other side: the handler's result, or a refusal with its error message (also for a method
 * this side does not answer). Does not wait: other messages on the link go on while the handler works.
 */
export function answerCall(m: CallMsg, handler: CallHandler | undefined, reply: (r: ReplyMsg) => void): void {
  const run = handler
    ? Promise.resolve().then(() => handler(m.args))
    : Promise.reject(new Error(`unknown method '${m.method}'`));
  run.then(
    (result) => reply({ t: 'reply', id: m.id, ok: true, result: result ?? null }),
    (err: unknown) => {
      reply({ t: 'reply', id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) });
    },
  );
}
