import * as vscode from 'vscode';
import { selectedBackend } from '../core/backends';
import { DisposableStore } from '../core/common/events';
import type { ActiveCredential, ActiveCredentialService } from '../core/credentials/activeCredential';
import type { ModelChooser } from '../core/models/modelChooser';
import { SERVER_SETTINGS, type SettingsReader } from './settings';

/**
 * The one status bar item (`gemini.account`): the active credential, the model in the tooltip, and a click
 * that opens the account switcher. Follows every credential, model and window-focus change.
 */
export class AccountStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly credentials: ActiveCredentialService,
    private readonly settings: SettingsReader,
    private readonly isEmulator: () => boolean,
    private readonly models: Pick<ModelChooser, 'peek' | 'onDidChange'>,
  ) {
    this.item = vscode.window.createStatusBarItem('gemini.account', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('Gemini Account');
    this.item.command = 'gemini.switchAccount';
    this.disposables.add(this.item);
    this.disposables.add(credentials.onDidChange((active) => this.render(active)));
    this.disposables.add(models.onDidChange(() => void this.update()));
    this.disposables.add(
      settings.onDidChange((keys) => {
        if (keys.some((k) => k === 'model' || k === 'authorizationEndpoint' || SERVER_SETTINGS.includes(k))) void this.update();
      }),
    );
    // globalState (the chosen account) is shared by windows without an event: re-read when focus returns.
    this.disposables.add(vscode.window.onDidChangeWindowState((s) => s.focused && void this.credentials.refresh()));
    // Shown once the credential is known: a signed-in user never sees a "Sign in" flash while secrets load.
    void this.update();
  }

  async update(): Promise<void> {
    let active: ActiveCredential | undefined;
    try {
      active = await this.credentials.current();
    } catch {
      // Reading the stored credentials failed (the log says why): offer sign-in rather than show nothing.
    }
    this.render(active);
  }

  private render(active: ActiveCredential | undefined): void {
    const model = this.modelLabel(active);
    const emulator = this.isEmulator() ? ` ${vscode.l10n.t('(local emulator)')}` : '';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    if (!active) {
      this.item.text = `$(sign-in) ${vscode.l10n.t('Gemini: Sign in')}`;
      tooltip.appendMarkdown(vscode.l10n.t('Gemini: not signed in. Click to sign in with Google or use an API key.'));
    } else if (active.kind === 'oauth') {
      this.item.text = `$(account) ${active.label}`;
      tooltip.appendText(vscode.l10n.t('Gemini: signed in with Google as {0}', active.label));
    } else if (active.kind === 'adc') {
      this.item.text = `$(cloud) ${active.label}`;
      tooltip.appendText(vscode.l10n.t('Gemini: using Application Default Credentials ({0})', active.label));
    } else {
      this.item.text = `$(key) ${vscode.l10n.t('API key')}`;
      tooltip.appendText(vscode.l10n.t('Gemini: using an API key'));
    }
    const backend = selectedBackend(this.settings.all()).label;
    tooltip.appendText(`\n\n${vscode.l10n.t('Backend: {0}', backend)}\n\n${vscode.l10n.t('Model: {0}', model)}${emulator}\n\n`);
    tooltip.appendText(vscode.l10n.t('Click to switch account, key or model.'));
    this.item.tooltip = tooltip;
    this.item.show();
    this.item.accessibilityInformation = { label: `${this.item.text.replace(/\$\([^)]*\)\s*/g, '')}. ${backend}. ${vscode.l10n.t('Model: {0}', model)}${emulator}` };
  }

  /** The model a request would use now; the automatic choice is named once made (on first use or in the picker). */
  private modelLabel(active: ActiveCredential | undefined): string {
    const choice = this.models.peek();
    if (choice && !choice.automatic) return choice.id;
    if (choice && active) return vscode.l10n.t('{0} (automatic)', choice.id);
    return active ? vscode.l10n.t('automatic (chosen on first use)') : vscode.l10n.t('automatic');
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
