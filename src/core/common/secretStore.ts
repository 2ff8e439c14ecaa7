import type { Event } from './events';

/** What the core needs of VS Code's SecretStorage; the adapter wraps `context.secrets`. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Fires with the key whenever any window changes a secret of this extension. */
  readonly onDidChange: Event<string>;
}
