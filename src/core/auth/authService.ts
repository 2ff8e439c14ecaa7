import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, DisposableStore, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import type { KeyValueStore, SecretStore } from '../common/secretStore';
import type { OAuthClientCredentials } from './clientConfig';
import { GOOGLE_ENDPOINTS, validateEndpoints, type OAuthEndpoints } from './endpoints';
import { AuthError, isAuthError } from './errors';
import { decodeIdToken } from './idToken';
import { runSignInFlow, type Account, type SignInUi } from './oauthFlow';
import { FALLBACK_PAGES, type AuthPages } from './pages';
import { ScopeSet } from './scopes';
import { isSessionStoreKey, SessionStore, type SessionIssuer, type StoredSession } from './sessionStore';
import { TokenClient, type RevocationOutcome } from './tokenClient';
import { safeHost } from '../common/url';
import { errorName } from '../common/values';

/** Read on every operation, so settings changes apply without a reload. */
export interface AuthConfig {
  /** `gemini.oauth.clientId` (or the stored client's id). Empty/undefined = not configured. */
  readonly clientId?: string;
  /** From the SecretStore or GEMINI_OAUTH_CLIENT_SECRET; resolved by the caller (see OAuthClientStore.resolve). */
  readonly clientSecret?: string;
  readonly endpoints: OAuthEndpoints;
  /** `gemini.oauth.scopes`: used when a caller asks for a session without scopes. */
  readonly scopes: readonly string[];
}

/** The shape of vscode.AuthenticationSession. */
export interface AuthSession {
  readonly id: string;
  readonly accessToken: string;
  readonly account: Account;
  readonly scopes: readonly string[];
}

export interface SessionsChangeEvent {
  readonly added: readonly AuthSession[];
  readonly removed: readonly AuthSession[];
  readonly changed: readonly AuthSession[];
}

export interface SessionLostEvent {
  readonly account: Account;
  /** Safe to show: why the session ended (e.g. expired or revoked). */
  readonly reason: string;
}

/** What a sign-out achieved at Google; the local session is gone in every case. */
export interface SignOutResult {
  readonly account: Account;
  /** `confirmed`: Google revoked the grant, or said it was already invalid. */
  readonly revocation: 'confirmed' | 'failed';
  /** Only when `failed`: why, safe to show. */
  readonly reason?: string;
  /** Only when `failed`: tries the revocation again (the refresh token is kept in memory for this alone). */
  readonly retry?: () => Promise<SignOutResult>;
}

/** What happened to a session, told to the activity log by the window that did it (ids and labels only). */
export type AuthActivity =
  | { readonly kind: 'signIn'; readonly account: Account; readonly issuer?: string }
  | { readonly kind: 'refresh'; readonly account: Account }
  | { readonly kind: 'refreshFailed'; readonly account: Account; readonly reason: 'invalidGrant' | 'transient' }
  | { readonly kind: 'signOut'; readonly account: Account; readonly revocation: SignOutResult['revocation'] };

export interface AuthServiceDeps {
  readonly secrets: SecretStore;
  /**
   * VS Code's globalState, where sign-outs are recorded: unlike SecretStorage in the browser host, it reaches the
   * other windows there (see README, "Several windows").
   */
  readonly shared: KeyValueStore;
  readonly getConfig: () => AuthConfig | Promise<AuthConfig>;
  readonly log: Logger;
  readonly now?: () => number;
  /** The loopback success/failure pages (see loadAuthPages), needed only once a sign-in starts; minimal built-in pages otherwise. */
  readonly pages?: AuthPages | Promise<AuthPages>;
  /** Retries of token-endpoint calls on 5xx/network errors. Default 1. */
  readonly tokenRetries?: number;
}

/** Scopes every sign-in asks for, so the account's id and email are known. */
const IDENTITY_SCOPES = ScopeSet.from(['openid', 'email']);
/** Tokens are refreshed this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Session ids signed out in any window; a session listed here is never used or written back. */
export const REMOVED_SESSIONS_KEY = 'gemini.auth.removedSessions';
const MAX_REMOVED_SESSIONS = 200;
const GOOGLE_ISSUERS = new Set(['https://accounts.google.com', 'accounts.google.com']);

