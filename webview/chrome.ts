// The page around the answer: header with title, model and badges, the toolbar, the status line, the Thinking
// section, the footer (notices, usage, error and its action) and the history of earlier results. Every string
// here is set with textContent; visibility uses the `hidden` attribute (CSP forbids inline styles).

import { describeFinishReason } from '../src/shared/finishReason';
import type { HistoryItem, StoredResult } from '../src/shared/protocol';
import { DOM_CLASSES, DOM_IDS, type AppStatusAttribute } from '../src/shared/resultsDom';
import type { Current } from './state';

export type Elements = ReturnType<typeof buildPage>;

export type ButtonAction = 'stop' | 'copy' | 'insert' | 'replace' | 'retry' | 'action';

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children); // strings become text nodes
  return element;
}

/** Builds the page into #app (created if the HTML lacks it); `onButton` gets every toolbar and error button click. */
export function buildPage(doc: Document, onButton: (action: ButtonAction) => void) {
  const e = (tag: keyof HTMLElementTagNameMap, attributes: Record<string, string>, ...children: (Node | string)[]) => el(doc, tag, attributes, ...children);
  const app = doc.getElementById(DOM_IDS.app) ?? doc.body.appendChild(e('div', { id: DOM_IDS.app, class: 'app' }));
  const button = (id: ButtonAction, label: string, ariaLabel: string, extraClass = '') => {
    const b = el(doc, 'button', { id: DOM_IDS[id], type: 'button', class: `button ${extraClass}`.trim(), 'aria-label': ariaLabel, title: ariaLabel }, label);
    b.addEventListener('click', () => onButton(id));
    return b;
  };

  const title = e('h1', { id: DOM_IDS.title, class: 'title' });
  const model = e('span', { id: DOM_IDS.model, class: 'model' });
  const emulatorBadge = e('span', { id: DOM_IDS.emulatorBadge, class: 'badge badge-emulator', title: 'This answer comes from the local Gemini emulator, not from Google.' }, 'Local emulator');
  const stop = button('stop', 'Stop', 'Stop generating (Escape)', 'button-secondary');
  const copy = button('copy', 'Copy', 'Copy answer');
  const insert = button('insert', 'Insert at Cursor', 'Insert answer at cursor', 'button-secondary');
  const replace = button('replace', 'Replace Selection', 'Replace selection with answer', 'button-secondary');
  const retry = button('retry', 'Retry', 'Retry');
  const toolbar = e('div', { id: DOM_IDS.toolbar, class: 'toolbar', role: 'toolbar', 'aria-label': 'Result actions' }, stop, copy, insert, replace, retry);
  const status = e('div', { id: DOM_IDS.status, class: 'status', role: 'status', 'aria-live': 'polite' });

  const historyList = e('ul', { id: DOM_IDS.historyList, class: 'history-list' });
  const history = el(doc, 'details', { id: DOM_IDS.history, class: 'history' }, e('summary', {}, 'Earlier results'), historyList);
  const header = e('header', { class: 'header' }, e('div', { class: 'heading' }, title, e('div', { class: 'meta' }, model, emulatorBadge)), toolbar, status, history);

  // Collapsed by default: the answer is what the user came for; the thoughts are there to check how it got there.
  const thoughtsSummary = e('summary', { id: DOM_IDS.thoughtsSummary, class: 'thoughts-summary' });
  const thoughtsTail = e('div', { id: DOM_IDS.thoughtsTail, class: 'answer-tail' });
  const thoughtsBody = e('div', { id: DOM_IDS.thoughtsBody, class: 'thoughts-body markdown-body', role: 'region', 'aria-label': 'Thought summary', 'aria-busy': 'false' }, thoughtsTail);
  const thoughts = el(doc, 'details', { id: DOM_IDS.thoughts, class: 'thoughts', hidden: '' }, thoughtsSummary, thoughtsBody);

  const answerTail = e('div', { id: DOM_IDS.answerTail, class: 'answer-tail' });
  const answer = e('main', { id: DOM_IDS.answer, class: 'answer markdown-body', 'aria-label': 'Answer', 'aria-busy': 'false' }, answerTail);

  const errorMessage = e('p', { id: DOM_IDS.errorMessage, class: 'error-message' });
  const action = el(doc, 'button', { id: DOM_IDS.action, type: 'button', class: 'button' });
  action.addEventListener('click', () => onButton('action'));
  const error = e('div', { id: DOM_IDS.error, class: 'error', role: 'alert' }, errorMessage, e('div', { class: 'error-actions' }, action));
  const notice = e('div', { id: DOM_IDS.notice, class: 'notice', role: 'note' });
  const usage = e('p', { id: DOM_IDS.usage, class: 'usage' });
  const footer = e('footer', { class: 'footer' }, notice, error, usage);

  app.replaceChildren(header, thoughts, answer, footer);
  return { app, title, model, emulatorBadge, stop, copy, insert, replace, retry, action, status, thoughts, thoughtsSummary, thoughtsBody, thoughtsTail, answer, answerTail, notice, usage, error, errorMessage, history, historyList };
}

