// An in-memory SecretStore. Instances created with the same backing share their secrets and all hear each
// other's changes, like several VS Code windows sharing one SecretStorage.
import { Emitter } from '../../src/core/common/events';
import type { SecretStore } from '../../src/core/common/secretStore';

export class SecretBacking {
  readonly map = new Map<string, string>();
  readonly stores = new Set<MemorySecretStore>();
}

export class MemorySecretStore implements SecretStore {
  private readonly emitter = new Emitter<string>();
  readonly onDidChange = this.emitter.event;
  /** Every store/delete call made through this instance, for assertions. */
  readonly writes: { op: 'store' | 'delete'; key: string }[] = [];

  constructor(readonly backing: SecretBacking = new SecretBacking()) {
    backing.stores.add(this);
  }

  /** Another "window" over the same secrets. */
  sibling(): MemorySecretStore {
    return new MemorySecretStore(this.backing);
  }

  async get(key: string): Promise<string | undefined> {
    return this.backing.map.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.writes.push({ op: 'store', key });
    this.backing.map.set(key, value);
    this.notify(key);
  }

  async delete(key: string): Promise<void> {
    this.writes.push({ op: 'delete', key });
    const had = this.backing.map.delete(key);
    if (had) this.notify(key);
  }

  /** Writes without firing events (to seed or corrupt storage in tests). */
  seed(key: string, value: string): void {
    this.backing.map.set(key, value);
  }

  /** All values, for "no secret leaked elsewhere" checks. */
  values(): string[] {
    return [...this.backing.map.values()];
  }

  dispose(): void {
    this.backing.stores.delete(this);
    this.emitter.dispose();
  }

  private notify(key: string): void {
    // VS Code fires asynchronously, in every window.
    for (const s of this.backing.stores) setImmediate(() => s.emitter.fire(key));
  }
}
