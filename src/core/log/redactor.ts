// Removes secrets from text before it reaches a log or an error message. Two layers:
// 1. exact strings registered at runtime (the API key, access/refresh tokens, auth codes, PKCE verifiers,
//    client secrets) — the owner of a secret registers it the moment it learns it;
// 2. generic patterns for Google credentials that were never registered (a key pasted into a URL, a
//    token echoed by a proxy), so a forgotten registration still does not leak the common shapes.

import type { Disposable } from '../common/events';

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not registered: replacing them would garble ordinary words. */
const MIN_SECRET_LENGTH = 6;

const GENERIC_PATTERNS: readonly [RegExp, string][] = [
  // Authorization header values, whatever the token looks like.
  [/\b(Bearer|Basic)\s+(?!\[redacted\])[^\s"',;]+/gi, `$1 ${REDACTED}`],
  // Gemini API keys: standard keys (AIza…) and authorization keys (AQ. + base64url). An authorization key
  // needs 20+ characters after "AQ." and no letter or digit before it, so words like "AQUA" or "AQ." survive.
  [/AIza[0-9A-Za-z_-]{35}/g, REDACTED],
  [/(?<![0-9A-Za-z_-])AQ\.[0-9A-Za-z_-]{20,}(?:\.[0-9A-Za-z_-]+)*/g, REDACTED],
  // Google OAuth access tokens and refresh tokens.
  [/\bya29\.[0-9A-Za-z_.-]+/g, REDACTED],
  [/(^|[^0-9A-Za-z])1\/\/[0-9A-Za-z_-]{10,}/g, `$1${REDACTED}`],
  // Google OAuth client secrets.
  [/\bGOCSPX-[0-9A-Za-z_-]+/g, REDACTED],
  // JWTs (ID tokens).
  [/\beyJ[0-9A-Za-z_-]{4,}\.[0-9A-Za-z_-]{4,}\.[0-9A-Za-z_-]*/g, REDACTED],
  // Credentials in query strings or form bodies.
  [
    /([?&](?:key|api_key|access_token|refresh_token|id_token|code|code_verifier|client_secret|token)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  ],
  // Header dumps.
  [/(x-goog-api-key["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, `$1${REDACTED}`],
];

/** Replaces the generic credential shapes only (no registered secrets). */
export function scrubGenericSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of GENERIC_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export class Redactor {
  private readonly secrets = new Map<string, number>();
  private sorted: string[] | undefined;

  /**
   * Registers a secret (and its URL-encoded form). Returns a Disposable that unregisters it; a secret
   * registered twice stays registered until both registrations are disposed.
   */
  add(secret: string | undefined | null): Disposable {
    const value = secret?.trim();
    if (!value || value.length < MIN_SECRET_LENGTH) return { dispose() {} };
    const forms = new Set([value, encodeURIComponent(value)]);
    for (const form of forms) this.secrets.set(form, (this.secrets.get(form) ?? 0) + 1);
    this.sorted = undefined;
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        for (const form of forms) {
          const n = (this.secrets.get(form) ?? 1) - 1;
          if (n <= 0) this.secrets.delete(form);
          else this.secrets.set(form, n);
        }
        this.sorted = undefined;
      },
    };
  }

  scrub(text: string): string {
    this.sorted ??= [...this.secrets.keys()].sort((a, b) => b.length - a.length);
    let out = text;
    for (const secret of this.sorted) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return scrubGenericSecrets(out);
  }
}
