import {
  CARD_LOGIN,
  RADIUS_CALL,
  StreamCallError,
  type CardRegisterArgs,
  type CardRegisterResult,
} from '@utm5/protocol';
import { ATTR } from './attributes';
import type { RequestView } from './wire';

/**
 * How long an Access-Request waits for the core to register a card user: within a NAS's usual retransmit budget
 * (3 tries x 3-5 s), so the NAS still listens when the answer comes; retransmits meanwhile are dropped as duplicates.
 */
export const CARD_REGISTER_TIMEOUT_MS = 8000;

/**
 * PIN guessing: after this many refused registrations of one card number within GUESS_WINDOW_MS, further tries of
 * that number are refused here without asking the core until the window has passed (a 4-digit PIN would otherwise
 * fall to 10,000 dial attempts).
 */
export const MAX_FAILED_TRIES = 5;
export const GUESS_WINDOW_MS = 15 * 60_000;

export type CardOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The part of the Stream client a registration needs. */
export interface CoreCaller {
  call(method: string, args: unknown, timeoutMs: number): Promise<unknown>;
}

/**
 * The PIN an unknown login offers when it may be a card (the manual: PAP only): the PAP password of a login made of
 * digits; undefined otherwise.
 */
export function cardPin(req: RequestView, login: string): string | undefined {
  if (!CARD_LOGIN.test(login)) return undefined;
  const pap = req.packet.get(ATTR.USER_PASSWORD);
  if (typeof pap === 'string') return pap;
  return Buffer.isBuffer(pap) ? pap.toString('utf8') : undefined;
}

const isResult = (v: unknown): v is CardRegisterResult =>
  typeof v === 'object' &&
  v !== null &&
  ((v as { registered?: unknown }).registered === true || typeof (v as { reason?: unknown }).reason === 'string');

/**
 * radius_card_autoadd on the radius side: asks the core to register the card user of an unknown card-number login and
 * waits for the answer (the core republishes the logins before it answers). Requests with the same login and PIN
 * while one is in flight (a NAS that retransmits under a new identifier, a user who redials) share its answer, so a
 * card is registered once. Nothing here logs the PIN.
 */
export class CardRegistrar {
  private readonly inFlight = new Map<string, Promise<CardOutcome>>();
  /** Refused registrations per card number: how many, since when (the window starts at the first). */
  private readonly refused = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly core: CoreCaller,
    private readonly timeoutMs = CARD_REGISTER_TIMEOUT_MS,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get pending(): number {
    return this.inFlight.size;
  }

  /** Forgets guessing windows that have passed (called by the server's housekeeping). */
  sweep(): void {
    const now = this.nowMs();
    for (const [login, f] of this.refused) if (now - f.since >= GUESS_WINDOW_MS) this.refused.delete(login);
  }

  register(login: string, pin: string, nas: string): Promise<CardOutcome> {
    const key = `${login}\u0000${pin}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const now = this.nowMs();
    const f = this.refused.get(login);
    if (f && now - f.since >= GUESS_WINDOW_MS) this.refused.delete(login);
    else if (f && f.count >= MAX_FAILED_TRIES) {
      const wait = Math.ceil((f.since + GUESS_WINDOW_MS - now) / 60_000);
      return Promise.resolve({
        ok: false,
        reason: `${f.count} refused registrations of card ${login} in ${GUESS_WINDOW_MS / 60_000} minutes: not asking the core for ${wait} more minute(s) (PIN guessing)`,
      });
    }
    const args: CardRegisterArgs = { login, pin, nas };
    const p = this.core
      .call(RADIUS_CALL.CARD_REGISTER, args, this.timeoutMs)
      .then(
        (r): CardOutcome => {
          if (!isResult(r))
            return { ok: false, reason: 'the core answered the card registration with something else than a result' };
          if (r.registered) return { ok: true };
          // Only the core's refusals count: a core that is away says nothing about the PIN.
          const seen = this.refused.get(login);
          if (seen && this.nowMs() - seen.since < GUESS_WINDOW_MS) seen.count++;
          else this.refused.set(login, { count: 1, since: this.nowMs() });
          return { ok: false, reason: r.reason };
        },
        (err: unknown): CardOutcome => ({ ok: false, reason: why(err, this.timeoutMs) }),
      )
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }
}

function why(err: unknown, timeoutMs: number): string {
  if (!(err instanceof StreamCallError)) return `card registration failed: ${(err as Error).message}`;
  switch (err.failure) {
    case 'offline':
      return 'the core is not connected, and registering a card needs it';
    case 'timeout':
      return `the core did not answer the card registration in ${timeoutMs / 1000} s`;
    case 'link_lost':
      return 'the link to the core dropped during the card registration';
    default:
      return `the core refused the card registration: ${err.message}`;
  }
}
