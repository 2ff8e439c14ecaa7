// The results panel's front end: builds the page, renders the streamed answer — and, apart from it, a thinking
// model's thought summary — incrementally (at most once per animation frame), keeps the toolbar in step with the
// result's status, persists the text (never HTML) with setState, and turns user actions into the typed messages
// of src/shared/protocol.ts.
//
// Model output only ever enters the page as HTML from the safe renderer (via ./safeHtml.ts); every other
// string (titles, model names, errors, notices) is set with textContent. No inline styles: CSP forbids them,
// so visibility uses the `hidden` attribute and looks use classes from media/results.css.

import { IncrementalResult, type IncrementalUpdate } from '../src/core/render/incremental';
import { describeFinishReason } from '../src/shared/finishReason';
import { isAllowedLinkHref } from '../src/shared/links';
import {
  LIMITS,
  WEBVIEW_STATE_VERSION,
  parseHostMessage,
  parseWebviewState,
  type HistoryItem,
  type HostMessage,
  type StoredResult,
  type WebviewMessage,
  type WebviewState,
} from '../src/shared/protocol';
import { DOM_CLASSES, DOM_IDS, type AppStatusAttribute } from '../src/shared/resultsDom';
import { parseSafeHtml } from './safeHtml';
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

interface CurrentResult {
  id: string;
  title: string;
  model: string;
  sourceLabel: string;
  emulator: boolean;
  createdAt: number;
  status: StoredResult['status'];
  /** The answer (never the thoughts). */
  text: string;
  thoughts: string;
  thinkingMs?: number;
  usage?: StoredResult['usage'];
  finishReason?: string;
  notice?: string;
  error?: StoredResult['error'];
  /** Renders thoughts and answer apart; holds the text received but not yet rendered. */
  view: IncrementalResult;
  stopRequested: boolean;
}

interface Elements {
  app: HTMLElement;
  title: HTMLElement;
  model: HTMLElement;
  emulatorBadge: HTMLElement;
  stop: HTMLButtonElement;
  copy: HTMLButtonElement;
  insert: HTMLButtonElement;
  replace: HTMLButtonElement;
  retry: HTMLButtonElement;
  action: HTMLButtonElement;
  secondaryAction: HTMLButtonElement;
  status: HTMLElement;
  thoughts: HTMLDetailsElement;
  thoughtsSummary: HTMLElement;
  thoughtsBody: HTMLElement;
  thoughtsTail: HTMLElement;
  answer: HTMLElement;
  answerTail: HTMLElement;
  notice: HTMLElement;
  usage: HTMLElement;
  error: HTMLElement;
  errorMessage: HTMLElement;
  history: HTMLDetailsElement;
  historyList: HTMLElement;
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
  private readonly saveIntervalMs: number;
  private els!: Elements;
  private current: CurrentResult | undefined;
  private history: HistoryItem[] = [];
  private framePending = false;
  private followAnswer = true;
  private lastSave = 0;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanup: (() => void)[] = [];

  constructor(options: ResultsAppOptions) {
    this.win = options.window;
    this.doc = options.window.document;
    this.api = options.api;
    this.requestFrame = options.requestFrame ?? ((cb) => this.win.requestAnimationFrame(() => cb()));
    this.now = options.now ?? (() => Date.now());
    this.saveIntervalMs = options.saveIntervalMs ?? 1000;
  }

  /** Builds the page, restores the saved state, starts listening and tells the host it is ready. */
  start(): void {
    this.els = this.buildPage();
    this.listen(this.win, 'message', (event) => this.handleMessage((event as MessageEvent).data));
    this.listen(this.doc, 'keydown', (event) => this.onKeyDown(event as KeyboardEvent));
    this.listen(this.win, 'scroll', () => {
      this.followAnswer = this.isAtBottom();
    });
    this.listen(this.els.answer, 'click', (event) => this.onAnswerClick(event));
    this.listen(this.els.thoughtsBody, 'click', (event) => this.onAnswerClick(event));

    const saved = parseWebviewState(this.api.getState());
    if (saved) {
      this.history = [...saved.history];
      if (saved.current) this.show(saved.current);
    }
    this.renderHistory();
    this.renderChrome();
    this.post(saved?.current ? { type: 'ready', restoredId: saved.current.id } : { type: 'ready' });
  }

  dispose(): void {
    for (const undo of this.cleanup.splice(0)) undo();
    if (this.saveTimer !== undefined) clearTimeout(this.saveTimer);
    if (this.catchUpTimer !== undefined) clearTimeout(this.catchUpTimer);
  }

