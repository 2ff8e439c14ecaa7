// The imported Application Default Credentials, kept only in SecretStorage (the file's secrets included), with
// what the switcher shows: who they act as and where they were imported from.

import { Emitter, type Disposable, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import type { SecretStore } from '../common/secretStore';
import { parseAdcFile, type AdcCredentials } from './adcFile';

export const ADC_SECRET = 'gemini.adc';

export interface StoredAdc {
  readonly credentials: AdcCredentials;
  /** The account or service account email, when known. */
  readonly identity?: string;
  /** The file it was imported from (shown, never read again). */
  readonly path: string;
  readonly importedAt: number;
}

/** "ADC: alice@…" style label: the identity, shortened, or the credential type. */
export function adcLabel(stored: Pick<StoredAdc, 'identity' | 'credentials'>): string {
  const who = stored.identity ?? (stored.credentials.type === 'service_account' ? 'service account' : 'gcloud user');
  return `ADC: ${who}`;
}

export class AdcStore implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly subscription: Disposable;

  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {
    this.subscription = secrets.onDidChange((key) => key === ADC_SECRET && this.changed.fire());
  }

  async get(): Promise<StoredAdc | undefined> {
    const raw = await this.secrets.get(ADC_SECRET);
    if (raw === undefined) return undefined;
    try {
      const o = JSON.parse(raw) as { file?: unknown; identity?: unknown; path?: unknown; importedAt?: unknown };
      const parsed = typeof o.file === 'string' ? parseAdcFile(o.file) : undefined;
      if (parsed?.ok && typeof o.path === 'string' && typeof o.importedAt === 'number') {
        return { credentials: parsed.credentials, path: o.path, importedAt: o.importedAt, ...(typeof o.identity === 'string' && { identity: o.identity }) };
      }
    } catch {
      // fall through: damaged
    }
    this.log.warn('[adc] the stored Application Default Credentials are damaged and were ignored; import them again');
    return undefined;
  }

  /** Stores the file's text as read (checked again on every read) with what the user confirmed. */
  async set(fileText: string, info: { identity?: string; path: string; importedAt: number }): Promise<void> {
    if (!parseAdcFile(fileText).ok) throw new Error('not an Application Default Credentials file');
    await this.secrets.store(ADC_SECRET, JSON.stringify({ file: fileText, ...info }));
    this.log.info('[adc] imported Application Default Credentials');
  }

  async remove(): Promise<boolean> {
    const had = (await this.secrets.get(ADC_SECRET)) !== undefined;
    await this.secrets.delete(ADC_SECRET);
    if (had) this.log.info('[adc] removed the imported Application Default Credentials');
    return had;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
