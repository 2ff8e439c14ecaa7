import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a received value with a secret (OAuth `state`, a nonce) in time that does not depend on where they
 * differ. Both are hashed first, so their lengths may differ and the length of the secret does not leak either.
 */
export function equalsSecret(received: string | null | undefined, secret: string): boolean {
  if (typeof received !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(secret));
}
