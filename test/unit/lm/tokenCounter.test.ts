import * as assert from 'node:assert/strict';
import { GeminiError } from '../../../src/core/gemini/errors';
import { estimateTokens } from '../../../src/core/gemini/tokens';
import { TokenCounter, messageText } from '../../../src/core/lm/tokenCounter';

describe('lm: token counts', () => {
  let calls: string[];
  let now: number;
  let answer: (text: string) => Promise<number>;
  const counter = () =>
    new TokenCounter({
      now: () => now,
      count: async (model, text) => {
        calls.push(`${model}:${text}`);
        return answer(text);
      },
    });

  beforeEach(() => {
    calls = [];
    now = 1_000_000;
    answer = async (text) => text.length;
  });

  it('asks countTokens once per model and text, then answers from the cache', async () => {
    const c = counter();
    assert.equal(await c.count('m1', 'hello'), 5);
    assert.equal(await c.count('m1', 'hello'), 5);
    assert.equal(await c.count('m2', 'hello'), 5);
    assert.deepEqual(calls, ['m1:hello', 'm2:hello']);
  });

  it('shares one call between identical questions in flight', async () => {
    let release!: () => void;
    answer = (text) => new Promise((resolve) => (release = () => resolve(text.length)));
    const c = counter();
    const both = Promise.all([c.count('m', 'same'), c.count('m', 'same')]);
    await Promise.resolve();
    release();
    assert.deepEqual(await both, [4, 4]);
    assert.equal(calls.length, 1);
  });

  it('estimates when counting fails, then estimates at once (no network) until the offline window ends', async () => {
    answer = async () => {
      throw new GeminiError({ kind: 'network', message: 'offline' });
    };
    const c = counter();
    const text = 'x'.repeat(40);
    assert.equal(await c.count('m', text), estimateTokens(text.length));
    assert.equal(await c.count('m', 'other text'), estimateTokens('other text'.length));
    assert.equal(calls.length, 1, 'no second network attempt inside the window');
    answer = async (t) => t.length * 2;
    now += 60_001;
    assert.equal(await c.count('m', text), 80, 'asks again after the window; estimates were not cached');
  });

  it('a cancelled count is estimated but does not mark the service offline', async () => {
    answer = async () => {
      throw new GeminiError({ kind: 'cancelled', message: 'cancelled' });
    };
    const c = counter();
    assert.equal(await c.count('m', 'abcdefgh'), 2);
    answer = async () => 7;
    assert.equal(await c.count('m', 'abcdefgh'), 7);
  });

  it('empty text is zero without a call', async () => {
    assert.equal(await counter().count('m', ''), 0);
    assert.deepEqual(calls, []);
  });

  it('counts a message by its text, tool calls and tool results', () => {
    const text = messageText({
      role: 'assistant',
      parts: [
        { kind: 'text', value: 'Checking' },
        { kind: 'toolCall', callId: 'c', name: 'get_weather', input: { city: 'Oslo' } },
        { kind: 'toolResult', callId: 'c', content: [{ kind: 'text', value: 'cold' }] },
      ],
    });
    assert.equal(text, 'Checking\nget_weather {"city":"Oslo"}\ncold');
  });
});
