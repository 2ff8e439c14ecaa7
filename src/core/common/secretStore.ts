import { Emitter, type Disposable, type Event } from './events';
import type { Logger } from './logger';

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

export interface SecretEntryOptions<T> {
  readonly key: string;
  /** The log prefix, e.g. `apiKey`. */
  readonly name: string;
  /** The stored JSON as a value; undefined (or a throw) when it is damaged. */
  parse(json: unknown): T | undefined;
  /** Logged when the stored value is damaged (it is then ignored, never thrown). */
  readonly damaged: string;
  /** Logged when `remove` deleted something. */
  readonly removed: string;
}

/**
 * One JSON value under one SecretStorage key, checked on every read. The stored text is kept in memory until it
 * changes (here or in another window): in code-server every SecretStorage read is a round trip to the browser,
 * which a command would otherwise pay before its first request.
 */
export class SecretEntry<T> implements Disposable {
  private readonly changed = new Emitter<void>();
  /** Fires when the value is set or removed, in this window or another. */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly subscription: Disposable;
  private stored: Promise<string | undefined> | undefined;

  constructor(
    private readonly secrets: SecretStore,
    protected readonly log: Logger,
    private readonly entry: SecretEntryOptions<T>,
  ) {
    this.subscription = secrets.onDidChange((key) => {
      if (key !== entry.key) return;
      this.stored = undefined;
      this.changed.fire();
    });
  }

  async get(): Promise<T | undefined> {
    this.stored ??= this.secrets.get(this.entry.key).catch((err: unknown) => {
      this.stored = undefined;
      throw err;
    });
    const raw = await this.stored;
    if (raw === undefined) return undefined;
    try {
      const value = this.entry.parse(JSON.parse(raw));
      if (value !== undefined) return value;
    } catch {
      // damaged
    }
    this.log.warn(`[${this.entry.name}] ${this.entry.damaged}`);
    return undefined;
  }

  async remove(): Promise<boolean> {
    const had = (await this.secrets.get(this.entry.key)) !== undefined;
    await this.secrets.delete(this.entry.key);
    this.stored = undefined;
    if (had) this.log.info(`[${this.entry.name}] ${this.entry.removed}`);
    return had;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  protected async write(value: unknown, logged: string): Promise<void> {
    await this.secrets.store(this.entry.key, JSON.stringify(value));
    this.stored = undefined;
    this.log.info(`[${this.entry.name}] ${logged}`);
  }
}
