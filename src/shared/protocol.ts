// The one message protocol between the extension host and the results webview (viewType `gemini.result`).
// Both sides import these types. Only what crosses the trust boundary is validated, once, on the host: messages
// and saved state from the webview (a web page showing untrusted model output). The webview trusts the host's
// messages, and the host alone enforces `LIMITS`.
//
// Conversation:
//   webview → host  `ready` once its script runs (with `restoredId` after a reload or re-show); the host
//                   answers with `history` and, if it has one, `show` for that id (or the latest result).
//   host → webview  `start` → `append`* → `done` | `error`   (one result streaming; an `append` carries answer
//                   text and/or thought-summary text, which the webview renders apart)
//                   `show`  (switch to / restore a stored result, streaming or not)  `history` (the list)
//   webview → host  `stop` `copy` `insert` `replace` `retry` `action` `select` `openLink`
// The webview renders only the result it shows: `append`/`done`/`error` for another id are ignored there,
// so the host keeps the full text of every result and sends `show` when the user selects one.

import { isAllowedLinkHref } from './links';

/** Lengths beyond which a message is refused (not truncated). */
export const LIMITS = {
  title: 500,
  model: 200,
  sourceLabel: 200,
  message: 4000,
  label: 100,
  finishReason: 64,
  notice: 1000,
  /** One `append`: the host batches deltas, but never this much at once. */
  appendText: 1_000_000,
  /** A whole stored answer. */
  resultText: 4_000_000,
  /** A whole stored thought summary. */
  thoughtsText: 1_000_000,
  historyItems: 200,
} as const;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export type ResultStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** An error's two buttons; the host keeps what each does, the webview only says which was pressed. */
export type ErrorButton = 'action' | 'secondaryAction';

export interface TokenUsage {
  readonly promptTokenCount: number;
  /** The answer's tokens (Gemini counts thinking apart). */
  readonly candidatesTokenCount: number;
  readonly totalTokenCount: number;
  /** Thinking tokens of a thinking model. */
  readonly thoughtsTokenCount?: number;
}

export interface ResultError {
  readonly message: string;
  readonly action?: { readonly label: string };
  /** A second button after `action`. */
  readonly secondaryAction?: { readonly label: string };
}

/** Everything needed to show a result again; also what the webview keeps in its state (text, never HTML). */
export interface StoredResult {
  readonly id: string;
  readonly title: string;
  readonly model: string;
  readonly sourceLabel: string;
  /** The answer comes from the local emulator, not Google: the panel shows a badge. */
  readonly emulator: boolean;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly status: ResultStatus;
  /** The Markdown answer as received so far (never the thoughts). */
  readonly text: string;
  /** A thinking model's thought summary (Markdown), kept apart from the answer. */
  readonly thoughts?: string;
  /** How long the model thought: from the request until the answer began (or the stream ended). */
  readonly thinkingMs?: number;
  readonly usage?: TokenUsage;
  /** Gemini's finishReason; anything but STOP is explained to the user. */
  readonly finishReason?: string;
  /** An extra line for the user, e.g. why the prompt was blocked. */
  readonly notice?: string;
  readonly error?: ResultError;
}

export type HistoryItem = Pick<StoredResult, 'id' | 'title' | 'model' | 'createdAt' | 'status'>;

// ---- host → webview ----

export interface StartMessage extends Pick<StoredResult, 'id' | 'title' | 'model' | 'sourceLabel' | 'emulator' | 'createdAt'> {
  readonly type: 'start';
}
export interface AppendMessage extends Pick<StoredResult, 'id' | 'thoughts'> {
  readonly type: 'append';
  /** More of the answer (may be empty when only thoughts arrived); `thoughts`: more of the thought summary. */
  readonly text: string;
  /** Set once the thinking has ended (the answer began). */
  readonly thinkingMs?: number;
}
export interface DoneMessage extends Pick<StoredResult, 'id' | 'model' | 'usage' | 'finishReason' | 'notice' | 'thinkingMs'> {
  readonly type: 'done';
  /** True when the user stopped the stream (the answer is partial on purpose). */
  readonly stopped?: boolean;
}
export interface ErrorMessage extends ResultError {
  readonly type: 'error';
  readonly id: string;
}
export interface HistoryMessage {
  readonly type: 'history';
  readonly items: readonly HistoryItem[];
}
export interface ShowMessage {
  readonly type: 'show';
  readonly result: StoredResult;
}

export type HostMessage = StartMessage | AppendMessage | DoneMessage | ErrorMessage | HistoryMessage | ShowMessage;

// ---- webview → host ----

export interface ReadyMessage {
  readonly type: 'ready';
  /** The result the webview restored from its saved state, if any. */
  readonly restoredId?: string;
}
export interface ResultCommandMessage {
  readonly type: 'stop' | 'copy' | 'insert' | 'replace' | 'retry' | 'select';
  readonly id: string;
}
export interface OpenLinkMessage {
  readonly type: 'openLink';
  /** Always passes `isAllowedLinkHref`; the host still opens it through VS Code's own confirmation. */
  readonly href: string;
}
export interface ActionMessage {
  readonly type: 'action';
  readonly id: string;
  readonly button: ErrorButton;
}

