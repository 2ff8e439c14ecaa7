// A fake Google OAuth server (authorization, token, revocation, userinfo) on 127.0.0.1, serving the wire format
// of SPEC.md "Google OAuth wire format" and strict where Google is strict: registered clients, loopback
// redirect URIs only, exact redirect_uri match at the token endpoint, single-use expiring codes, real PKCE S256
// verification, Google-shaped error pages and `400 {error, error_description}` answers.
// ID tokens are RS256-signed JWTs with a key generated at start (JWKS at /oauth2/v3/certs); the extension does
// not verify signatures, but the tokens are real-shaped. Used by unit tests, the local emulator and e2e tests.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as http from 'node:http';
import { readBody, serveLoopback } from './server';
import { FakeServiceAccounts, JWT_BEARER_GRANT, type ServiceAccountKeyFile } from './google/serviceAccounts';

export interface FakeGoogleUser {
  readonly sub: string;
  readonly email: string;
  readonly name?: string;
  readonly emailVerified?: boolean;
}

export interface FakeGoogleClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface FakeGoogleOptions {
  readonly clients?: readonly FakeGoogleClient[];
  readonly users?: readonly FakeGoogleUser[];
  /** Seconds; default 3600. */
  readonly accessTokenLifetimeSec?: number;
  /** Seconds an authorization code stays valid; default 60 (Google: a few minutes). */
  readonly codeLifetimeSec?: number;
  /** Default 0 (an ephemeral port). */
  readonly port?: number;
  /** Omit the id_token from token answers (forces the userinfo path). */
  readonly omitIdToken?: boolean;
}

export type FakeEndpoint = 'token' | 'revoke' | 'userinfo' | 'authorize';

/** How an endpoint misbehaves. */
export type FakeFailure =
  | { readonly kind: 'status'; readonly status: number; readonly error?: string; readonly description?: string }
  | { readonly kind: 'delay'; readonly ms: number } // answer normally, late
  | { readonly kind: 'hang' } // never answer
  | { readonly kind: 'reset' }; // drop the connection ("down")

export interface FakeGoogleCounters {
  authorize: number;
  consent: number;
  token: { authorization_code: number; refresh_token: number; other: number };
  revoke: number;
  userinfo: number;
}

export interface FakeGoogle {
  readonly baseUrl: string;
  readonly endpoints: { readonly authorization: string; readonly token: string; readonly revocation: string; readonly userinfo: string };
  /** The first registered client (a "Desktop app" client). */
  readonly client: FakeGoogleClient;
  readonly users: readonly FakeGoogleUser[];
  readonly counters: FakeGoogleCounters;
  /** The id_token signing algorithm. */
  readonly idTokenAlg: 'RS256';
  /** The next visit of the authorization endpoint answers at once as this user ('allow') or with access_denied. */
  approveNext(email: string): void;
  denyNext(): void;
  /**
   * Acts as the browser: GETs the authorization URL, consents as `email` (or denies) and returns the redirect
   * Location (to the client's loopback server) without following it.
   */
  consent(authorizationUrl: string, decision?: { email?: string; deny?: boolean }): Promise<string>;
  /** Like consent(), then follows the redirect to the loopback server; returns its status. */
  consentAndFollow(authorizationUrl: string, decision?: { email?: string; deny?: boolean }): Promise<number>;
  setFailure(endpoint: FakeEndpoint, failure: FakeFailure | undefined): void;
  /** Fail only the next `count` requests to an endpoint. */
  failNext(endpoint: FakeEndpoint, failure: FakeFailure, count?: number): void;
  isValidAccessToken(token: string): boolean;
  /** Information about a valid access token (for a fake Gemini). */
  accessTokenInfo(token: string): { email: string; sub: string; scopes: string[]; clientId: string } | undefined;
  /** Revokes every grant of a user, as revoking one of their tokens does (their refresh tokens then answer invalid_grant). */
  revokeUser(email: string): void;
  /** Makes all issued access tokens expired. */
  expireAccessTokens(): void;
  setAccessTokenLifetime(seconds: number): void;
  /** Shifts the fake's clock (positive = the fake's clock runs ahead). */
  setClockSkew(ms: number): void;
  /** Number of refresh tokens currently valid. */
  liveRefreshTokens(): number;
  /** Every code, access, refresh and ID token this fake issued (for "no secret in the log" checks). */
  readonly issuedSecrets: readonly string[];
  /** The raw query string of every visit of the authorization endpoint, as received (to check encoding). */
  readonly authorizationQueries: string[];
  /** A refresh token of `email` for the first client, as gcloud's `authorized_user` ADC file holds one. */
  issueRefreshToken(email: string, scopes?: readonly string[]): string;
  /** A service account whose key file signs JWT-bearer grants at this token endpoint. */
  createServiceAccount(name?: string): ServiceAccountKeyFile;
  close(): Promise<void>;
}

