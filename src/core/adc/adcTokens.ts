// Access tokens for imported Application Default Credentials, through the sign-in's own token client (form POSTs on
// gemini/http.ts, no redirect followed, nothing logged): an `authorized_user` file refreshes with the ordinary
// refresh grant at `gemini.oauth.tokenEndpoint`; a `service_account` key signs a short-lived RS256 JWT with
// node:crypto and trades it at the key file's `token_uri` (RFC 7523). Both endpoints pass the same policy as the
// OAuth endpoint settings. A token is cached until a minute before it expires, and however many requests wait, one
// token request is in flight.

import { createPrivateKey, sign } from 'node:crypto';
import { serviceUrlProblem } from '../common/url';
import { isAuthError } from '../auth/errors';
import { TokenClient, type TokenResponse } from '../auth/tokenClient';
import { GeminiError, actions, cancelledError } from '../gemini/errors';
import type { AdcCredentials } from './adcFile';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const ASSERTION_LIFETIME_S = 3600;
const REFRESH_MARGIN_MS = 60_000;
const AGAIN = "Run 'gcloud auth application-default login' (or download a new key) and import the credentials again with 'Gemini: Use Application Default Credentials'.";

/** The ID token comes only from an authorized_user grant with the `email` scope. */
export type AdcToken = Pick<TokenResponse, 'accessToken' | 'expiresAt' | 'idToken'>;

/** The signed JWT-bearer assertion of a service account: `iss` the account, `aud` the token endpoint. */
export function serviceAccountAssertion(credentials: Extract<AdcCredentials, { type: 'service_account' }>, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(credentials.privateKeyId && { kid: credentials.privateKeyId }) };
  const claims = { iss: credentials.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: credentials.tokenUri, iat, exp: iat + ASSERTION_LIFETIME_S };
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

/** One token request on the sign-in's token client: the refresh grant for a user, the JWT-bearer grant for a service account. */
export async function requestAdcToken(credentials: AdcCredentials, tokenEndpoint: string, now: () => number, signal?: AbortSignal): Promise<AdcToken> {
  const [endpoint, setting] = credentials.type === 'service_account' ? [credentials.tokenUri, 'token_uri'] : [tokenEndpoint, 'gemini.oauth.tokenEndpoint'];
  const problem = serviceUrlProblem(endpoint, setting);
  if (problem) throw adcError(`${problem} Nothing was sent.`);
  const url = endpoint.trim();
  // Only the token endpoint is ever called; the client's other endpoints are never used here.
  const endpoints = { authorization: url, token: url, revocation: url, userinfo: url };
  try {
    const token =
      credentials.type === 'service_account'
        ? await new TokenClient({ client: { clientId: credentials.clientEmail, clientSecret: '' }, endpoints, now }).jwtBearer(serviceAccountAssertion(credentials, now()), signal)
        : await new TokenClient({ client: { clientId: credentials.clientId, clientSecret: credentials.clientSecret }, endpoints, now }).refresh(credentials.refreshToken, signal);
    return { accessToken: token.accessToken, expiresAt: token.expiresAt, ...(token.idToken && { idToken: token.idToken }) };
  } catch (err) {
    if (!isAuthError(err)) throw err;
    switch (err.code) {
      case 'cancelled':
        throw cancelledError();
      case 'invalidGrant':
        throw adcError(`Google refused the Application Default Credentials (invalid_grant): they were revoked, expired, or the key was deleted. ${AGAIN}`, err);
      case 'invalidClient':
        throw adcError(`Google refused the OAuth client in the Application Default Credentials. ${AGAIN}`, err);
      case 'tokenEndpointUnreachable':
        throw adcError(err.userMessage, err);
      default: {
        const status = (err.cause as { status?: unknown } | undefined)?.status;
        throw adcError(`The token endpoint ${new URL(url).host} did not issue a token${typeof status === 'number' ? ` (HTTP ${status})` : ''}. Try again in a moment; if it persists, ${AGAIN.charAt(0).toLowerCase()}${AGAIN.slice(1)}`, err);
      }
    }
  }
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
