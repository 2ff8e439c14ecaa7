import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { createNonce } from '../../core/render/nonce';
import { renderPanelHtml } from '../../core/render/panelHtml';
import type { HostMessage } from '../../shared/protocol';

export const RESULT_VIEW_TYPE = 'gemini.result';
const PANEL_TITLE = 'Gemini';

/**
 * The one results webview panel: creates, reveals or adopts it (after a reload) and posts to it. Messages posted
 * before the script of a panel we just created says `ready` wait in a queue and go out, in order, when it does.
 * Any later `ready` comes from a webview that was loaded again (restored after a reload, shown again after being
 * hidden, moved): it starts from its saved state, which may be behind, so the owner resynchronises it instead.
 */
export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private ready = false;
  private queue: HostMessage[] = [];
  /** Until its first `ready`, a panel we created: its webview starts empty and takes the queue. */
  private fresh = false;
  /** Messages posted to the webview, by type, and the characters of answer and thoughts in `append`s (test build). */
  readonly posted: Record<string, number> = {};
  appendedChars = 0;
  appendedThoughtChars = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly on: { message(raw: unknown): void; closed(): void },
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Opens the panel beside the editor, or reveals it without taking focus. */
  show(): void {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(undefined, true);
      return;
    }
    this.adopt(vscode.window.createWebviewPanel(RESULT_VIEW_TYPE, PANEL_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options()));
    this.fresh = true;
    this.log.info('[results] panel opened');
  }

  /** For the serializer: a panel VS Code restored after a reload. False when one is open already (it is closed). */
  revive(panel: vscode.WebviewPanel): boolean {
    if (this.panel && this.panel !== panel) {
      panel.dispose();
      return false;
    }
    this.adopt(panel);
    return true;
  }

  post(message: HostMessage): void {
    if (!this.panel) return;
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    this.send(message);
  }

  /** The webview's `ready`: sends what waited for it; true when the owner must resynchronise it instead. */
  markReady(): boolean {
    const resync = !this.fresh;
    this.fresh = false;
    this.ready = true;
    const queued = this.queue.splice(0);
    if (!resync) for (const message of queued) this.send(message);
    return resync;
  }

  dispose(): void {
    const panel = this.panel;
    this.detach();
    panel?.dispose();
  }

  private send(message: HostMessage): void {
    this.posted[message.type] = (this.posted[message.type] ?? 0) + 1;
    if (message.type === 'append') {
      this.appendedChars += message.text.length;
      this.appendedThoughtChars += message.thoughts?.length ?? 0;
    }
    void this.panel?.webview.postMessage(message).then(undefined, (err: unknown) => this.log.warn(`[results] postMessage failed: ${err instanceof Error ? err.message : 'error'}`));
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.fresh = false;
    this.queue = [];
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    this.subscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.on.message(raw)),
      panel.onDidChangeViewState(() => {
        // Torn down while hidden: it restores its saved state when shown and says `ready` again. (One that never
        // said `ready` keeps its queue: it has nothing to restore.)
        if (panel.visible || !this.ready) return;
        this.ready = false;
        this.queue = [];
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.detach();
        this.on.closed();
      }),
    ];
    panel.webview.html = this.html(panel.webview);
  }

  private detach(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.panel = undefined;
    this.ready = false;
    this.queue = [];
  }

  private html(webview: vscode.Webview): string {
    const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...segments)).toString();
    return renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('dist', 'webview', 'results.js'),
      styleUri: asset('media', 'results.css'),
      title: PANEL_TITLE,
      lang: vscode.env.language,
    });
  }
}