/**
 * Sessions of Google accounts: sign-in, persistence, refresh (single-flight per account), sign-out, and sync
 * with other windows through the SecretStore. The VS Code AuthenticationProvider is a thin wrapper around it.
 */
export class AuthService implements Disposable {
  private readonly _onDidChangeSessions = new Emitter<SessionsChangeEvent>();
  readonly onDidChangeSessions: Event<SessionsChangeEvent> = this._onDidChangeSessions.event;
  private readonly _onDidLoseSession = new Emitter<SessionLostEvent>();
  /** Fires once when a refresh is answered invalid_grant and the session is removed. */
  readonly onDidLoseSession: Event<SessionLostEvent> = this._onDidLoseSession.event;
  private readonly _onDidRecordActivity = new Emitter<AuthActivity>();
  /** Sign-in, refresh, refresh failure and sign-out done by this instance (not those seen from other windows). */
  readonly onDidRecordActivity: Event<AuthActivity> = this._onDidRecordActivity.event;

  private sessions = new Map<string, StoredSession>(); // by account id
  private readonly refreshes = new Map<string, Promise<StoredSession>>();
  private readonly disposables = new DisposableStore();
  private readonly store: SessionStore;
  private readonly now: () => number;
  private readonly log: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  /** The first read of the stored sessions (see `create`). */
  private loaded: Promise<void> = Promise.resolve();
  private queuedCheck: Promise<void> | undefined;
  private disposed = false;

  private constructor(private readonly deps: AuthServiceDeps) {
    this.store = new SessionStore(deps.secrets, deps.log);
    this.now = deps.now ?? Date.now;
    this.log = deps.log;
    this.disposables.add(this._onDidChangeSessions);
    this.disposables.add(this._onDidLoseSession);
    this.disposables.add(this._onDidRecordActivity);
  }

  /**
   * Returns before secret storage is read (activation does not wait for it): the sessions load in the background,
   * every method that reads them waits for that, and listeners hear of the loaded ones as added.
   */
  static create(deps: AuthServiceDeps): AuthService {
    const service = new AuthService(deps);
    service.loaded = service.exclusive(async () => {
      service.sessions = await service.load({ persistBindings: true });
      deps.log.info(`[auth] loaded ${service.sessions.size} session(s)`);
      if (service.sessions.size) service.fire({ added: [...service.sessions.values()].map(toAuthSession), removed: [], changed: [] });
    }).catch((err: unknown) => deps.log.error(`[auth] could not read the stored sessions: ${safeMessage(err)}`));
    service.disposables.add(
      deps.secrets.onDidChange((key) => {
        if (!isSessionStoreKey(key) || service.disposed) return;
        service.checkForUpdates().catch((err: unknown) => deps.log.warn(`[checkForUpdates] failed: ${safeMessage(err)}`));
      }),
    );
    return service;
  }

  dispose(): void {
    this.disposed = true;
    this.disposables.dispose();
  }

  /**
   * Sessions whose scopes equal the request after normalisation (see scopes policy in the README): `undefined`
   * lists every session (VS Code's account list, our own commands); `[]` means the configured scopes. Access
   * tokens are refreshed if near expiry.
   */
  async getSessions(scopes?: readonly string[], accountId?: string): Promise<AuthSession[]> {
    await this.loaded;
    const requested = scopes === undefined ? undefined : await this.normalizeRequest(scopes);
    const matching = [...this.sessions.values()].filter(
      (s) => (accountId === undefined || s.account.id === accountId) && (requested === undefined || ScopeSet.from(s.scopes).covers(requested)),
    );
    const result: AuthSession[] = [];
    for (const s of matching) {
      if (!this.needsRefresh(s)) {
        result.push(toAuthSession(s));
        continue;
      }
      try {
        result.push(toAuthSession(await this.refreshAccount(s.account.id)));
      } catch (err) {
        if (isAuthError(err, 'sessionExpired') || isAuthError(err, 'sessionNotFound')) continue;
        // Transient: hand out what we have; a 401 leads the caller to getAccessToken({ forceRefresh }).
        this.log.warn(`[getSessions] could not refresh the token of ${s.account.label}: ${safeMessage(err)}`);
        const current = this.sessions.get(s.account.id);
        if (current) result.push(toAuthSession(current));
      }
    }
    return result;
  }

