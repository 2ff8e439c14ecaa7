import * as assert from 'node:assert/strict';
import { GeminiError } from '../../../src/core/gemini/errors';
import { abortableSleep, resolveRetryOptions, retryDelay } from '../../../src/core/gemini/retry';

const retryable = (retryAfterMs?: number) => new GeminiError({ kind: 'server', message: 'x', retryable: true, retryAfterMs });

describe('retry policy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    const lo = resolveRetryOptions({ random: () => 0, baseDelayMs: 500, maxDelayMs: 3000, maxRetries: 10 });
    const hi = resolveRetryOptions({ random: () => 0.999999, baseDelayMs: 500, maxDelayMs: 3000, maxRetries: 10 });
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => retryDelay(retryable(), n, lo)), [250, 500, 1000, 1500, 1500]);
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => retryDelay(retryable(), n, hi)), [500, 1000, 2000, 3000, 3000]);
  });

  it('stops after maxRetries and never retries a non-retryable error', () => {
    const o = resolveRetryOptions({ maxRetries: 2, random: () => 0 });
    assert.notEqual(retryDelay(retryable(), 1, o), undefined);
    assert.equal(retryDelay(retryable(), 2, o), undefined);
    assert.equal(retryDelay(new GeminiError({ kind: 'badRequest', message: 'x' }), 0, o), undefined);
  });

  it('waits at least what the server asks, gives up if that is longer than the cap', () => {
    const o = resolveRetryOptions({ random: () => 0.999, maxDelayMs: 30_000 });
    const d = retryDelay(retryable(22_000), 0, o)!;
    assert.ok(d >= 22_000 && d <= 23_000, String(d));
    assert.equal(retryDelay(retryable(0), 0, resolveRetryOptions({ random: () => 0 })), 0);
    assert.equal(retryDelay(retryable(31_000), 0, o), undefined);
  });

  it('abortableSleep resolves, and rejects with cancelled at once on abort', async () => {
    await abortableSleep(5);
    const controller = new AbortController();
    const started = Date.now();
    const p = abortableSleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(p, (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
    assert.ok(Date.now() - started < 1000);
    await assert.rejects(abortableSleep(10, controller.signal), (e: unknown) => e instanceof GeminiError && e.kind === 'cancelled');
  });
});
