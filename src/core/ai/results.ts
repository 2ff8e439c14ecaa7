// The host-side model of the results panel: every result of the session with its full text (the webview only
// renders the one it shows), the history list, and the conversions to the protocol's shapes. Pure.

import type { UsageMetadata } from '../gemini/types';
import { LIMITS, type HistoryItem, type StoredResult, type TokenUsage } from '../../shared/protocol';
import { truncate } from '../common/text';

type Fixed = 'id' | 'title' | 'sourceLabel' | 'emulator' | 'createdAt';

/** A result as the host keeps it: the protocol's shape, the rest changing while it streams. */
export interface ResultRecord extends Pick<StoredResult, Fixed>, Mutable<Omit<StoredResult, Fixed | 'thoughts'>> {
  /** The thought summary of a thinking model, kept apart from the answer (`text`). */
  thoughts: string;
  /** Characters of `text` and of `thoughts` the webview has been sent (by append or show). */
  sentChars: number;
  sentThoughtChars: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type NewResult = Pick<ResultRecord, 'id' | 'title' | 'model' | 'sourceLabel' | 'emulator' | 'createdAt'>;

/**
 * Every result of the session, by id, the oldest finished ones dropped beyond `max`. `R` adds what the host keeps
 * per result (its request, its buttons), so all of it leaves together.
 */
export class ResultStore<R extends ResultRecord = ResultRecord> {
  private readonly results = new Map<string, R>();

  constructor(private readonly max: number = LIMITS.historyItems) {}

  add(init: NewResult): R {
    const record = { ...clip(init), status: 'streaming', text: '', thoughts: '', sentChars: 0, sentThoughtChars: 0 } as R;
    this.results.set(record.id, record);
    this.evict();
    return record;
  }

  /**
   * A result the webview kept in its state across a reload; one that was still streaming is marked stopped. An
   * error keeps its message but not its buttons: what they did was known only to the window that showed them.
   */
  restore(stored: StoredResult): R {
    const interrupted = stored.status === 'streaming';
    const record = {
      ...stored,
      ...(stored.error && { error: { message: stored.error.message } }),
      thoughts: stored.thoughts ?? '',
      status: interrupted ? 'stopped' : stored.status,
      ...(interrupted && { notice: 'The window was reloaded while this answer was streaming; it is incomplete.' }),
      sentChars: stored.text.length,
      sentThoughtChars: stored.thoughts?.length ?? 0,
    } as R;
    this.results.set(record.id, record);
    this.evict();
    return record;
  }

  get(id: string): R | undefined {
    return this.results.get(id);
  }

  latest(): R | undefined {
    let latest: R | undefined;
    for (const r of this.results.values()) if (!latest || r.createdAt >= latest.createdAt) latest = r;
    return latest;
  }

  all(): R[] {
    return [...this.results.values()];
  }

  historyItems(): HistoryItem[] {
    return this.all().map((r) => ({ id: r.id, title: r.title, model: r.model, createdAt: r.createdAt, status: r.status }));
  }

  private evict(): void {
    while (this.results.size > this.max) {
      const oldest = this.all()
        .filter((r) => r.status !== 'streaming')
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!oldest) return;
      this.results.delete(oldest.id);
    }
  }
}

function clip(init: NewResult): NewResult {
  return {
    ...init,
    title: truncate(init.title, LIMITS.title),
    model: truncate(init.model, LIMITS.model),
    sourceLabel: truncate(init.sourceLabel, LIMITS.sourceLabel),
  };
}

/** The protocol's view of a result (for `show` and the webview state). */
export function toStoredResult(r: ResultRecord): StoredResult {
  return {
    id: r.id,
    title: r.title,
    model: r.model,
    sourceLabel: r.sourceLabel,
    emulator: r.emulator,
    createdAt: r.createdAt,
    status: r.status,
    text: r.text,
    ...(r.thoughts && { thoughts: r.thoughts }),
    ...(r.thinkingMs !== undefined && { thinkingMs: r.thinkingMs }),
    ...(r.usage && { usage: r.usage }),
    ...(r.finishReason !== undefined && { finishReason: truncate(r.finishReason, LIMITS.finishReason) }),
    ...(r.notice !== undefined && { notice: truncate(r.notice, LIMITS.notice) }),
    ...(r.error && { error: { ...r.error, message: truncate(r.error.message, LIMITS.message) } }),
  };
}

/**
 * Gemini's usage block as the protocol's counts; undefined unless at least one count is there. Gemini counts
 * thinking apart from the answer (`candidatesTokenCount`) and includes it in the total.
 */
export function toTokenUsage(usage: UsageMetadata | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  if (usage.promptTokenCount === undefined && usage.candidatesTokenCount === undefined && usage.totalTokenCount === undefined) return undefined;
  const prompt = n(usage.promptTokenCount);
  const candidates = n(usage.candidatesTokenCount);
  const thoughts = n(usage.thoughtsTokenCount);
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: n(usage.totalTokenCount) || prompt + candidates + thoughts,
    ...(thoughts > 0 && { thoughtsTokenCount: thoughts }),
  };
}
