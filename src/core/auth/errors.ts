// Every failure of the OAuth core is an AuthError with a stable `code` the adapter can switch on and a
// `userMessage` it can show as is. Messages never contain a secret (code, verifier, token, client secret).

export type AuthErrorCode =
  | 'cancelled' // the user cancelled; the adapter stays silent
  | 'timeout'
  | 'denied' // the user pressed "Deny" / "Cancel" on Google's consent page
  | 'authorizationError' // Google redirected back with an error other than access_denied
  | 'browserNotOpened'
  | 'stateMismatch'
  | 'invalidRedirectUrl' // the pasted URL is not the redirect URL
  | 'loopbackListenFailed'
  | 'tokenEndpointUnreachable'
  | 'tokenEndpointError' // 5xx or an unexpected answer
  | 'invalidClient' // wrong client id / secret
  | 'invalidGrant' // code or refresh token rejected
  | 'invalidIdToken'
  | 'noIdentity'
  | 'clientNotConfigured'
  | 'invalidClientSecretJson'
  | 'invalidEndpoint'
  | 'sessionNotFound'
  | 'scopesNotOffered' // another extension asked for scopes outside gemini.oauth.scopes
  | 'sessionExpired'; // a refresh was answered invalid_grant: the session is gone, sign in again

export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    readonly code: AuthErrorCode,
    /** Short, actionable, safe to show to the user and to log. */
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

export function isAuthError(err: unknown, code?: AuthErrorCode): err is AuthError {
  return err instanceof AuthError && (code === undefined || err.code === code);
}

/** An OAuth `error` code as sent (e.g. `invalid_grant`) if it looks like one; undefined for anything else. */
export function oauthErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;
}

/** The error for a redirect that came back with `?error=` instead of a code (loopback or pasted). */
export function redirectError(error: string): AuthError {
  if (error === 'access_denied') {
    return new AuthError('denied', 'Sign-in was cancelled in the browser: access was not granted. Sign in again and choose "Allow" to use Gemini with your Google account.');
  }
  return new AuthError('authorizationError', `Google could not authorize the sign-in (${oauthErrorCode(error) ?? 'unknown_error'}). Check the OAuth client configuration and try again.`);
}
