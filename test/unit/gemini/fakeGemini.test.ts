import * as assert from 'node:assert/strict';
import { FAKE_API_KEY, startFakeGemini, type FakeControlRequest, type FakeGemini, type RecordedRequest } from '../../fakes/gemini';

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
