import { OAuth2Client, gaxios } from './googleAuthLibrary';
import type { OAuthClientCredentials } from './clientConfig';
import type { OAuthEndpoints } from './endpoints';
import { AuthError } from './errors';

// The only module that talks HTTP to Google's OAuth endpoints. It uses google-auth-library's OAuth2Client with
// every endpoint overridden, and a request interceptor that refuses any URL other than the four configured
// ones, so neither the library nor a mistake here can reach certificates, metadata or any other host.
// ID tokens are not verified against Google's certificates: see idToken.ts.

export interface TokenResponse {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch ms, on the caller's clock. */
  readonly expiresAt: number;
  /** The `scope` the server granted (space-separated), if it said. */
  readonly scope?: string;
  readonly idToken?: string;
}

export interface UserInfo {
  readonly sub: string;
  readonly email?: string;
  readonly email_verified?: boolean;
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
const TARGET_NAME: Record<Target, string> = { token: 'token endpoint', revocation: 'revocation endpoint', userinfo: 'userinfo endpoint' };
const DEFAULT_EXPIRES_IN_S = 3600;

/** OAuth2Client with the refresh call (protected in the library) made reachable. */
class ConfiguredOAuth2Client extends OAuth2Client {
  refreshWith(refreshToken: string) {
    return this.refreshTokenNoCache(refreshToken);
  }
}

export class TokenClient {
  private readonly now: () => number;
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly options: TokenClientOptions) {
    this.now = options.now ?? Date.now;
    const e = options.endpoints;
    this.allowed = new Set([e.token, e.revocation, e.userinfo, e.authorization].map(stripQuery));
  }

  /** Authorization-code grant with PKCE. */
  async exchangeCode(params: { code: string; codeVerifier: string; redirectUri: string; signal?: AbortSignal }): Promise<TokenResponse> {
    const client = this.createClient(params.signal);
    try {
      const { tokens } = await client.getToken({ code: params.code, codeVerifier: params.codeVerifier, redirect_uri: params.redirectUri });
      return this.toTokenResponse(tokens as Record<string, unknown>, 'exchange');
    } catch (err) {
      throw this.mapError(err, 'token', 'exchange');
    }
  }

  /** Refresh-token grant. An `invalidGrant` AuthError means the refresh token is dead. */
  async refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenResponse> {
    const client = this.createClient(signal);
    try {
      const { tokens } = await client.refreshWith(refreshToken);
      return this.toTokenResponse(tokens as Record<string, unknown>, 'refresh');
    } catch (err) {
      throw this.mapError(err, 'token', 'refresh');
    }
  }

  /** POSTs `token=…` as a form (not in the URL, where proxies would log it). */
  async revoke(token: string, signal?: AbortSignal): Promise<void> {
    const client = this.createClient(signal);
    try {
      await client.transporter.request({ url: this.options.endpoints.revocation, method: 'POST', data: new URLSearchParams({ token }), responseType: 'text' });
    } catch (err) {
      throw this.mapError(err, 'revocation', 'revoke');
    }
  }

  async userinfo(accessToken: string, signal?: AbortSignal): Promise<UserInfo> {
    const client = this.createClient(signal);
    let data: unknown;
    try {
      const res = await client.transporter.request({
        url: this.options.endpoints.userinfo,
        method: 'GET',
        headers: { Authorization: `Bearer ${accessToken}` },
        responseType: 'json',
      });
      data = res.data;
    } catch (err) {
      throw this.mapError(err, 'userinfo', 'userinfo');
    }
    const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
    if (typeof d['sub'] !== 'string' || !d['sub']) {
      throw new AuthError('noIdentity', 'The userinfo endpoint did not say which account signed in. Check gemini.oauth.userinfoEndpoint.');
    }
    const ev = d['email_verified'];
    return {
      sub: d['sub'],
      ...(typeof d['email'] === 'string' && d['email'] ? { email: d['email'] } : {}),
      ...(typeof ev === 'boolean' ? { email_verified: ev } : ev === 'true' ? { email_verified: true } : {}),
    };
  }

