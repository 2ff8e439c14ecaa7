// The one message protocol between the extension host and the results webview (viewType `gemini.result`).
// Both sides import these types; each side validates what it receives with the parser for that direction,
// because a webview is a web page: the host must treat what it posts as untrusted, and the webview checks
// the host's messages so a bug on one side shows up as a dropped message, not as a broken page.
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
  id: 64,
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
export const RESULT_STATUSES: readonly ResultStatus[] = ['streaming', 'done', 'stopped', 'error'];

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

export interface ErrorAction {
  readonly label: string;
}

export interface ResultError {
  readonly message: string;
  readonly action?: ErrorAction;
  /** A second button after `action`. */
  readonly secondaryAction?: ErrorAction;
}

export interface HistoryItem {
  readonly id: string;
  readonly title: string;
  readonly model: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly status: ResultStatus;
}

/** Everything needed to show a result again; also what the webview keeps in its state (text, never HTML). */
export interface StoredResult {
  readonly id: string;
  readonly title: string;
  readonly model: string;
  readonly sourceLabel: string;
  /** The answer comes from the local emulator, not Google: the panel shows a badge. */
  readonly emulator: boolean;
  readonly createdAt: number;
  readonly status: ResultStatus;
  /** The Markdown answer as received so far (never the thoughts). */
  readonly text: string;
  /** A thinking model's thought summary (Markdown), kept apart from the answer. */
  readonly thoughts?: string;
  /** How long the model thought: from the request until the answer began (or the stream ended). */
  readonly thinkingMs?: number;
  readonly usage?: TokenUsage;
  readonly finishReason?: string;
  readonly notice?: string;
  readonly error?: ResultError;
}

// ---- host → webview ----

export interface StartMessage {
  readonly type: 'start';
  readonly id: string;
  readonly title: string;
  readonly model: string;
  readonly sourceLabel: string;
  readonly emulator: boolean;
  /** Epoch milliseconds; the webview uses its clock when absent. */
  readonly createdAt?: number;
}
export interface AppendMessage {
  readonly type: 'append';
  readonly id: string;
  /** More of the answer (may be empty when only thoughts arrived). */
  readonly text: string;
  /** More of the thought summary. */
  readonly thoughts?: string;
  /** Set once the thinking has ended (the answer began). */
  readonly thinkingMs?: number;
}
export interface DoneMessage {
  readonly type: 'done';
  readonly id: string;
  readonly model: string;
  readonly usage?: TokenUsage;
  /** Gemini's finishReason; anything but STOP is explained to the user. */
  readonly finishReason?: string;
  /** An extra line for the user, e.g. why the prompt was blocked. */
  readonly notice?: string;
  /** True when the user stopped the stream (the answer is partial on purpose). */
  readonly stopped?: boolean;
  readonly thinkingMs?: number;
}
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: string;
  readonly message: string;
  readonly action?: ErrorAction;
  readonly secondaryAction?: ErrorAction;
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

// ---- validation ----

type Fields = Record<string, unknown>;

/** A plain data object with exactly the listed keys (required ones present, optional ones allowed). */
function record(value: unknown, required: readonly string[], optional: readonly string[] = []): Fields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const keys = Object.keys(value);
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  for (const key of keys) {
    if (!required.includes(key) && !optional.includes(key)) return undefined;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor)) return undefined; // no getters
  }
  for (const key of required) if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
  return value as Fields;
}

function str(value: unknown, max: number, allowEmpty = true): value is string {
  return typeof value === 'string' && value.length <= max && (allowEmpty || value.length > 0);
}

export function isResultId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** A duration in milliseconds, up to a day. */
function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 86_400_000;
}

function isTimestamp(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 8.64e15;
}

function isStatus(value: unknown): value is ResultStatus {
  return typeof value === 'string' && (RESULT_STATUSES as readonly string[]).includes(value);
}

