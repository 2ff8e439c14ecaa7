import { AuthError } from './errors';

/** The subset of ID-token claims the extension keeps (never the token itself). */
export interface IdTokenClaims {
  readonly sub: string;
  readonly email?: string;
  readonly aud: string;
  readonly iss?: string;
  readonly exp: number; // seconds since the epoch
}

const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/**
 * Decodes an ID token received directly from the configured token endpoint over TLS. Per OpenID Connect Core
 * §3.1.3.7 the TLS server validation may stand in for the signature check in this case, so the signature is
 * not verified (and no certificates are fetched); `aud` and `exp` are checked.
 */
export function decodeIdToken(idToken: string, expectedAudience: string, nowMs: number): IdTokenClaims {
  const parts = idToken.split('.');
  if (parts.length !== 3 || !parts[1]) throw invalid('it is not a JWT');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw invalid('its payload is not JSON');
  }
  if (typeof payload !== 'object' || payload === null) throw invalid('its payload is not an object');
  const p = payload as Record<string, unknown>;
  const sub = p['sub'];
  if (typeof sub !== 'string' || !sub) throw invalid('it has no subject');
  const aud = p['aud'];
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expectedAudience)) {
    throw new AuthError('invalidIdToken', 'The sign-in answer was issued for a different OAuth client (ID token audience mismatch). Check gemini.oauth.clientId and the token endpoint setting.');
  }
  const exp = p['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('it has no expiry');
  if (exp * 1000 + CLOCK_SKEW_TOLERANCE_MS < nowMs) {
    throw new AuthError('invalidIdToken', "The sign-in answer has already expired. Check that this computer's clock is correct, then sign in again.");
  }
  const email = typeof p['email'] === 'string' && p['email'] ? p['email'] : undefined;
  return {
    sub,
    aud: expectedAudience,
    exp,
    ...(email ? { email } : {}),
    ...(typeof p['iss'] === 'string' ? { iss: p['iss'] } : {}),
  };
}

function invalid(why: string): AuthError {
  return new AuthError('invalidIdToken', `The ID token in the sign-in answer is unusable (${why}). Try signing in again.`);
}
