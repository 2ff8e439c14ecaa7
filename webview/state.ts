// What the panel shows, kept as one value, and how it is saved with setState: the stored result (text, never
// HTML) and the history, throttled while an answer streams in.

import { WEBVIEW_STATE_VERSION, type HistoryItem, type StoredResult, type WebviewState } from '../src/shared/protocol';
import type { IncrementalResult } from './render/pacing';
import type { WebviewApi } from './vscodeApi';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface Current {
  /** The result as it is stored, saved and restored; the answer and thoughts grow as they arrive. */
  readonly result: Mutable<StoredResult>;
  /** Renders thoughts and answer apart; holds the text received but not yet rendered. */
  readonly view: IncrementalResult;
  stopRequested: boolean;
}

export function historyItem({ id, title, model, createdAt, status }: StoredResult): HistoryItem {
  return { id, title, model, createdAt, status };
}

export class StateSaver {
  private lastSave = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: WebviewApi,
    private readonly now: () => number,
    /** Minimum time between two setState calls while streaming (the text can be large). */
    private readonly intervalMs: number,
    private readonly state: () => { current?: StoredResult; history: readonly HistoryItem[] },
  ) {}

  saveNow(): void {
    this.dispose();
    this.lastSave = this.now();
    const { current, history } = this.state();
    const saved: WebviewState = { version: WEBVIEW_STATE_VERSION, history, ...(current && { current }) };
    this.api.setState(saved);
  }

  saveSoon(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.saveNow(), Math.max(0, this.lastSave + this.intervalMs - this.now()));
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
