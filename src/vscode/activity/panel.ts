import * as vscode from 'vscode';
import { renderActivityHtml } from '../../core/activity/html';
import { buildViewModel, keyKindOf } from '../../core/activity/view';
import { systemClock } from '../../core/activity/usage';
import { createNonce } from '../../core/render/nonce';
import { errorName } from '../../core/common/values';
import { parseActivityMessage, type ActivityWebviewMessage } from '../../shared/activityProtocol';
import { reportError } from '../errorReporter';
import type { Services } from '../services';

/** What the view shows and changes, and where its page's files are. */
export type ActivityViewDeps = Pick<Services, 'activity' | 'credentials' | 'auth' | 'apiKeys' | 'settings' | 'provider' | 'log'> & { readonly extensionUri: vscode.Uri };

export const ACTIVITY_VIEW_TYPE = 'gemini.activity';

/** Re-rendering waits this long, so a burst of changes (a sign-in fires several) renders once. */
const RENDER_DELAY_MS = 250;

/**
 * The one "Gemini Credential Activity" panel: rendered by the host from the credential stores and the activity
 * log, re-rendered while visible when either changes; its buttons arrive as validated protocol messages.
 */
export class ActivityPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: Array<{ dispose(): void }> = [];
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the page shows now: a re-render that would show the same is skipped (it would reset the page). */
  private shown: string | undefined;

  constructor(private readonly services: ActivityViewDeps) {
    const later = () => this.renderSoon();
    this.subscriptions.push(
      services.activity.store.onDidChange(later),
      services.credentials.onDidChange(later),
      services.auth.onDidChangeSessions(later),
      services.apiKeys.onDidChange(later),
      services.settings.onDidChange(later),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.render();
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(ACTIVITY_VIEW_TYPE, vscode.l10n.t('Gemini Credential Activity'), vscode.ViewColumn.Active, this.options()));
  }

  /** For the serializer: the panel VS Code restored after a reload (its state is only filters and scroll). */
  revive(panel: vscode.WebviewPanel): void {
    if (this.panel && this.panel !== panel) {
      panel.dispose();
      return;
    }
    this.adopt(panel);
  }

  dispose(): void {
    clearTimeout(this.renderTimer);
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const d of this.panelSubscriptions.splice(0)) d.dispose();
    this.panel?.dispose();
    this.panel = undefined;
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    const root = this.services.extensionUri;
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.services.extensionUri, 'media', 'icon.png');
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => panel.visible && this.renderSoon()),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        for (const d of this.panelSubscriptions.splice(0)) d.dispose();
        this.panel = undefined;
      }),
    ];
    this.shown = undefined;
    void this.render();
  }

  private renderSoon(): void {
    if (!this.panel?.visible || this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      void this.render();
    }, RENDER_DELAY_MS);
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    try {
      const { credentials, auth, activity, settings, extensionUri } = this.services;
      const [overview, sessions] = await Promise.all([credentials.overview(), auth.getSessions()]);
      const scopes = new Map(sessions.map((s) => [s.account.id, s.scopes]));
      const active = overview.active;
      const model = buildViewModel({
        doc: activity.store.snapshot(),
        accounts: overview.accounts.map((a) => ({ ...a, scopes: scopes.get(a.accountId) ?? [] })),
        apiKey: overview.apiKey && { type: keyKindOf(overview.apiKey.key), setAt: overview.apiKey.setAt },
        activeKey: active?.kind === 'oauth' ? `oauth:${active.accountId}` : active?.kind === 'apiKey' ? `apiKey:${active.apiKey.setAt}` : undefined,
        rotationReminderDays: settings.get('rotationReminderDays'),
        clock: systemClock,
      });
      const asset = (...segments: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
      const dateTime = new Intl.DateTimeFormat(vscode.env.language, { dateStyle: 'medium', timeStyle: 'medium' });
      const numbers = new Intl.NumberFormat(vscode.env.language);
      const shown = JSON.stringify([model, [...model.labels], vscode.env.language]);
      if (this.panel !== panel || shown === this.shown) return;
      this.shown = shown;
      panel.webview.html = renderActivityHtml(model, {
        cspSource: panel.webview.cspSource,
        nonce: createNonce(),
        scriptUri: asset('dist', 'webview', 'activity.js'),
        styleUri: asset('media', 'activity.css'),
        lang: vscode.env.language,
        t: (message, ...args) => vscode.l10n.t(message, ...args),
        formatTime: (at) => dateTime.format(at),
        formatNumber: (n) => numbers.format(n),
      });
    } catch (err) {
      this.services.log.warn(`[activity] could not render the view: ${errorName(err)}`);
    }
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseActivityMessage(raw);
    if (!message) {
      this.services.log.warn('[activity] ignored a message from the view that is not part of its protocol');
      return;
    }
    try {
      await this.handle(message);
    } catch (err) {
      await reportError('showActivity', err, this.services.log);
    }
    this.renderSoon();
  }

  private async handle(message: ActivityWebviewMessage): Promise<void> {
    const { credentials, provider, apiKeys, activity } = this.services;
    switch (message.type) {
      case 'refresh':
        this.shown = undefined;
        return this.render();
      case 'signIn':
        await vscode.commands.executeCommand('gemini.signIn');
        return;
      case 'setApiKey':
        // Set API Key checks the new key with Google before it replaces the stored one.
        await vscode.commands.executeCommand('gemini.setApiKey');
        return;
      case 'makeActive': {
        const account = await this.account(message.credential);
        if (account) await credentials.choose({ kind: 'oauth', accountId: account.accountId });
        else if (message.credential.startsWith('apiKey:')) await credentials.choose({ kind: 'apiKey' });
        return;
      }
      case 'signOut': {
        const account = await this.account(message.credential);
        if (account) {
          const detail = vscode.l10n.t('The sign-in is revoked at Google and its tokens are deleted from this machine.');
          if (!(await confirm(vscode.l10n.t('Sign out {0}?', account.label), detail, vscode.l10n.t('Sign Out')))) return;
          await provider.removeSession(account.sessionId);
          void vscode.window.showInformationMessage(vscode.l10n.t('Signed out {0}.', account.label));
        } else if (message.credential.startsWith('apiKey:')) {
          const detail = vscode.l10n.t('To revoke it for good, delete it in Google AI Studio as well.');
          if (await confirm(vscode.l10n.t('Remove the Gemini API key from VS Code?'), detail, vscode.l10n.t('Remove Key'))) await apiKeys.remove();
        }
        return;
      }
      case 'export':
        return this.exportJson();
      case 'clear': {
        const detail = vscode.l10n.t('Events and token counts are deleted for every window. Your accounts and key stay as they are.');
        if (await confirm(vscode.l10n.t('Clear all Gemini credential activity and usage?'), detail, vscode.l10n.t('Clear Activity'))) await activity.store.clear();
        return;
      }
    }
  }

  private async account(key: string): Promise<{ sessionId: string; accountId: string; label: string } | undefined> {
    if (!key.startsWith('oauth:')) return undefined;
    const overview = await this.services.credentials.overview();
    return overview.accounts.find((a) => `oauth:${a.accountId}` === key);
  }

  private async exportJson(): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    const home = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export Gemini Credential Activity'),
      saveLabel: vscode.l10n.t('Export'),
      filters: { JSON: ['json'] },
      ...(home && { defaultUri: vscode.Uri.joinPath(home, `gemini-activity-${day}.json`) }),
    });
    if (!target) return;
    const doc = this.services.activity.store.snapshot();
    const body = JSON.stringify({ exportedAt: new Date().toISOString(), source: 'gemini-vscode', ...doc }, null, 2);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${body}\n`));
    this.services.log.info(`[activity] exported ${doc.events.length} event(s) and ${doc.usage.length} usage row(s)`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini activity exported to {0}.', target.fsPath || target.path));
  }
}

/** A modal warning with one button; true when the user pressed it. */
async function confirm(message: string, detail: string, button: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button;
}

/** Registers "Gemini: Show Credential Activity" and the panel's serializer. */
export function registerActivityView(services: ActivityViewDeps, disposables: { add<T extends vscode.Disposable>(d: T): T }): ActivityPanel {
  const panel = disposables.add(new ActivityPanel(services));
  disposables.add(vscode.window.registerWebviewPanelSerializer(ACTIVITY_VIEW_TYPE, { deserializeWebviewPanel: async (p) => panel.revive(p) }));
  disposables.add(vscode.commands.registerCommand('gemini.showActivity', () => panel.show()));
  return panel;
}
