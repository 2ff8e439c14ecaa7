import * as assert from 'node:assert/strict';
import { AppendBatcher } from '../../../src/core/ai/batcher';

/** A manual clock and timer queue, so time passes only when the test says so. */
class Clock {
  now = 0;
  private timers: { at: number; cb: () => void; id: number }[] = [];
  private nextId = 1;
  set = (cb: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.now + ms, cb, id });
    return id;
  };
  clear = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.cb();
    }
    this.now = until;
  }
}

function setup(options: { intervalMs?: number; maxPendingChars?: number; maxChunkChars?: number } = {}) {
  const clock = new Clock();
  const sent: string[] = [];
  const batcher = new AppendBatcher((t) => sent.push(t), { ...options, now: () => clock.now, setTimer: clock.set, clearTimer: clock.clear });
  return { clock, sent, batcher };
}

describe('AppendBatcher', () => {
  it('a 1 MB answer in 2,000 frames arriving 1 ms apart becomes a bounded number of flushes, in order and complete', () => {
    const { clock, sent, batcher } = setup();
    const frame = 'x'.repeat(499) + '\n';
    for (let i = 0; i < 2000; i++) {
      batcher.push(frame);
      clock.advance(1);
    }
    batcher.flush();
    // 2 s of streaming at one flush per 50 ms, plus the size-triggered ones: far below 2,000.
    assert.ok(sent.length <= 2000 / 50 + Math.ceil(1_000_000 / 262_144) + 2, `flushes: ${sent.length}`);
    assert.equal(sent.join(''), frame.repeat(2000));
    assert.equal(batcher.flushes, sent.length);
  });

  it('frames that arrive all at once are flushed by size only (about 1 MB / 256 KiB)', () => {
    const { sent, batcher } = setup();
    const frame = 'y'.repeat(500);
    for (let i = 0; i < 2000; i++) batcher.push(frame);
    batcher.flush();
    assert.ok(sent.length <= Math.ceil(1_000_000 / 262_144) + 1, `flushes: ${sent.length}`);
    assert.equal(sent.join('').length, 1_000_000);
  });

  it('sends the first text on the next tick, then at most once per interval', () => {
    const { clock, sent, batcher } = setup({ intervalMs: 50 });
    batcher.push('a');
    batcher.push('b');
    assert.deepEqual(sent, [], 'not synchronously per frame');
    clock.advance(0);
    assert.deepEqual(sent, ['ab']);
    clock.advance(10);
    batcher.push('c');
    batcher.push('d');
    clock.advance(39);
    assert.deepEqual(sent, ['ab'], 'the next flush waits for the interval since the last one');
    clock.advance(1);
    assert.deepEqual(sent, ['ab', 'cd']);
  });

  it('flush() sends at once and cancels the timer; dispose() drops pending text', () => {
    const { clock, sent, batcher } = setup();
    batcher.push('one');
    batcher.flush();
    clock.advance(100);
    assert.deepEqual(sent, ['one']);
    batcher.push('two');
    batcher.dispose();
    clock.advance(100);
    batcher.flush();
    assert.deepEqual(sent, ['one']);
    batcher.push('three');
    batcher.flush();
    assert.deepEqual(sent, ['one']);
  });

  it('splits a pending text larger than the largest allowed message', () => {
    const { sent, batcher } = setup({ maxPendingChars: 100, maxChunkChars: 30 });
    batcher.push('z'.repeat(100));
    assert.deepEqual(sent.map((s) => s.length), [30, 30, 30, 10]);
  });
});