  /**
   * Runs the browser sign-in for `scopes` (the configured ones when empty), which must be among the configured
   * scopes. Signing in again with an account that has a session replaces it (`changed`), keeping its grant alive.
   */
  async createSession(scopes: readonly string[], ui: SignInUi, options: { loginHint?: string } = {}): Promise<AuthSession> {
    await this.loaded;
    const config = await this.deps.getConfig();
    const client = requireClient(config);
    const endpoints = validateEndpoints(config.endpoints);
    const requested = await this.normalizeRequest(scopes, config);
    const offered = ScopeSet.from(config.scopes).union(IDENTITY_SCOPES);
    const unoffered = requested.missingFrom(offered);
    if (unoffered.length) {
      throw new AuthError(
        'scopesNotOffered',
        `Gemini's Google sign-in only grants the scopes in gemini.oauth.scopes; not: ${unoffered.join(' ')}. Ask for those scopes, or add them to the setting.`,
      );
    }
    // One grant per account: Google grants and revokes per user and client, so a narrower session could neither
    // be signed out on its own nor stop the broad one from being handed out. Every sign-in asks for everything
    // offered, and a session never shrinks when another extension asks for less.
    const result = await runSignInFlow({
      client,
      endpoints,
      scopes: offered,
      ui,
      pages: (await this.deps.pages) ?? FALLBACK_PAGES,
      log: this.log,
      now: this.now,
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      tokenRetries: this.deps.tokenRetries,
    });
    return this.exclusive(async () => {
      const previous = this.sessions.get(result.account.id);
      // A session signed out in another window is not replaced (its id stays retired); the new one is added.
      const existing = previous && !this.removedIds().has(previous.id) ? previous : undefined;
      const stored: StoredSession = {
        v: 1,
        id: existing?.id ?? randomUUID(),
        account: result.account,
        scopes: result.tokens.scopes,
        accessToken: result.tokens.accessToken,
        refreshToken: result.tokens.refreshToken,
        expiresAt: result.tokens.expiresAt,
        createdAt: this.now(),
        issuer: { token: endpoints.token, revocation: endpoints.revocation, userinfo: endpoints.userinfo, clientId: client.clientId },
        ...(result.tokens.idTokenClaims ? { idTokenClaims: result.tokens.idTokenClaims } : {}),
      };
      await this.store.put(stored);
      this.sessions.set(stored.account.id, stored);
      const session = toAuthSession(stored);
      // The superseded refresh token is dropped, not revoked: Google revokes per grant (user + client), which
      // would end the new session too.
      this.log.info(`[createSession] ${existing ? 'replaced the session of' : 'added a session for'} ${stored.account.label}`);
      this.fire({ added: existing ? [] : [session], removed: previous && !existing ? [toAuthSession(previous)] : [], changed: existing ? [session] : [] });
      this._onDidRecordActivity.fire({ kind: 'signIn', account: stored.account, issuer: new URL(endpoints.token).host });
      return session;
    });
  }

  /**
   * Signs out: records the sign-out for every window and deletes the local secrets first (so no refresh here or
   * elsewhere can bring the session back), then revokes the refresh token at the server that issued it.
   */
  async removeSession(sessionId: string): Promise<SignOutResult | undefined> {
    await this.loaded;
    const session = this.findBySessionId(sessionId);
    if (!session) {
      this.log.info('[removeSession] no such session; nothing to do');
      return undefined;
    }
    await this.exclusive(async () => {
      await this.markRemoved(session.id);
      const stored = await this.store.loadOne(session.account.id);
      if (stored?.id === session.id) await this.store.remove(session.account.id);
      const current = this.sessions.get(session.account.id);
      if (current?.id !== session.id) return;
      this.sessions.delete(session.account.id);
      this.log.info(`[removeSession] removed the session of ${session.account.label}`);
      this.fire({ added: [], removed: [toAuthSession(current)], changed: [] });
    });
    const result = await this.revoke(session.account, session.refreshToken, this.issuerOf(session));
    this._onDidRecordActivity.fire({ kind: 'signOut', account: session.account, revocation: result.revocation });
    return result;
  }

