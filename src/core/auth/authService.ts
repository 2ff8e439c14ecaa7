import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, DisposableStore, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import type { SecretStore } from '../common/secretStore';
import type { OAuthClientCredentials } from './clientConfig';
import { validateEndpoints, type OAuthEndpoints } from './endpoints';
import { AuthError, isAuthError } from './errors';
import { decodeIdToken } from './idToken';
import { runSignInFlow, type Account, type SignInUi } from './oauthFlow';
import { FALLBACK_PAGES, type AuthPages } from './pages';
import { ScopeSet } from './scopes';
import { isSessionStoreKey, SessionStore, type StoredSession } from './sessionStore';
import { TokenClient } from './tokenClient';

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

/** What happened to a session, told to the activity log by the window that did it (ids and labels only). */
export type AuthActivity =
  | { readonly kind: 'signIn'; readonly account: Account; readonly issuer?: string }
  | { readonly kind: 'refresh'; readonly account: Account }
  | { readonly kind: 'refreshFailed'; readonly account: Account; readonly reason: 'invalidGrant' | 'transient' }
  | { readonly kind: 'signOut'; readonly account: Account; readonly revocation: RevocationOutcome };

export type RevocationOutcome = 'confirmed' | 'alreadyInvalid' | 'failed';

export interface AuthServiceDeps {
  readonly secrets: SecretStore;
  readonly getConfig: () => AuthConfig | Promise<AuthConfig>;
  readonly log: Logger;
  readonly now?: () => number;
  /** The loopback success/failure pages (see loadAuthPages); minimal built-in pages otherwise. */
  readonly pages?: AuthPages;
  /** Refresh this long before expiry. Default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** Retries of token-endpoint calls on 5xx/network errors. Default 1. */
  readonly tokenRetries?: number;
}