  /** Entry point for every message from the host; invalid ones are dropped. */
  handleMessage(data: unknown): void {
    const message = parseHostMessage(data);
    if (!message) {
      console.warn('[results] dropped an invalid message from the host');
      return;
    }
    this.apply(message);
  }

  /** Renders pending text now instead of on the next frame (also used by tests). */
  flush(): void {
    const current = this.current;
    if (!current) return;
    const update = current.view.render(this.now(), current.status !== 'streaming');
    if (update.thoughts) this.applyUpdate(this.els.thoughtsTail, update.thoughts);
    if (update.answer) this.applyUpdate(this.els.answerTail, update.answer);
    if (update.deferred) this.scheduleCatchUp();
    if (this.followAnswer) this.scrollToBottom();
  }

  private apply(message: HostMessage): void {
    switch (message.type) {
      case 'start':
        this.show({
          id: message.id,
          title: message.title,
          model: message.model,
          sourceLabel: message.sourceLabel,
          emulator: message.emulator,
          createdAt: message.createdAt ?? this.now(),
          status: 'streaming',
          text: '',
        });
        this.upsertHistory();
        this.saveNow();
        break;
      case 'append': {
        const current = this.current;
        const thoughts = message.thoughts ?? '';
        if (!current || current.id !== message.id || current.status !== 'streaming' || !(message.text || thoughts)) return;
        if (current.text.length + message.text.length > LIMITS.resultText || current.thoughts.length + thoughts.length > LIMITS.thoughtsText) return;
        current.text += message.text;
        current.view.push('answer', message.text);
        current.thoughts += thoughts;
        current.view.push('thoughts', thoughts);
        current.thinkingMs = message.thinkingMs ?? current.thinkingMs;
        this.renderThinking();
        this.scheduleRender();
        this.saveSoon();
        break;
      }
      case 'done': {
        const current = this.current;
        if (!current || current.id !== message.id) return;
        current.status = message.stopped ? 'stopped' : 'done';
        current.model = message.model;
        current.usage = message.usage;
        current.finishReason = message.finishReason;
        current.notice = message.notice;
        current.thinkingMs = message.thinkingMs ?? current.thinkingMs;
        this.settle();
        break;
      }
      case 'error': {
        const current = this.current;
        if (!current || current.id !== message.id) return;
        current.status = 'error';
        const { type: _type, id: _id, ...error } = message;
        current.error = error;
        this.settle();
        break;
      }
      case 'history':
        this.history = [...message.items];
        this.renderHistory();
        this.saveNow();
        break;
      case 'show':
        this.show(message.result);
        this.upsertHistory();
        this.saveNow();
        break;
    }
  }

  /** The current result stopped streaming: render the rest, update the chrome, keep focus sensible. */
  private settle(): void {
    const stopHadFocus = this.doc.activeElement === this.els.stop;
    this.flush();
    this.upsertHistory();
    this.renderChrome();
    this.saveNow();
    if (stopHadFocus) {
      const next = [this.els.copy, this.els.retry].find((button) => !button.hidden);
      next?.focus();
    }
  }