  /**
   * A valid access token for the session; refreshes (at most one request per account in flight) when needed.
   * Every use re-reads the session first, so one signed out in another window is dropped here, not used.
   */
  async getAccessToken(sessionId: string, options: { forceRefresh?: boolean } = {}): Promise<string> {
    await this.loaded;
    const session = await this.revalidate(sessionId);
    if (!options.forceRefresh && !this.needsRefresh(session)) return session.accessToken;
    const refreshed = await this.refreshAccount(session.account.id, options.forceRefresh === true);
    return refreshed.accessToken;
  }

  /** Reloads sessions from the SecretStore (another window may have changed them) and fires the difference. */
  checkForUpdates(): Promise<void> {
    if (this.queuedCheck) return this.queuedCheck;
    const check = this.exclusive(async () => {
      this.queuedCheck = undefined;
      const loaded = await this.load({ persistBindings: false });
      const added: AuthSession[] = [];
      const removed: AuthSession[] = [];
      const changed: AuthSession[] = [];
      for (const [accountId, old] of this.sessions) {
        const next = loaded.get(accountId);
        if (!next || next.id !== old.id) removed.push(toAuthSession(old));
      }
      for (const [accountId, next] of loaded) {
        const old = this.sessions.get(accountId);
        if (!old || old.id !== next.id) added.push(toAuthSession(next));
        else if (old.account.label !== next.account.label || old.refreshToken !== next.refreshToken || ScopeSet.from(old.scopes).toParam() !== ScopeSet.from(next.scopes).toParam()) {
          changed.push(toAuthSession(next));
        }
        // A new access token alone (another window refreshed) is adopted silently.
      }
      this.sessions = loaded;
      if (added.length || removed.length || changed.length) {
        this.log.info(`[checkForUpdates] sessions changed in another window: +${added.length} -${removed.length} ~${changed.length}`);
        this.fire({ added, removed, changed });
      }
    });
    this.queuedCheck = check;
    return check;
  }

  /**
   * Drops the sessions signed out in another window (recorded in the shared state) without touching storage:
   * where SecretStorage is a per-window copy (the browser host), this is how a window learns of it.
   */
  async applySignOutsElsewhere(): Promise<void> {
    await this.exclusive(async () => {
      const removedIds = this.removedIds();
      const removed = [...this.sessions.values()].filter((s) => removedIds.has(s.id));
      if (!removed.length) return;
      for (const s of removed) this.sessions.delete(s.account.id);
      this.log.info(`[auth] ${removed.length} session(s) were signed out in another window; dropped them here`);
      this.fire({ added: [], removed: removed.map(toAuthSession), changed: [] });
    });
  }

  /** The accounts with a session (for pickers and the status bar). */
  get accounts(): Account[] {
    return [...this.sessions.values()].map((s) => s.account);
  }

  /** The sessions' ids and accounts, without tokens: listing who is signed in never refreshes anything. */
  async signedIn(): Promise<Array<{ readonly id: string; readonly account: Account }>> {
    await this.loaded;
    return [...this.sessions.values()].map((s) => ({ id: s.id, account: s.account }));
  }

  // -------------------------------------------------------------------------------------------------------

  /** A request's scopes as the session would hold them: identity scopes added, `[]` = the configured scopes. */
  private async normalizeRequest(scopes: readonly string[], config?: AuthConfig): Promise<ScopeSet> {
    const base = scopes.length ? scopes : (config ?? (await this.deps.getConfig())).scopes;
    return ScopeSet.from(base).union(IDENTITY_SCOPES);
  }