function parseUsage(value: unknown): TokenUsage | undefined {
  const o = record(value, ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount'], ['thoughtsTokenCount']);
  if (!o || !isCount(o.promptTokenCount) || !isCount(o.candidatesTokenCount) || !isCount(o.totalTokenCount)) return undefined;
  if (o.thoughtsTokenCount !== undefined && !isCount(o.thoughtsTokenCount)) return undefined;
  return {
    promptTokenCount: o.promptTokenCount,
    candidatesTokenCount: o.candidatesTokenCount,
    totalTokenCount: o.totalTokenCount,
    ...(o.thoughtsTokenCount !== undefined && { thoughtsTokenCount: o.thoughtsTokenCount }),
  };
}

function parseAction(value: unknown): ErrorAction | undefined {
  const o = record(value, ['label']);
  return o && str(o.label, LIMITS.label, false) ? { label: o.label } : undefined;
}

function parseResultError(value: unknown): ResultError | undefined {
  const o = record(value, ['message'], ['action', 'secondaryAction']);
  if (!o || !str(o.message, LIMITS.message)) return undefined;
  const action = optional(o.action, parseAction);
  const secondaryAction = optional(o.secondaryAction, parseAction);
  if (!action.ok || !secondaryAction.ok) return undefined;
  return { message: o.message, ...(action.value && { action: action.value }), ...(secondaryAction.value && { secondaryAction: secondaryAction.value }) };
}

/** Optional field: absent/undefined is fine, present must parse. Returns false when present but invalid. */
function optional<T>(value: unknown, parse: (v: unknown) => T | undefined): { ok: true; value: T | undefined } | { ok: false } {
  if (value === undefined) return { ok: true, value: undefined };
  const parsed = parse(value);
  return parsed === undefined ? { ok: false } : { ok: true, value: parsed };
}

const optionalString = (max: number) => (v: unknown) => (str(v, max) ? v : undefined);
const optionalDuration = (v: unknown) => (isDuration(v) ? v : undefined);

export function parseHistoryItem(value: unknown): HistoryItem | undefined {
  const o = record(value, ['id', 'title', 'model', 'createdAt', 'status']);
  if (!o || !isResultId(o.id) || !str(o.title, LIMITS.title) || !str(o.model, LIMITS.model) || !isTimestamp(o.createdAt) || !isStatus(o.status)) return undefined;
  return { id: o.id, title: o.title, model: o.model, createdAt: o.createdAt, status: o.status };
}

export function parseStoredResult(value: unknown): StoredResult | undefined {
  const o = record(value, ['id', 'title', 'model', 'sourceLabel', 'emulator', 'createdAt', 'status', 'text'], ['thoughts', 'thinkingMs', 'usage', 'finishReason', 'notice', 'error']);
  if (!o || !isResultId(o.id) || !str(o.title, LIMITS.title) || !str(o.model, LIMITS.model) || !str(o.sourceLabel, LIMITS.sourceLabel)) return undefined;
  if (typeof o.emulator !== 'boolean' || !isTimestamp(o.createdAt) || !isStatus(o.status) || !str(o.text, LIMITS.resultText)) return undefined;
  const thoughts = optional(o.thoughts, optionalString(LIMITS.thoughtsText));
  const thinkingMs = optional(o.thinkingMs, optionalDuration);
  const usage = optional(o.usage, parseUsage);
  const finishReason = optional(o.finishReason, optionalString(LIMITS.finishReason));
  const notice = optional(o.notice, optionalString(LIMITS.notice));
  const error = optional(o.error, parseResultError);
  if (!thoughts.ok || !thinkingMs.ok || !usage.ok || !finishReason.ok || !notice.ok || !error.ok) return undefined;
  return {
    id: o.id,
    title: o.title,
    model: o.model,
    sourceLabel: o.sourceLabel,
    emulator: o.emulator,
    createdAt: o.createdAt,
    status: o.status,
    text: o.text,
    ...(thoughts.value !== undefined && { thoughts: thoughts.value }),
    ...(thinkingMs.value !== undefined && { thinkingMs: thinkingMs.value }),
    ...(usage.value && { usage: usage.value }),
    ...(finishReason.value !== undefined && { finishReason: finishReason.value }),
    ...(notice.value !== undefined && { notice: notice.value }),
    ...(error.value && { error: error.value }),
  };
}

const RESULT_COMMANDS = new Set<string>(['stop', 'copy', 'insert', 'replace', 'retry', 'select']);

/**
 * Accepts exactly the closed set of webview → host messages with correctly typed fields and nothing else;
 * returns a fresh object (never the input). Anything else gives `undefined`: the host logs and drops it.
 */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') return undefined;
  if (type === 'ready') {
    const o = record(value, ['type'], ['restoredId']);
    if (!o) return undefined;
    if (o.restoredId === undefined) return { type };
    return isResultId(o.restoredId) ? { type, restoredId: o.restoredId } : undefined;
  }
  if (RESULT_COMMANDS.has(type)) {
    const o = record(value, ['type', 'id']);
    return o && isResultId(o.id) ? { type: type as ResultCommandMessage['type'], id: o.id } : undefined;
  }
  if (type === 'openLink') {
    const o = record(value, ['type', 'href']);
    return o && isAllowedLinkHref(o.href) ? { type, href: o.href } : undefined;
  }
  if (type === 'action') {
    const o = record(value, ['type', 'id', 'button']);
    return o && isResultId(o.id) && (o.button === 'action' || o.button === 'secondaryAction') ? { type, id: o.id, button: o.button } : undefined;
  }
  return undefined;
}

