// Access tokens for imported Application Default Credentials, on the extension's own transport (gemini/http.ts)
// like every other OAuth call: an `authorized_user` file refreshes with the ordinary refresh grant at
// `gemini.oauth.tokenEndpoint`; a `service_account` key signs a short-lived RS256 JWT with node:crypto and trades
// it at the key file's `token_uri` (RFC 7523). Both endpoints pass the same policy as the OAuth endpoint settings,
// no redirect is followed, and nothing here logs. A token is cached until a minute before it expires, and
// however many requests wait, one token request is in flight.

import { createPrivateKey, sign } from 'node:crypto';
import { checkEndpointUrl } from '../auth/endpoints';
import { GeminiError, actions, isGeminiError } from '../gemini/errors';
import { sendHttpRequest } from '../gemini/http';
import type { AdcCredentials } from './adcFile';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const ASSERTION_LIFETIME_S = 3600;
const REFRESH_MARGIN_MS = 60_000;
const TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 64 * 1024;
const AGAIN = "Run 'gcloud auth application-default login' (or download a new key) and import the credentials again with 'Gemini: Use Application Default Credentials'.";

export interface AdcToken {
  readonly accessToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** The ID token, when the grant returned one (an authorized_user grant with the `email` scope). */
  readonly idToken?: string;
}

/** The signed JWT-bearer assertion of a service account: `iss` the account, `aud` the token endpoint. */
export function serviceAccountAssertion(credentials: Extract<AdcCredentials, { type: 'service_account' }>, nowMs: number, scopes: readonly string[] = [CLOUD_PLATFORM_SCOPE]): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(credentials.privateKeyId && { kid: credentials.privateKeyId }) };
  const claims = { iss: credentials.clientEmail, scope: scopes.join(' '), aud: credentials.tokenUri, iat, exp: iat + ASSERTION_LIFETIME_S };
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  let key;
  try {
    key = createPrivateKey(credentials.privateKey);
  } catch {
    throw adcError('The service account key file has a private key that cannot be read. Download a new key in the Cloud console and import it again.');
  }
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

/** One token request: the refresh grant for a user, the JWT-bearer grant for a service account. */
export async function requestAdcToken(credentials: AdcCredentials, tokenEndpoint: string, now: () => number, signal?: AbortSignal): Promise<AdcToken> {
  const [endpoint, setting] = credentials.type === 'service_account' ? [credentials.tokenUri, "the key file's token_uri"] : [tokenEndpoint, 'gemini.oauth.tokenEndpoint'];
  const problem = checkEndpointUrl(endpoint, setting);
  if (problem) throw adcError(`${problem} Nothing was sent.`);
  const form: Record<string, string> =
    credentials.type === 'service_account'
      ? { grant_type: JWT_BEARER_GRANT, assertion: serviceAccountAssertion(credentials, now()) }
      : { grant_type: 'refresh_token', refresh_token: credentials.refreshToken, client_id: credentials.clientId, client_secret: credentials.clientSecret };
  const url = new URL(endpoint.trim());
  let status: number;
  let text: string;
  try {
    const res = await sendHttpRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': 'gemini-vscode' },
      body: new URLSearchParams(form).toString(),
      ...(signal && { signal }),
      connectTimeoutMs: TIMEOUT_MS,
      idleTimeoutMs: TIMEOUT_MS,
    });
    status = res.status;
    if (status >= 300 && status < 400) {
      res.close();
      throw adcError(`The token endpoint ${url.host} answered with a redirect (HTTP ${status}); credentials are never forwarded. Nothing more was sent.`);
    }
    text = await res.text(MAX_ANSWER_BYTES);
  } catch (err) {
    if (isGeminiError(err) && (err.kind === 'cancelled' || err.kind === 'unauthenticated')) throw err;
    throw adcError(`Could not reach the token endpoint ${url.host} (${isGeminiError(err) ? err.kind : 'network error'}). Check your connection and try again.`, err);
  }
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // not JSON: handled by the status below
  }
  const code = typeof json.error === 'string' && /^[\w.-]{1,64}$/.test(json.error) ? json.error : undefined;
  if (status < 200 || status >= 300) {
    if (code === 'invalid_grant') throw adcError(`Google refused the Application Default Credentials (invalid_grant): they were revoked, expired, or the key was deleted. ${AGAIN}`);
    if (code === 'invalid_client' || code === 'unauthorized_client') throw adcError(`Google refused the OAuth client in the Application Default Credentials (${code}). ${AGAIN}`);
    throw adcError(`The token endpoint ${url.host} answered HTTP ${status}${code ? ` (${code})` : ''}. Try again in a moment; if it persists, ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}`);
  }
  const accessToken = json.access_token;
  const tokenType = json.token_type;
  if (typeof accessToken !== 'string' || !accessToken || (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer')) {
    throw adcError(`The token endpoint ${url.host} answered without a Bearer access token.`);
  }
  const expiresIn = Number(json.expires_in);
  return {
    accessToken,
    expiresAt: now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
    ...(typeof json.id_token === 'string' && json.id_token && { idToken: json.id_token }),
  };
}

/** Cached, single-flight access tokens for one imported credential. */
export class AdcTokenSource {
  private token: AdcToken | undefined;
  private inflight: Promise<AdcToken> | undefined;

  constructor(
    private readonly credentials: AdcCredentials,
    /** `gemini.oauth.tokenEndpoint`, read when a token is needed. */
    private readonly tokenEndpoint: () => string,
    private readonly now: () => number = Date.now,
  ) {}

  async getAccessToken(forceRefresh = false, signal?: AbortSignal): Promise<string> {
    if (!forceRefresh && this.token && this.token.expiresAt - REFRESH_MARGIN_MS > this.now()) return this.token.accessToken;
    return (await this.fetchToken(signal)).accessToken;
  }

  /** A fresh token (also used once at import to check the credentials work). */
  fetchToken(signal?: AbortSignal): Promise<AdcToken> {
    this.inflight ??= requestAdcToken(this.credentials, this.tokenEndpoint(), this.now, signal)
      .then((token) => (this.token = token))
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }
}

function adcError(message: string, cause?: unknown): GeminiError {
  return new GeminiError({ kind: 'unauthenticated', message, action: actions.signIn, ...(cause !== undefined && { cause }) });
}