  private createClient(signal: AbortSignal | undefined): ConfiguredOAuth2Client {
    const { endpoints, client } = this.options;
    const oauth = new ConfiguredOAuth2Client({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      endpoints: {
        oauth2AuthBaseUrl: endpoints.authorization,
        oauth2TokenUrl: endpoints.token,
        oauth2RevokeUrl: endpoints.revocation,
        // Never used (we neither verify nor introspect tokens); pointed at the token endpoint so that even a
        // stray call could not reach a Google host the user did not configure. The interceptor refuses them.
        tokenInfoUrl: endpoints.token,
        oauth2FederatedSignonPemCertsUrl: endpoints.token,
        oauth2FederatedSignonJwkCertsUrl: endpoints.token,
        oauth2IapPublicKeyUrl: endpoints.token,
      },
      transporterOptions: {
        fetchImplementation: (input, init) => fetch(input, init),
        timeout: this.options.requestTimeoutMs ?? 30_000,
      },
    });
    const retries = this.options.retries ?? 1;
    const allowed = this.allowed;
    oauth.transporter.interceptors.request.add({
      resolved: async (config: gaxios.GaxiosOptionsPrepared) => {
        const target = stripQuery(config.url.toString());
        if (!allowed.has(target)) {
          throw new AuthError('invalidEndpoint', 'Refused to send a sign-in request to a URL that is not one of the configured OAuth endpoints.');
        }
        config.retryConfig = { ...config.retryConfig, retry: retries, noResponseRetries: retries, retryDelay: 200, currentRetryAttempt: config.retryConfig?.currentRetryAttempt ?? 0 };
        if (signal) config.signal = config.signal ? AbortSignal.any([config.signal, signal]) : signal;
        return config;
      },
    });
    return oauth;
  }

  private toTokenResponse(tokens: Record<string, unknown>, op: 'exchange' | 'refresh'): TokenResponse {
    const accessToken = tokens['access_token'];
    if (typeof accessToken !== 'string' || !accessToken) {
      throw new AuthError('tokenEndpointError', `The token endpoint's answer has no access token (${op}). Check gemini.oauth.tokenEndpoint.`);
    }
    const tokenType = tokens['token_type'];
    if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
      throw new AuthError('tokenEndpointError', `The token endpoint issued an unsupported token type. Check gemini.oauth.tokenEndpoint.`);
    }
    // google-auth-library turns expires_in into expiry_date on its own clock (Date.now()); carry the
    // remaining lifetime over to ours.
    const expiryDate = tokens['expiry_date'];
    const lifetimeMs = typeof expiryDate === 'number' ? Math.max(0, expiryDate - Date.now()) : DEFAULT_EXPIRES_IN_S * 1000;
    const refreshToken = tokens['refresh_token'];
    const scope = tokens['scope'];
    const idToken = tokens['id_token'];
    return {
      accessToken,
      expiresAt: this.now() + lifetimeMs,
      ...(typeof refreshToken === 'string' && refreshToken ? { refreshToken } : {}),
      ...(typeof scope === 'string' ? { scope } : {}),
      ...(typeof idToken === 'string' && idToken ? { idToken } : {}),
    };
  }

  private mapError(err: unknown, target: Target, op: 'exchange' | 'refresh' | 'revoke' | 'userinfo'): AuthError {
    if (err instanceof AuthError) return err;
    const name = TARGET_NAME[target];
    const host = safeHost(this.options.endpoints[target]);
    if (isAbort(err)) {
      return new AuthError('cancelled', 'Sign-in was cancelled.', { cause: sanitizedCause(err) });
    }
    if (err instanceof gaxios.GaxiosError && err.response) {
      const status = err.response.status;
      const data = err.response.data as unknown;
      const oauthError = typeof data === 'object' && data !== null && typeof (data as Record<string, unknown>)['error'] === 'string' ? String((data as Record<string, unknown>)['error']) : undefined;
      const code = oauthError && /^[\w.-]{1,64}$/.test(oauthError) ? oauthError : undefined;
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
    const netCode = networkCode(err);
    return new AuthError(
      'tokenEndpointUnreachable',
      `Could not reach the ${name} (${host})${netCode ? `: ${netCode}` : ''}. Check your network connection and proxy settings, then try again.`,
      { cause: sanitizedCause(err) },
    );
  }
}

function stripQuery(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  return u.toString();
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown host';
  }
}

function isAbort(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    const name = (e as { name?: unknown }).name;
    const code = (e as { code?: unknown }).code;
    if (name === 'AbortError' || code === 'AbortError' || code === 'ABORT_ERR') return true;
  }
  return false;
}

function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+|TimeoutError)$/.test(code)) return code;
    if ((e as { name?: unknown }).name === 'TimeoutError') return 'timeout';
  }
  return undefined;
}

/** Keeps only safe fields of a transport error (its config holds the request body with secrets). */
function sanitizedCause(err: unknown): { code?: string } {
  const code = networkCode(err);
  return code ? { code } : {};
}
