import * as assert from 'node:assert/strict';
import { LIMITS, parseDoc } from '../../../src/core/activity/model';
import { ACTIVITY_STATE_KEY, ActivityStore } from '../../../src/core/activity/store';
import { dayKey, daysEndingWith, summarize } from '../../../src/core/activity/usage';
import { nullLogger } from '../../../src/core/common/logger';
import { ManualSchedule, MemoryKeyValue, fixedClock, sequentialId } from './helpers';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0); // 2026-12-01 12:00 UTC
const alice = { key: 'oauth:1001', kind: 'oauth' as const, label: 'alice@example.com' };

function window(kv: MemoryKeyValue, clock = fixedClock(T0), schedule = new ManualSchedule()) {
  const store = new ActivityStore({ kv, log: nullLogger, clock, schedule: schedule.schedule, newId: sequentialId });
  return { store, schedule, clock };
}

function stored(kv: MemoryKeyValue) {
  return parseDoc(kv.get(ACTIVITY_STATE_KEY));
}

describe('activity/ActivityStore', () => {
  it('keeps recording in memory and writes once per batch (debounced), then on flush and on dispose', async () => {
    const kv = new MemoryKeyValue();
    const { store, schedule } = window(kv);
    for (let i = 0; i < 50; i++) store.recordUsage({ at: T0, model: 'gemini-3-flash', credential: alice.key, origin: 'extension', prompt: 10, answer: 5 });
    store.record({ kind: 'signIn', credential: alice });
    assert.equal(kv.writes, 0, 'nothing is written on the request path');
    assert.equal(schedule.live, 1, 'one pending write for the whole burst');
    schedule.fire();
    await store.flush();
    assert.equal(kv.writes, 1);
    const doc = stored(kv);
    assert.equal(doc.usage[0]?.requests, 50);
    assert.equal(doc.usage[0]?.prompt, 500);
    store.record({ kind: 'refresh', credential: alice });
    store.dispose();
    await store.flush();
    assert.equal(stored(kv).events.length, 2);
  });

  it('keeps events newest first and at most 2,000 of them', async () => {
    const kv = new MemoryKeyValue();
    const { store } = window(kv);
    for (let i = 0; i < LIMITS.events + 150; i++) store.record({ kind: 'refresh', credential: alice, at: T0 - 1_000_000 + i });
    await store.flush();
    const events = stored(kv).events;
    assert.equal(events.length, LIMITS.events);
    assert.equal(events[0]?.at, T0 - 1_000_000 + LIMITS.events + 149, 'the newest survive');
    for (let i = 1; i < events.length; i++) assert.ok(events[i - 1]!.at >= events[i]!.at);
  });

  it('keeps 90 days of usage and shows 30', async () => {
    const kv = new MemoryKeyValue();
    const clock = fixedClock(T0);
    const { store } = window(kv, clock);
    for (let d = 0; d < 120; d++) store.recordUsage({ at: T0 - d * 86_400_000, model: 'm', credential: alice.key, origin: 'extension', prompt: 1 });
    await store.flush();
    const days = new Set(stored(kv).usage.map((r) => r.day));
    assert.equal(days.size, LIMITS.usageDays);
    assert.ok(days.has('2026-12-01') && days.has('2026-09-03') && !days.has('2026-09-02'));
    const summary = summarize(stored(kv).usage, '2026-12-01');
    assert.equal(summary.days.length, 30);
    assert.equal(summary.days[0]?.day, '2026-11-02');
    assert.equal(summary.total.requests, 30);
  });

  it('bounds the rows of a day however many model ids arrive', async () => {
    const kv = new MemoryKeyValue();
    const { store } = window(kv);
    for (let i = 0; i < LIMITS.rowsPerDay + 50; i++) store.recordUsage({ at: T0, model: `model-${i}`, credential: alice.key, origin: 'extension' });
    await store.flush();
    assert.equal(stored(kv).usage.length, LIMITS.rowsPerDay);
  });

  describe('days in the user\'s time zone', () => {
    const cases = [
      { zone: 'UTC', offset: 0, at: Date.UTC(2026, 11, 1, 23, 30), day: '2026-12-01' },
      { zone: 'UTC+9 (Tokyo), 23:30 UTC is next morning', offset: 9 * 60, at: Date.UTC(2026, 11, 1, 23, 30), day: '2026-12-02' },
      { zone: 'UTC-5 (New York), 03:00 UTC is the evening before', offset: -5 * 60, at: Date.UTC(2026, 11, 2, 3, 0), day: '2026-12-01' },
      { zone: 'UTC+5:30, one minute before local midnight', offset: 330, at: Date.UTC(2026, 11, 1, 18, 29), day: '2026-12-01' },
      { zone: 'UTC+5:30, local midnight', offset: 330, at: Date.UTC(2026, 11, 1, 18, 30), day: '2026-12-02' },
      { zone: 'UTC+14, new year early', offset: 14 * 60, at: Date.UTC(2026, 11, 31, 10, 0), day: '2027-01-01' },
    ];
    for (const c of cases) {
      it(`${c.zone} → ${c.day}`, async () => {
        assert.equal(dayKey(c.at, { utcOffsetMinutes: () => c.offset }), c.day);
        const kv = new MemoryKeyValue();
        const { store } = window(kv, fixedClock(c.at, c.offset));
        store.recordUsage({ at: c.at, model: 'm', credential: alice.key, origin: 'extension', prompt: 7 });
        await store.flush();
        assert.equal(stored(kv).usage[0]?.day, c.day);
        const summary = summarize(stored(kv).usage, c.day);
        assert.equal(summary.days[summary.days.length - 1]?.prompt, 7, 'today in the chart is the local day');
      });
    }

    it('steps back over a DST change on the calendar, without skipping or repeating a day', () => {
      const days = daysEndingWith('2026-11-02', 5);
      assert.deepEqual(days, ['2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
      assert.deepEqual(daysEndingWith('2028-03-01', 2), ['2028-02-29', '2028-03-01']);
    });
  });

  describe('several windows on one globalState', () => {
    it('adds up usage and merges events instead of overwriting (re-read, merge, write)', async () => {
      const kv = new MemoryKeyValue();
      const a = window(kv).store;
      const b = window(kv).store;
      a.recordUsage({ at: T0, model: 'gemini-3-flash', credential: alice.key, origin: 'extension', prompt: 100, answer: 10 });
      b.recordUsage({ at: T0, model: 'gemini-3-flash', credential: alice.key, origin: 'extension', prompt: 200, answer: 20 });
      b.recordUsage({ at: T0, model: 'gemini-3-flash', credential: alice.key, origin: 'languageModel', prompt: 5 });
      a.record({ kind: 'signIn', credential: alice, at: T0 - 10 });
      b.record({ kind: 'refresh', credential: alice, at: T0 - 5 });
      // Interleaved: both wrote twice, each time merging into what the other wrote.
      await a.flush();
      await b.flush();
      a.recordUsage({ at: T0, model: 'gemini-3-flash', credential: alice.key, origin: 'extension', prompt: 1 });
      await a.flush();
      await b.flush();
      const doc = stored(kv);
      const ext = doc.usage.find((r) => r.origin === 'extension');
      assert.equal(ext?.prompt, 301);
      assert.equal(ext?.answer, 30);
      assert.equal(ext?.requests, 3);
      assert.equal(doc.usage.find((r) => r.origin === 'languageModel')?.prompt, 5);
      assert.deepEqual(doc.events.map((e) => e.kind), ['refresh', 'signIn']);
      // Either window sees the whole picture.
      assert.equal(summarize(a.snapshot().usage, '2026-12-01').total.requests, 4);
      assert.equal(summarize(b.snapshot().usage, '2026-12-01').total.requests, 4);
    });

    it('merges an event recorded by two windows under one id into one', async () => {
      const kv = new MemoryKeyValue();
      const a = window(kv).store;
      const b = window(kv).store;
      a.record({ id: 'keyRemoved:123', kind: 'keyRemoved' });
      b.record({ id: 'keyRemoved:123', kind: 'keyRemoved' });
      await Promise.all([a.flush(), b.flush()]);
      assert.equal(stored(kv).events.length, 1);
    });

    it('a clear in one window is not undone by another window\'s older unwritten events', async () => {
      const kv = new MemoryKeyValue();
      const clock = fixedClock(T0);
      const a = window(kv, clock).store;
      const b = window(kv, clock).store;
      a.record({ kind: 'signIn', credential: alice });
      await a.flush();
      b.record({ kind: 'refresh', credential: alice, at: T0 - 1 }); // before the clear, not yet written
      clock.set(T0 + 1000);
      await a.clear();
      b.record({ kind: 'signOut', credential: alice, detail: 'confirmed', at: T0 + 2000 });
      await b.flush();
      assert.deepEqual(stored(kv).events.map((e) => e.kind), ['signOut']);
    });

    it('keeps unwritten activity when a write fails, for the next attempt', async () => {
      const kv = new MemoryKeyValue();
      const { store } = window(kv);
      const update = kv.update.bind(kv);
      kv.update = async () => {
        throw new Error('disk full');
      };
      store.record({ kind: 'refresh', credential: alice });
      await assert.rejects(store.flush());
      kv.update = update;
      await store.flush();
      assert.equal(stored(kv).events.length, 1);
    });
  });

  describe('no secret can be stored', () => {
    const secrets = [
      'AIzaSyA1234567890abcdefghijklmnopqrstuv', // standard key shape
      'AQ.Ab8RN6Lx0vQmZt3yKp9wHs2dFj7cEu5gBn4aTr1iYo6kMlPqWzXeVc', // authorization key shape
      'ya29.a0AfH6SMBx-token-value',
      '1//0gLongRefreshTokenValue-abcdef',
      'GOCSPX-clientSecretValue123',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
      'Xk9pL2mN8qR4sT6vW1yZ3bC5dF7gH0jK', // high-entropy, no known prefix
      'Summarize this: my password is hunter2\nand more prompt text',
      '<script>alert(1)</script>',
    ];

    it('drops or replaces every secret-looking or free-text value, in every field', async () => {
      const kv = new MemoryKeyValue();
      const { store } = window(kv);
      for (const s of secrets) {
        store.record({ kind: 'keyRejected', detail: s, model: s, credential: { key: `oauth:${s}`, kind: 'oauth', label: s } });
        store.record({ kind: 'requestRefused', detail: s, model: s, credential: { ...alice, label: s } });
        store.record({ kind: 'settingChanged', id: s, detail: s });
        store.recordUsage({ at: T0, model: s, credential: alice.key, origin: 'extension', error: s, prompt: 1 });
        store.recordUsage({ at: T0, model: 'm', credential: `apiKey:${s}`, origin: 'extension' });
        store.noteCredential({ ...alice, label: s, issuer: s, source: s });
      }
      await store.flush();
      const raw = kv.raw;
      for (const s of secrets) {
        for (const piece of [s, s.slice(0, 16), s.slice(-12)]) assert.ok(!raw.includes(piece), `stored: ${piece}`);
      }
      // What was safe is still there, with placeholders where the unsafe parts were.
      const doc = stored(kv);
      assert.ok(doc.events.some((e) => e.kind === 'requestRefused' && e.credential?.label === 'Google account'));
      assert.ok(doc.usage.some((r) => r.model === 'unknown' && r.errors.other === secrets.length));
    });

    it('ignores damaged or foreign stored data instead of failing', () => {
      const kv = new MemoryKeyValue();
      kv.map.set(ACTIVITY_STATE_KEY, JSON.stringify({ v: 7, events: [{ id: 1 }, null, 'x'], usage: 'nope', credentials: [{ key: 'oauth:1', kind: 'apiKey' }] }));
      const { store } = window(kv);
      assert.deepEqual(store.snapshot(), { v: 1, events: [], usage: [], credentials: [] });
    });
  });
});
