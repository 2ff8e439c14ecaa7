import { createHash, randomBytes } from 'node:crypto';

// RFC 7636: a high-entropy verifier of 43–128 characters from the unreserved set, and its S256 challenge.
// RFC 6749 §10.12 / RFC 8252 §8.9: an unguessable `state` bound to this one authorization request.

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

/** 32 random bytes → 43 base64url characters (256 bits of entropy). `bytes` may be 32–96. */
export function createCodeVerifier(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96) {
    throw new RangeError('A PKCE verifier needs 32–96 random bytes (43–128 characters).');
  }
  return randomBytes(bytes).toString('base64url');
}

export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkcePair(): PkcePair {
  const verifier = createCodeVerifier();
  return { verifier, challenge: codeChallengeS256(verifier), method: 'S256' };
}

/** 32 random bytes (256 bits) as base64url. */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}
