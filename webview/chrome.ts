// The page around the answer: header with title, model and badges, the toolbar, the status line, the Thinking
// section, the footer (notices, usage, error and its action) and the history of earlier results. Every string
// here is set with textContent; visibility uses the `hidden` attribute (CSP forbids inline styles).
//
// Stable DOM contract for end-to-end tests (change it only together with them):
//   #app[data-status]   empty | streaming | done | stopped | error
//   #app[data-result]   the id of the result shown (absent before any)
//   #title #model       result title and model (text)
//   #emulator-badge     "Local emulator" badge, [hidden] unless the source is the emulator
//   #toolbar            role=toolbar with real <button>s, hidden with the `hidden` attribute:
//     #stop             while streaming (Escape does the same)
//     #copy #insert #replace   once the answer has settled (done, stopped, error with partial text)
//     #retry            after an error or a stop
//   #status             role=status line ("Generating with …", "Done.", "Stopped. …", "Failed. …")
//   #thoughts           <details> "Thinking" section (collapsed; [hidden] without thoughts): #thoughts-summary
//                       ("Thinking…", then "Thought for 4 s · 812 thinking tokens") and #thoughts-body
//   #answer             the rendered answer: committed blocks, then #answer-tail (empty once settled)
//                       links: a.md-link[data-href] (no href; click or Enter posts openLink)
//   #notice             finishReason explanation / host notice, one <p> each
//   #usage              "Model: … · Source: … · Tokens: a prompt + b answer [+ t thinking] = c total" when done
//   #error              role=alert: #error-message, #action and #secondary-action (the error's buttons, if any)
//   #history            <details> with #history-list > li > button.history-item[data-id][aria-current] (rows
//                       only while it is open)

import { describeFinishReason } from '../src/shared/finishReason';
import type { ErrorButton, HistoryItem, StoredResult } from '../src/shared/protocol';
import type { Current } from './state';

export type Elements = ReturnType<typeof buildPage>;

/** Values of `data-status` on #app: the current result's status, or `empty` before any result. */
type AppStatusAttribute = StoredResult['status'] | 'empty';

export type ButtonAction = 'stop' | 'copy' | 'insert' | 'replace' | 'retry' | ErrorButton;

export function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, attributes: Record<string, string>, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = doc.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children); // strings become text nodes
  return element;
}

