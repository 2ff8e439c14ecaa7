import type { Logger } from '../common/logger';
import type { OAuthClientCredentials } from './clientConfig';
import { formatDuration } from '../common/text';
import { isLoopbackHost } from '../common/url';
import type { OAuthEndpoints } from './endpoints';
import { AuthError, redirectError } from './errors';
import { decodeIdToken, type IdTokenClaims } from './idToken';
import { LoopbackServer } from './loopbackServer';
import type { AuthPages } from './pages';
import { createPkcePair, createState, type PkcePair } from './pkce';
import { ScopeSet } from './scopes';
import type { StoredSession } from './sessionStore';
import { TokenClient } from './tokenClient';

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

/** What the sign-in needs from the UI; the VS Code adapter implements it with openExternal, progress and an input box. */
export interface SignInUi {
  /**
   * Opens the system browser at `url` (a loopback address that redirects to the authorization request);
   * false when it could not (or the user declined). `request` is what the browser will be sent to, for
   * checking a pasted redirect URL against its state.
   */
  openBrowser(url: string, request: { authorizationUrl: string; state: string }): Promise<boolean>;
  /**
   * The fallback for remote setups: resolves with the URL the user pasted (the address the browser was redirected
   * to). Resolving with undefined (input box dismissed) just leaves the loopback listener waiting.
   */
  pastedRedirectUrl?: Promise<string | undefined>;
  /** Aborting cancels the sign-in (AuthError `cancelled`). */
  signal?: AbortSignal;
  /** Default 5 minutes. */
  timeoutMs?: number;
}

export interface SignInOptions {
  readonly client: OAuthClientCredentials;
  readonly endpoints: OAuthEndpoints;
  readonly scopes: ScopeSet;
  readonly ui: SignInUi;
  readonly pages: AuthPages;
  readonly log: Logger;
  readonly now?: () => number;
  /** Pre-selects an account on Google's chooser (e.g. re-signing an expired account). */
  readonly loginHint?: string;
  /** Retries of the token exchange on 5xx/network errors; default 1. */
  readonly tokenRetries?: number;
}

export interface Account {
  /** Google's `sub`. */
  readonly id: string;
  /** The email address. */
  readonly label: string;
}

export interface SignInResult {
  readonly account: Account;
  readonly tokens: Pick<StoredSession, 'accessToken' | 'refreshToken' | 'expiresAt' | 'scopes' | 'idTokenClaims'>;
}

/** The authorization request: code + PKCE, offline access (a refresh token), and Google's account chooser. */
function authorizationUrl(opts: SignInOptions, redirectUri: string, state: string, pkce: PkcePair): string {
  const url = new URL(opts.endpoints.authorization);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: opts.client.clientId,
    redirect_uri: redirectUri,
    scope: opts.scopes.toParam(),
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: pkce.method,
    access_type: 'offline',
    prompt: 'consent select_account',
  };
  if (opts.loginHint) params['login_hint'] = opts.loginHint;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

const NOT_A_REDIRECT_URL =
  'That is not the URL the browser was redirected to. After you choose "Allow", the browser goes to an address that starts with ' +
  'http://127.0.0.1: (the page may fail to load); copy that whole address from the address bar and paste it here.';

/**
 * Validates a pasted redirect URL against this attempt's `state` and returns the authorization code.
 * Throws AuthError `invalidRedirectUrl`, `stateMismatch`, `denied` or `authorizationError`.
 */
export function parsePastedRedirectUrl(text: string, expectedState: string, authorizationEndpoint?: string): { code: string } {
  const trimmed = text.trim().replace(/^<|>$/g, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new AuthError('invalidRedirectUrl', NOT_A_REDIRECT_URL);
  }
  if (authorizationEndpoint && sameOriginAndPath(url, authorizationEndpoint)) {
    throw new AuthError(
      'invalidRedirectUrl',
      'That is the sign-in link itself. Open it in a browser, choose your account and "Allow", then paste the address the browser ends up on (it starts with http://127.0.0.1:).',
    );
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname)) {
    throw new AuthError('invalidRedirectUrl', NOT_A_REDIRECT_URL);
  }
  const state = url.searchParams.get('state');
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (!state && !code && !error) throw new AuthError('invalidRedirectUrl', NOT_A_REDIRECT_URL);
  if (state !== expectedState) {
    throw new AuthError(
      'stateMismatch',
      'That URL belongs to a different sign-in attempt (its state does not match). Paste the address from the browser tab opened for this sign-in, or start again.',
    );
  }
  if (error) throw redirectError(error);
  if (!code) throw new AuthError('invalidRedirectUrl', 'That URL has no authorization code. Copy the complete address from the address bar, including everything after "?".');
  return { code };
}

function sameOriginAndPath(url: URL, other: string): boolean {
  try {
    const o = new URL(other);
    return url.origin === o.origin && url.pathname === o.pathname;
  } catch {
    return false;
  }
}

