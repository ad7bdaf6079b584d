import { randomBytes } from 'node:crypto';

/**
 * The State attribute (RFC 2865 5.24) ties an Access-Challenge to the Access-Request that answers it: we send an
 * opaque value, the NAS echoes it unchanged. Sixteen random bytes cannot be guessed or collide between pending
 * exchanges; the hex form is the key of the server's table of pending challenges.
 */
export function newState(random: (size: number) => Buffer = randomBytes): Buffer {
  return random(16);
}

/** A map key for a State value as it came back in a request. */
export function stateKey(state: Buffer): string {
  return state.toString('hex');
}