/** Builds the page into #app (created if the HTML lacks it); `onButton` gets every toolbar and error button click. */
export function buildPage(doc: Document, onButton: (action: ButtonAction) => void) {
  const e = (tag: keyof HTMLElementTagNameMap, attributes: Record<string, string>, ...children: (Node | string)[]) => el(doc, tag, attributes, ...children);
  const app = doc.getElementById('app') ?? doc.body.appendChild(e('div', { id: 'app', class: 'app' }));
  const button = (id: ButtonAction, label: string, ariaLabel: string, extraClass = '') => {
    const b = el(doc, 'button', { id, type: 'button', class: `button ${extraClass}`.trim(), 'aria-label': ariaLabel, title: ariaLabel }, label);
    b.addEventListener('click', () => onButton(id));
    return b;
  };

  const title = e('h1', { id: 'title', class: 'title' });
  const model = e('span', { id: 'model', class: 'model' });
  const emulatorBadge = e('span', { id: 'emulator-badge', class: 'badge badge-emulator', title: 'This answer comes from the local Gemini emulator, not from Google.' }, 'Local emulator');
  const stop = button('stop', 'Stop', 'Stop generating (Escape)', 'button-secondary');
  const copy = button('copy', 'Copy', 'Copy answer');
  const insert = button('insert', 'Insert at Cursor', 'Insert answer at cursor', 'button-secondary');
  const replace = button('replace', 'Replace Selection', 'Replace selection with answer', 'button-secondary');
  const retry = button('retry', 'Retry', 'Retry');
  const toolbar = e('div', { id: 'toolbar', class: 'toolbar', role: 'toolbar', 'aria-label': 'Result actions' }, stop, copy, insert, replace, retry);
  const status = e('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });

  const historyList = e('ul', { id: 'history-list', class: 'history-list' });
  const history = el(doc, 'details', { id: 'history', class: 'history' }, e('summary', {}, 'Earlier results'), historyList);
  const header = e('header', { class: 'header' }, e('div', { class: 'heading' }, title, e('div', { class: 'meta' }, model, emulatorBadge)), toolbar, status, history);

  // Collapsed by default: the answer is what the user came for; the thoughts are there to check how it got there.
  const thoughtsSummary = e('summary', { id: 'thoughts-summary', class: 'thoughts-summary' });
  const thoughtsTail = e('div', { id: 'thoughts-tail', class: 'answer-tail' });
  const thoughtsBody = e('div', { id: 'thoughts-body', class: 'thoughts-body markdown-body', role: 'region', 'aria-label': 'Thought summary', 'aria-busy': 'false' }, thoughtsTail);
  const thoughts = el(doc, 'details', { id: 'thoughts', class: 'thoughts', hidden: '' }, thoughtsSummary, thoughtsBody);

  const answerTail = e('div', { id: 'answer-tail', class: 'answer-tail' });
  const answer = e('main', { id: 'answer', class: 'answer markdown-body', 'aria-label': 'Answer', 'aria-busy': 'false' }, answerTail);

  const errorMessage = e('p', { id: 'error-message', class: 'error-message' });
  const errorButton = (which: ErrorButton, id: string, className: string) => {
    const b = el(doc, 'button', { id, type: 'button', class: className });
    b.addEventListener('click', () => onButton(which));
    return b;
  };
  const action = errorButton('action', 'action', 'button');
  const secondaryAction = errorButton('secondaryAction', 'secondary-action', 'button button-secondary');
  const error = e('div', { id: 'error', class: 'error', role: 'alert' }, errorMessage, e('div', { class: 'error-actions' }, action, secondaryAction));
  const notice = e('div', { id: 'notice', class: 'notice', role: 'note' });
  const usage = e('p', { id: 'usage', class: 'usage' });
  const footer = e('footer', { class: 'footer' }, notice, error, usage);

  app.replaceChildren(header, thoughts, answer, footer);
  return { app, title, model, emulatorBadge, stop, copy, insert, replace, retry, action, secondaryAction, status, thoughts, thoughtsSummary, thoughtsBody, thoughtsTail, answer, answerTail, notice, usage, error, errorMessage, history, historyList };
}

/** Title, badges, buttons, status, notices, usage and error for the current result (or none). */
export function renderChrome(e: Elements, current: Current | undefined): void {
  const result = current?.result;
  const status: AppStatusAttribute = result?.status ?? 'empty';
  e.app.dataset.status = status;
  if (result) e.app.dataset.result = result.id;
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
  for (const [button, action] of [[e.action, error?.action], [e.secondaryAction, error?.secondaryAction]] as const) {
    button.hidden = !action;
    button.textContent = action?.label ?? '';
    if (action) button.setAttribute('aria-label', action.label);
  }
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

/**
 * The list of earlier results, newest first; the shown one is marked and does nothing when clicked. Its rows are
 * built only while it is open: a new panel's first time format costs more than its first lines of answer.
 */
export function renderHistory(e: Elements, items: readonly HistoryItem[], currentId: string | undefined, onSelect: (id: string) => void): void {
  const doc = e.app.ownerDocument;
  e.history.hidden = items.length === 0;
  const summary = e.history.querySelector('summary');
  if (summary) summary.textContent = `Earlier results (${items.length})`;
  if (!e.history.open) return e.historyList.replaceChildren();
  e.historyList.replaceChildren(
    ...[...items]
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((item) => {
        const button = el(doc, 'button', { type: 'button', class: 'history-item', 'data-id': item.id });
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

// One formatter for every history row: toLocaleTimeString with options builds a new one per call.
let timeFormat: Intl.DateTimeFormat | undefined;

function formatTime(epochMs: number): string {
  const date = new Date(epochMs);
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}
