import { safeHost } from '../common/url';
import { isObject } from '../common/values';
import { GeminiError } from '../gemini/errors';
import { sendHttpRequest } from '../gemini/http';
import type { OAuthClientCredentials } from './clientConfig';
import type { OAuthEndpoints } from './endpoints';
import { AuthError, oauthErrorCode } from './errors';

// The only module that talks HTTP to Google's OAuth endpoints: three form POSTs and one GET on the extension's
// own transport (gemini/http.ts), so proxy handling, timeouts and cancellation are those of every other request.
// Nothing here logs, and a redirect is never followed: a 3xx answer is an error, so a refresh token, code or
// client secret reaches exactly the URL it was sent to. ID tokens are not verified against Google's
// certificates: see idToken.ts.

export interface TokenResponse {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms, on the caller's clock. */
  readonly expiresAt: number;
  /** The `scope` the server granted (space-separated), if it said. */
  readonly scope?: string;
  readonly idToken?: string;
}

export interface TokenClientOptions {
  readonly client: OAuthClientCredentials;
  readonly endpoints: OAuthEndpoints;
  readonly now?: () => number;
  /** Retries of 5xx / network failures (with a short backoff). Default 1. */
  readonly retries?: number;
  /** Per-request timeout. Default 30 s. */
  readonly requestTimeoutMs?: number;
}

type Target = 'token' | 'revocation' | 'userinfo';
type Operation = 'exchange' | 'refresh' | 'revoke' | 'userinfo';
const TARGET_NAME: Record<Target, string> = { token: 'token endpoint', revocation: 'revocation endpoint', userinfo: 'userinfo endpoint' };
const DEFAULT_EXPIRES_IN_S = 3600;
const MAX_ANSWER_BYTES = 64 * 1024;
const RETRY_DELAY_MS = 200;

/** What the revocation endpoint said: revoked now, or the token was already invalid (400 `invalid_token`). */
export type RevocationOutcome = 'revoked' | 'alreadyInvalid';

