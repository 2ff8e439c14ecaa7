// Turns what the extension does into activity: sign-in/refresh/sign-out reported by the auth core, API key
// changes seen in the key store, key checks, finished requests, settings changes. Each source calls one
// method; nothing here waits on storage (the store batches), so the request path only pays a map update.

import type { Disposable } from '../common/events';
import type { AuthActivity } from '../auth/authService';
import type { StoredApiKey } from '../credentials/apiKeyStore';
import type { FinishedRequestReport } from '../gemini/client';
import { CREDENTIAL_REFUSED } from '../gemini/errors';
import type { CredentialRef } from './model';
import type { ActivityStore } from './store';

export type ApiKeySource = 'typed' | 'GEMINI_API_KEY' | 'GOOGLE_API_KEY';

export function oauthRef(account: { readonly id: string; readonly label: string }): CredentialRef {
  return { key: `oauth:${account.id}`, kind: 'oauth', label: account.label };
}

export function apiKeyRef(stored: Pick<StoredApiKey, 'setAt'>): CredentialRef {
  return { key: `apiKey:${stored.setAt}`, kind: 'apiKey', label: `API key set ${new Date(stored.setAt).toISOString().slice(0, 10)}` };
}

export interface RecorderDeps {
  readonly store: ActivityStore;
  readonly now: () => number;
  /** The stored API key (the recorder keeps only its `setAt` and type). */
  readonly currentApiKey: () => Promise<StoredApiKey | undefined>;
  /** Label of a signed-in account, for requests that only carry the account id. */
  readonly accountLabel: (accountId: string) => string | undefined;
}

export class ActivityRecorder implements Disposable {
  /** `setAt` of the key this window knows is stored; undefined = none (or not read yet). */
  private knownKey: Pick<StoredApiKey, 'setAt'> | undefined;
  private keyRead: Promise<void>;
  /** The key this window just checked, kept in memory only to tell where the next stored key came from. */
  private checked: { key: string; source: ApiKeySource } | undefined;
  private disposed = false;

  constructor(private readonly deps: RecorderDeps) {
    this.keyRead = this.readKey();
  }

  onAuthActivity(e: AuthActivity): void {
    const credential = oauthRef(e.account);
    const at = this.deps.now();
    switch (e.kind) {
      case 'signIn':
        this.deps.store.record({ kind: 'signIn', credential, at, ...(e.issuer && { detail: e.issuer }) });
        this.deps.store.noteCredential({ ...credential, addedAt: at, ...(e.issuer && { issuer: e.issuer }) });
        return;
      case 'refresh':
        this.deps.store.record({ kind: 'refresh', credential, at });
        this.deps.store.noteCredential({ ...credential, lastRefreshedAt: at });
        return;
      case 'refreshFailed':
        this.deps.store.record({ kind: 'refreshFailed', credential, at, detail: e.reason });
        return;
      case 'signOut':
        this.deps.store.record({ kind: 'signOut', credential, at, detail: e.revocation });
        return;
    }
  }

  /** The Set API Key check: `error` is the GeminiError kind when Google refused the key. */
  onKeyChecked(key: string, source: ApiKeySource, error?: string): void {
    if (error) {
      this.deps.store.record({ kind: 'keyRejected', detail: error });
      return;
    }
    this.checked = { key, source };
    this.deps.store.record({ kind: 'keyValidated', detail: source });
  }

  /**
   * The key store changed (here or in another window). The window that checked the key records where it came
   * from; a removal is recorded with an id every window derives alike, so the windows' records merge into one.
   */
  async onApiKeyChanged(): Promise<void> {
    await this.keyRead;
    const before = this.knownKey;
    const current = await this.deps.currentApiKey();
    if (this.disposed) return;
    this.knownKey = current && { setAt: current.setAt };
    if (before && before.setAt !== current?.setAt) {
      const credential = apiKeyRef(before);
      this.deps.store.record({ id: `keyRemoved:${before.setAt}`, kind: 'keyRemoved', credential });
    }
    if (current && current.setAt !== before?.setAt && this.checked?.key === current.key) {
      const credential = apiKeyRef(current);
      const source = this.checked.source;
      this.deps.store.record({ id: `keySet:${current.setAt}`, at: current.setAt, kind: source === 'typed' ? 'keySet' : 'envKeyUsed', credential, detail: source });
      this.deps.store.noteCredential({ ...credential, addedAt: current.setAt, source });
    }
    this.checked = undefined;
  }

  onRequestFinished(r: FinishedRequestReport): void {
    const credential = this.credentialOf(r.credential);
    if (!credential) return;
    // Only answers spend tokens: model listing, counting and key checks are not "use".
    if (r.operation !== 'streamGenerateContent') return;
    const at = this.deps.now();
    this.deps.store.noteCredential({ ...credential, lastUsedAt: at });
    const error = r.error === 'stopped' || r.error === 'cancelled' ? undefined : r.error;
    this.deps.store.recordUsage({
      at,
      model: r.model ?? 'unknown',
      credential: credential.key,
      origin: r.origin,
      prompt: r.tokens?.prompt,
      answer: r.tokens?.candidates,
      thinking: r.tokens?.thoughts,
      ...(error && { error }),
    });
    if (error && CREDENTIAL_REFUSED.has(error)) {
      this.deps.store.record({ kind: 'requestRefused', credential, detail: error, ...(r.model && { model: r.model }), at });
    }
  }

  /** A setting that decides where credentials go or how they are kept changed (recorded by one window). */
  onSettingChanged(settingId: string): void {
    this.deps.store.record({ kind: 'settingChanged', detail: settingId });
  }

  dispose(): void {
    this.disposed = true;
    this.checked = undefined;
  }

  private credentialOf(c: FinishedRequestReport['credential']): CredentialRef | undefined {
    if (!c) return undefined;
    if (c.kind === 'oauth') return oauthRef({ id: c.id, label: this.deps.accountLabel(c.id) ?? 'Google account' });
    // Requests carry no key identity; the key in use is the stored one (a key being checked is not counted).
    return this.knownKey && c.id === 'apiKey' ? apiKeyRef(this.knownKey) : undefined;
  }

  private async readKey(): Promise<void> {
    const stored = await this.deps.currentApiKey().catch(() => undefined);
    this.knownKey = stored && { setAt: stored.setAt };
  }
}
