// The results panel's front end: applies the host's messages (src/shared/protocol.ts) to the current result,
// renders its answer — and, apart from it, a thinking model's thought summary — incrementally, at most once per
// animation frame (./render/), keeps the page around it in step (./chrome.ts), saves it (./state.ts), and turns
// user actions into messages for the host. The host is trusted to send well-formed messages within its limits.
//
// Model output only ever enters the page as nodes built from Markdown tokens by ./render/markdown.ts.

import { isAllowedLinkHref } from '../src/shared/links';
import { parseWebviewState, type HistoryItem, type HostMessage, type StoredResult, type WebviewMessage } from '../src/shared/protocol';
import { buildPage, renderChrome, renderHistory, renderThinking, type ButtonAction, type Elements } from './chrome';
import { IncrementalResult } from './render/pacing';
import { StreamView } from './render/streamView';
import { historyItem, StateSaver, type Current } from './state';
import type { WebviewApi } from './vscodeApi';

export interface ResultsAppOptions {
  readonly window: Window;
  readonly api: WebviewApi;
  /** Schedules a render; defaults to requestAnimationFrame. Tests pass a manual scheduler. */
  readonly requestFrame?: (callback: () => void) => void;
  readonly now?: () => number;
  /** Minimum time between two setState calls while streaming. */
  readonly saveIntervalMs?: number;
}

/** Distance from the bottom (px) within which the view keeps following the answer. */
const FOLLOW_SLACK = 40;
/** A large unfinished block is rendered again at least this often (see IncrementalResult). */
const MAX_TAIL_LAG_MS = 500;

export class ResultsApp {
  private readonly win: Window;
  private readonly doc: Document;
  private readonly api: WebviewApi;
  private readonly requestFrame: (callback: () => void) => void;
  private readonly now: () => number;
  private readonly saver: StateSaver;
  private els!: Elements;
  private answer!: StreamView;
  private thoughts!: StreamView;
  private current: Current | undefined;
  private history: HistoryItem[] = [];
  private framePending = false;
  private followAnswer = true;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanup: (() => void)[] = [];

  constructor(options: ResultsAppOptions) {
    this.win = options.window;
    this.doc = options.window.document;
    this.api = options.api;
    this.requestFrame = options.requestFrame ?? ((cb) => this.win.requestAnimationFrame(() => cb()));
    this.now = options.now ?? (() => Date.now());
    this.saver = new StateSaver(this.api, this.now, options.saveIntervalMs ?? 1000, () => ({ current: this.current?.result, history: this.history }));
  }

  /** Builds the page, restores the saved state, starts listening and tells the host it is ready. */
  start(): void {
    this.els = buildPage(this.doc, (action) => this.onButton(action));
    this.answer = new StreamView(this.els.answer, this.els.answerTail);
    this.thoughts = new StreamView(this.els.thoughtsBody, this.els.thoughtsTail);
    this.listen(this.win, 'message', (event) => this.handleMessage((event as MessageEvent).data));
    this.listen(this.doc, 'keydown', (event) => this.onKeyDown(event as KeyboardEvent));
    this.listen(this.win, 'scroll', () => {
      this.followAnswer = this.isAtBottom();
    });
    this.listen(this.els.answer, 'click', (event) => this.onLinkEvent(event));
    this.listen(this.els.thoughtsBody, 'click', (event) => this.onLinkEvent(event));
    this.listen(this.els.history, 'toggle', () => this.renderHistory());

    const saved = parseWebviewState(this.api.getState());
    if (saved) {
      this.history = [...saved.history];
      if (saved.current) this.show(saved.current);
    }
    this.renderHistory();
    renderChrome(this.els, this.current);
    this.post(saved?.current ? { type: 'ready', restoredId: saved.current.id } : { type: 'ready' });
  }

  dispose(): void {
    for (const undo of this.cleanup.splice(0)) undo();
    this.saver.dispose();
    if (this.catchUpTimer !== undefined) clearTimeout(this.catchUpTimer);
  }

  /** Entry point for every message from the host. */
  handleMessage(data: unknown): void {
    if (typeof (data as { type?: unknown } | null)?.type === 'string') this.apply(data as HostMessage);
  }

  /** Renders pending text now instead of on the next frame (also used by tests). */
  flush(): void {
    const current = this.current;
    if (!current) return;
    const now = this.now();
    const final = current.result.status !== 'streaming';
    let update;
    do {
      update = current.view.render(now, final);
      if (update.thoughts) this.thoughts.apply(update.thoughts);
      if (update.answer) this.answer.apply(update.answer);
    } while (update.more);
    if (update.deferred) this.scheduleCatchUp();
    if (this.followAnswer) this.scrollToBottom();
  }