interface Answer {
  readonly status: number;
  /** The parsed JSON body, or undefined when it was not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

export class TokenClient {
  private readonly now: () => number;

  constructor(private readonly options: TokenClientOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Authorization-code grant with PKCE. */
  async exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string; signal?: AbortSignal }): Promise<TokenResponse> {
    const answer = await this.post('token', 'exchange', {
      grant_type: 'authorization_code',
      code: params.code,
      code_verifier: params.codeVerifier,
      redirect_uri: params.redirectUri,
      client_id: this.options.client.clientId,
      client_secret: this.options.client.clientSecret,
    }, params.signal);
    return this.toTokenResponse(answer, 'exchange');
  }

  /** Refresh-token grant. An `invalidGrant` AuthError means the refresh token is dead. */
  async refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenResponse> {
    const answer = await this.post('token', 'refresh', {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.options.client.clientId,
      client_secret: this.options.client.clientSecret,
    }, signal);
    return this.toTokenResponse(answer, 'refresh');
  }

  /** JWT-bearer grant (RFC 7523): a service account's signed assertion stands in for client credentials. */
  async jwtBearer(assertion: string, signal?: AbortSignal): Promise<TokenResponse> {
    const answer = await this.post('token', 'refresh', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }, signal);
    return this.toTokenResponse(answer, 'refresh');
  }

  /** POSTs `token=…` as a form (not in the URL, where proxies would log it); client credentials are not sent. */
  async revoke(token: string, signal?: AbortSignal): Promise<RevocationOutcome> {
    try {
      await this.post('revocation', 'revoke', { token }, signal);
      return 'revoked';
    } catch (err) {
      if (err instanceof AuthError && (err.cause as { error?: unknown } | undefined)?.error === 'invalid_token') return 'alreadyInvalid';
      throw err;
    }
  }

  async userinfo(accessToken: string, signal?: AbortSignal): Promise<{ readonly sub: string; readonly email?: string }> {
    const answer = await this.send('userinfo', 'userinfo', { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } }, signal);
    const d = answer.json ?? {};
    if (typeof d['sub'] !== 'string' || !d['sub']) {
      throw new AuthError('noIdentity', 'The userinfo endpoint did not say which account signed in. Check gemini.oauth.userinfoEndpoint.');
    }
    return { sub: d['sub'], ...(typeof d['email'] === 'string' && d['email'] ? { email: d['email'] } : {}) };
  }

  private post(target: Target, op: Operation, form: Record<string, string>, signal: AbortSignal | undefined): Promise<Answer> {
    return this.send(target, op, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() }, signal);
  }

  /** One request with retries of 5xx and network failures; any other non-2xx answer becomes an AuthError. */
  private async send(
    target: Target,
    op: Operation,
    request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
    signal: AbortSignal | undefined,
  ): Promise<Answer> {
    const retries = this.options.retries ?? 1;
    for (let attempt = 0; ; attempt++) {
      let error: AuthError;
      try {
        const answer = await this.sendOnce(target, request, signal);
        if (answer.status >= 200 && answer.status < 300) return answer;
        error = this.httpError(answer, target, op);
      } catch (err) {
        error = err instanceof AuthError ? err : this.transportError(err, target);
      }
      if (!isRetryable(error) || attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }

  private async sendOnce(target: Target, request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }, signal: AbortSignal | undefined): Promise<Answer> {
    const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
    const res = await sendHttpRequest({
      method: request.method,
      url: new URL(this.options.endpoints[target]),
      headers: { accept: 'application/json', 'user-agent': 'gemini-vscode', ...request.headers },
      body: request.body,
      signal,
      connectTimeoutMs: timeoutMs,
      idleTimeoutMs: timeoutMs,
    });
    if (res.status >= 300 && res.status < 400) {
      res.close();
      throw new AuthError(
        'tokenEndpointError',
        `The ${TARGET_NAME[target]} (${safeHost(this.options.endpoints[target])}) answered with a redirect (HTTP ${res.status}). Sign-in requests are never forwarded to another address: check the gemini.oauth settings.`,
        { cause: { status: res.status } },
      );
    }
    const text = await res.text(MAX_ANSWER_BYTES);
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (isObject(parsed)) json = parsed;
    } catch {
      // not JSON: handled below
    }
    return { status: res.status, json };
  }

  private toTokenResponse(answer: Answer, op: 'exchange' | 'refresh'): TokenResponse {
    const tokens = answer.json ?? {};
    const accessToken = tokens['access_token'];
    if (typeof accessToken !== 'string' || !accessToken) {
      throw new AuthError('tokenEndpointError', `The token endpoint's answer has no access token (${op}). Check gemini.oauth.tokenEndpoint.`);
    }
    const tokenType = tokens['token_type'];
    if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
      throw new AuthError('tokenEndpointError', `The token endpoint issued an unsupported token type. Check gemini.oauth.tokenEndpoint.`);
    }
    const expiresIn = Number(tokens['expires_in']);
    const lifetimeS = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S;
    const refreshToken = tokens['refresh_token'];
    const scope = tokens['scope'];
    const idToken = tokens['id_token'];
    return {
      accessToken,
      expiresAt: this.now() + lifetimeS * 1000,
      ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
      ...(typeof scope === 'string' ? { scope } : {}),
      ...(typeof idToken === 'string' && idToken ? { idToken } : {}),
    };
  }

  private httpError(answer: Answer, target: Target, op: Operation): AuthError {
    const name = TARGET_NAME[target];
    const host = safeHost(this.options.endpoints[target]);
    const status = answer.status;
    const oauthError = answer.json?.['error'];
    const code = oauthErrorCode(oauthError);
    const cause = { status, error: code };
    if (code === 'invalid_grant') {
      return op === 'refresh'
        ? new AuthError('invalidGrant', 'Your Google sign-in has expired or was revoked. Sign in again.', { cause })
        : new AuthError('invalidGrant', 'Google rejected the authorization code (invalid_grant): it may have expired or been used already, or the PKCE check failed. Sign in again.', { cause });
    }
    if (code === 'invalid_client' || code === 'unauthorized_client') {
      return new AuthError(
        'invalidClient',
        `Google rejected the OAuth client (${code}). The client secret may be wrong, or the client ID may not be a "Desktop app" client: run "Gemini: Configure OAuth Client" to enter them again.`,
        { cause },
      );
    }
    if (status === 401 && target === 'userinfo') {
      return new AuthError('noIdentity', `The ${name} (${host}) refused the new access token (HTTP 401). Sign in again.`, { cause });
    }
    if (status >= 500) {
      return new AuthError('tokenEndpointError', `The ${name} (${host}) is having problems (HTTP ${status}). Try again in a moment.`, { cause });
    }
    return new AuthError('tokenEndpointError', `The ${name} (${host}) answered HTTP ${status}${code ? ` (${code})` : ''}. Check the gemini.oauth settings and try again.`, { cause });
  }

  /** The transport's failures (network, timeout, cancelled) as AuthErrors that keep no request detail. */
  private transportError(err: unknown, target: Target): AuthError {
    if (err instanceof GeminiError && err.kind === 'cancelled') return new AuthError('cancelled', 'Sign-in was cancelled.');
    const detail = err instanceof GeminiError && err.kind === 'timeout' ? 'timeout' : networkCode(err);
    return new AuthError(
      'tokenEndpointUnreachable',
      `Could not reach the ${TARGET_NAME[target]} (${safeHost(this.options.endpoints[target])})${detail ? `: ${detail}` : ''}. Check your network connection and proxy settings, then try again.`,
      { cause: detail ? { code: detail } : {} },
    );
  }
}

/** Network failures and 5xx answers; never a 3xx, 4xx or cancellation. */
function isRetryable(error: AuthError): boolean {
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  return error.code === 'tokenEndpointUnreachable' || (error.code === 'tokenEndpointError' && typeof status === 'number' && status >= 500);
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+|TimeoutError)$/.test(code)) return code;
    if ((e as { name?: unknown }).name === 'TimeoutError') return 'timeout';
  }
  return undefined;
}
