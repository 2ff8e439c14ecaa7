import type { Event } from './events';

/** The slice of VS Code's `globalState` the core uses: non-secret state that every window reads fresh. */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** What the core needs of VS Code's SecretStorage; the adapter wraps `context.secrets`. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Fires with the key whenever any window changes a secret of this extension. */
  readonly onDidChange: Event<string>;
}