  /** The stored sessions minus those signed out anywhere; sessions from before issuers were recorded get one. */
  private async load(options: { persistBindings: boolean }): Promise<Map<string, StoredSession>> {
    const loaded = await this.store.loadAll();
    const removed = this.removedIds();
    let config: AuthConfig | undefined;
    for (const [accountId, s] of loaded) {
      if (removed.has(s.id)) {
        // Written back by a window that had not heard of the sign-out yet: it stays removed.
        loaded.delete(accountId);
        await this.store.remove(accountId);
        continue;
      }
      if (s.issuer) continue;
      config ??= await this.deps.getConfig();
      const bound: StoredSession = { ...s, issuer: legacyIssuer(s, config) };
      loaded.set(accountId, bound);
      if (options.persistBindings) await this.store.put(bound);
      this.log.info(`[auth] bound the session of ${s.account.label} to the token server ${safeHost(bound.issuer?.token ?? '')} that issued it`);
    }
    return loaded;
  }

  private removedIds(): Set<string> {
    const value = this.deps.shared.get(REMOVED_SESSIONS_KEY);
    return new Set(Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);
  }

  private async markRemoved(sessionId: string): Promise<void> {
    const ids = [...this.removedIds()].filter((id) => id !== sessionId);
    ids.push(sessionId);
    await this.deps.shared.update(REMOVED_SESSIONS_KEY, ids.slice(-MAX_REMOVED_SESSIONS));
  }

  /** The session as stored now; one removed elsewhere is dropped here (one `removed` event) and refused. */
  private async revalidate(sessionId: string): Promise<StoredSession> {
    const current = this.findBySessionId(sessionId);
    if (!current) throw new AuthError('sessionNotFound', 'That Google session no longer exists. Sign in again.');
    const recorded = this.removedIds().has(current.id);
    const stored = recorded ? undefined : await this.store.loadOne(current.account.id);
    if (stored?.id === current.id) return stored.expiresAt >= current.expiresAt ? { ...stored, issuer: stored.issuer ?? current.issuer } : current;
    await this.exclusive(async () => {
      const latest = this.sessions.get(current.account.id);
      if (latest?.id !== current.id) return;
      this.sessions.delete(current.account.id);
      this.log.info(`[auth] the session of ${current.account.label} was signed out in another window (${recorded ? 'recorded in the shared state' : 'gone from SecretStorage'}); dropped it here`);
      this.fire({ added: [], removed: [toAuthSession(latest)], changed: [] });
    });
    throw new AuthError('sessionExpired', `${current.account.label} was signed out in another window. Sign in again to use this account.`);
  }

  private needsRefresh(s: StoredSession): boolean {
    return s.expiresAt - REFRESH_MARGIN_MS <= this.now();
  }

  private findBySessionId(sessionId: string): StoredSession | undefined {
    for (const s of this.sessions.values()) if (s.id === sessionId) return s;
    return undefined;
  }

  private issuerOf(s: StoredSession): SessionIssuer {
    if (!s.issuer) throw new AuthError('sessionNotFound', 'That Google session has no record of its token server. Sign in again.');
    return s.issuer;
  }

  private refreshAccount(accountId: string, force = false): Promise<StoredSession> {
    const inFlight = this.refreshes.get(accountId);
    if (inFlight) return inFlight;
    const p = this.doRefresh(accountId, force).finally(() => this.refreshes.delete(accountId));
    this.refreshes.set(accountId, p);
    return p;
  }

