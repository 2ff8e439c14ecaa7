import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { AppendBatcher } from '../../core/ai/batcher';
import { ResultStore, toStoredResult, toTokenUsage, type ResultRecord } from '../../core/ai/results';
import { isAuthError } from '../../core/auth/errors';
import type { Logger } from '../../core/common/logger';
import { shortModelId } from '../../core/gemini/client';
import { isGeminiError } from '../../core/gemini/errors';
import { ResponseAccumulator } from '../../core/gemini/response';
import type { GenerateContentResponse } from '../../core/gemini/types';
import { streamReplacingGoneModel } from '../../core/models/goneModel';
import { createNonce } from '../../core/render/nonce';
import { renderPanelHtml } from '../../core/render/panelHtml';
import { isAllowedLinkHref } from '../../shared/links';
import { LIMITS, parseWebviewMessage, parseWebviewState, type HostMessage, type ResultError, type WebviewMessage } from '../../shared/protocol';
import { ContextKeys } from '../contextKeys';
import { reportError, toUserError, type UserAction } from '../errorReporter';
import { applyToEditor, type EditTarget } from './edits';
import { truncate } from '../../core/common/text';

export const RESULT_VIEW_TYPE = 'gemini.result';

/** One request to stream into the panel. The prompt stays in host memory (for Retry) and is never logged. */
export interface ResultJob {
  readonly title: string;
  readonly model: string;
  /** With the automatic model: another one to try, once, if Google answers that `model` is gone. */
  readonly replaceGoneModel?: (gone: string) => Promise<string | undefined>;
  /** Streams the answer from `model` (the request and its credential stay with the command that built it). */
  readonly open: (model: string, signal: AbortSignal) => AsyncIterable<GenerateContentResponse>;
  readonly sourceLabel: string;
  readonly emulator: boolean;
  /** Where Replace writes and Insert prefers. */
  readonly target?: EditTarget;
  /** Runs the same request again (fresh credential); set by the command that built it. */
  readonly retry?: () => Promise<void>;
  /** Operation name for log lines, e.g. `summarize`. */
  readonly operation: string;
}

export interface ResultsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
}

/** The panel's state for the test build's `gemini.results.testState` command (testHooks.ts). */
export interface ResultsTestState {
  readonly panelOpen: boolean;
  readonly ready: boolean;
  readonly shownId?: string;
  readonly results: ReturnType<typeof toStoredResult>[];
  /** Messages posted to the webview, by type. */
  readonly posted: Record<string, number>;
  /** Characters of answer and of thoughts sent in `append` messages. */
  readonly appendedChars: number;
  readonly appendedThoughtChars: number;
}

interface Running {
  readonly controller: AbortController;
  stopRequested: boolean;
}

const PANEL_TITLE = 'Gemini';

/**
 * Owns the one results panel: creates or revives it, streams answers into it in batches, keeps every result
 * of the session (the webview renders only the one it shows), and carries out what the user asks from the
 * webview — after validating each message against the closed protocol.
 */