  /** Replaces what the panel shows with `result`, rendering its whole text at once. */
  private show(result: StoredResult): void {
    // Showing the same result again (the host re-sends it) keeps the Thinking section as the user left it.
    const keepThoughtsOpen = this.current?.id === result.id && this.els.thoughts.open;
    const view = new IncrementalResult({ maxTailLagMs: MAX_TAIL_LAG_MS });
    view.push('thoughts', result.thoughts ?? '');
    view.push('answer', result.text);
    this.current = {
      id: result.id,
      title: result.title,
      model: result.model,
      sourceLabel: result.sourceLabel,
      emulator: result.emulator,
      createdAt: result.createdAt,
      status: result.status,
      text: result.text,
      thoughts: result.thoughts ?? '',
      thinkingMs: result.thinkingMs,
      usage: result.usage,
      finishReason: result.finishReason,
      notice: result.notice,
      error: result.error,
      view,
      stopRequested: false,
    };
    this.clearAnswer();
    this.els.thoughts.open = keepThoughtsOpen;
    // A streaming answer is followed from the bottom; a finished one is read from the top.
    this.followAnswer = result.status === 'streaming';
    this.flush();
    if (!this.followAnswer) this.scroller().scrollTop = 0;
    this.renderChrome();
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

  /** Appends the newly committed blocks before `tail` and replaces the tail (thoughts or answer alike). */
  private applyUpdate(tail: HTMLElement, update: IncrementalUpdate): void {
    if (update.committedHtml) tail.before(parseSafeHtml(this.doc, update.committedHtml));
    tail.replaceChildren(parseSafeHtml(this.doc, update.tailHtml));
  }

  private clearAnswer(): void {
    this.els.answerTail.replaceChildren();
    this.els.answer.replaceChildren(this.els.answerTail);
    this.els.thoughtsTail.replaceChildren();
    this.els.thoughtsBody.replaceChildren(this.els.thoughtsTail);
  }

  /**
   * The Thinking section's visibility and summary line. Only the summary's text changes, and only when it
   * differs: the <details> element and its `open` state are the user's.
   */
  private renderThinking(): void {
    const current = this.current;
    const e = this.els;
    e.thoughts.hidden = !current?.thoughts;
    const label = current?.thoughts ? thinkingSummary(current) : '';
    if (e.thoughtsSummary.textContent !== label) e.thoughtsSummary.textContent = label;
    e.thoughtsBody.setAttribute('aria-busy', String(current?.status === 'streaming' && current.thinkingMs === undefined));
  }

  // ---- chrome: title, badges, buttons, status, footer ----

  private renderChrome(): void {
    const e = this.els;
    const current = this.current;
    const status: AppStatusAttribute = current?.status ?? 'empty';
    e.app.dataset.status = status;
    e.title.textContent = current ? current.title : 'Gemini';
    e.model.textContent = current ? current.model : '';
    e.model.title = current ? `Model: ${current.model} · Source: ${current.sourceLabel}` : '';
    e.emulatorBadge.hidden = !current?.emulator;

    const streaming = status === 'streaming';
    const settled = status === 'done' || status === 'stopped' || status === 'error';
    const hasText = !!current && current.text.length > 0;
    e.stop.hidden = !streaming;
    e.stop.disabled = !!current?.stopRequested;
    e.copy.hidden = e.insert.hidden = e.replace.hidden = !(settled && hasText);
    e.retry.hidden = !(status === 'error' || status === 'stopped');
    e.answer.setAttribute('aria-busy', String(streaming));
    this.renderThinking();

    e.status.textContent = statusText(current);

    const notices = current && status !== 'streaming' ? [describeFinishReason(current.finishReason), current.notice].filter((n): n is string => !!n) : [];
    e.notice.replaceChildren(...notices.map((text) => this.el('p', {}, text)));
    e.notice.hidden = notices.length === 0;

    e.usage.textContent = current && settled && status !== 'error' ? usageText(current) : '';
    e.usage.hidden = e.usage.textContent === '';

    const error = status === 'error' ? current?.error : undefined;
    e.error.hidden = !error;
    e.errorMessage.textContent = error?.message ?? '';
    for (const [button, action] of [[e.action, error?.action], [e.secondaryAction, error?.secondaryAction]] as const) {
      button.hidden = !action;
      button.textContent = action?.label ?? '';
      if (action) button.setAttribute('aria-label', action.label);
    }
  }

  private renderHistory(): void {
    const e = this.els;
    const items = this.history;
    e.history.hidden = items.length === 0;
    const summary = e.history.querySelector('summary');
    if (summary) summary.textContent = `Earlier results (${items.length})`;
    e.historyList.replaceChildren(
      ...[...items]
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((item) => {
          const button = this.el('button', { type: 'button', class: DOM_CLASSES.historyItem });
          button.dataset.id = item.id;
          const isCurrent = item.id === this.current?.id;
          if (isCurrent) button.setAttribute('aria-current', 'true');
          button.append(
            this.el('span', { class: 'history-title' }, item.title),
            this.el('span', { class: 'history-meta' }, `${formatTime(item.createdAt)} · ${item.model} · ${STATUS_WORDS[item.status]}`),
          );
          button.addEventListener('click', () => {
            if (!isCurrent) this.post({ type: 'select', id: item.id });
          });
          return this.el('li', {}, button);
        }),
    );
  }

  private upsertHistory(): void {
    const c = this.current;
    if (!c) return;
    const item: HistoryItem = { id: c.id, title: c.title, model: c.model, createdAt: c.createdAt, status: c.status };
    const index = this.history.findIndex((h) => h.id === c.id);
    if (index >= 0) this.history[index] = item;
    else this.history.push(item);
    if (this.history.length > LIMITS.historyItems) this.history.splice(0, this.history.length - LIMITS.historyItems);
    this.renderHistory();
  }

  // ---- input ----

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.current?.status === 'streaming') {
      event.preventDefault();
      this.requestStop();
      return;
    }
    if (event.key === 'Enter' && this.linkFrom(event.target)) this.activateLink(event);
  }

  private onAnswerClick(event: Event): void {
    if (this.linkFrom(event.target)) this.activateLink(event);
  }

  private linkFrom(target: EventTarget | null): Element | undefined {
    const node = target as Node | null;
    const element = node && node.nodeType === 1 ? (node as Element) : node?.parentElement;
    const link = element?.closest('a[data-href]');
    return link && (this.els.answer.contains(link) || this.els.thoughtsBody.contains(link)) ? link : undefined;
  }

  private activateLink(event: Event): void {
    event.preventDefault();
    const href = this.linkFrom(event.target)?.getAttribute('data-href');
    if (isAllowedLinkHref(href)) this.post({ type: 'openLink', href });
  }

  private requestStop(): void {
    const current = this.current;
    if (!current || current.status !== 'streaming' || current.stopRequested) return;
    current.stopRequested = true;
    this.post({ type: 'stop', id: current.id });
    this.renderChrome();
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  // ---- state ----

  private snapshot(): WebviewState {
    const c = this.current;
    return {
      version: WEBVIEW_STATE_VERSION,
      history: this.history,
      ...(c && {
        current: {
          id: c.id,
          title: c.title,
          model: c.model,
          sourceLabel: c.sourceLabel,
          emulator: c.emulator,
          createdAt: c.createdAt,
          status: c.status,
          text: c.text,
          ...(c.thoughts && { thoughts: c.thoughts }),
          ...(c.thinkingMs !== undefined && { thinkingMs: c.thinkingMs }),
          ...(c.usage && { usage: c.usage }),
          ...(c.finishReason !== undefined && { finishReason: c.finishReason }),
          ...(c.notice !== undefined && { notice: c.notice }),
          ...(c.error && { error: c.error }),
        },
      }),
    };
  }

  private saveNow(): void {
    if (this.saveTimer !== undefined) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    this.lastSave = this.now();
    this.api.setState(this.snapshot());
  }

  /** While streaming, saves at most once per interval (the text can be large). */
  private saveSoon(): void {
    if (this.saveTimer !== undefined) return;
    const wait = Math.max(0, this.lastSave + this.saveIntervalMs - this.now());
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, wait);
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

  // ---- building ----

  private buildPage(): Elements {
    const app = this.doc.getElementById(DOM_IDS.app) ?? this.doc.body.appendChild(this.el('div', { id: DOM_IDS.app, class: 'app' }));
    const button = (id: string, label: string, ariaLabel: string, onClick: () => void, extraClass = '') => {
      const b = this.el('button', { id, type: 'button', class: `button ${extraClass}`.trim(), 'aria-label': ariaLabel, title: ariaLabel }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const withCurrent = (type: 'copy' | 'insert' | 'replace' | 'retry') => () => {
      if (this.current) this.post({ type, id: this.current.id });
    };

    const title = this.el('h1', { id: DOM_IDS.title, class: 'title' });
    const model = this.el('span', { id: DOM_IDS.model, class: 'model' });
    const emulatorBadge = this.el('span', { id: DOM_IDS.emulatorBadge, class: 'badge badge-emulator', title: 'This answer comes from the local Gemini emulator, not from Google.' }, 'Local emulator');
    const stop = button(DOM_IDS.stop, 'Stop', 'Stop generating (Escape)', () => this.requestStop(), 'button-secondary');
    const copy = button(DOM_IDS.copy, 'Copy', 'Copy answer', withCurrent('copy'));
    const insert = button(DOM_IDS.insert, 'Insert at Cursor', 'Insert answer at cursor', withCurrent('insert'), 'button-secondary');
    const replace = button(DOM_IDS.replace, 'Replace Selection', 'Replace selection with answer', withCurrent('replace'), 'button-secondary');
    const retry = button(DOM_IDS.retry, 'Retry', 'Retry', withCurrent('retry'));
    const toolbar = this.el('div', { id: DOM_IDS.toolbar, class: 'toolbar', role: 'toolbar', 'aria-label': 'Result actions' }, stop, copy, insert, replace, retry);
    const status = this.el('div', { id: DOM_IDS.status, class: 'status', role: 'status', 'aria-live': 'polite' });

    const historyList = this.el('ul', { id: DOM_IDS.historyList, class: 'history-list' });
    const history = this.el('details', { id: DOM_IDS.history, class: 'history' }, this.el('summary', {}, 'Earlier results'), historyList);

    const header = this.el(
      'header',
      { class: 'header' },
      this.el('div', { class: 'heading' }, title, this.el('div', { class: 'meta' }, model, emulatorBadge)),
      toolbar,
      status,
      history,
    );

    // Collapsed by default: the answer is what the user came for; the thoughts are there to check how it got there.
    const thoughtsSummary = this.el('summary', { id: DOM_IDS.thoughtsSummary, class: 'thoughts-summary' });
    const thoughtsTail = this.el('div', { id: DOM_IDS.thoughtsTail, class: 'answer-tail' });
    const thoughtsBody = this.el('div', { id: DOM_IDS.thoughtsBody, class: 'thoughts-body markdown-body', role: 'region', 'aria-label': 'Thought summary', 'aria-busy': 'false' }, thoughtsTail);
    const thoughts = this.el('details', { id: DOM_IDS.thoughts, class: 'thoughts', hidden: '' }, thoughtsSummary, thoughtsBody);

    const answerTail = this.el('div', { id: DOM_IDS.answerTail, class: 'answer-tail' });
    const answer = this.el('main', { id: DOM_IDS.answer, class: 'answer markdown-body', 'aria-label': 'Answer', 'aria-busy': 'false' }, answerTail);

    const errorMessage = this.el('p', { id: DOM_IDS.errorMessage, class: 'error-message' });
    const actionButton = (id: string, className: string, which: 'action' | 'secondaryAction') => {
      const b = this.el('button', { id, type: 'button', class: className });
      b.addEventListener('click', () => {
        if (this.current?.error?.[which]) this.post({ type: 'action', id: this.current.id, button: which });
      });
      return b;
    };
    const action = actionButton(DOM_IDS.action, 'button', 'action');
    const secondaryAction = actionButton(DOM_IDS.secondaryAction, 'button button-secondary', 'secondaryAction');
    const error = this.el('div', { id: DOM_IDS.error, class: 'error', role: 'alert' }, errorMessage, this.el('div', { class: 'error-actions' }, action, secondaryAction));
    const notice = this.el('div', { id: DOM_IDS.notice, class: 'notice', role: 'note' });
    const usage = this.el('p', { id: DOM_IDS.usage, class: 'usage' });
    const footer = this.el('footer', { class: 'footer' }, notice, error, usage);

    app.replaceChildren(header, thoughts, answer, footer);
    return { app, title, model, emulatorBadge, stop, copy, insert, replace, retry, action, secondaryAction, status, thoughts, thoughtsSummary, thoughtsBody, thoughtsTail, answer, answerTail, notice, usage, error, errorMessage, history, historyList };
  }

  private el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
    const element = this.doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    element.append(...children); // strings become text nodes
    return element;
  }

  private listen(target: EventTarget, type: string, handler: (event: Event) => void): void {
    target.addEventListener(type, handler);
    this.cleanup.push(() => target.removeEventListener(type, handler));
  }
}

const STATUS_WORDS: Record<StoredResult['status'], string> = { streaming: 'generating', done: 'done', stopped: 'stopped', error: 'failed' };

function statusText(current: CurrentResult | undefined): string {
  if (!current) return 'No result yet. Select text and run “Gemini: Summarize Selection” or “Gemini: Generate from Selection”.';
  switch (current.status) {
    case 'streaming':
      return current.stopRequested ? 'Stopping…' : `Generating with ${current.model}…`;
    case 'done':
      return 'Done.';
    case 'stopped':
      return 'Stopped. The answer above is partial.';
    case 'error':
      return current.text ? 'Failed. The answer above is partial.' : 'Failed.';
  }
}

function usageText(current: CurrentResult): string {
  const parts = [`Model: ${current.model}`];
  if (current.sourceLabel) parts.push(`Source: ${current.sourceLabel}`);
  const u = current.usage;
  if (u) {
    const count = (n: number) => n.toLocaleString('en-US');
    const thinking = u.thoughtsTokenCount ? ` + ${count(u.thoughtsTokenCount)} thinking` : '';
    parts.push(`Tokens: ${count(u.promptTokenCount)} prompt + ${count(u.candidatesTokenCount)} answer${thinking} = ${count(u.totalTokenCount)} total`);
  }
  return parts.join(' · ');
}

/** "Thinking…" while the model thinks; then how long it thought and how many tokens that took, as far as known. */
function thinkingSummary(current: CurrentResult): string {
  if (current.status === 'streaming' && current.thinkingMs === undefined) return 'Thinking…';
  const parts: string[] = [];
  if (current.thinkingMs !== undefined) parts.push(`Thought for ${formatDuration(current.thinkingMs)}`);
  const tokens = current.usage?.thoughtsTokenCount;
  if (tokens) parts.push(`${tokens.toLocaleString('en-US')} thinking tokens`);
  return parts.join(' · ') || 'Thinking';
}

function formatDuration(ms: number): string {
  if (ms < 1000) return 'less than a second';
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