  private async doRefresh(accountId: string, force: boolean): Promise<StoredSession> {
    const current = this.sessions.get(accountId);
    if (!current) throw new AuthError('sessionNotFound', 'That Google session no longer exists. Sign in again.');

    // Another window may have refreshed, replaced or removed it already.
    const stored = await this.store.loadOne(accountId);
    if (!stored || stored.id !== current.id) {
      await this.checkForUpdates();
      const now = this.sessions.get(accountId);
      if (!now) throw new AuthError('sessionExpired', `The Google session of ${current.account.label} was signed out in another window. Sign in again.`);
      if (!this.needsRefresh(now) && !force) return now;
    } else if (stored.accessToken !== current.accessToken && !force && !this.needsRefresh(stored)) {
      this.sessions.set(accountId, { ...stored, issuer: stored.issuer ?? current.issuer });
      return stored;
    }
    const base = this.sessions.get(accountId) ?? current;
    const issuer = this.issuerOf(base);
    const tokenClient = new TokenClient({
      client: await this.clientFor(issuer, base.account.label),
      endpoints: issuerEndpoints(issuer),
      now: this.now,
      retries: this.deps.tokenRetries,
    });
    this.log.info(`[refresh] refreshing the access token of ${base.account.label}`);
    let tokens;
    try {
      tokens = await tokenClient.refresh(base.refreshToken);
    } catch (err) {
      this._onDidRecordActivity.fire({ kind: 'refreshFailed', account: base.account, reason: isAuthError(err, 'invalidGrant') ? 'invalidGrant' : 'transient' });
      if (isAuthError(err, 'invalidGrant')) {
        await this.loseSession(base);
        throw new AuthError('sessionExpired', `The Google sign-in of ${base.account.label} has expired or was revoked. Sign in again.`, { cause: { error: 'invalid_grant' } });
      }
      this.log.warn(`[refresh] failed for ${base.account.label}: ${safeMessage(err)}`);
      if (!force && base.expiresAt > this.now()) return base; // still valid for a while; try again later
      throw err;
    }
    let claims = base.idTokenClaims;
    if (tokens.idToken) {
      try {
        claims = decodeIdToken(tokens.idToken, issuer.clientId, this.now());
      } catch {
        this.log.warn('[refresh] ignored an unusable ID token in the refresh answer');
      }
    }
    const updated: StoredSession = {
      ...base,
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken ?? base.refreshToken,
      scopes: tokens.scope !== undefined ? ScopeSet.from(tokens.scope).scopes : base.scopes,
      ...(claims ? { idTokenClaims: claims } : {}),
    };
    const committed = await this.exclusive(async () => {
      const latest = this.sessions.get(accountId);
      if (!latest || latest.id !== updated.id) {
        throw new AuthError('sessionNotFound', 'That Google session was signed out while its token was being refreshed.');
      }
      if (latest.refreshToken !== base.refreshToken) return latest; // replaced by a new sign-in meanwhile
      // Re-read right before writing: another window may have signed out or replaced it meanwhile.
      const onDisk = this.removedIds().has(updated.id) ? undefined : await this.store.loadOne(accountId);
      if (onDisk?.id !== updated.id || onDisk.refreshToken !== base.refreshToken) return undefined;
      await this.store.put(updated);
      this.sessions.set(accountId, updated);
      this.log.info(`[refresh] refreshed (valid ${Math.round((updated.expiresAt - this.now()) / 1000)}s)`);
      this._onDidRecordActivity.fire({ kind: 'refresh', account: updated.account });
      return updated;
    });
    if (committed) return committed;
    this.log.info(`[refresh] the session of ${base.account.label} changed in another window meanwhile; the refreshed token was not stored`);
    await this.checkForUpdates();
    const latest = this.sessions.get(accountId);
    if (latest) return latest;
    throw new AuthError('sessionExpired', `${base.account.label} was signed out in another window. Sign in again to use this account.`);
  }

  /** The client credentials for a refresh: the issuing client's id, with the secret configured for it. */
  private async clientFor(issuer: SessionIssuer, label: string): Promise<OAuthClientCredentials> {
    const client = requireClient(await this.deps.getConfig());
    if (client.clientId !== issuer.clientId) {
      throw new AuthError(
        'sessionExpired',
        `The session of ${label} was issued to OAuth client ${issuer.clientId}, which is no longer the configured client. Sign in again.`,
      );
    }
    return client;
  }