const DEFAULT_USERS: FakeGoogleUser[] = [
  { sub: '100000000000000000001', email: 'alice@example.com', name: 'Alice Example', emailVerified: true },
  { sub: '100000000000000000002', email: 'bob@example.com', name: 'Bob Example', emailVerified: true },
];
const DEFAULT_CLIENT: FakeGoogleClient = {
  clientId: '123456789012-fakeclient0000000000000000000.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-client-secret-0000000',
};
const SCOPE_EXPANSION: Record<string, string> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

interface PendingAuth {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  challenge: string;
  loginHint: string | null;
  accessType: string | null;
}
interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string;
  user: FakeGoogleUser;
  expiresAt: number;
  offline: boolean;
}
interface Grant {
  refreshToken: string;
  clientId: string;
  user: FakeGoogleUser;
  scopes: string[];
  revoked: boolean;
}
interface AccessToken {
  grant: Grant;
  expiresAt: number;
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const clients = options.clients?.length ? [...options.clients] : [DEFAULT_CLIENT];
  const users = options.users?.length ? [...options.users] : DEFAULT_USERS;
  let accessLifetimeSec = options.accessTokenLifetimeSec ?? 3600;
  const codeLifetimeSec = options.codeLifetimeSec ?? 60;
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');

  const pending = new Map<string, PendingAuth>();
  const codes = new Map<string, IssuedCode>();
  const grants = new Map<string, Grant>(); // by refresh token
  const accessTokens = new Map<string, AccessToken>();
  const counters: FakeGoogleCounters = { authorize: 0, consent: 0, token: { authorization_code: 0, refresh_token: 0, other: 0 }, revoke: 0, userinfo: 0 };
  const failures = new Map<FakeEndpoint, { failure: FakeFailure; remaining: number }>();
  const authorizationQueries: string[] = [];
  const serviceAccounts = new FakeServiceAccounts();
  const issuedSecrets: string[] = [];
  let autoDecision: { email?: string; deny?: boolean } | undefined;