export class ResultsPanelManager implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  /** The webview's script runs and has said `ready`; until then nothing is posted (it would be lost). */
  private ready = false;
  /** The result the webview shows (or will show once ready). */
  private shownId: string | undefined;
  // Whatever is kept per result leaves with it: the request (kept for Retry, it holds the selected text).
  private readonly store = new ResultStore(undefined, (id) => {
    this.jobs.delete(id);
    this.errorActions.delete(id);
  });
  private readonly jobs = new Map<string, ResultJob>();
  private readonly running = new Map<string, Running>();
  /** The buttons of each failed result, in the order the webview shows them. */
  private readonly errorActions = new Map<string, readonly UserAction[]>();
  private readonly posted: Record<string, number> = {};
  private appendedChars = 0;
  private appendedThoughtChars = 0;

  constructor(private readonly deps: ResultsPanelDeps) {}

  // ---- panel lifecycle ----

  /** For the serializer: adopts a panel VS Code restored after a reload, with the webview's saved state. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = parseWebviewState(state);
    if (saved?.current && !this.store.get(saved.current.id)) {
      this.store.restore(saved.current);
      this.shownId = saved.current.id;
    }
    if (this.panel && this.panel !== panel) {
      // Only one results panel: keep the one we have.
      panel.dispose();
      return;
    }
    this.adopt(panel);
    this.deps.log.info(`[results] panel restored${saved?.current ? ` with a result of ${saved.current.text.length} chars` : ''}`);
  }

  private ensurePanel(): void {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(RESULT_VIEW_TYPE, PANEL_TITLE, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.adopt(panel);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.deps.extensionUri, 'dist'), vscode.Uri.joinPath(this.deps.extensionUri, 'media')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'icon.png');
    this.panelSubscriptions = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden a hidden webview is torn down; it says `ready` again when shown.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.onPanelDisposed(panel)),
    ];
    panel.webview.html = this.html(panel.webview);
  }

  private html(webview: vscode.Webview): string {
    const asset = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, ...segments)).toString();
    return renderPanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asset('dist', 'webview', 'results.js'),
      styleUri: asset('media', 'results.css'),
      title: PANEL_TITLE,
      lang: vscode.env.language,
    });
  }

  private onPanelDisposed(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    for (const d of this.panelSubscriptions.splice(0)) d.dispose();
    this.panel = undefined;
    this.ready = false;
    // Nobody can see the answers any more: stop what is still streaming.
    for (const [id, run] of this.running) {
      run.stopRequested = true;
      run.controller.abort();
      this.deps.log.info(`[results] ${id.slice(0, 8)}: panel closed, request stopped`);
    }
  }

  dispose(): void {
    for (const run of this.running.values()) run.controller.abort();
    this.running.clear();
    const panel = this.panel;
    this.panel = undefined;
    for (const d of this.panelSubscriptions.splice(0)) d.dispose();
    panel?.dispose();
  }

  // ---- streaming ----

  /** Streams `job` into the panel as a new result; resolves when the answer has ended (done, stopped or failed). */
  async run(job: ResultJob): Promise<ResultRecord> {
    const record = this.store.add({
      id: randomUUID(),
      title: job.title,
      model: shortModelId(job.model),
      sourceLabel: job.sourceLabel,
      emulator: job.emulator,
      createdAt: Date.now(),
    });
    const id = record.id;
    const tag = `[${job.operation}] ${id.slice(0, 8)}`;
    this.jobs.set(id, job);
    const run: Running = { controller: new AbortController(), stopRequested: false };
    this.running.set(id, run);
    this.shownId = id;
    this.ensurePanel();
    this.post({ type: 'start', id, title: record.title, model: record.model, sourceLabel: record.sourceLabel, emulator: record.emulator, createdAt: record.createdAt });
    this.postHistory();

    const batcher = new AppendBatcher(() => this.sendPending(record));
    const acc = new ResponseAccumulator();
    const started = Date.now();
    let truncated = false;
    const thinkingDone = () => {
      if (record.thoughts && record.thinkingMs === undefined) record.thinkingMs = Date.now() - started;
    };
    try {
      const open = (model: string) => job.open(model, run.controller.signal);
      for await (const response of streamReplacingGoneModel(open, job.model, job.replaceGoneModel, (model) => (record.model = shortModelId(model)))) {
        const { answer, thoughts } = acc.add(response);
        if (thoughts && record.thoughts.length < LIMITS.thoughtsText) {
          const kept = thoughts.slice(0, LIMITS.thoughtsText - record.thoughts.length);
          record.thoughts += kept;
          batcher.push(kept);
        }
        if (!answer) continue;
        thinkingDone();
        if (record.text.length + answer.length > LIMITS.resultText) {
          record.text += answer.slice(0, LIMITS.resultText - record.text.length);
          truncated = true;
          run.controller.abort();
          break;
        }
        record.text += answer;
        batcher.push(answer);
      }
      thinkingDone();
      batcher.flush();
      record.model = shortModelId(acc.modelVersion ?? record.model);
      record.usage = toTokenUsage(acc.usage);
      const finish = acc.finishReason && acc.finishReason !== 'STOP' && acc.finishReason !== 'FINISH_REASON_UNSPECIFIED' ? acc.finishReason : undefined;
      const problem = acc.problem();
      if (problem && problem.kind === 'blocked' && !record.text) {
        this.fail(record, problem);
      } else {
        record.finishReason = finish;
        if (problem?.kind === 'blocked') record.notice = problem.message;
        if (truncated) record.notice = `The answer was longer than ${LIMITS.resultText.toLocaleString('en-US')} characters; the rest was not kept.`;
        this.finish(record, truncated);
      }
    } catch (err) {
      thinkingDone();
      batcher.flush();
      if (run.stopRequested || (isGeminiError(err, 'cancelled') && run.controller.signal.aborted)) {
        record.model = shortModelId(acc.modelVersion ?? record.model);
        record.usage = toTokenUsage(acc.usage);
        this.finish(record, true);
      } else {
        this.fail(record, err);
      }
    } finally {
      batcher.dispose();
      this.running.delete(id);
      const thinking = record.thoughts ? ` and ${record.thoughts.length} chars of thoughts (${record.thinkingMs} ms thinking)` : '';
      this.deps.log.info(
        `${tag} ${record.status}: ${record.text.length} chars${thinking} in ${acc.chunks} events, ${batcher.flushes} webview updates, ${Date.now() - started} ms`,
      );
    }
    return record;
  }

  /** Posts the answer and thought text the webview has not seen yet (the batcher only decides when). */
  private sendPending(record: ResultRecord): void {
    if (record.sentChars >= record.text.length && record.sentThoughtChars >= record.thoughts.length) return;
    if (!this.ready || this.shownId !== record.id) return; // `show` will carry it
    // One `append` holds at most LIMITS.appendText of each; a larger backlog goes in several.
    while (record.sentChars < record.text.length || record.sentThoughtChars < record.thoughts.length) {
      const text = record.text.slice(record.sentChars, record.sentChars + LIMITS.appendText);
      const thoughts = record.thoughts.slice(record.sentThoughtChars, record.sentThoughtChars + LIMITS.appendText);
      record.sentChars += text.length;
      record.sentThoughtChars += thoughts.length;
      this.appendedChars += text.length;
      this.appendedThoughtChars += thoughts.length;
      this.post({
        type: 'append',
        id: record.id,
        text,
        ...(thoughts && { thoughts }),
        ...(text && record.thinkingMs !== undefined && { thinkingMs: record.thinkingMs }),
      });
    }
  }

  private finish(record: ResultRecord, stopped: boolean): void {
    record.status = stopped ? 'stopped' : 'done';
    this.sendPending(record);
    this.post({
      type: 'done',
      id: record.id,
      model: record.model,
      ...(record.usage && { usage: record.usage }),
      ...(record.finishReason && { finishReason: truncate(record.finishReason, LIMITS.finishReason) }),
      ...(record.notice && { notice: truncate(record.notice, LIMITS.notice) }),
      ...(stopped && { stopped: true }),
      ...(record.thinkingMs !== undefined && { thinkingMs: record.thinkingMs }),
    });
    this.postHistory();
    // The walkthrough's "summarize" step completes when an answer has actually arrived.
    if (!stopped && record.text) void ContextKeys.markSummarized();
  }

  private fail(record: ResultRecord, err: unknown): void {
    record.status = 'error';
    record.error = this.resultError(record.id, err);
    this.sendPending(record);
    this.deps.log.warn(`[results] ${record.id.slice(0, 8)} failed: ${isGeminiError(err) ? err.kind : isAuthError(err) ? err.code : 'error'}`);
    this.post({ type: 'error', id: record.id, ...record.error });
    this.postHistory();
  }

  private resultError(id: string, err: unknown): ResultError {
    const { message, actions } = toUserError(err);
    const shown = actions.slice(0, 2);
    this.errorActions.set(id, shown);
    const [action, secondaryAction] = shown.map((a) => ({ label: truncate(a.label, LIMITS.label) }));
    return { message: truncate(message, LIMITS.message), ...(action && { action }), ...(secondaryAction && { secondaryAction }) };
  }

  // ---- messages ----

  private post(message: HostMessage): void {
    const panel = this.panel;
    if (!panel || !this.ready) return;
    if (message.type === 'start') this.shownId = message.id;
    if (message.type === 'show') this.shownId = message.result.id;
    this.posted[message.type] = (this.posted[message.type] ?? 0) + 1;
    void panel.webview.postMessage(message).then(undefined, (err: unknown) => this.deps.log.warn(`[results] postMessage failed: ${err instanceof Error ? err.message : 'error'}`));
  }

  private postHistory(): void {
    this.post({ type: 'history', items: this.store.historyItems() });
  }

  private show(record: ResultRecord): void {
    this.shownId = record.id;
    record.sentChars = record.text.length;
    record.sentThoughtChars = record.thoughts.length;
    this.post({ type: 'show', result: toStoredResult(record) });
  }

  /** Entry point for everything the webview posts. */
  async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      const type = typeof raw === 'object' && raw !== null && typeof (raw as { type?: unknown }).type === 'string' ? String((raw as { type: string }).type).slice(0, 32) : typeof raw;
      this.deps.log.warn(`[results] dropped an unknown message (${JSON.stringify(type)})`);
      return;
    }
    try {
      await this.handle(message);
    } catch (err) {
      await reportError(`results.${message.type}`, err, this.deps.log);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const record = (this.shownId && this.store.get(this.shownId)) || (message.restoredId && this.store.get(message.restoredId)) || this.store.latest();
        this.postHistory();
        if (record) this.show(record);
        return;
      }
      case 'select': {
        const record = this.store.get(message.id);
        if (record) this.show(record);
        else void vscode.window.showInformationMessage(vscode.l10n.t('That result is no longer available.'));
        return;
      }
      case 'stop':
        this.stop(message.id);
        return;
      case 'copy': {
        const record = this.store.get(message.id);
        if (!record) return;
        await vscode.env.clipboard.writeText(record.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('$(check) Gemini: answer copied'), 3000);
        return;
      }
      case 'insert':
      case 'replace': {
        const record = this.store.get(message.id);
        if (!record || !record.text) return;
        const outcome = await applyToEditor(message.type, record.text, this.jobs.get(message.id)?.target);
        if (!outcome.ok) void vscode.window.showWarningMessage(outcome.message);
        this.deps.log.info(`[results] ${message.type}: ${outcome.ok ? `${record.text.length} chars` : 'refused'}`);
        return;
      }
      case 'retry': {
        const job = this.jobs.get(message.id);
        if (!job?.retry) {
          void vscode.window.showInformationMessage(vscode.l10n.t('This request is no longer available. Select the text and run the command again.'));
          return;
        }
        await job.retry();
        return;
      }
      case 'action':
        await this.errorActions.get(message.id)?.[message.button === 'action' ? 0 : 1]?.run();
        return;
      case 'openLink':
        // The webview already checked it; check again, the webview is not trusted. VS Code asks the user.
        if (!isAllowedLinkHref(message.href)) return;
        await vscode.env.openExternal(vscode.Uri.parse(message.href, true));
        return;
    }
  }

  /** Stops a streaming result at once; the partial answer stays. */
  stop(id: string): boolean {
    const run = this.running.get(id);
    if (!run) return false;
    run.stopRequested = true;
    run.controller.abort();
    return true;
  }

  testState(): ResultsTestState {
    return {
      panelOpen: !!this.panel,
      ready: this.ready,
      shownId: this.shownId,
      results: this.store.all().map(toStoredResult),
      posted: { ...this.posted },
      appendedChars: this.appendedChars,
      appendedThoughtChars: this.appendedThoughtChars,
    };
  }
}
