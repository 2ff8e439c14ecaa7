import * as vscode from 'vscode';
import { ApiKeyNotices, apiKeyFromEnvironment, apiKeyShapeProblem, type ApiKeyStore } from '../../core/credentials/apiKeyStore';
import { actions, isGeminiError } from '../../core/gemini/errors';
import { notify, toUserError, userAction, userMessage } from '../errorReporter';
import type { Services } from '../services';

export type ApiKeyCommandDeps = Pick<Services, 'apiKeys' | 'credentials' | 'log'> & {
  /** One `GET /v1beta/models` with this key; throws Google's reason when it is rejected. */
  validate(key: string, signal: AbortSignal): Promise<void>;
  readonly env: Record<string, string | undefined>;
};

/**
 * "Gemini: Set API Key": a password input, checked with one models call before anything is stored; a
 * rejected key is not stored and the input reopens with Google's reason and the text the user typed.
 */
export async function setApiKey(deps: ApiKeyCommandDeps, opts: { offerEnvironmentKey?: boolean } = {}): Promise<boolean> {
  const stored = await deps.apiKeys.get();
  const fromEnv = stored || opts.offerEnvironmentKey === false ? undefined : apiKeyFromEnvironment(deps.env);
  if (fromEnv) {
    const use = vscode.l10n.t('Use {0}', fromEnv.name);
    const other = vscode.l10n.t('Enter Another Key');
    const picked = await vscode.window.showInformationMessage(
      vscode.l10n.t('{0} is set in the environment. Store that key in VS Code\'s secret storage and use it?', fromEnv.name),
      use,
      other,
    );
    if (picked === use) return checkAndStore(deps, fromEnv.key, fromEnv.name);
    if (picked !== other) return false;
  }
  let value = '';
  let problem: string | undefined;
  for (;;) {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Gemini API Key'),
      prompt:
        problem ??
        vscode.l10n.t('Paste a Gemini API key from Google AI Studio (it starts with "AQ."; older standard keys start with "AIza"). It is checked with Google, then kept in VS Code\'s secret storage only.'),
      password: true,
      value,
      ignoreFocusOut: true,
      placeHolder: vscode.l10n.t('AQ.… or AIza…'),
      validateInput: (v) => apiKeyShapeProblem(v),
    });
    if (key === undefined) return false;
    value = key;
    const outcome = await check(deps, key.trim());
    if (outcome === 'ok') {
      await store(deps, key.trim(), 'typed');
      return true;
    }
    if (outcome === 'cancelled') return false;
    problem = userMessage(outcome.error);
  }
}

/** The setup offer's "Use the API key in GEMINI_API_KEY": the user chose it there, so it is not asked again. */
export async function useEnvironmentApiKey(deps: ApiKeyCommandDeps): Promise<boolean> {
  const fromEnv = apiKeyFromEnvironment(deps.env);
  return fromEnv ? checkAndStore(deps, fromEnv.key, fromEnv.name) : setApiKey(deps);
}

async function checkAndStore(deps: ApiKeyCommandDeps, key: string, source: string): Promise<boolean> {
  const outcome = await check(deps, key);
  if (outcome === 'ok') {
    await store(deps, key, source);
    return true;
  }
  if (outcome !== 'cancelled') {
    const { message, actions } = toUserError(outcome.error);
    void notify('error', vscode.l10n.t('The key from {0} was not stored: {1}', source, message), actions);
  }
  return false;
}

/** `'ok'`, `'cancelled'`, or the error that rejected the key. */
async function check(deps: ApiKeyCommandDeps, key: string): Promise<'ok' | 'cancelled' | { error: unknown }> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the API key with Google…'), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        await deps.validate(key, controller.signal);
        return 'ok';
      } catch (err) {
        if (isGeminiError(err, 'cancelled') || controller.signal.aborted) return 'cancelled';
        deps.log.warn(`[setApiKey] the key was rejected: ${userMessage(err)}`);
        return { error: err };
      } finally {
        sub.dispose();
      }
    },
  );
}

async function store(deps: ApiKeyCommandDeps, key: string, source: string): Promise<void> {
  await deps.apiKeys.set(key);
  await deps.credentials.choose({ kind: 'apiKey' });
  deps.log.info(`[setApiKey] stored a checked API key (${source})`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Gemini API key saved in VS Code\'s secret storage and now in use.'));
}

export async function removeApiKey(deps: Pick<ApiKeyCommandDeps, 'apiKeys'>): Promise<void> {
  const removed = await deps.apiKeys.remove();
  void vscode.window.showInformationMessage(
    removed ? vscode.l10n.t('The Gemini API key was removed from VS Code. To revoke it for good, delete it in Google AI Studio.') : vscode.l10n.t('No Gemini API key is stored.'),
  );
}

/**
 * Notices about the stored key, each at most once per window session (the core decides which): a standard
 * key is being retired by Google; a key older than `gemini.apiKey.rotationReminderDays` should be rotated.
 */
export class ApiKeyReminders {
  private readonly notices = new ApiKeyNotices();

  constructor(
    private readonly store: ApiKeyStore,
    private readonly reminderDays: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(): Promise<void> {
    const stored = await this.store.get();
    const notice = stored && this.notices.next(stored, this.reminderDays(), this.now());
    if (!notice) return;
    const create = userAction(actions.createApiKey);
    if (notice.kind === 'standardKeyRetiring') {
      const message = vscode.l10n.t('Your Gemini API key is a standard key (AIza…). Google is retiring standard keys for the Gemini API and already refuses many of them. Create a new key in Google AI Studio (it starts with "AQ.") and set it here.');
      await notify('warning', message, [create, userAction(actions.setApiKey)].flatMap((a) => a ?? []));
      return;
    }
    // Rotating = setting a new key: the old one is replaced only once Google has accepted the new one.
    const rotate = { label: vscode.l10n.t('Rotate Key'), run: () => vscode.commands.executeCommand('gemini.setApiKey') };
    const message = vscode.l10n.t('Your Gemini API key is {0} days old. Rotating keys regularly limits the damage of a leak.', notice.ageDays);
    await notify('warning', message, [rotate, ...(create ? [create] : [])]);
  }
}
