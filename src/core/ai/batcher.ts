// Coalesces streamed text into few webview messages. Each postMessage costs tens of milliseconds in a
// loaded host, so a 1 MB answer in 2,000 SSE frames must not become 2,000 messages: text is flushed at most
// once per interval, or at once when a lot is pending, and always at the end (`flush()`).

export interface BatcherOptions {
  /** Minimum time between two flushes while text keeps arriving (default 50 ms). */
  readonly intervalMs?: number;
  /**
   * Flush immediately once this many characters are pending (default 256 Ki). Each message is a render in the
   * webview, with a cost of its own: a 1 MB answer arriving at once is shown sooner in four messages than in
   * sixteen (measured by `npm run bench`, figure 4).
   */
  readonly maxPendingChars?: number;
  /** Largest text handed to `sink` at once; a bigger pending text is split (default 1,000,000). */
  readonly maxChunkChars?: number;
  readonly now?: () => number;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
}

export class AppendBatcher {
  private pending = '';
  private timer: unknown;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private readonly o: Required<BatcherOptions>;
  /** How many times `sink` was called. */
  flushes = 0;

  constructor(
    private readonly sink: (text: string) => void,
    options: BatcherOptions = {},
  ) {
    this.o = {
      intervalMs: 50,
      maxPendingChars: 256 * 1024,
      maxChunkChars: 1_000_000,
      now: Date.now,
      setTimer: (cb, ms) => setTimeout(cb, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  push(text: string): void {
    if (this.disposed || !text) return;
    this.pending += text;
    if (this.pending.length >= this.o.maxPendingChars) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      const wait = Math.max(0, this.lastFlush + this.o.intervalMs - this.o.now());
      this.timer = this.o.setTimer(() => {
        this.timer = undefined;
        this.flush();
      }, wait);
    }
  }

  /** Hands everything pending to the sink now. */
  flush(): void {
    this.cancelTimer();
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    this.lastFlush = this.o.now();
    const chunk = Math.max(1, this.o.maxChunkChars);
    for (let i = 0; i < text.length; i += chunk) {
      this.flushes++;
      this.sink(text.slice(i, i + chunk));
    }
  }

  /** Forgets pending text and sends nothing more. */
  dispose(): void {
    this.cancelTimer();
    this.pending = '';
    this.disposed = true;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      this.o.clearTimer(this.timer);
      this.timer = undefined;
    }
  }
}