/** The webview's check of host → webview messages; same rules as `parseWebviewMessage`. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  switch (type) {
    case 'start': {
      const o = record(value, ['type', 'id', 'title', 'model', 'sourceLabel', 'emulator'], ['createdAt']);
      if (!o || !isResultId(o.id) || !str(o.title, LIMITS.title) || !str(o.model, LIMITS.model) || !str(o.sourceLabel, LIMITS.sourceLabel) || typeof o.emulator !== 'boolean') return undefined;
      if (o.createdAt !== undefined && !isTimestamp(o.createdAt)) return undefined;
      return { type, id: o.id, title: o.title, model: o.model, sourceLabel: o.sourceLabel, emulator: o.emulator, ...(o.createdAt !== undefined && { createdAt: o.createdAt }) };
    }
    case 'append': {
      const o = record(value, ['type', 'id', 'text'], ['thoughts', 'thinkingMs']);
      if (!o || !isResultId(o.id) || !str(o.text, LIMITS.appendText)) return undefined;
      const thoughts = optional(o.thoughts, optionalString(LIMITS.appendText));
      const thinkingMs = optional(o.thinkingMs, optionalDuration);
      if (!thoughts.ok || !thinkingMs.ok) return undefined;
      return {
        type,
        id: o.id,
        text: o.text,
        ...(thoughts.value !== undefined && { thoughts: thoughts.value }),
        ...(thinkingMs.value !== undefined && { thinkingMs: thinkingMs.value }),
      };
    }
    case 'done': {
      const o = record(value, ['type', 'id', 'model'], ['usage', 'finishReason', 'notice', 'stopped', 'thinkingMs']);
      if (!o || !isResultId(o.id) || !str(o.model, LIMITS.model)) return undefined;
      const usage = optional(o.usage, parseUsage);
      const finishReason = optional(o.finishReason, optionalString(LIMITS.finishReason));
      const notice = optional(o.notice, optionalString(LIMITS.notice));
      const stopped = optional(o.stopped, (v) => (typeof v === 'boolean' ? v : undefined));
      const thinkingMs = optional(o.thinkingMs, optionalDuration);
      if (!usage.ok || !finishReason.ok || !notice.ok || !stopped.ok || !thinkingMs.ok) return undefined;
      return {
        type,
        id: o.id,
        model: o.model,
        ...(usage.value && { usage: usage.value }),
        ...(finishReason.value !== undefined && { finishReason: finishReason.value }),
        ...(notice.value !== undefined && { notice: notice.value }),
        ...(stopped.value !== undefined && { stopped: stopped.value }),
        ...(thinkingMs.value !== undefined && { thinkingMs: thinkingMs.value }),
      };
    }
    case 'error': {
      const o = record(value, ['type', 'id', 'message'], ['action', 'secondaryAction']);
      if (!o || !isResultId(o.id)) return undefined;
      const error = parseResultError({ message: o.message, ...(o.action !== undefined && { action: o.action }), ...(o.secondaryAction !== undefined && { secondaryAction: o.secondaryAction }) });
      return error ? { type, id: o.id, ...error } : undefined;
    }
    case 'history': {
      const o = record(value, ['type', 'items']);
      if (!o || !Array.isArray(o.items) || o.items.length > LIMITS.historyItems) return undefined;
      const items: HistoryItem[] = [];
      for (const raw of o.items as unknown[]) {
        const item = parseHistoryItem(raw);
        if (!item) return undefined;
        items.push(item);
      }
      return { type, items };
    }
    case 'show': {
      const o = record(value, ['type', 'result']);
      const result = o && parseStoredResult(o.result);
      return result ? { type, result } : undefined;
    }
    default:
      return undefined;
  }
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
  if (!o || o.version !== WEBVIEW_STATE_VERSION) return undefined;
  const history = parseHostMessage({ type: 'history', items: o.history });
  if (!history || history.type !== 'history') return undefined;
  if (o.current === undefined) return { version: WEBVIEW_STATE_VERSION, history: history.items };
  const current = parseStoredResult(o.current);
  return current ? { version: WEBVIEW_STATE_VERSION, current, history: history.items } : undefined;
}
