import { adcLabel, type AdcStore, type StoredAdc } from '../adc/adcStore';
import { DisposableStore, Emitter, type Disposable, type Event } from '../common/events';
import type { ApiKeyStore, StoredApiKey } from './apiKeyStore';

/** What the active-credential service needs of the Google sign-in (the core AuthService satisfies it). */
export interface AccountDirectory {
  /** Who is signed in; reading it must not refresh tokens (the credential is listed far more often than used). */
  signedIn(): Promise<ReadonlyArray<{ readonly id: string; readonly account: { readonly id: string; readonly label: string } }>>;
  readonly onDidChangeSessions: Event<unknown>;
}

/** Not secret: which credential the user chose. Kept in globalState by the adapter. */
export interface ChoiceState {
  get(): ActiveChoice | undefined;
  set(choice: ActiveChoice | undefined): Promise<void>;
}

export type ActiveChoice = { readonly kind: 'apiKey' } | { readonly kind: 'oauth'; readonly accountId: string } | { readonly kind: 'adc' };

export type ActiveCredential =
  | { readonly kind: 'oauth'; readonly sessionId: string; readonly accountId: string; readonly label: string }
  | { readonly kind: 'apiKey'; readonly label: string; readonly apiKey: StoredApiKey }
  | { readonly kind: 'adc'; readonly label: string; readonly adc: StoredAdc };

export interface CredentialOverview {
  readonly active: ActiveCredential | undefined;
  readonly accounts: ReadonlyArray<{ readonly sessionId: string; readonly accountId: string; readonly label: string }>;
  readonly apiKey: StoredApiKey | undefined;
  /** Imported Application Default Credentials. */
  readonly adc?: StoredAdc;
}

export function sameCredential(a: ActiveCredential | undefined, b: ActiveCredential | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'oauth' && b.kind === 'oauth') return a.sessionId === b.sessionId && a.label === b.label;
  if (a.kind === 'apiKey' && b.kind === 'apiKey') return a.apiKey.key === b.apiKey.key && a.apiKey.setAt === b.apiKey.setAt;
  if (a.kind === 'adc' && b.kind === 'adc') return a.adc.importedAt === b.adc.importedAt;
  return false;
}

/**
 * The one place that decides which credential a request uses: the account or key the user chose when it
 * still exists, else the first signed-in account, else the API key. Everything that shows or uses the
 * credential listens to `onDidChange`.
 */
export class ActiveCredentialService implements Disposable {
  private readonly changed = new Emitter<ActiveCredential | undefined>();
  readonly onDidChange: Event<ActiveCredential | undefined> = this.changed.event;
  private readonly disposables = new DisposableStore();
  private last: ActiveCredential | undefined;
  private refreshing: Promise<ActiveCredential | undefined> | undefined;
  private again = false;

  constructor(
    private readonly accounts: AccountDirectory,
    private readonly apiKeys: ApiKeyStore,
    private readonly choice: ChoiceState,
    private readonly adc: AdcStore,
  ) {
    this.disposables.add(accounts.onDidChangeSessions(() => void this.refresh()));
    this.disposables.add(apiKeys.onDidChange(() => void this.refresh()));
    this.disposables.add(adc.onDidChange(() => void this.refresh()));
  }

  async overview(): Promise<CredentialOverview> {
    const [sessions, apiKey, adc] = await Promise.all([this.accounts.signedIn(), this.apiKeys.get(), this.adc.get()]);
    const accounts = sessions
      .map((s) => ({ sessionId: s.id, accountId: s.account.id, label: s.account.label }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return { active: pick(this.choice.get(), accounts, apiKey, adc), accounts, apiKey, ...(adc && { adc }) };
  }

  async current(): Promise<ActiveCredential | undefined> {
    return (await this.overview()).active;
  }

  async choose(choice: ActiveChoice): Promise<ActiveCredential | undefined> {
    await this.choice.set(choice);
    return this.refresh();
  }

  /** Re-reads everything and fires `onDidChange` if the active credential is different. */
  refresh(): Promise<ActiveCredential | undefined> {
    if (this.refreshing) {
      // A change arrived while resolving: resolve once more after, so the last event wins.
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      let active: ActiveCredential | undefined;
      do {
        this.again = false;
        active = await this.current();
      } while (this.again);
      if (!sameCredential(active, this.last)) {
        this.last = active;
        this.changed.fire(active);
      }
      return active;
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  dispose(): void {
    this.disposables.dispose();
    this.changed.dispose();
  }
}

function pick(
  choice: ActiveChoice | undefined,
  accounts: CredentialOverview['accounts'],
  apiKey: StoredApiKey | undefined,
  adc: StoredAdc | undefined,
): ActiveCredential | undefined {
  const asOAuth = (a: CredentialOverview['accounts'][number]): ActiveCredential => ({ kind: 'oauth', ...a });
  const asKey = (k: StoredApiKey): ActiveCredential => ({ kind: 'apiKey', label: 'API key', apiKey: k });
  const asAdc = (stored: StoredAdc): ActiveCredential => ({ kind: 'adc', label: adcLabel(stored), adc: stored });
  if (choice?.kind === 'oauth') {
    const chosen = accounts.find((a) => a.accountId === choice.accountId);
    if (chosen) return asOAuth(chosen);
  }
  if (choice?.kind === 'apiKey' && apiKey) return asKey(apiKey);
  if (choice?.kind === 'adc' && adc) return asAdc(adc);
  if (accounts[0]) return asOAuth(accounts[0]);
  if (apiKey) return asKey(apiKey);
  return adc ? asAdc(adc) : undefined;
}
