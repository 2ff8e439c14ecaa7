import * as assert from 'node:assert/strict';
import { ResultStore, toStoredResult, toTokenUsage, type ResultRecord } from '../../../src/core/ai/results';
import { LIMITS, parseStoredResult, parseWebviewState } from '../../../src/shared/protocol';

const base = { title: 'Summary of a.md', model: 'gemini-2.5-flash', sourceLabel: 'Google (API key)', emulator: true };

describe('ResultStore', () => {
  it('keeps every result with its text; the latest is the newest', () => {
    const store = new ResultStore();
    const a = store.add({ ...base, id: 'a', createdAt: 1 });
    const b = store.add({ ...base, id: 'b', createdAt: 2 });
    a.text = 'first';
    b.text = 'second';
    assert.equal(store.latest()?.id, 'b');
    assert.equal(store.get('a')?.text, 'first');
    assert.deepEqual(store.historyItems().map((h) => h.id), ['a', 'b']);
    assert.equal(a.status, 'streaming');
  });

  it('evicts the oldest finished result beyond its bound, never a streaming one', () => {
    const store = new ResultStore(2);
    const a = store.add({ ...base, id: 'a', createdAt: 1 });
    const b = store.add({ ...base, id: 'b', createdAt: 2 });
    b.status = 'done';
    store.add({ ...base, id: 'c', createdAt: 3 });
    assert.deepEqual(store.all().map((r) => r.id).sort(), ['a', 'c']);
    assert.equal(a.status, 'streaming');
  });

  it("keeps what the host adds per result (the request) with the result, so it leaves with it", () => {
    const store = new ResultStore<ResultRecord & { request?: string }>(1);
    const a = store.add({ ...base, id: 'a', createdAt: 1 });
    a.request = 'the selected text';
    a.status = 'done';
    store.add({ ...base, id: 'b', createdAt: 2 });
    assert.equal(store.get('a'), undefined);
    assert.deepEqual(store.all(), [store.get('b')]);
    assert.ok(!JSON.stringify(store.all()).includes('the selected text'));
  });

  it('stored results pass the protocol check, with over-long fields shortened', () => {
    const store = new ResultStore();
    const r = store.add({ ...base, id: 'r1', createdAt: 5, title: 't'.repeat(LIMITS.title + 50) });
    r.text = '# hi';
    r.status = 'error';
    r.error = { message: 'm'.repeat(LIMITS.message + 10), action: { label: 'Sign In' } };
    const stored = toStoredResult(r);
    assert.ok(parseStoredResult(stored), 'valid StoredResult');
    assert.equal(stored.title.length, LIMITS.title);
    assert.ok(!('sentChars' in stored));
  });

  it('a result restored after a reload that was still streaming is marked stopped, with a notice', () => {
    const store = new ResultStore();
    const state = parseWebviewState({
      version: 1,
      history: [],
      current: { id: 'x', title: 't', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'streaming', text: 'partial' },
    });
    assert.ok(state?.current);
    const r = store.restore(state.current);
    assert.equal(r.status, 'stopped');
    assert.match(r.notice ?? '', /reloaded/);
    assert.equal(r.sentChars, 7);
  });

  it('a failed result restored after a reload keeps its message, not buttons this window cannot run', () => {
    const stored = { id: 'x', title: 't', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'error' as const, text: '' };
    const r = new ResultStore().restore({ ...stored, error: { message: 'Set a new key.', action: { label: 'Set API Key' } } });
    assert.deepEqual(r.error, { message: 'Set a new key.' });
  });

  it('thoughts are kept apart from the answer text and survive a reload with the result', () => {
    const store = new ResultStore();
    const r = store.add({ ...base, id: 'r1', createdAt: 5 });
    r.text = '## Answer';
    r.thoughts = '**Planning** the answer';
    r.thinkingMs = 4200;
    r.status = 'done';
    const stored = toStoredResult(r);
    assert.equal(stored.text, '## Answer');
    assert.equal(stored.thoughts, '**Planning** the answer');
    assert.equal(stored.thinkingMs, 4200);
    const state = parseWebviewState({ version: 1, history: [], current: stored });
    assert.ok(state?.current);
    const restored = new ResultStore().restore(state.current);
    assert.equal(restored.text, '## Answer');
    assert.equal(restored.thoughts, '**Planning** the answer');
    assert.equal(restored.sentThoughtChars, restored.thoughts.length);
    assert.ok(!('thoughts' in toStoredResult(store.add({ ...base, id: 'r2', createdAt: 6 }))), 'no thoughts field without thoughts');
  });

  it('usage: Gemini counts become the protocol counts', () => {
    assert.equal(toTokenUsage(undefined), undefined);
    assert.equal(toTokenUsage({}), undefined);
    assert.deepEqual(toTokenUsage({ promptTokenCount: 3, candidatesTokenCount: 4 }), { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 });
    assert.deepEqual(toTokenUsage({ promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 9 }), { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 9 });
    // Thinking is counted apart from the answer, and in the total.
    assert.deepEqual(toTokenUsage({ promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 812, totalTokenCount: 819 }), { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 819, thoughtsTokenCount: 812 });
    assert.deepEqual(toTokenUsage({ promptTokenCount: 3, candidatesTokenCount: 4, thoughtsTokenCount: 10 }), { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 17, thoughtsTokenCount: 10 });
    assert.deepEqual(toTokenUsage({ promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7, thoughtsTokenCount: -2 }), { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 });
  });
});
