import * as assert from 'node:assert/strict';
import { FAKE_API_KEY, defaultThoughts, startFakeGemini, type FakeControlRequest, type FakeGemini, type RecordedRequest } from '../../fakes/gemini';

describe('fake Gemini server: HTTP scenario control', () => {
  let fake: FakeGemini;
  before(async () => {
    fake = await startFakeGemini();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const control = async (body: FakeControlRequest) => {
    const res = await fetch(`${fake.baseUrl}/__fake/scenario`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(res.status, 200);
  };
  const generate = (headers: Record<string, string> = { 'x-goog-api-key': FAKE_API_KEY }) =>
    fetch(`${fake.baseUrl}/v1beta/models/gemini-3.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });

  it('enqueues one-shot behaviours and sets a standing scenario over HTTP', async () => {
    await control({ enqueue: [{ error: 'quotaExhausted', retryDelay: '3s' }] });
    const first = await generate();
    assert.equal(first.status, 429);
    const body = (await first.json()) as { error: { details: { '@type': string; retryDelay?: string }[] } };
    assert.ok(body.error.details.some((d) => d['@type'].endsWith('RetryInfo') && d.retryDelay === '3s'));
    assert.equal((await generate()).status, 200, 'one-shot');

    await control({ scenario: { html: true } });
    const html = await generate();
    assert.equal(html.status, 502);
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await generate()).status, 502, 'standing');
    await control({ scenario: null });
    assert.equal((await generate()).status, 200);
  });

  it('lists recorded requests and accepts Bearer tokens set over HTTP', async () => {
    assert.equal((await generate({ authorization: 'Bearer ya29.from-fake-google' })).status, 401);
    await control({ acceptBearerTokens: ['ya29.from-fake-google'] });
    assert.equal((await generate({ authorization: 'Bearer ya29.from-fake-google' })).status, 200);
    const recorded = (await (await fetch(`${fake.baseUrl}/__fake/requests`)).json()) as RecordedRequest[];
    assert.deepEqual(
      recorded.map((r) => [r.operation, r.status]),
      [
        ['generateContent', 401],
        ['generateContent', 200],
      ],
    );
    await control({ reset: true });
    assert.equal(fake.requests.length, 0);
    assert.equal((await generate({ authorization: 'Bearer ya29.from-fake-google' })).status, 401, 'reset restores the start options');
  });

  it('behaviours match generate calls by default, other operations only when asked', async () => {
    await control({ enqueue: [{ error: 'internal' }, { error: 'invalidApiKey', match: 'listModels' }] });
    const list = await fetch(`${fake.baseUrl}/v1beta/models`, { headers: { 'x-goog-api-key': FAKE_API_KEY } });
    assert.equal(list.status, 400);
    assert.equal((await generate()).status, 500);
  });

  it('rejects requests without credentials like Google', async () => {
    assert.equal((await generate({})).status, 403);
  });
});

describe('fake Gemini server: thinking models', () => {
  let fake: FakeGemini;
  before(async () => {
    fake = await startFakeGemini();
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  type Part = { text: string; thought?: boolean };
  type Frame = { candidates?: { content: { parts: Part[] } }[]; usageMetadata?: Record<string, number> };
  const call = (model: string, generationConfig?: unknown, op = 'streamGenerateContent?alt=sse') =>
    fetch(`${fake.baseUrl}/v1beta/models/${model}:${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': FAKE_API_KEY },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Summarize the notes.' }] }], ...(generationConfig ? { generationConfig } : {}) }),
    });
  const frames = async (res: Response): Promise<Frame[]> =>
    (await res.text())
      .split(/\r?\n\r?\n/)
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as Frame);

  it('streams the thought summary as thought parts before the answer when asked, and counts thinking apart', async () => {
    const res = await call('gemini-3.5-flash', { thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } });
    assert.equal(res.status, 200);
    const all = await frames(res);
    const kinds = all.map((f) => (f.candidates?.[0]?.content.parts[0]?.thought ? 'thought' : 'answer'));
    assert.deepEqual(kinds, ['thought', 'thought', 'answer', 'answer', 'answer']);
    const thoughts = all.flatMap((f) => f.candidates![0]!.content.parts.filter((p) => p.thought).map((p) => p.text)).join('');
    assert.equal(thoughts, defaultThoughts('Summarize the notes.'));
    const usage = all.at(-1)!.usageMetadata!;
    assert.equal(usage.thoughtsTokenCount, Math.ceil(thoughts.length / 4));
    assert.equal(usage.totalTokenCount, usage.promptTokenCount! + usage.candidatesTokenCount! + usage.thoughtsTokenCount!);
  });

  it('thinks without showing it unless asked; non-thinking models report no thinking', async () => {
    const quiet = await frames(await call('gemini-3.5-flash'));
    assert.ok(quiet.every((f) => f.candidates![0]!.content.parts.every((p) => !p.thought)));
    assert.ok(quiet.at(-1)!.usageMetadata!.thoughtsTokenCount! > 0);
    const plain = await frames(await call('gemini-3.5-flash-image'));
    assert.equal(plain.at(-1)!.usageMetadata!.thoughtsTokenCount, undefined);
    const one = (await (await call('gemini-3.5-flash', { thinkingConfig: { includeThoughts: true } }, 'generateContent')).json()) as Frame;
    assert.deepEqual(one.candidates![0]!.content.parts.map((p) => p.thought === true), [true, false], 'generateContent: one thought part, then the answer');
  });

  it('refuses an unknown thinking level like Google, and thinking options where the model cannot think', async () => {
    const bad = await call('gemini-3.5-flash', { thinkingConfig: { thinkingLevel: 'extreme' } });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { status: string; message: string } };
    assert.equal(body.error.status, 'INVALID_ARGUMENT');
    assert.match(body.error.message, /^Invalid value at 'generation_config\.thinking_config\.thinking_level' .*"extreme"$/);
    assert.equal((await call('gemini-3.5-flash-image', { thinkingConfig: { includeThoughts: true } })).status, 400);
    await fetch(`${fake.baseUrl}/__fake/scenario`, { method: 'POST', body: JSON.stringify({ scenario: { rejectThinking: true } }) });
    const refused = await call('gemini-3.5-flash', { thinkingConfig: { includeThoughts: true } });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /thinking/i);
    assert.equal((await call('gemini-3.5-flash')).status, 200, 'without thinking options it answers');
  });
});