/** Runs the whole authorization-code + PKCE sign-in: listener, browser, wait, exchange, identity. */
export async function runSignInFlow(opts: SignInOptions): Promise<SignInResult> {
  const { log, ui } = opts;
  const now = opts.now ?? Date.now;
  if (ui.signal?.aborted) throw new AuthError('cancelled', 'Sign-in was cancelled.');
  const state = createState();
  const pkce = createPkcePair();
  log.info(`[signIn] starting (scopes: ${opts.scopes.toParam()})`);
  const server = await LoopbackServer.start({ expectedState: state, pages: opts.pages, log });
  const cleanups: (() => void)[] = [() => server.dispose()];
  try {
    const authUrl = authorizationUrl(opts, server.redirectUri, state, pkce);
    log.info(`[signIn] waiting for the redirect on ${server.redirectUri}`);

    const waiters: Promise<{ code: string; via: string }>[] = [server.result.then((r) => ({ code: r.code, via: 'loopback redirect' }))];

    // Browser: failing to open is fatal only when there is no paste fallback.
    waiters.push(
      Promise.resolve()
        .then(() => ui.openBrowser(server.serveSignIn(authUrl), { authorizationUrl: authUrl, state }))
        .then(
          (opened) => opened,
          () => false,
        )
        .then((opened) => {
          if (opened) {
            log.info('[signIn] opened the browser');
          } else if (!ui.pastedRedirectUrl) {
            throw new AuthError('browserNotOpened', 'Could not open the browser for sign-in. Check your default browser, or sign in from a window where a browser is available.');
          } else {
            log.info('[signIn] the browser was not opened; waiting for a pasted redirect URL');
          }
          return never<{ code: string; via: string }>();
        }),
    );

    if (ui.pastedRedirectUrl) {
      waiters.push(
        ui.pastedRedirectUrl.then((text) => {
          if (text === undefined) return never();
          return { ...parsePastedRedirectUrl(text, state, opts.endpoints.authorization), via: 'pasted URL' };
        }),
      );
    }

    const timeoutMs = ui.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
    waiters.push(
      new Promise((_, reject) => {
        const t = setTimeout(
          () => reject(new AuthError('timeout', `Sign-in timed out after ${formatDuration(timeoutMs)} without an answer from the browser. Try again; if the browser runs on another machine, use "Copy sign-in link" and "Paste Redirect URL…" while the sign-in waits.`)),
          timeoutMs,
        );
        cleanups.push(() => clearTimeout(t));
      }),
    );

    if (ui.signal) {
      const signal = ui.signal;
      waiters.push(
        new Promise((_, reject) => {
          const onAbort = () => reject(new AuthError('cancelled', 'Sign-in was cancelled.'));
          signal.addEventListener('abort', onAbort, { once: true });
          cleanups.push(() => signal.removeEventListener('abort', onAbort));
        }),
      );
    }

    let received: { code: string; via: string };
    try {
      received = await Promise.race(waiters);
    } catch (err) {
      log.info(`[signIn] ended without an authorization code: ${err instanceof AuthError ? err.code : 'error'}`);
      throw err;
    }
    server.dispose();
    log.info(`[signIn] received the authorization response (${received.via}); exchanging the code`);

    const tokenClient = new TokenClient({ client: opts.client, endpoints: opts.endpoints, now, retries: opts.tokenRetries });
    const tokens = await tokenClient.exchangeCode({ code: received.code, codeVerifier: pkce.verifier, redirectUri: server.redirectUri, signal: ui.signal });
    if (!tokens.refreshToken) {
      throw new AuthError(
        'tokenEndpointError',
        'Google did not return a refresh token, so the session could not outlive this hour. Remove Gemini\'s access at https://myaccount.google.com/permissions and sign in again.',
      );
    }
    const granted = tokens.scope !== undefined ? ScopeSet.from(tokens.scope) : opts.scopes;
    const missing = opts.scopes.missingFrom(granted);
    if (missing.length) log.warn(`[signIn] Google granted fewer scopes than requested; missing: ${missing.join(' ')}`);
    log.info(`[signIn] received tokens (access token valid ${Math.round((tokens.expiresAt - now()) / 1000)}s)`);

    const identity = await resolveIdentity(tokens.accessToken, tokens.idToken, opts.client.clientId, now(), tokenClient, log);
    log.info(`[signIn] signed in as ${identity.account.label}`);
    return {
      account: identity.account,
      tokens: {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        scopes: granted.scopes,
        ...(identity.claims ? { idTokenClaims: identity.claims } : {}),
      },
    };
  } finally {
    for (const c of cleanups.reverse()) c();
  }
}

/** The account from the ID token, or from the userinfo endpoint when the token carries no email. */
export async function resolveIdentity(
  accessToken: string,
  idToken: string | undefined,
  clientId: string,
  nowMs: number,
  tokenClient: TokenClient,
  log: Logger,
): Promise<{ account: Account; claims?: IdTokenClaims }> {
  const claims = idToken ? decodeIdToken(idToken, clientId, nowMs) : undefined;
  if (claims?.email) return { account: { id: claims.sub, label: claims.email }, claims };
  log.info(`[signIn] ${claims ? 'the ID token has no email' : 'no ID token'}; asking the userinfo endpoint`);
  const info = await tokenClient.userinfo(accessToken);
  if (claims && info.sub !== claims.sub) {
    throw new AuthError('noIdentity', 'The userinfo endpoint described a different account than the ID token. Check gemini.oauth.userinfoEndpoint.');
  }
  if (!info.email) {
    log.warn('[signIn] no email address was shared; add the "email" scope to gemini.oauth.scopes to show it');
  }
  return { account: { id: info.sub, label: info.email ?? `Google account ${info.sub}` }, ...(claims ? { claims } : {}) };
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
