import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../core/common/events';
import { GeminiError } from '../core/gemini/errors';
import { lmErrorCode } from '../core/lm/errors';
import { promptTsxText } from '../core/lm/request';
import { estimateTokens } from '../core/gemini/tokens';
import { messageText } from '../core/lm/tokenCounter';
import type { LmDataPart, LmMessage, LmOutputPart, LmPart, LmResultPart } from '../core/lm/types';
import { offerSetup } from './commands/accounts';
import type { Services } from './services';
import { SERVER_SETTINGS } from './settings';

/** What the provider uses: the settings, the active credential, the requests, the model list (to refresh it), the log. */
export interface LanguageModelsDeps extends Pick<Services, 'settings' | 'credentials' | 'languageModels' | 'catalog' | 'log'> {
  /** Where the user's consent is kept. */
  readonly globalState: Pick<vscode.Memento, 'get' | 'update'>;
}

export const LM_VENDOR = 'gemini-vscode';
export const TOGGLE_COMMAND = 'gemini.languageModels.toggle';
const CONSENT_KEY = 'gemini.languageModels.consented';

/** The consent question; resolves true only when the user chose to turn the models on. */
export type ConsentPrompt = (credentialLabel: string | undefined) => Promise<boolean>;

/**
 * Offers the active credential's Gemini models to VS Code's chat and to every extension (`vscode.lm`), once the
 * user has turned `gemini.languageModels.enabled` on and confirmed what that means. The stable API does not say
 * which extension asks, so nothing is offered before that confirmation.
 */
export class GeminiLanguageModels implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly disposables = new DisposableStore();
  private consenting: Promise<void> | undefined;

  constructor(
    private readonly services: LanguageModelsDeps,
    private readonly askConsent: ConsentPrompt = consentDialog,
  ) {
    const { credentials, settings } = services;
    this.disposables.add(credentials.onDidChange(() => this.changed.fire()));
    this.disposables.add(
      settings.onDidChange((keys) => {
        if (keys.includes('languageModelsEnabled')) void this.reconcile();
        else if (keys.some((k) => SERVER_SETTINGS.includes(k))) this.changed.fire();
      }),
    );
    void this.reconcile();
  }

  /** True once the setting is on and the user confirmed it. */
  get enabled(): boolean {
    return this.services.settings.get('languageModelsEnabled') && this.consented;
  }

  /** Turns the models on after the consent question (the status-bar switcher and "Manage Models" use this). */
  async turnOn(ask: ConsentPrompt = this.askConsent): Promise<boolean> {
    if (this.enabled) return true;
    if (!(await this.confirmed(ask))) return false;
    await this.setConsented(true);
    await this.services.settings.update('languageModelsEnabled', true);
    this.services.log.info('[lm] Gemini models offered to VS Code chat and extensions');
    this.changed.fire();
    return true;
  }

  async turnOff(): Promise<void> {
    await this.services.settings.update('languageModelsEnabled', false);
    await this.reconcile();
  }

  async toggle(): Promise<void> {
    if (this.enabled) await this.turnOff();
    else await this.turnOn();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    if (!this.enabled) {
      // Asked outside a silent refresh: the user picked "Gemini" in VS Code's Manage Models, so ask now.
      if (!options.silent) void this.turnOn();
      return [];
    }
    try {
      const models = await withSignal(token, (signal) => this.services.languageModels.models(signal));
      if (!models.length && !options.silent && !(await this.services.credentials.current())) void offerSetup();
      return models;
    } catch (err) {
      this.services.log.warn(`[lm] listing models failed: ${err instanceof GeminiError ? err.kind : 'error'}`);
      return [];
    }
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    if (!this.enabled) {
      throw vscode.LanguageModelError.NoPermissions(vscode.l10n.t("Gemini's models are turned off for VS Code chat and extensions ('gemini.languageModels.enabled')."));
    }
    const request = {
      tools: options.tools?.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
      toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? ('required' as const) : ('auto' as const),
      modelOptions: options.modelOptions,
    };
    try {
      const emit = (part: LmOutputPart) => progress.report(toResponsePart(part));
      await withSignal(token, (signal) => this.services.languageModels.respond(model.id, messages.map(toLmMessage), request, emit, signal));
    } catch (err) {
      throw this.toLanguageModelError(err);
    }
  }

  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const content = typeof text === 'string' ? text : messageText(toLmMessage(text));
    // Turned off, a caller still holding a model gets an estimate: no request goes out with the credential.
    if (!this.enabled) return estimateTokens(content.length);
    return withSignal(token, (signal) => this.services.languageModels.countTokens(model.id, content, signal));
  }

  dispose(): void {
    this.disposables.dispose();
    this.changed.dispose();
  }

  /** A dialog that fails to show (as in the test host) counts as "not confirmed". */
  private async confirmed(ask: ConsentPrompt): Promise<boolean> {
    try {
      return await ask((await this.services.credentials.current())?.label);
    } catch (err) {
      this.services.log.warn(`[lm] the consent dialog could not be shown: ${err instanceof Error ? err.message.slice(0, 80) : 'error'}`);
      return false;
    }
  }

  private get consented(): boolean {
    return this.services.globalState.get<boolean>(CONSENT_KEY) === true;
  }

  private async setConsented(value: boolean): Promise<void> {
    await this.services.globalState.update(CONSENT_KEY, value);
  }

  /**
   * Brings the consent in line with the setting: turned off forgets the consent (turning on again asks again);
   * turned on elsewhere (Settings editor, settings.json, Settings Sync) asks before anything is offered, and
   * turns the setting back off if the user does not agree.
   */
  private reconcile(): Promise<void> {
    this.consenting ??= (async () => {
      const on = this.services.settings.get('languageModelsEnabled');
      if (!on && this.consented) {
        await this.setConsented(false);
        this.services.log.info('[lm] Gemini models no longer offered to VS Code chat and extensions');
      } else if (on && !this.consented) {
        if (await this.confirmed(this.askConsent)) {
          await this.setConsented(true);
          this.services.log.info('[lm] Gemini models offered to VS Code chat and extensions');
        } else {
          this.services.log.info('[lm] turning on Gemini models for VS Code chat was not confirmed; the setting is off again');
          await this.services.settings.update('languageModelsEnabled', false);
        }
      }
      this.changed.fire();
    })().finally(() => (this.consenting = undefined));
    return this.consenting;
  }

  private toLanguageModelError(err: unknown): Error {
    const error = err instanceof GeminiError ? err : undefined;
    if (!error) return err instanceof Error ? err : new Error(String(err));
    switch (lmErrorCode(error)) {
      case 'Cancelled':
        return new vscode.CancellationError();
      case 'NoPermissions':
        return vscode.LanguageModelError.NoPermissions(error.message);
      case 'Blocked':
        return vscode.LanguageModelError.Blocked(error.message);
      case 'NotFound':
        // The model list is stale: let VS Code ask again.
        this.services.catalog.clear();
        this.changed.fire();
        return vscode.LanguageModelError.NotFound(error.message);
      default:
        return new vscode.LanguageModelError(error.message);
    }
  }
}

