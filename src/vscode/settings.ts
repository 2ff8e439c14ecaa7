import * as vscode from 'vscode';
import type { BackendKind } from '../core/backends/backend';
import { Emitter, type Disposable } from '../core/common/events';
import { isThinkingLevelSetting, type ThinkingLevelSetting } from '../core/gemini/thinking';

/** Every `gemini.*` setting, as the user (never a workspace) set it. */
export interface GeminiSettings {
  model: string;
  apiBaseUrl: string;
  oauthClientId: string;
  oauthScopes: string[];
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  userinfoEndpoint: string;
  quotaProject: string;
  summarizeInstruction: string;
  rotationReminderDays: number;
  languageModelsEnabled: boolean;
  thinkingLevel: ThinkingLevelSetting;
  backend: BackendKind;
  vertexProject: string;
  vertexLocation: string;
  vertexBaseUrl: string;
}

/** The settings that choose the server (and so the models, the caches and what the status bar says). */
export const SERVER_SETTINGS: ReadonlyArray<keyof GeminiSettings> = ['backend', 'apiBaseUrl', 'vertexProject', 'vertexLocation', 'vertexBaseUrl'];

const keys: Record<keyof GeminiSettings, string> = {
  model: 'gemini.model',
  apiBaseUrl: 'gemini.api.baseUrl',
  oauthClientId: 'gemini.oauth.clientId',
  oauthScopes: 'gemini.oauth.scopes',
  authorizationEndpoint: 'gemini.oauth.authorizationEndpoint',
  tokenEndpoint: 'gemini.oauth.tokenEndpoint',
  revocationEndpoint: 'gemini.oauth.revocationEndpoint',
  userinfoEndpoint: 'gemini.oauth.userinfoEndpoint',
  quotaProject: 'gemini.quotaProject',
  summarizeInstruction: 'gemini.summarize.instruction',
  rotationReminderDays: 'gemini.apiKey.rotationReminderDays',
  languageModelsEnabled: 'gemini.languageModels.enabled',
  thinkingLevel: 'gemini.thinkingLevel',
  backend: 'gemini.backend',
  vertexProject: 'gemini.vertex.project',
  vertexLocation: 'gemini.vertex.location',
  vertexBaseUrl: 'gemini.vertex.baseUrl',
};

/**
 * Reads settings from the user's own settings only. The manifest already scopes them `application`/`machine`
 * so VS Code refuses workspace values; reading `globalValue` explicitly makes a workspace value (from an older
 * VS Code, a bug or a future scope change) unable to redirect credentials either way.
 */
export class SettingsReader implements Disposable {
  private readonly changed = new Emitter<ReadonlyArray<keyof GeminiSettings>>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      const affected = (Object.keys(keys) as Array<keyof GeminiSettings>).filter((k) => e.affectsConfiguration(keys[k]));
      if (affected.length) this.changed.fire(affected);
    });
  }

  /** The user's value; when it is unset, empty or invalid, the manifest's default (defaults live only there). */
  get<K extends keyof GeminiSettings>(name: K): GeminiSettings[K] {
    const inspected = vscode.workspace.getConfiguration().inspect<GeminiSettings[K]>(keys[name]);
    // The manifest declares a usable default for every setting; the last fallback only keeps the type honest.
    return (sanitize(name, inspected?.globalValue) ?? sanitize(name, inspected?.defaultValue) ?? (name === 'oauthScopes' ? [] : '')) as GeminiSettings[K];
  }

  all(): GeminiSettings {
    const result = {} as Record<string, unknown>;
    for (const name of Object.keys(keys) as Array<keyof GeminiSettings>) result[name] = this.get(name);
    return result as unknown as GeminiSettings;
  }

  async update<K extends keyof GeminiSettings>(name: K, value: GeminiSettings[K]): Promise<void> {
    await vscode.workspace.getConfiguration().update(keys[name], value, vscode.ConfigurationTarget.Global);
  }

  settingId(name: keyof GeminiSettings): string {
    return keys[name];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** `value` cleaned, or undefined when it is not a usable value of the setting. */
function sanitize(name: keyof GeminiSettings, value: unknown): GeminiSettings[keyof GeminiSettings] | undefined {
  switch (name) {
    case 'oauthScopes':
      return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : undefined;
    case 'rotationReminderDays':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
    case 'languageModelsEnabled':
      return typeof value === 'boolean' ? value : undefined;
    case 'backend':
      return value === 'vertex' || value === 'geminiApi' ? value : undefined;
    case 'thinkingLevel':
      return isThinkingLevelSetting(value) ? value : undefined;
    default:
      return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  }
}
