import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { plainText } from '../../core/common/plainText';
import type { Backend } from '../../core/backends/backend';
import type { CredentialProvider } from '../../core/gemini/credentials';
import type { ModelCatalog, ModelInfo } from '../../core/models/modelCatalog';
import { reportError } from '../errorReporter';
import type { SettingsReader } from '../settings';

export interface ModelCommandDeps {
  catalog: ModelCatalog;
  settings: SettingsReader;
  log: Logger;
  /** The active credential as a request credential; undefined when signed out. */
  activeProvider(): Promise<CredentialProvider | undefined>;
  /** Where requests go: the model list is the backend's. */
  backend(): Backend;
}

const formatTokens = (n: number | undefined) => (n === undefined ? '?' : n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}K` : String(n));

/** "Gemini: Select Model": the models the active credential can use for generateContent, saved to `gemini.model`. */
export async function selectModel(deps: ModelCommandDeps): Promise<void> {
  const credential = await deps.activeProvider();
  if (!credential) {
    const signIn = vscode.l10n.t('Sign In');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('Sign in or set an API key first: the list of models comes from Google.'), signIn)) === signIn) {
      await vscode.commands.executeCommand('gemini.signIn');
    }
    return;
  }
  const current = deps.settings.get('model');
  const quickPick = vscode.window.createQuickPick<vscode.QuickPickItem & { model?: ModelInfo }>();
  quickPick.title = vscode.l10n.t('Gemini: Select Model');
  quickPick.placeholder = vscode.l10n.t('Current: {0}', current);
  quickPick.busy = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const controller = new AbortController();
  const chosen = new Promise<ModelInfo | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.model));
    quickPick.onDidHide(() => {
      controller.abort();
      resolve(undefined);
    });
  });
  quickPick.show();
  try {
    const models = await deps.catalog.list(credential, deps.backend().key, controller.signal);
    quickPick.items = models.map((m) => ({
      model: m,
      label: `${m.id === current ? '$(check) ' : ''}${plainText(m.displayName, 200)}`,
      description: m.id,
      detail: vscode.l10n.t('Input {0} tokens · output {1} tokens', formatTokens(m.inputTokenLimit), formatTokens(m.outputTokenLimit)),
    }));
    const active = quickPick.items.find((i) => i.model?.id === current);
    if (active) quickPick.activeItems = [active];
    quickPick.busy = false;
    if (!models.length) quickPick.placeholder = vscode.l10n.t('This credential can use no model that supports generateContent.');
  } catch (err) {
    quickPick.hide();
    if (!controller.signal.aborted) await reportError('selectModel', err, deps.log);
    return;
  }
  const picked = await chosen;
  quickPick.dispose();
  if (!picked) return;
  await deps.settings.update('model', picked.id);
  deps.log.info(`[selectModel] model set to ${picked.id}`);
}