/** Title, badges, buttons, status, notices, usage and error for the current result (or none). */
export function renderChrome(e: Elements, current: Current | undefined): void {
  const result = current?.result;
  const status: AppStatusAttribute = result?.status ?? 'empty';
  e.app.dataset.status = status;
  e.title.textContent = result ? result.title : 'Gemini';
  e.model.textContent = result ? result.model : '';
  e.model.title = result ? `Model: ${result.model} · Source: ${result.sourceLabel}` : '';
  e.emulatorBadge.hidden = !result?.emulator;

  const streaming = status === 'streaming';
  const settled = status === 'done' || status === 'stopped' || status === 'error';
  const hasText = !!result && result.text.length > 0;
  e.stop.hidden = !streaming;
  e.stop.disabled = !!current?.stopRequested;
  e.copy.hidden = e.insert.hidden = e.replace.hidden = !(settled && hasText);
  e.retry.hidden = !(status === 'error' || status === 'stopped');
  e.answer.setAttribute('aria-busy', String(streaming));
  renderThinking(e, result);

  e.status.textContent = statusText(current);

  const notices = result && !streaming ? [describeFinishReason(result.finishReason), result.notice].filter((n): n is string => !!n) : [];
  e.notice.replaceChildren(...notices.map((text) => el(e.app.ownerDocument, 'p', {}, text)));
  e.notice.hidden = notices.length === 0;

  e.usage.textContent = result && settled && status !== 'error' ? usageText(result) : '';
  e.usage.hidden = e.usage.textContent === '';

  const error = status === 'error' ? result?.error : undefined;
  e.error.hidden = !error;
  e.errorMessage.textContent = error?.message ?? '';
  e.action.hidden = !error?.action;
  e.action.textContent = error?.action?.label ?? '';
  if (error?.action) e.action.setAttribute('aria-label', error.action.label);
}

/**
 * The Thinking section's visibility and summary line. Only the summary's text changes, and only when it differs:
 * the <details> element and its `open` state are the user's.
 */
export function renderThinking(e: Elements, result: StoredResult | undefined): void {
  e.thoughts.hidden = !result?.thoughts;
  const label = result?.thoughts ? thinkingSummary(result) : '';
  if (e.thoughtsSummary.textContent !== label) e.thoughtsSummary.textContent = label;
  e.thoughtsBody.setAttribute('aria-busy', String(result?.status === 'streaming' && result.thinkingMs === undefined));
}

/** The list of earlier results, newest first; the shown one is marked and does nothing when clicked. */
export function renderHistory(e: Elements, items: readonly HistoryItem[], currentId: string | undefined, onSelect: (id: string) => void): void {
  const doc = e.app.ownerDocument;
  e.history.hidden = items.length === 0;
  const summary = e.history.querySelector('summary');
  if (summary) summary.textContent = `Earlier results (${items.length})`;
  e.historyList.replaceChildren(
    ...[...items]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((item) => {
        const button = el(doc, 'button', { type: 'button', class: DOM_CLASSES.historyItem, 'data-id': item.id });
        const isCurrent = item.id === currentId;
        if (isCurrent) button.setAttribute('aria-current', 'true');
        button.append(
          el(doc, 'span', { class: 'history-title' }, item.title),
          el(doc, 'span', { class: 'history-meta' }, `${formatTime(item.createdAt)} · ${item.model} · ${STATUS_WORDS[item.status]}`),
        );
        if (!isCurrent) button.addEventListener('click', () => onSelect(item.id));
        return el(doc, 'li', {}, button);
      }),
  );
}

const STATUS_WORDS: Record<StoredResult['status'], string> = { streaming: 'generating', done: 'done', stopped: 'stopped', error: 'failed' };

function statusText(current: Current | undefined): string {
  if (!current) return 'No result yet. Select text and run “Gemini: Summarize Selection” or “Gemini: Generate from Selection”.';
  switch (current.result.status) {
    case 'streaming':
      return current.stopRequested ? 'Stopping…' : `Generating with ${current.result.model}…`;
    case 'done':
      return 'Done.';
    case 'stopped':
      return 'Stopped. The answer above is partial.';
    case 'error':
      return current.result.text ? 'Failed. The answer above is partial.' : 'Failed.';
  }
}

function usageText(result: StoredResult): string {
  const parts = [`Model: ${result.model}`];
  if (result.sourceLabel) parts.push(`Source: ${result.sourceLabel}`);
  const u = result.usage;
  if (u) {
    const count = (n: number) => n.toLocaleString('en-US');
    const thinking = u.thoughtsTokenCount ? ` + ${count(u.thoughtsTokenCount)} thinking` : '';
    parts.push(`Tokens: ${count(u.promptTokenCount)} prompt + ${count(u.candidatesTokenCount)} answer${thinking} = ${count(u.totalTokenCount)} total`);
  }
  return parts.join(' · ');
}

/** "Thinking…" while the model thinks; then how long it thought and how many tokens that took, as far as known. */
function thinkingSummary(result: StoredResult): string {
  if (result.status === 'streaming' && result.thinkingMs === undefined) return 'Thinking…';
  const parts: string[] = [];
  if (result.thinkingMs !== undefined) parts.push(`Thought for ${formatDuration(result.thinkingMs)}`);
  const tokens = result.usage?.thoughtsTokenCount;
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