/** Scopes every sign-in asks for, so the account's id and email are known. */
const IDENTITY_SCOPES = ScopeSet.from(['openid', 'email']);
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

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

  static async create(deps: AuthServiceDeps): Promise<AuthService> {
    const service = new AuthService(deps);
    service.sessions = await service.store.loadAll();
    deps.log.info(`[auth] loaded ${service.sessions.size} session(s)`);
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

  /** Sessions whose scopes cover `scopes` (all when omitted), with access tokens refreshed if near expiry. */
  async getSessions(scopes?: readonly string[], accountId?: string): Promise<AuthSession[]> {
    const requested = ScopeSet.from(scopes ?? []);
    const matching = [...this.sessions.values()].filter(
      (s) => (accountId === undefined || s.account.id === accountId) && ScopeSet.from(s.scopes).covers(requested),
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

  /** Runs the browser sign-in. Signing in again with an account that has a session replaces it (`changed`). */
  async createSession(scopes: readonly string[], ui: SignInUi, options: { loginHint?: string } = {}): Promise<AuthSession> {
    const config = await this.deps.getConfig();
    const client = requireClient(config);
    const endpoints = validateEndpoints(config.endpoints);
    const requested = ScopeSet.from(scopes.length ? scopes : config.scopes).union(IDENTITY_SCOPES);
    const result = await runSignInFlow({
      client,
      endpoints,
      scopes: requested,
      ui,
      pages: this.deps.pages ?? FALLBACK_PAGES,
      log: this.log,
      now: this.now,
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      ...(this.deps.tokenRetries !== undefined ? { tokenRetries: this.deps.tokenRetries } : {}),
    });
    return this.exclusive(async () => {
      const existing = this.sessions.get(result.account.id);
      const stored: StoredSession = {
        v: 1,
        id: existing?.id ?? randomUUID(),
        account: result.account,
        scopes: result.tokens.scopes,
        accessToken: result.tokens.accessToken,
        refreshToken: result.tokens.refreshToken,
        expiresAt: result.tokens.expiresAt,
        createdAt: this.now(),
        ...(result.tokens.idTokenClaims ? { idTokenClaims: result.tokens.idTokenClaims } : {}),
      };
      await this.store.put(stored);
      this.sessions.set(stored.account.id, stored);
      const session = toAuthSession(stored);
      this.log.info(`[createSession] ${existing ? 'replaced the session of' : 'added a session for'} ${stored.account.label}`);
      this.fire({ added: existing ? [] : [session], removed: [], changed: existing ? [session] : [] });
      this._onDidRecordActivity.fire({ kind: 'signIn', account: stored.account, issuer: new URL(endpoints.token).host });
      if (existing && existing.refreshToken !== stored.refreshToken) {
        // The old grant is superseded; revoke it quietly so it does not linger.
        void this.revokeQuietly(existing.refreshToken, '[createSession]');
      }
      return session;
    });
  }

  /** Signs out: revokes the refresh token, then deletes the local secrets (even if revocation failed). */
  async removeSession(sessionId: string): Promise<void> {
    const session = this.findBySessionId(sessionId);
    if (!session) {
      this.log.info('[removeSession] no such session; nothing to do');
      return;
    }
    const revocation = await this.revokeQuietly(session.refreshToken, '[removeSession]');
    this._onDidRecordActivity.fire({ kind: 'signOut', account: session.account, revocation });
    await this.exclusive(async () => {
      await this.store.remove(session.account.id);
      const current = this.sessions.get(session.account.id);
      if (current?.id !== session.id) return;
      this.sessions.delete(session.account.id);
      this.log.info(`[removeSession] removed the session of ${session.account.label}`);
      this.fire({ added: [], removed: [toAuthSession(current)], changed: [] });
    });
  }

  /** A valid access token for the session; refreshes (at most one request per account in flight) when needed. */
  async getAccessToken(sessionId: string, options: { forceRefresh?: boolean } = {}): Promise<string> {
    const session = this.findBySessionId(sessionId);
    if (!session) throw new AuthError('sessionNotFound', 'That Google session no longer exists. Sign in again.');
    if (!options.forceRefresh && !this.needsRefresh(session)) return session.accessToken;
    const refreshed = await this.refreshAccount(session.account.id, options.forceRefresh === true);
    return refreshed.accessToken;
  }

  /** Reloads sessions from the SecretStore (another window may have changed them) and fires the difference. */
  checkForUpdates(): Promise<void> {
    if (this.queuedCheck) return this.queuedCheck;
    const check = this.exclusive(async () => {
      this.queuedCheck = undefined;
      const loaded = await this.store.loadAll();
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
        else if (old.account.label !== next.account.label || old.refreshToken !== next.refreshToken || ScopeSet.from(old.scopes).key !== ScopeSet.from(next.scopes).key) {
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

  /** The accounts with a session (for pickers and the status bar). */
  get accounts(): Account[] {
    return [...this.sessions.values()].map((s) => s.account);
  }

  // -------------------------------------------------------------------------------------------------------

  private needsRefresh(s: StoredSession): boolean {
    return s.expiresAt - (this.deps.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS) <= this.now();
  }

  private findBySessionId(sessionId: string): StoredSession | undefined {
    for (const s of this.sessions.values()) if (s.id === sessionId) return s;
    return undefined;
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
      this.sessions.set(accountId, stored);
      return stored;
    }
    const base = this.sessions.get(accountId) ?? current;

    const config = await this.deps.getConfig();
    const client = requireClient(config);
    const tokenClient = new TokenClient({
      client,
      endpoints: validateEndpoints(config.endpoints),
      now: this.now,
      ...(this.deps.tokenRetries !== undefined ? { retries: this.deps.tokenRetries } : {}),
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
        claims = decodeIdToken(tokens.idToken, client.clientId, this.now());
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
    return this.exclusive(async () => {
      const latest = this.sessions.get(accountId);
      if (!latest || latest.id !== updated.id) {
        throw new AuthError('sessionNotFound', 'That Google session was signed out while its token was being refreshed.');
      }
      if (latest.refreshToken !== base.refreshToken) return latest; // replaced by a new sign-in meanwhile
      await this.store.put(updated);
      this.sessions.set(accountId, updated);
      this.log.info(`[refresh] refreshed (valid ${Math.round((updated.expiresAt - this.now()) / 1000)}s)`);
      this._onDidRecordActivity.fire({ kind: 'refresh', account: updated.account });
      return updated;
    });
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

  private async revokeQuietly(refreshToken: string, op: string): Promise<RevocationOutcome> {
    let config: AuthConfig;
    try {
      config = await this.deps.getConfig();
      const tokenClient = new TokenClient({
        // The revocation endpoint needs only the token; client credentials are not sent.
        client: { clientId: config.clientId ?? '', clientSecret: '' },
        endpoints: validateEndpoints(config.endpoints),
        now: this.now,
        retries: 0,
        requestTimeoutMs: 10_000,
      });
      await tokenClient.revoke(refreshToken);
      this.log.info(`${op} revoked the refresh token`);
      return 'confirmed';
    } catch (err) {
      const alreadyInvalid = isAuthError(err) && err.cause !== undefined && (err.cause as { error?: unknown }).error === 'invalid_token';
      if (alreadyInvalid) {
        this.log.info(`${op} the refresh token was already invalid at the revocation endpoint`);
        return 'alreadyInvalid';
      }
      this.log.warn(
        `${op} could not revoke the refresh token (${safeMessage(err)}); the local session is deleted anyway. You can remove the app's access at https://myaccount.google.com/permissions.`,
      );
      return 'failed';
    }
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
  return err instanceof AuthError ? err.userMessage : err instanceof Error ? err.name : 'unknown error';
}
