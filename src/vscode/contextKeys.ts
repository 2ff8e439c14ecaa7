import * as vscode from 'vscode';
import { DisposableStore } from '../core/common/events';
import type { Services } from './services';

type ContextKeysDeps = Pick<Services, 'credentials' | 'apiKeys' | 'oauthClients' | 'settings' | 'log' | 'hasOAuthClient'>;

/**
 * Context keys for when-clauses and the walkthrough's completion events: they follow the real state
 * (a credential configured, someone signed in), so a step completes when the thing happened, however it did.
 */
export class ContextKeys implements vscode.Disposable {
  private readonly disposables = new DisposableStore();

  constructor(private readonly deps: ContextKeysDeps) {
    this.disposables.add(deps.credentials.onDidChange(() => void this.update()));
    this.disposables.add(deps.apiKeys.onDidChange(() => void this.update()));
    this.disposables.add(deps.oauthClients.onDidChange(() => void this.update()));
    this.disposables.add(deps.settings.onDidChange((keys) => keys.includes('oauthClientId') && void this.update()));
    void this.update();
  }

  async update(): Promise<void> {
    try {
      const [active, apiKey, hasClient] = await Promise.all([this.deps.credentials.current(), this.deps.apiKeys.get(), this.deps.hasOAuthClient()]);
      await vscode.commands.executeCommand('setContext', 'gemini.signedIn', Boolean(active));
      await vscode.commands.executeCommand('setContext', 'gemini.setupDone', Boolean(apiKey) || hasClient);
      this.deps.log.debug(`[contextKeys] signedIn=${Boolean(active)} setupDone=${Boolean(apiKey) || hasClient}`);
    } catch (err) {
      this.deps.log.error(`[contextKeys] could not update: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** While a sign-in waits for the browser: its fallback commands (paste the redirect URL, copy the link) exist. */
  static async setSignInPending(pending: boolean): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'gemini.signInPending', pending);
  }

  /** The walkthrough's "summarize" step: set once an answer has arrived. */
  static async markSummarized(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'gemini.hasSummarized', true);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
