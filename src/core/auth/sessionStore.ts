import type { Logger } from '../common/logger';
import type { SecretStore } from '../common/secretStore';
import { serviceUrlProblem } from '../common/url';
import type { IdTokenClaims } from './idToken';
import type { Account } from './oauthFlow';
import { ScopeSet } from './scopes';
import { errorName, isObject } from '../common/values';

// Layout in the SecretStore (all values JSON):
//   gemini.auth.sessions            {"v":1,"accounts":["<sub>", …]}             the index
//   gemini.auth.session.<sub>       StoredSession                               one entry per account
// Entries are written before the index lists them and unlisted before they are deleted, so another window
// reading in between never sees an index entry without its session. Anything unreadable is skipped with a
// warning (never thrown) and dropped the next time the index is written.

export const SESSION_INDEX_KEY = 'gemini.auth.sessions';
const SESSION_KEY_PREFIX = 'gemini.auth.session.';

export function sessionKey(accountId: string): string {
  return SESSION_KEY_PREFIX + accountId;
}

/** True for keys this store owns (to filter SecretStore change events). */
export function isSessionStoreKey(key: string): boolean {
  return key === SESSION_INDEX_KEY || key.startsWith(SESSION_KEY_PREFIX);
}

/** The token server that issued a session: it alone gets the session's refresh token, and revokes it. */
export interface SessionIssuer {
  readonly token: string;
  readonly revocation: string;
  readonly userinfo: string;
  readonly clientId: string;
}

export interface StoredSession {
  readonly v: 1;
  /** The VS Code session id; stays the same across refreshes and re-sign-ins of the same account. */
  readonly id: string;
  readonly account: Account;
  /** Normalised (ScopeSet) granted scopes. */
  readonly scopes: readonly string[];
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly idTokenClaims?: IdTokenClaims;
  readonly createdAt: number;
  /** Absent only in sessions stored before issuers were recorded; AuthService binds those when it loads them. */
  readonly issuer?: SessionIssuer;
}

const ACCOUNT_ID = /^[\w.@+-]{1,255}$/;

export class SessionStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {}

  /** All readable sessions, keyed by account id. Never throws for bad data. */
  async loadAll(): Promise<Map<string, StoredSession>> {
    const result = new Map<string, StoredSession>();
    for (const accountId of await this.readIndex()) {
      const session = await this.loadOne(accountId);
      if (session) result.set(accountId, session);
    }
    return result;
  }

  async loadOne(accountId: string): Promise<StoredSession | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(sessionKey(accountId));
    } catch (err) {
      this.log.warn(`[sessionStore] could not read the session of account ${accountId}: ${errorName(err)}`);
      return undefined;
    }
    if (raw === undefined) return undefined;
    const parsed = parseStoredSession(raw, accountId);
    if (typeof parsed === 'string') {
      this.log.warn(`[sessionStore] discarded the stored session of account ${accountId}: ${parsed}`);
      return undefined;
    }
    return parsed;
  }

  async put(session: StoredSession): Promise<void> {
    await this.secrets.store(sessionKey(session.account.id), JSON.stringify(session));
    const index = await this.readIndex();
    if (!index.includes(session.account.id)) await this.writeIndex([...index, session.account.id]);
  }

  async remove(accountId: string): Promise<void> {
    const index = await this.readIndex();
    if (index.includes(accountId)) await this.writeIndex(index.filter((id) => id !== accountId));
    await this.secrets.delete(sessionKey(accountId));
  }

  private async readIndex(): Promise<string[]> {
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(SESSION_INDEX_KEY);
    } catch (err) {
      this.log.warn(`[sessionStore] could not read the session index: ${errorName(err)}`);
      return [];
    }
    if (raw === undefined) return [];
    try {
      const data: unknown = JSON.parse(raw);
      if (isObject(data) && data['v'] === 1 && Array.isArray(data['accounts'])) {
        const ids = data['accounts'].filter((id): id is string => typeof id === 'string' && ACCOUNT_ID.test(id));
        if (ids.length !== data['accounts'].length) this.log.warn('[sessionStore] ignored malformed account ids in the session index');
        return [...new Set(ids)];
      }
    } catch {
      // fall through
    }
    this.log.warn('[sessionStore] the session index is unreadable; ignoring it (accounts will need to sign in again)');
    return [];
  }

  private async writeIndex(accounts: string[]): Promise<void> {
    await this.secrets.store(SESSION_INDEX_KEY, JSON.stringify({ v: 1, accounts }));
  }
}

/** Strictly validates a stored session; returns a reason string (never containing values) when invalid. */
export function parseStoredSession(raw: string, expectedAccountId: string): StoredSession | string {
  let d: unknown;
  try {
    d = JSON.parse(raw);
  } catch {
    return 'not JSON';
  }
  if (!isObject(d)) return 'not an object';
  if (d['v'] !== 1) return 'unknown format version';
  const account = d['account'];
  if (!isObject(account) || typeof account['id'] !== 'string' || typeof account['label'] !== 'string' || !account['label']) return 'missing account';
  if (account['id'] !== expectedAccountId) return 'stored under another account id';
  if (!nonEmpty(d['id'])) return 'missing session id';
  if (!nonEmpty(d['accessToken'])) return 'missing access token';
  if (!nonEmpty(d['refreshToken'])) return 'missing refresh token';
  if (typeof d['expiresAt'] !== 'number' || !Number.isFinite(d['expiresAt'])) return 'missing expiry';
  if (!Array.isArray(d['scopes']) || !d['scopes'].every((s) => typeof s === 'string')) return 'missing scopes';
  const createdAt = typeof d['createdAt'] === 'number' ? d['createdAt'] : 0;
  const issuer = parseIssuer(d['issuer']);
  if (typeof issuer === 'string') return issuer;
  const claims = d['idTokenClaims'];
  let idTokenClaims: IdTokenClaims | undefined;
  if (claims !== undefined) {
    if (!isObject(claims) || typeof claims['sub'] !== 'string' || typeof claims['aud'] !== 'string' || typeof claims['exp'] !== 'number') return 'malformed ID-token claims';
    idTokenClaims = {
      sub: claims['sub'],
      aud: claims['aud'],
      exp: claims['exp'],
      ...(typeof claims['email'] === 'string' ? { email: claims['email'] } : {}),
      ...(typeof claims['iss'] === 'string' ? { iss: claims['iss'] } : {}),
    };
  }
  return {
    v: 1,
    id: d['id'] as string,
    account: { id: account['id'], label: account['label'] },
    scopes: ScopeSet.from(d['scopes'] as string[]).scopes,
    accessToken: d['accessToken'] as string,
    refreshToken: d['refreshToken'] as string,
    expiresAt: d['expiresAt'],
    createdAt,
    ...(idTokenClaims ? { idTokenClaims } : {}),
    ...(issuer ? { issuer } : {}),
  };
}

function parseIssuer(v: unknown): SessionIssuer | undefined | string {
  if (v === undefined) return undefined;
  if (!isObject(v) || !nonEmpty(v['clientId'])) return 'malformed issuer';
  const urls = [v['token'], v['revocation'], v['userinfo']];
  if (!urls.every((u) => typeof u === 'string' && serviceUrlProblem(u, 'issuer') === undefined)) return 'malformed issuer';
  return { token: v['token'] as string, revocation: v['revocation'] as string, userinfo: v['userinfo'] as string, clientId: v['clientId'] };
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