  private async loseSession(session: StoredSession): Promise<void> {
    await this.exclusive(async () => {
      const current = this.sessions.get(session.account.id);
      if (!current || current.id !== session.id) return;
      this.sessions.delete(session.account.id);
      try {
        await this.store.remove(session.account.id);
      } catch (err) {
        this.log.warn(`[refresh] could not delete the dead session from storage: ${safeMessage(err)}`);
      }
      this.log.warn(`[refresh] the refresh token of ${session.account.label} was rejected (invalid_grant); the session was removed`);
      this.fire({ added: [], removed: [toAuthSession(current)], changed: [] });
      this._onDidLoseSession.fire({ account: current.account, reason: 'The Google sign-in has expired or was revoked.' });
    });
  }

  /** Revokes at the issuer; never throws. A failure is logged and comes with a retry. */
  private async revoke(account: Account, refreshToken: string, issuer: SessionIssuer): Promise<SignOutResult> {
    let outcome: RevocationOutcome;
    try {
      const tokenClient = new TokenClient({
        // The revocation endpoint needs only the token; client credentials are not sent.
        client: { clientId: issuer.clientId, clientSecret: '' },
        endpoints: issuerEndpoints(issuer),
        now: this.now,
        retries: 0,
        requestTimeoutMs: 10_000,
      });
      outcome = await tokenClient.revoke(refreshToken);
    } catch (err) {
      this.log.warn(
        `[removeSession] Google did not confirm the revocation for ${account.label} (${safeMessage(err)}); the local session is deleted anyway. The grant may still be live: retry, or remove the app's access at https://myaccount.google.com/connections.`,
      );
      return { account, revocation: 'failed', reason: safeMessage(err), retry: () => this.revoke(account, refreshToken, issuer) };
    }
    this.log.info(outcome === 'revoked' ? `[removeSession] revoked the refresh token of ${account.label}` : `[removeSession] the refresh token of ${account.label} was already invalid at Google`);
    return { account, revocation: 'confirmed' };
  }

  private fire(e: SessionsChangeEvent): void {
    if (!this.disposed) this._onDidChangeSessions.fire(e);
  }

  /** Serialises store writes and reloads so a reload never interleaves with a write. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Sessions stored before issuers were recorded. Their ID token says who issued them: Google's (`iss`
 * accounts.google.com) are bound to Google's endpoints; any other (an emulator) to the endpoints configured when
 * this version first loads it, the best record left of "the endpoints configured at the time".
 */
function legacyIssuer(s: StoredSession, config: AuthConfig): SessionIssuer {
  const clientId = s.idTokenClaims?.aud ?? config.clientId ?? '';
  const endpoints = GOOGLE_ISSUERS.has(s.idTokenClaims?.iss ?? '') ? GOOGLE_ENDPOINTS : config.endpoints;
  return { token: endpoints.token, revocation: endpoints.revocation, userinfo: endpoints.userinfo, clientId };
}

function issuerEndpoints(issuer: SessionIssuer): OAuthEndpoints {
  // The authorization endpoint is not used after sign-in.
  return validateEndpoints({ authorization: issuer.token, token: issuer.token, revocation: issuer.revocation, userinfo: issuer.userinfo });
}

function requireClient(config: AuthConfig): OAuthClientCredentials {
  const clientId = config.clientId?.trim();
  if (!clientId) {
    throw new AuthError('clientNotConfigured', 'No Google OAuth client is configured. Run "Gemini: Configure OAuth Client", or use an API key instead.');
  }
  const clientSecret = config.clientSecret?.trim();
  if (!clientSecret) {
    throw new AuthError(
      'clientNotConfigured',
      `The client secret of OAuth client ${clientId} is missing. Run "Gemini: Configure OAuth Client" to enter it (or set GEMINI_OAUTH_CLIENT_SECRET).`,
    );
  }
  return { clientId, clientSecret };
}

function toAuthSession(s: StoredSession): AuthSession {
  return { id: s.id, accessToken: s.accessToken, account: { id: s.account.id, label: s.account.label }, scopes: s.scopes };
}

function safeMessage(err: unknown): string {
  return err instanceof AuthError ? err.userMessage : errorName(err);
}
