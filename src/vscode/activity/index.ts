import * as vscode from 'vscode';
import { ActivityRecorder, type ApiKeySource } from '../../core/activity/recorder';
import { ActivityStore } from '../../core/activity/store';
import type { AuthService } from '../../core/auth/authService';
import { DisposableStore, type Disposable } from '../../core/common/events';
import type { Logger } from '../../core/common/logger';
import type { KeyValueStore } from '../../core/common/secretStore';
import { apiKeyFromEnvironment, type ApiKeyStore } from '../../core/credentials/apiKeyStore';
import type { FinishedRequestReport } from '../../core/gemini/client';
import { isGeminiError } from '../../core/gemini/errors';
import type { SettingsReader } from '../settings';

/** Settings that decide where credentials go, which ones are asked for, or how they are kept. */
const CREDENTIAL_SETTINGS: ReadonlySet<string> = new Set<string>([
  'apiBaseUrl',
  'oauthClientId',
  'oauthScopes',
  'authorizationEndpoint',
  'tokenEndpoint',
  'revocationEndpoint',
  'userinfoEndpoint',
  'quotaProject',
  'rotationReminderDays',
  'backend',
  'vertexProject',
  'vertexBaseUrl',
  'languageModelsEnabled',
]);

export interface ActivityDeps {
  readonly globalState: KeyValueStore;
  readonly auth: AuthService;
  readonly apiKeys: ApiKeyStore;
  readonly settings: SettingsReader;
  readonly log: Logger;
  readonly env: Record<string, string | undefined>;
}

/**
 * The activity log of this window: a store on globalState and a recorder fed by the auth core, the key store,
 * settings changes and the Gemini client (`onRequestFinished`, passed to the client by services.ts).
 */
export class Activity implements Disposable {
  readonly store: ActivityStore;
  private readonly recorder: ActivityRecorder;
  private readonly disposables = new DisposableStore();

  constructor(private readonly deps: ActivityDeps) {
    this.store = new ActivityStore({ kv: deps.globalState, log: deps.log });
    this.recorder = new ActivityRecorder({
      store: this.store,
      now: Date.now,
      currentApiKey: () => deps.apiKeys.get(),
      // Imported Application Default Credentials make requests as the Bearer credential `adc`.
      accountLabel: (id) => (id === 'adc' ? 'Application Default Credentials' : deps.auth.accounts.find((a) => a.id === id)?.label),
    });
    this.disposables.add(deps.auth.onDidRecordActivity((e) => this.recorder.onAuthActivity(e)));
    this.disposables.add(deps.apiKeys.onDidChange(() => void this.recorder.onApiKeyChanged()));
    this.disposables.add(
      deps.settings.onDidChange((names) => {
        // Every window hears a settings change; the one the user typed in records it.
        if (!vscode.window.state.focused) return;
        for (const name of names) if (CREDENTIAL_SETTINGS.has(name)) this.recorder.onSettingChanged(deps.settings.settingId(name));
      }),
    );
  }

  /** For GeminiClient's `onRequestFinished`: counts usage and refusals, off the request path (batched writes). */
  readonly onRequestFinished = (report: FinishedRequestReport): void => this.recorder.onRequestFinished(report);

  /** Set API Key's check of `key` with Google: accepted (no error) or refused. The key itself is not kept. */
  keyChecked(key: string, error?: unknown): void {
    if (isGeminiError(error, 'cancelled')) return;
    const fromEnv = apiKeyFromEnvironment(this.deps.env);
    const source: ApiKeySource = fromEnv && fromEnv.key === key.trim() ? (fromEnv.name as ApiKeySource) : 'typed';
    this.recorder.onKeyChecked(key.trim(), source, error === undefined ? undefined : isGeminiError(error) ? error.kind : 'other');
  }

  dispose(): void {
    this.disposables.dispose();
    this.recorder.dispose();
    this.store.dispose();
  }
}
