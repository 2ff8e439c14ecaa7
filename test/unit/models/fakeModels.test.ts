import * as assert from 'node:assert/strict';
import { FAKE_API_KEY, MODELS_2025, MODELS_LATE_2026, startFakeGemini, type FakeGemini, type FakeModel } from '../../fakes/gemini';

const GOOGLE_404 = (id: string) =>
  `{"error":{"code":404,"message":"models/${id} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}`;

describe("fake Gemini: Google's models as of late 2026", () => {
  let fake: FakeGemini;
  before(async () => {
    fake = await startFakeGemini();
  });
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  const headers = { 'x-goog-api-key': FAKE_API_KEY, 'content-type': 'application/json' };
  const generate = (id: string) =>
    fetch(`${fake.baseUrl}/v1beta/models/${id}:streamGenerateContent?alt=sse`, { method: 'POST', headers, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
  const list = async () => ((await (await fetch(`${fake.baseUrl}/v1beta/models?pageSize=1000`, { headers })).json()) as { models: FakeModel[] }).models.map((m) => m.name);

  it('lists 3.x text models that think, with versions and token limits, beside image, live-only, speech and embedding models', async () => {
    const byId = new Map(MODELS_LATE_2026.map((m) => [m.name.replace(/^models\//, ''), m]));
    for (const id of ['gemini-3.8-flash', 'gemini-3.5-flash', 'gemini-3.5-flash-lite', 'gemini-3.5-pro', 'gemini-3.8-flash-preview-11-2026', 'gemini-3.5-flash-001']) {
      const m = byId.get(id);
      assert.ok(m, id);
      assert.equal(m.thinking, true, `${id} thinks`);
      assert.ok(m.supportedGenerationMethods.includes('generateContent'));
      assert.ok(m.version && m.inputTokenLimit > 0 && m.outputTokenLimit > 0);
    }
    assert.deepEqual(byId.get('gemini-3.5-flash-live')?.supportedGenerationMethods, ['bidiGenerateContent'], 'live-only');
    assert.ok(!byId.get('gemini-embedding-001')?.supportedGenerationMethods.includes('generateContent'));
    assert.ok(byId.has('gemini-3.5-flash-image') && byId.has('imagen-4.0-generate-001'));
    assert.ok(![...byId.keys()].some((id) => id.startsWith('gemini-2')), 'no 2.x model is left');
  });

  for (const id of ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.5-flash-lite', 'gemini-2.0-flash', 'gemini-9-imaginary']) {
    it(`${id} answers 404 exactly like Google`, async () => {
      const res = await generate(id);
      assert.equal(res.status, 404);
      assert.equal(await res.text(), GOOGLE_404(id));
    });
  }

  it('a live-only model answers generateContent with the same 404', async () => {
    const res = await generate('gemini-3.5-flash-live');
    assert.equal(res.status, 404);
    assert.equal(await res.text(), GOOGLE_404('gemini-3.5-flash-live'));
  });

  it('retires a model mid-session (in process or over HTTP) until reset', async () => {
    assert.equal((await generate('gemini-3.8-flash')).status, 200);
    fake.retireModels('gemini-3.8-flash');
    assert.equal((await generate('gemini-3.8-flash')).status, 404);
    assert.ok(!(await list()).includes('models/gemini-3.8-flash'));
    await fetch(`${fake.baseUrl}/__fake/scenario`, { method: 'POST', body: JSON.stringify({ retireModels: ['gemini-3.5-flash'] }) });
    assert.equal((await generate('gemini-3.5-flash')).status, 404);
    fake.reset();
    assert.equal((await generate('gemini-3.8-flash')).status, 200);
    assert.equal((await list()).length, MODELS_LATE_2026.length);
  });

  it('the 2025 world is an option for the tests that need it', async () => {
    const old = await startFakeGemini({ models: MODELS_2025 });
    try {
      const res = await fetch(`${old.baseUrl}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', headers, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { modelVersion: string }).modelVersion, 'gemini-2.5-flash');
    } finally {
      await old.close();
    }
  });
});
