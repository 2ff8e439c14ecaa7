import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { ResultStore, toStoredResult } from '../../core/ai/results';
import { isAuthError } from '../../core/auth/errors';
import type { Logger } from '../../core/common/logger';
import { truncate } from '../../core/common/text';
import { shortModelId } from '../../core/gemini/client';
import { isGeminiError } from '../../core/gemini/errors';
import { isAllowedLinkHref } from '../../shared/links';
import { LIMITS, parseWebviewMessage, parseWebviewState, type WebviewMessage } from '../../shared/protocol';
import { ContextKeys } from '../contextKeys';
import { reportError, toUserError } from '../errorReporter';
import { applyToEditor } from './edits';
import { ResultsPanel } from './panel';
import { streamInto, type ResultJob, type ResultSession, type ResultView } from './stream';

/** The panel's state for the test build's `gemini.results.testState` command (testHooks.ts). */
export type ResultsTestState = ReturnType<ResultsPanelManager['testState']>;

type Handlers = { [T in WebviewMessage['type']]: (message: WebviewMessage & { type: T }) => Promise<void> | void };

/**
 * Every result of the session (the webview renders only the one it shows) and what the user asks of them from
 * the webview, each message checked against the closed protocol first.
 */
export class ResultsPanelManager implements vscode.Disposable, ResultView {
  private readonly panel: ResultsPanel;
  private readonly sessions = new ResultStore<ResultSession>();
  /** The result the webview shows (or will show once ready). */
  private shownId: string | undefined;

  constructor(private readonly deps: { readonly extensionUri: vscode.Uri; readonly log: Logger }) {
    this.panel = new ResultsPanel(deps.extensionUri, deps.log, { message: (raw) => void this.onMessage(raw), closed: () => this.onClosed() });
  }

  /** For the serializer: adopts a panel VS Code restored after a reload, with the webview's saved state. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseWebviewState(state);
    if (saved?.current && !this.sessions.get(saved.current.id)) {
      this.sessions.restore(saved.current);
      this.shownId = saved.current.id;
    }
    if (this.panel.revive(panel)) this.deps.log.info(`[results] panel restored${saved?.current ? ` with a result of ${saved.current.text.length} chars` : ''}`);
  }

  /**
   * Opens the panel ahead of a result, so its webview loads while the request is being prepared (model choice,
   * size check). The returned function closes it again if it was opened here and no result came.
   */
  prepare(): () => void {
    const opened = !this.panel.isOpen;
    const shown = this.shownId;
    this.panel.show();
    return () => {
      if (opened && this.shownId === shown) this.panel.dispose();
    };
  }

  /** Streams `job` into the panel as a new result; resolves when the answer has ended (done, stopped or failed). */
  async run(job: ResultJob): Promise<ResultSession> {
    const session = this.sessions.add({ id: randomUUID(), title: job.title, model: shortModelId(job.model), sourceLabel: job.sourceLabel, emulator: job.emulator, createdAt: Date.now() });
    session.job = job;
    this.shownId = session.id;
    this.panel.show();
    this.panel.post({ type: 'start', id: session.id, title: session.title, model: session.model, sourceLabel: session.sourceLabel, emulator: session.emulator, createdAt: session.createdAt });
    this.postHistory();
    await streamInto(session, job, this, this.deps.log);
    return session;
  }

  // ---- ResultView: the stream's way into the webview ----

  sendPending(session: ResultSession): void {
    if (this.shownId !== session.id) return; // `show` will carry it when the user selects it
    // One `append` holds at most LIMITS.appendText of each; a larger backlog goes in several.
    while (session.sentChars < session.text.length || session.sentThoughtChars < session.thoughts.length) {
      const text = session.text.slice(session.sentChars, session.sentChars + LIMITS.appendText);
      const thoughts = session.thoughts.slice(session.sentThoughtChars, session.sentThoughtChars + LIMITS.appendText);
      session.sentChars += text.length;
      session.sentThoughtChars += thoughts.length;
      this.panel.post({
        type: 'append',
        id: session.id,
        text,
        ...(thoughts && { thoughts }),
        ...(text && session.thinkingMs !== undefined && { thinkingMs: session.thinkingMs }),
      });
    }
  }

  finish(session: ResultSession, stopped: boolean): void {
    session.status = stopped ? 'stopped' : 'done';
    this.sendPending(session);
    this.panel.post({
      type: 'done',
      id: session.id,
      model: session.model,
      ...(session.usage && { usage: session.usage }),
      ...(session.finishReason && { finishReason: truncate(session.finishReason, LIMITS.finishReason) }),
      ...(session.notice && { notice: truncate(session.notice, LIMITS.notice) }),
      ...(stopped && { stopped: true }),
      ...(session.thinkingMs !== undefined && { thinkingMs: session.thinkingMs }),
    });
    this.postHistory();
    // The walkthrough's "summarize" step completes when an answer has actually arrived.
    if (!stopped && session.text) void ContextKeys.markSummarized();
  }

