// Retry policy: capped, jittered exponential backoff for 429, 500/502/503/504 and network errors,
// honouring the wait Google asks for (RetryInfo.retryDelay or Retry-After). If Google asks for a wait
// longer than `maxDelayMs`, we give up at once and let the quota message say when to try again.
// This is the only module allowed to use Math.random (jitter needs no unpredictability, only spread).

import { GeminiError, cancelledError } from './errors';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** First backoff step. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest single wait; a longer server-requested wait means "give up". Default 30 s. */
  maxDelayMs?: number;
  /** [0, 1) source for jitter. Default Math.random. */
  random?: () => number;
  /** Abortable sleep. Default a timer that rejects with a `cancelled` GeminiError on abort. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxRetries: options.maxRetries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    random: options.random ?? Math.random,
    sleep: options.sleep ?? abortableSleep,
  };
}

/** How long to wait before retry number `retriesSoFar + 1`, or undefined to give up. */
export function retryDelay(error: GeminiError, retriesSoFar: number, options: ResolvedRetryOptions): number | undefined {
  if (!error.retryable || retriesSoFar >= options.maxRetries) return undefined;
  const requested = error.retryAfterMs;
  if (requested !== undefined) {
    if (requested > options.maxDelayMs) return undefined;
    // Never earlier than asked; spread a little so many windows do not retry in lockstep.
    const spread = Math.min(1000, requested * 0.1);
    return Math.min(options.maxDelayMs, Math.round(requested + options.random() * spread));
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retriesSoFar);
  // "Equal jitter": half fixed, half random.
  return Math.round(ceiling / 2 + (options.random() * ceiling) / 2);
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
