import { CARD_LOGIN, RADIUS_CALL, StreamCallError, type CardRegisterArgs, type CardRegisterResult } from '@utm5/protocol';
import { ATTR, type RequestView } from './wire';

/**
 * How long an Access-Request waits for the core to register a card user: within a NAS's usual retransmit budget
 * (3 tries x 3-5 s), so the NAS still listens when the answer comes; retransmits meanwhile are dropped as duplicates.
 */
export const CARD_REGISTER_TIMEOUT_MS = 8000;

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
  typeof v === 'object' && v !== null && ((v as { registered?: unknown }).registered === true || typeof (v as { reason?: unknown }).reason === 'string');

/**
 * radius_card_autoadd on the radius side: asks the core to register the card user of an unknown card-number login and
 * waits for the answer (the core republishes the logins before it answers). Requests with the same login and PIN
 * while one is in flight (a NAS that retransmits under a new identifier, a user who redials) share its answer, so a
 * card is registered once. Nothing here logs the PIN.
 */
export class CardRegistrar {
  private readonly inFlight = new Map<string, Promise<CardOutcome>>();

  constructor(private readonly core: CoreCaller, private readonly timeoutMs = CARD_REGISTER_TIMEOUT_MS) {}

  get pending(): number {
    return this.inFlight.size;
  }

  register(login: string, pin: string, nas: string): Promise<CardOutcome> {
    const key = `${login}\u0000${pin}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const args: CardRegisterArgs = { login, pin, nas };
    const p = this.core.call(RADIUS_CALL.CARD_REGISTER, args, this.timeoutMs).then((r): CardOutcome => {
      if (!isResult(r)) return { ok: false, reason: 'the core answered the card registration with something else than a result' };
      return r.registered ? { ok: true } : { ok: false, reason: r.reason };
    }, (err: unknown): CardOutcome => ({ ok: false, reason: why(err, this.timeoutMs) })).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }
}

function why(err: unknown, timeoutMs: number): string {
  if (!(err instanceof StreamCallError)) return `card registration failed: ${(err as Error).message}`;
  switch (err.failure) {
    case 'offline': return 'the core is not connected, and registering a card needs it';
    case 'timeout': return `the core did not answer the card registration in ${timeoutMs / 1000} s`;
    case 'link_lost': return 'the link to the core dropped during the card registration';
    default: return `the core refused the card registration: ${err.message}`;
  }
}
