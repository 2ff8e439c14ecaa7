import type * as vscode from 'vscode';
import type { Event } from '../core/common/events';
import type { SecretStore } from '../core/common/secretStore';

/** The core's SecretStore over `context.secrets` (OS keychain-backed; change events cross windows). */
export class VsCodeSecretStore implements SecretStore {
  readonly onDidChange: Event<string>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = (listener) => secrets.onDidChange((e) => listener(e.key));
  }

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }
}