export type WebviewMessage = ReadyMessage | ResultCommandMessage | OpenLinkMessage | ActionMessage;

// ---- validation of what the webview sends ----

type Fields = Record<string, unknown>;

/** A JSON object (what `postMessage` and `setState` deliver) with the required keys and no others. */
function record(value: unknown, required: readonly string[], optional: readonly string[] = []): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (!required.every((key) => keys.includes(key)) || !keys.every((key) => required.includes(key) || optional.includes(key))) return undefined;
  return value as Fields;
}

const str = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isStatus = (value: unknown): value is ResultStatus => ['streaming', 'done', 'stopped', 'error'].includes(value as ResultStatus);

function isResultId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isUsage(value: unknown): value is TokenUsage {
  const o = record(value, ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount'], ['thoughtsTokenCount']);
  return !!o && isCount(o.promptTokenCount) && isCount(o.candidatesTokenCount) && isCount(o.totalTokenCount) && (o.thoughtsTokenCount === undefined || isCount(o.thoughtsTokenCount));
}

function isAction(value: unknown): value is ResultError['action'] {
  const o = record(value, ['label']);
  return !!o && str(o.label, LIMITS.label) && o.label !== '';
}

function isResultError(value: unknown): value is ResultError {
  const o = record(value, ['message'], ['action', 'secondaryAction']);
  return !!o && str(o.message, LIMITS.message) && (o.action === undefined || isAction(o.action)) && (o.secondaryAction === undefined || isAction(o.secondaryAction));
}

export function parseHistoryItem(value: unknown): HistoryItem | undefined {
  const o = record(value, ['id', 'title', 'model', 'createdAt', 'status']);
  return o && isResultId(o.id) && str(o.title, LIMITS.title) && str(o.model, LIMITS.model) && isTime(o.createdAt) && isStatus(o.status) ? (o as unknown as HistoryItem) : undefined;
}

/** A result as the webview saved it; anything unexpected gives `undefined`. */
export function parseStoredResult(value: unknown): StoredResult | undefined {
  const o = record(value, ['id', 'title', 'model', 'sourceLabel', 'emulator', 'createdAt', 'status', 'text'], ['thoughts', 'thinkingMs', 'usage', 'finishReason', 'notice', 'error']);
  const valid =
    !!o &&
    parseHistoryItem({ id: o.id, title: o.title, model: o.model, createdAt: o.createdAt, status: o.status }) !== undefined &&
    str(o.sourceLabel, LIMITS.sourceLabel) &&
    typeof o.emulator === 'boolean' &&
    str(o.text, LIMITS.resultText) &&
    (o.thoughts === undefined || str(o.thoughts, LIMITS.thoughtsText)) &&
    (o.thinkingMs === undefined || isTime(o.thinkingMs)) &&
    (o.usage === undefined || isUsage(o.usage)) &&
    (o.finishReason === undefined || str(o.finishReason, LIMITS.finishReason)) &&
    (o.notice === undefined || str(o.notice, LIMITS.notice)) &&
    (o.error === undefined || isResultError(o.error));
  return valid ? (o as unknown as StoredResult) : undefined;
}

const RESULT_COMMANDS: readonly string[] = ['stop', 'copy', 'insert', 'replace', 'retry', 'select'];

/**
 * Accepts exactly the closed set of webview → host messages with correctly typed fields and nothing else.
 * Anything else gives `undefined`: the host logs and drops it.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'ready') {
    const o = record(value, ['type'], ['restoredId']);
    return o && (o.restoredId === undefined || isResultId(o.restoredId)) ? (o as unknown as ReadyMessage) : undefined;
  }
  if (typeof type === 'string' && RESULT_COMMANDS.includes(type)) {
    const o = record(value, ['type', 'id']);
    return o && isResultId(o.id) ? (o as unknown as ResultCommandMessage) : undefined;
  }
  if (type === 'openLink') {
    const o = record(value, ['type', 'href']);
    return o && isAllowedLinkHref(o.href) ? (o as unknown as OpenLinkMessage) : undefined;
  }
  if (type === 'action') {
    const o = record(value, ['type', 'id', 'button']);
    return o && isResultId(o.id) && (o.button === 'action' || o.button === 'secondaryAction') ? (o as unknown as ActionMessage) : undefined;
  }
  return undefined;
}

// ---- webview state (getState/setState), also what the panel serializer receives ----

export const WEBVIEW_STATE_VERSION = 1;

export interface WebviewState {
  readonly version: typeof WEBVIEW_STATE_VERSION;
  readonly current?: StoredResult;
  readonly history: readonly HistoryItem[];
}

/** Reads a saved webview state; anything unexpected (an older version, a bad field) gives `undefined`. */
export function parseWebviewState(value: unknown): WebviewState | undefined {
  const o = record(value, ['version', 'history'], ['current']);
  if (!o || o.version !== WEBVIEW_STATE_VERSION || !Array.isArray(o.history) || o.history.length > LIMITS.historyItems) return undefined;
  if (!o.history.every((item) => parseHistoryItem(item))) return undefined;
  if (o.current !== undefined && !parseStoredResult(o.current)) return undefined;
  return o as unknown as WebviewState;
}