  private apply(message: HostMessage): void {
    const current = 'id' in message ? (this.current?.result.id === message.id ? this.current : undefined) : undefined;
    const result = current?.result;
    switch (message.type) {
      case 'start': {
        const { type: _type, ...start } = message;
        this.show({ ...start, createdAt: message.createdAt ?? this.now(), status: 'streaming', text: '' });
        this.upsertHistory();
        this.saver.saveNow();
        break;
      }
      case 'append': {
        const thoughts = message.thoughts ?? '';
        if (!current || result!.status !== 'streaming' || !(message.text || thoughts)) return;
        result!.text += message.text;
        result!.thoughts = (result!.thoughts ?? '') + thoughts;
        current.view.push('answer', message.text);
        current.view.push('thoughts', thoughts);
        result!.thinkingMs = message.thinkingMs ?? result!.thinkingMs;
        renderThinking(this.els, result);
        this.scheduleRender();
        this.saver.saveSoon();
        break;
      }
      case 'done': {
        if (!current) return;
        const { type: _type, id: _id, stopped, ...done } = message;
        Object.assign(result!, done, { status: stopped ? 'stopped' : 'done', thinkingMs: message.thinkingMs ?? result!.thinkingMs });
        this.settle();
        break;
      }
      case 'error': {
        if (!current) return;
        const { type: _type, id: _id, ...error } = message;
        Object.assign(result!, { status: 'error', error });
        this.settle();
        break;
      }
      case 'history':
        // The host has said what there is to show: from now on an empty panel may say how to get a result. (A
        // panel opened ahead of a request gets its result instead, and shows no hint in between.)
        this.els.app.dataset.hint = '';
        this.history = [...message.items];
        this.renderHistory();
        this.saver.saveNow();
        break;
      case 'show':
        this.show(message.result);
        this.upsertHistory();
        this.saver.saveNow();
        break;
    }
  }

  /** The current result stopped streaming: render the rest, update the chrome, keep focus sensible. */
  private settle(): void {
    const stopHadFocus = this.doc.activeElement === this.els.stop;
    this.flush();
    this.upsertHistory();
    renderChrome(this.els, this.current);
    this.saver.saveNow();
    if (stopHadFocus) [this.els.copy, this.els.retry].find((button) => !button.hidden)?.focus();
  }

  /** Replaces what the panel shows with `result`, rendering its whole text at once. */
  private show(result: StoredResult): void {
    // Showing the same result again (the host re-sends it) keeps the Thinking section as the user left it.
    const keepThoughtsOpen = this.current?.result.id === result.id && this.els.thoughts.open;
    const view = new IncrementalResult({ maxTailLagMs: MAX_TAIL_LAG_MS });
    view.push('thoughts', result.thoughts ?? '');
    view.push('answer', result.text);
    this.current = { result: { ...result }, view, stopRequested: false };
    this.answer.clear();
    this.thoughts.clear();
    this.els.thoughts.open = keepThoughtsOpen;
    // A streaming answer is followed from the bottom; a finished one is read from the top.
    this.followAnswer = result.status === 'streaming';
    this.flush();
    if (!this.followAnswer) this.scroller().scrollTop = 0;
    renderChrome(this.els, this.current);
    this.renderHistory();
  }

  private scheduleCatchUp(): void {
    if (this.catchUpTimer !== undefined) return;
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = undefined;
      this.scheduleRender();
    }, MAX_TAIL_LAG_MS);
  }

  private scheduleRender(): void {
    if (this.framePending) return;
    this.framePending = true;
    this.requestFrame(() => {
      this.framePending = false;
      this.flush();
    });
  }

  private renderHistory(): void {
    renderHistory(this.els, this.history, this.current?.result.id, (id) => this.post({ type: 'select', id }));
  }

  private upsertHistory(): void {
    if (!this.current) return;
    const item = historyItem(this.current.result);
    const index = this.history.findIndex((h) => h.id === item.id);
    if (index >= 0) this.history[index] = item;
    else this.history.push(item);
    this.renderHistory();
  }

  // ---- input ----

  private onButton(action: ButtonAction): void {
    const current = this.current;
    if (!current) return;
    if (action === 'stop') this.requestStop();
    else if (action !== 'action' && action !== 'secondaryAction') this.post({ type: action, id: current.result.id });
    else if (current.result.error?.[action]) this.post({ type: 'action', id: current.result.id, button: action });
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.current?.result.status === 'streaming') {
      event.preventDefault();
      this.requestStop();
    } else if (event.key === 'Enter') this.onLinkEvent(event);
  }

  /** A click or Enter on a link in the answer or the thoughts asks the host to open it (links are inert). */
  private onLinkEvent(event: Event): void {
    const node = event.target as Node | null;
    const element = node && node.nodeType === 1 ? (node as Element) : node?.parentElement;
    const link = element?.closest('a[data-href]');
    if (!link || !(this.els.answer.contains(link) || this.els.thoughtsBody.contains(link))) return;
    event.preventDefault();
    const href = link.getAttribute('data-href');
    if (isAllowedLinkHref(href)) this.post({ type: 'openLink', href });
  }

  private requestStop(): void {
    const current = this.current;
    if (!current || current.result.status !== 'streaming' || current.stopRequested) return;
    current.stopRequested = true;
    this.post({ type: 'stop', id: current.result.id });
    renderChrome(this.els, current);
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  // ---- scrolling ----

  private scroller(): Element {
    return this.doc.scrollingElement ?? this.doc.documentElement;
  }

  private isAtBottom(): boolean {
    const el = this.scroller();
    return el.scrollHeight - el.scrollTop - el.clientHeight <= FOLLOW_SLACK;
  }

  private scrollToBottom(): void {
    const el = this.scroller();
    el.scrollTop = el.scrollHeight;
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    target.addEventListener(type, handler);
    this.cleanup.push(() => target.removeEventListener(type, handler));
  }
}