  let baseUrl = '';
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const route = `${req.method} ${url.pathname}`;
    const endpoint: FakeEndpoint | undefined =
      route === 'GET /o/oauth2/v2/auth' ? 'authorize' : route === 'POST /token' ? 'token' : route === 'POST /revoke' ? 'revoke' : route === 'GET /v1/userinfo' ? 'userinfo' : undefined;
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (endpoint) {
      if (endpoint === 'token') {
        const g = new URLSearchParams(body).get('grant_type');
        if (g === 'authorization_code' || g === 'refresh_token') counters.token[g]++;
        else counters.token.other++;
      } else if (endpoint === 'revoke') counters.revoke++;
      else if (endpoint === 'userinfo') counters.userinfo++;
      else {
        counters.authorize++;
        authorizationQueries.push(url.search.slice(1));
      }
      const f = failures.get(endpoint);
      if (f) {
        if (--f.remaining <= 0) failures.delete(endpoint);
        if (f.failure.kind === 'reset') return void req.socket.destroy();
        if (f.failure.kind === 'hang') return;
        if (f.failure.kind === 'status') {
          return json(res, f.failure.status, { error: f.failure.error ?? (f.failure.status >= 500 ? 'internal_failure' : 'invalid_request'), error_description: f.failure.description ?? 'Injected failure' });
        }
        await new Promise((r) => setTimeout(r, (f.failure as { ms: number }).ms));
      }
    }
    switch (route) {
      case 'GET /o/oauth2/v2/auth':
        return authorize(url, res);
      case 'GET /o/oauth2/v2/consent':
        return consentSubmit(url.searchParams, res);
      case 'POST /o/oauth2/v2/consent':
        return consentSubmit(new URLSearchParams(body), res);
      case 'POST /token':
        return token(req, new URLSearchParams(body), res);
      case 'POST /revoke':
        return revoke(new URLSearchParams(body), url, res);
      case 'GET /v1/userinfo':
        return userinfo(req, res);
      case 'GET /oauth2/v3/certs':
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      case 'GET /':
        return html(res, 200, page('Local Google emulator', `<p>Endpoints: <code>/o/oauth2/v2/auth</code>, <code>/token</code>, <code>/revoke</code>, <code>/v1/userinfo</code>.</p>`));
      default:
        return json(res, 404, { error: 'not_found', error_description: `No route for ${route}` });
    }
  }

  function authorize(url: URL, res: http.ServerResponse): void {
    const q = url.searchParams;
    const clientId = q.get('client_id');
    const client = clients.find((c) => c.clientId === clientId);
    if (!client) return errorPage(res, 401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!isLoopbackRedirect(redirectUri)) {
      return errorPage(res, 400, 'redirect_uri_mismatch', `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client (Desktop clients: http://127.0.0.1:<port>/… or http://localhost:<port>/…).`);
    }
    // From here on Google reports errors by redirecting back to the (valid) redirect URI.
    const state = q.get('state');
    const back = (params: Record<string, string>) => redirect(res, redirectUri, { ...params, ...(state !== null ? { state } : {}) });
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const scopes = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    if (!scopes.length) return back({ error: 'invalid_request', error_description: 'Missing required parameter: scope' });
    const unknown = scopes.filter((s) => !(s === 'openid' || s in SCOPE_EXPANSION || s.startsWith('https://www.googleapis.com/auth/')));
    if (unknown.length) return errorPage(res, 400, 'invalid_scope', `Some requested scopes were invalid: ${unknown.join(', ')}`);
    const challenge = q.get('code_challenge') ?? '';
    const method = q.get('code_challenge_method');
    if (!challenge) return back({ error: 'invalid_request', error_description: 'Missing code_challenge (this fake requires PKCE).' });
    if (method !== 'S256') return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256.' });
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: 'invalid_request', error_description: 'Invalid code_challenge.' });
    const p: PendingAuth = { clientId: client.clientId, redirectUri, scopes, state, challenge, loginHint: q.get('login_hint'), accessType: q.get('access_type') };
    const decision = autoDecision;
    if (decision) {
      autoDecision = undefined;
      return decide(p, decision, res);
    }
    const id = randomBytes(16).toString('base64url');
    pending.set(id, p);
    const hint = p.loginHint;
    const userChoices = users
      .map((u, i) => {
        const checked = hint ? u.email === hint : i === 0;
        return `<label class="user"><input type="radio" name="user" value="${esc(u.email)}" id="user-${i}" data-email="${esc(u.email)}"${checked ? ' checked' : ''}> <span>${esc(u.name ?? u.email)}</span> <small>${esc(u.email)}</small></label>`;
      })
      .join('\n');
    html(
      res,
      200,
      page(
        'Sign in – Local Google emulator',
        `<h1>Choose an account</h1>
<p>to continue to <b>${esc(client.clientId)}</b></p>
<form method="post" action="/o/oauth2/v2/consent">
<input type="hidden" name="request" value="${id}">
<fieldset id="user-picker"><legend>Account</legend>
${userChoices}
</fieldset>
<p>This app wants to:</p>
<ul id="scopes">${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<div class="buttons"><button type="submit" id="deny" name="decision" value="deny" class="secondary">Deny</button>
<button type="submit" id="allow" name="decision" value="allow">Allow</button></div>
</form>`,
      ),
    );
  }

  function consentSubmit(params: URLSearchParams, res: http.ServerResponse): void {
    counters.consent++;
    const p = pending.get(params.get('request') ?? '');
    if (!p) return errorPage(res, 400, 'invalid_request', 'This sign-in request has expired or was already answered. Start again from the app.');
    pending.delete(params.get('request') ?? '');
    decide(p, { email: params.get('user') ?? undefined, deny: params.get('decision') !== 'allow' }, res);
  }

  function decide(p: PendingAuth, d: { email?: string; deny?: boolean }, res: http.ServerResponse): void {
    const withState = (x: Record<string, string>) => (p.state !== null ? { ...x, state: p.state } : x);
    if (d.deny) return redirect(res, p.redirectUri, withState({ error: 'access_denied' }));
    const user = users.find((u) => u.email === (d.email ?? p.loginHint ?? users[0]?.email));
    if (!user) return errorPage(res, 400, 'invalid_request', `Unknown test user ${d.email ?? ''}`);
    const code = `4/0${randomBytes(24).toString('base64url')}`;
    issuedSecrets.push(code);
    codes.set(code, { clientId: p.clientId, redirectUri: p.redirectUri, scopes: p.scopes, challenge: p.challenge, user, expiresAt: now() + codeLifetimeSec * 1000, offline: p.accessType === 'offline' });
    redirect(res, p.redirectUri, withState({ code, scope: expandScopes(p.scopes).join(' '), authuser: '0', prompt: 'consent' }));
  }

  function authenticateClient(req: http.IncomingMessage, form: URLSearchParams): FakeGoogleClient | undefined {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) {
      const [bi, bs] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      id = decodeURIComponent(bi ?? '');
      secret = decodeURIComponent(bs ?? '');
    }
    return clients.find((c) => c.clientId === id && c.clientSecret === secret);
  }

  function token(req: http.IncomingMessage, form: URLSearchParams, res: http.ServerResponse): void {
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return json(res, 400, { error: 'invalid_request', error_description: 'Bad Request' });
    }
    if (form.get('grant_type') === JWT_BEARER_GRANT) {
      // A service account proves itself with the signed assertion, not a client secret.
      const checked = serviceAccounts.verify(form.get('assertion') ?? '', `${baseUrl}/token`, now());
      if (!checked.ok) return json(res, checked.status, { error: checked.error, error_description: checked.description });
      const user = { sub: checked.clientId, email: checked.email };
      return json(res, 200, tokenAnswer({ refreshToken: '', clientId: checked.clientId, user, scopes: checked.scopes, revoked: false }, false));
    }
    const client = authenticateClient(req, form);
    if (!client) return json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = form.get('code') ?? '';
      const issued = codes.get(code);
      codes.delete(code); // single use, even when the rest fails
      if (!issued || issued.expiresAt < now()) return json(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      if (issued.clientId !== client.clientId) return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
      if (form.get('redirect_uri') !== issued.redirectUri) return json(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
      const verifier = form.get('code_verifier') ?? '';
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || createHash('sha256').update(verifier, 'ascii').digest('base64url') !== issued.challenge) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
      }
      const grant: Grant = { refreshToken: `1//0${randomBytes(32).toString('base64url')}`, clientId: client.clientId, user: issued.user, scopes: expandScopes(issued.scopes), revoked: false };
      issuedSecrets.push(grant.refreshToken);
      if (issued.offline) grants.set(grant.refreshToken, grant);
      return json(res, 200, tokenAnswer(grant, issued.offline));
    }
    if (grantType === 'refresh_token') {
      const grant = grants.get(form.get('refresh_token') ?? '');
      if (!grant || grant.revoked || grant.clientId !== client.clientId) {
        return json(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
      return json(res, 200, tokenAnswer(grant, false));
    }
    return json(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + (grantType ?? '') });
  }

  function tokenAnswer(grant: Grant, includeRefresh: boolean): Record<string, unknown> {
    const accessToken = `ya29.${randomBytes(32).toString('base64url')}`;
    accessTokens.set(accessToken, { grant, expiresAt: now() + accessLifetimeSec * 1000 });
    issuedSecrets.push(accessToken);
    const answer: Record<string, unknown> = { access_token: accessToken, expires_in: accessLifetimeSec, scope: grant.scopes.join(' '), token_type: 'Bearer' };
    if (includeRefresh) answer['refresh_token'] = grant.refreshToken;
    if (!options.omitIdToken && grant.scopes.includes('openid')) {
      const id = idToken(grant);
      issuedSecrets.push(id);
      answer['id_token'] = id;
    }
    return answer;
  }

  function idToken(grant: Grant): string {
    const iat = Math.floor(now() / 1000);
    const hasEmail = grant.scopes.includes(SCOPE_EXPANSION['email'] as string);
    const payload = {
      iss: baseUrl,
      azp: grant.clientId,
      aud: grant.clientId,
      sub: grant.user.sub,
      ...(hasEmail ? { email: grant.user.email, email_verified: grant.user.emailVerified ?? true } : {}),
      iat,
      exp: iat + 3600,
    };
    return signJwt({ alg: 'RS256', kid, typ: 'JWT' }, payload, privateKey);
  }

  function revoke(form: URLSearchParams, url: URL, res: http.ServerResponse): void {
    const token = form.get('token') ?? url.searchParams.get('token') ?? '';
    const grant = grants.get(token) ?? accessTokens.get(token)?.grant;
    if (!grant || grant.revoked) return json(res, 400, { error: 'invalid_token', error_description: 'Token expired or revoked' });
    revokeGrant(grant);
    json(res, 200, {});
  }

  /** Like Google: revoking any token ends the user's whole authorization of the client (every grant of it). */
  function revokeGrant(grant: Grant): void {
    for (const g of grants.values()) {
      if (g.user.sub !== grant.user.sub || g.clientId !== grant.clientId) continue;
      g.revoked = true;
      for (const [t, a] of accessTokens) if (a.grant === g) accessTokens.delete(t);
    }
    grant.revoked = true;
    for (const [t, a] of accessTokens) if (a.grant === grant) accessTokens.delete(t);
  }

  function userinfo(req: http.IncomingMessage, res: http.ServerResponse): void {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const info = m?.[1] ? liveAccessToken(m[1]) : undefined;
    if (!info) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return json(res, 401, { error: 'invalid_request', error_description: 'Invalid Credentials' });
    }
    const u = info.grant.user;
    json(res, 200, { sub: u.sub, email: u.email, email_verified: u.emailVerified ?? true, name: u.name ?? u.email, picture: `${baseUrl}/avatar/${u.sub}.png` });
  }

  function liveAccessToken(token: string): AccessToken | undefined {
    const a = accessTokens.get(token);
    return a && !a.grant.revoked && a.expiresAt > now() ? a : undefined;
  }

  const served = await serveLoopback(options.port, handle, (err) => ({ error: 'internal_failure', error_description: String(err) }));
  baseUrl = served.baseUrl;

  async function consent(browserUrl: string, decision: { email?: string; deny?: boolean } = {}): Promise<string> {
    // Like a browser: a client's own redirect to the authorization endpoint (its loopback /signin) is followed.
    let authorizationUrl = browserUrl;
    if (!browserUrl.startsWith(`${baseUrl}/o/oauth2/v2/auth`)) {
      const hop = await fetch(browserUrl, { redirect: 'manual' });
      authorizationUrl = hop.headers.get('location') ?? '';
      if (hop.status !== 302 || !authorizationUrl.startsWith(`${baseUrl}/`)) throw new Error(`fake Google: ${browserUrl} did not redirect to the authorization endpoint (${hop.status})`);
    }
    const first = await fetch(authorizationUrl, { redirect: 'manual' });
    if (first.status === 302) return first.headers.get('location') ?? '';
    const body = await first.text();
    const request = /name="request" value="([^"]+)"/.exec(body)?.[1];
    if (first.status !== 200 || !request) throw new Error(`fake Google: the authorization page answered ${first.status}: ${body.slice(0, 300)}`);
    const form = new URLSearchParams({ request, decision: decision.deny ? 'deny' : 'allow', ...(decision.email ? { user: decision.email } : { user: users[0]?.email ?? '' }) });
    const second = await fetch(`${baseUrl}/o/oauth2/v2/consent`, { method: 'POST', body: form, redirect: 'manual' });
    const location = second.headers.get('location');
    if (second.status !== 302 || !location) throw new Error(`fake Google: consent answered ${second.status}`);
    return location;
  }

  const fake: FakeGoogle = {
    baseUrl,
    endpoints: { authorization: `${baseUrl}/o/oauth2/v2/auth`, token: `${baseUrl}/token`, revocation: `${baseUrl}/revoke`, userinfo: `${baseUrl}/v1/userinfo` },
    client: clients[0] as FakeGoogleClient,
    users,
    counters,
    idTokenAlg: 'RS256',
    approveNext: (email) => void (autoDecision = { email }),
    denyNext: () => void (autoDecision = { deny: true }),
    consent,
    async consentAndFollow(authorizationUrl, decision) {
      const location = await consent(authorizationUrl, decision);
      const res = await fetch(location, { redirect: 'manual' });
      await res.text();
      return res.status;
    },
    setFailure(endpoint, failure) {
      if (failure) failures.set(endpoint, { failure, remaining: Infinity });
      else failures.delete(endpoint);
    },
    failNext(endpoint, failure, count = 1) {
      failures.set(endpoint, { failure, remaining: count });
    },
    isValidAccessToken: (t) => liveAccessToken(t) !== undefined,
    accessTokenInfo(t) {
      const a = liveAccessToken(t);
      return a ? { email: a.grant.user.email, sub: a.grant.user.sub, scopes: [...a.grant.scopes], clientId: a.grant.clientId } : undefined;
    },
    revokeUser(email) {
      for (const g of grants.values()) if (g.user.email === email) revokeGrant(g);
    },
    expireAccessTokens() {
      for (const a of accessTokens.values()) a.expiresAt = 0;
    },
    setAccessTokenLifetime: (s) => void (accessLifetimeSec = s),
    setClockSkew: (ms) => void (skewMs = ms),
    authorizationQueries,
    issueRefreshToken(email, scopes = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform']) {
      const user = users.find((u) => u.email === email);
      if (!user) throw new Error(`fake Google: unknown test user ${email}`);
      const grant: Grant = { refreshToken: `1//0${randomBytes(32).toString('base64url')}`, clientId: clients[0].clientId, user, scopes: expandScopes(scopes), revoked: false };
      grants.set(grant.refreshToken, grant);
      return grant.refreshToken;
    },
    createServiceAccount: (name) => serviceAccounts.create(`${baseUrl}/token`, name),
    issuedSecrets,
    liveRefreshTokens: () => [...grants.values()].filter((g) => !g.revoked).length,
    close: served.close,
  };
  return fake;
}

function expandScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => SCOPE_EXPANSION[s] ?? s))];
}

function isLoopbackRedirect(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]') && u.port !== '' && !u.hash && !u.username;
  } catch {
    return false;
  }
}

function signJwt(header: object, payload: object, key: KeyObject): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function html(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

function redirect(res: http.ServerResponse, target: string, params: Record<string, string>): void {
  const u = new URL(target);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  res.writeHead(302, { Location: u.toString(), 'Cache-Control': 'no-store' });
  res.end();
}

function errorPage(res: http.ServerResponse, status: number, error: string, description: string): void {
  html(res, status, page(`Error ${status}: ${error}`, `<h1 id="error">Error ${status}: ${esc(error)}</h1><p id="error-description">${esc(description)}</p>`));
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f1f3f4;color:#202124}
#emulator-banner{background:#b3261e;color:#fff;text-align:center;padding:8px;font-weight:600}
main{max-width:440px;margin:40px auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.2)}
h1{font-size:22px;font-weight:400;margin-top:0}
fieldset{border:1px solid #dadce0;border-radius:6px}
.user{display:block;padding:6px 0}.user small{color:#5f6368}
.buttons{display:flex;justify-content:flex-end;gap:12px;margin-top:24px}
button{font:inherit;padding:8px 20px;border-radius:4px;border:1px solid #1a73e8;background:#1a73e8;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1a73e8}
</style></head>
<body><div id="emulator-banner" role="banner">Local Google emulator — not the real Google</div><main>${body}</main></body></html>`;
}
