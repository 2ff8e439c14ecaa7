// The imported Application Default Credentials, kept only in SecretStorage (the file's secrets included), with
// what the switcher shows: who they act as and where they were imported from.

import type { Logger } from '../common/logger';
import { SecretEntry, type SecretStore } from '../common/secretStore';
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

export class AdcStore extends SecretEntry<StoredAdc> {
  constructor(secrets: SecretStore, log: Logger) {
    super(secrets, log, {
      key: ADC_SECRET,
      name: 'adc',
      parse: (o: { file?: unknown; identity?: unknown; path?: unknown; importedAt?: unknown }) => {
        const parsed = typeof o.file === 'string' ? parseAdcFile(o.file) : undefined;
        if (!parsed?.ok || typeof o.path !== 'string' || typeof o.importedAt !== 'number') return undefined;
        return { credentials: parsed.credentials, path: o.path, importedAt: o.importedAt, ...(typeof o.identity === 'string' && { identity: o.identity }) };
      },
      damaged: 'the stored Application Default Credentials are damaged and were ignored; import them again',
      removed: 'removed the imported Application Default Credentials',
    });
  }

  /** Stores the file's text as read (checked again on every read) with what the user confirmed. */
  async set(fileText: string, info: { identity?: string; path: string; importedAt: number }): Promise<void> {
    if (!parseAdcFile(fileText).ok) throw new Error('not an Application Default Credentials file');
    await this.write({ file: fileText, ...info }, 'imported Application Default Credentials');
  }
}