  fail(session: ResultSession, err: unknown): void {
    const { message, actions } = toUserError(err);
    session.status = 'error';
    session.actions = actions.slice(0, 2);
    const [action, secondaryAction] = session.actions.map((a) => ({ label: truncate(a.label, LIMITS.label) }));
    session.error = { message: truncate(message, LIMITS.message), ...(action && { action }), ...(secondaryAction && { secondaryAction }) };
    this.sendPending(session);
    this.deps.log.warn(`[results] ${session.id.slice(0, 8)} failed: ${isGeminiError(err) ? err.kind : isAuthError(err) ? err.code : 'error'}`);
    this.panel.post({ type: 'error', id: session.id, ...session.error });
    this.postHistory();
  }

  // ---- messages from the webview ----

  /** Entry point for everything the webview posts. */
  async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? String((raw as { type: string }).type).slice(0, 32) : typeof raw;
      this.deps.log.warn(`[results] dropped an unknown message (${JSON.stringify(type)})`);
      return;
    }
    try {
      await (this.handlers[message.type] as (m: WebviewMessage) => Promise<void> | void)(message);
    } catch (err) {
      await reportError(`results.${message.type}`, err, this.deps.log);
    }
  }

  private readonly handlers: Handlers = {
    ready: (message) => {
      if (!this.panel.markReady()) return;
      // The webview was loaded again: send it the history and the shown result whole.
      this.postHistory();
      const session = (this.shownId && this.sessions.get(this.shownId)) || (message.restoredId && this.sessions.get(message.restoredId)) || this.sessions.latest();
      if (session) this.show(session);
    },
    select: (message) => {
      const session = this.sessions.get(message.id);
      if (session) this.show(session);
      else void vscode.window.showInformationMessage(vscode.l10n.t('That result is no longer available.'));
    },
    stop: (message) => this.stop(message.id),
    copy: async (message) => {
      const session = this.sessions.get(message.id);
      if (!session) return;
      await vscode.env.clipboard.writeText(session.text);
      vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Gemini: answer copied'), 3000);
    },
    insert: (message) => this.applyToEditor(message),
    replace: (message) => this.applyToEditor(message),
    retry: async (message) => {
      const retry = this.sessions.get(message.id)?.job?.retry;
      if (!retry) {
        void vscode.window.showInformationMessage(vscode.l10n.t('This request is no longer available. Select the text and run the command again.'));
        return;
      }
      await retry();
    },
    action: async (message) => {
      await this.sessions.get(message.id)?.actions?.[message.button === 'action' ? 0 : 1]?.run();
    },
    openLink: async (message) => {
      // The webview already checked it; check again, the webview is not trusted. VS Code asks the user.
      if (!isAllowedLinkHref(message.href)) return;
      await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
    },
  };

  private async applyToEditor(message: { type: 'insert' | 'replace'; id: string }): Promise<void> {
    const session = this.sessions.get(message.id);
    if (!session?.text) return;
    const outcome = await applyToEditor(message.type, session.text, session.job?.target);
    if (!outcome.ok) void vscode.window.showWarningMessage(outcome.message);
    this.deps.log.info(`[results] ${message.type}: ${outcome.ok ? `${session.text.length} chars` : 'refused'}`);
  }

  /** Stops a streaming result at once; the partial answer stays. */
  stop(id: string): void {
    const session = this.sessions.get(id);
    if (!session?.controller) return;
    session.stopRequested = true;
    session.controller.abort();
  }

  private show(session: ResultSession): void {
    this.shownId = session.id;
    session.sentChars = session.text.length;
    session.sentThoughtChars = session.thoughts.length;
    this.panel.post({ type: 'show', result: toStoredResult(session) });
  }

  private postHistory(): void {
    this.panel.post({ type: 'history', items: this.sessions.historyItems() });
  }

  private onClosed(): void {
    // Nobody can see the answers any more: stop what is still streaming.
    for (const session of this.sessions.all()) {
      if (!session.controller) continue;
      this.stop(session.id);
      this.deps.log.info(`[results] ${session.id.slice(0, 8)}: panel closed, request stopped`);
    }
  }

  dispose(): void {
    for (const session of this.sessions.all()) session.controller?.abort();
    this.panel.dispose();
  }

  testState() {
    return {
      panelOpen: this.panel.isOpen,
      ready: this.panel.isReady,
      shownId: this.shownId,
      results: this.sessions.all().map(toStoredResult),
      posted: { ...this.panel.posted },
      appendedChars: this.panel.appendedChars,
      appendedThoughtChars: this.panel.appendedThoughtChars,
    };
  }
}