export function registerLanguageModels(services: LanguageModelsDeps, disposables: DisposableStore): GeminiLanguageModels {
  const provider = disposables.add(new GeminiLanguageModels(services));
  disposables.add(vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider));
  return provider;
}

async function consentDialog(credentialLabel: string | undefined): Promise<boolean> {
  const turnOn = vscode.l10n.t('Turn On');
  const picked = await vscode.window.showWarningMessage(
    vscode.l10n.t("Offer Gemini's models to VS Code's chat and to other extensions?"),
    {
      modal: true,
      detail: vscode.l10n.t(
        "They will appear in VS Code's model picker as \"Gemini (your Google sign-in)\". VS Code's chat and any installed extension can then send requests with your active Gemini credential ({0}) and spend its quota (and its billing, for a paid key or project). VS Code does not tell which extension asks, so every such request is logged in 'Gemini: Show Log'. Turn it off at any time from the Gemini status bar item or with the setting gemini.languageModels.enabled.",
        credentialLabel ?? vscode.l10n.t('none yet: sign in or set an API key'),
      ),
    },
    turnOn,
  );
  return picked === turnOn;
}

/** Runs `run` with an AbortSignal that follows `token`. */
async function withSignal<T>(token: vscode.CancellationToken, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await run(controller.signal);
  } finally {
    subscription.dispose();
  }
}

// ---- VS Code parts ↔ plain parts ----------------------------------------------------------------------

function toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  // Role 3 is VS Code's System role (not yet in the stable typings; its chat sends it for its system prompt).
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (message.role as number) === 3 ? 'system' : 'user';
  return { role, parts: message.content.map(toLmPart).filter((p): p is LmPart => p !== undefined) };
}

// Tool parts are recognised by shape as well as by class: proposed variants (e.g. LanguageModelToolResultPart2)
// are other classes with the same fields, and a dropped tool result would break the conversation.
function toLmPart(part: unknown): LmPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  const p = part as { callId?: unknown; name?: unknown; input?: unknown; content?: unknown };
  if (typeof p?.callId === 'string' && typeof p.name === 'string') return { kind: 'toolCall', callId: p.callId, name: p.name, input: p.input ?? {} };
  if (typeof p?.callId === 'string' && Array.isArray(p.content)) {
    return { kind: 'toolResult', callId: p.callId, content: p.content.map(toResultPart).filter((c): c is LmResultPart => c !== undefined) };
  }
  return dataPart(part);
}

function toResultPart(part: unknown): LmResultPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'text', value: promptTsxText(part.value) };
  return dataPart(part);
}

/** LanguageModelDataPart (images, JSON) is newer than the 1.104 typings: recognised by its fields. */
function dataPart(part: unknown): LmDataPart | undefined {
  const p = part as { mimeType?: unknown; data?: unknown };
  return typeof p?.mimeType === 'string' && p.data instanceof Uint8Array ? { kind: 'data', mimeType: p.mimeType, data: p.data } : undefined;
}

function toResponsePart(part: LmOutputPart): vscode.LanguageModelResponsePart {
  return part.kind === 'text' ? new vscode.LanguageModelTextPart(part.value) : new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input as object);
}
