import * as vscode from 'vscode';
import { plainText } from '../../core/common/plainText';
import type { ModelInfo } from '../../core/models/modelCatalog';
import { reportError } from '../errorReporter';
import type { Services } from '../services';
import { showQuickPick } from './quickPick';

export type ModelCommandDeps = Pick<Services, 'catalog' | 'models' | 'settings' | 'log' | 'activeCredential'>;

type Item = vscode.QuickPickItem & { model?: ModelInfo; automatic?: true };

const formatTokens = (n: number | undefined) => (n === undefined ? '?' : n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)}M` : n >= 1000 ? `${Math.round(n / 1000)}K` : String(n));

/**
 * "Gemini: Select Model": Automatic first (the default, `gemini.model` empty), then the models the active
 * credential can use for generateContent. The choice is saved to `gemini.model`.
 */
export async function selectModel(deps: ModelCommandDeps): Promise<void> {
  const credential = (await deps.activeCredential())?.provider;
  if (!credential) {
    const signIn = vscode.l10n.t('Sign In');
    if ((await vscode.window.showInformationMessage(vscode.l10n.t('Sign in or set an API key first: the list of models comes from Google.'), signIn)) === signIn) {
      await vscode.commands.executeCommand('gemini.signIn');
    }
    return;
  }
  const pinned = deps.settings.get('model');
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = vscode.l10n.t('Gemini: Select Model');
  quickPick.placeholder = pinned ? vscode.l10n.t('Current: {0}', pinned) : vscode.l10n.t('Current: automatic');
  quickPick.busy = true;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const controller = new AbortController();
  quickPick.onDidHide(() => controller.abort());
  const chosen = showQuickPick(quickPick, (item) => item);
  try {
    // One models.list answers both: the automatic choice is made from the catalog's (cached) list.
    const [models, automatic] = await Promise.all([
      deps.catalog.list(credential, controller.signal),
      deps.models.automatic(credential, controller.signal).catch(() => undefined),
    ]);
    const mark = (current: boolean) => (current ? '$(check) ' : '');
    const automaticItem: Item = {
      automatic: true,
      label: `${mark(!pinned)}${automatic ? vscode.l10n.t('Automatic (currently {0})', automatic) : vscode.l10n.t('Automatic (no model qualifies now)')}`,
      description: !pinned ? vscode.l10n.t('current') : undefined,
      detail: vscode.l10n.t('The newest generally-available Flash model this credential can use, checked daily. Keeps working when Google retires a model.'),
    };
    quickPick.items = [
      automaticItem,
      { kind: vscode.QuickPickItemKind.Separator, label: vscode.l10n.t('Pin a model') },
      ...models.map((m) => ({
        model: m,
        label: `${mark(m.id === pinned)}${plainText(m.displayName, 200)}`,
        description: m.id === pinned ? vscode.l10n.t('{0} · current', m.id) : m.id,
        detail: vscode.l10n.t('Input {0} tokens · output {1} tokens', formatTokens(m.inputTokenLimit), formatTokens(m.outputTokenLimit)),
      })),
    ];
    const active = pinned ? quickPick.items.find((i) => i.model?.id === pinned) : automaticItem;
    if (active) quickPick.activeItems = [active];
    quickPick.busy = false;
    if (pinned && !models.some((m) => m.id === pinned)) {
      quickPick.placeholder = vscode.l10n.t('Current: {0}, which Google does not offer this credential (retired?). Choose another, or Automatic.', pinned);
    }
    if (!models.length) quickPick.placeholder = vscode.l10n.t('This credential can use no model that supports generateContent.');
  } catch (err) {
    quickPick.hide();
    if (!controller.signal.aborted) await reportError('selectModel', err, deps.log);
    return;
  }
  const picked = await chosen;
  const id = picked?.automatic ? '' : picked?.model?.id;
  if (id === undefined) return;
  await deps.settings.update('model', id);
  deps.log.info(`[selectModel] model set to ${id || 'automatic'}`);
}
