import * as assert from 'node:assert/strict';
import { modelResourceName } from '../../../src/core/gemini/client';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential } from '../../../src/core/gemini/credentials';
import { GeminiError, errorFromHttpResponse } from '../../../src/core/gemini/errors';
import { responseText } from '../../../src/core/gemini/response';
import type { GenerateContentRequest } from '../../../src/core/gemini/types';
import { isModelGone, streamReplacingGoneModel } from '../../../src/core/models/goneModel';
import { FAKE_API_KEY, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { RecordingLogger } from '../../support/helpers';

/** Google's answer to a request for a model id it has shut down (or never had), byte for byte. */
const GOOGLE_404_25_FLASH =
  '{"error":{"code":404,"message":"models/gemini-2.5-flash is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.","status":"NOT_FOUND"}}';

const body = (code: number, status: string, message: string) => JSON.stringify({ error: { code, message, status } });

describe('retired-model errors', () => {
  const cases: { name: string; status: number; body: string; kind: string; gone: boolean }[] = [
    { name: "Google's 404 for a shut-down id", status: 404, body: GOOGLE_404_25_FLASH, kind: 'modelNotFound', gone: true },
    { name: 'a 404 that says the model was deprecated', status: 404, body: body(404, 'NOT_FOUND', 'Gemini 1.0 Pro Vision has been deprecated on July 12, 2024. Consider switching to different model, for example gemini-1.5-flash.'), kind: 'modelRetired', gone: true },
    { name: 'a 400 that says the model was shut down', status: 400, body: body(400, 'INVALID_ARGUMENT', 'The model gemini-2.5-flash has been shut down. Use a current model.'), kind: 'modelRetired', gone: true },
    { name: 'a 400 that says the model is no longer available', status: 400, body: body(400, 'FAILED_PRECONDITION', 'Model gemini-2.0-flash is no longer available to new users.'), kind: 'modelRetired', gone: true },
    { name: 'a 410 for a retired model', status: 410, body: body(410, 'GONE', 'This model was retired on 2026-06-17.'), kind: 'modelRetired', gone: true },
    { name: 'a 400 calling a field deprecated is a bad request', status: 400, body: body(400, 'INVALID_ARGUMENT', 'thinking_budget is deprecated for this model; use thinking_level.'), kind: 'badRequest', gone: false },
    { name: 'a 429 for the model is not', status: 429, body: body(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota for model gemini-3.8-flash.'), kind: 'quotaExhausted', gone: false },
    { name: 'a 503 for the model is not', status: 503, body: body(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'), kind: 'server', gone: false },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.kind}${c.gone ? ', gone' : ''}`, () => {
      const err = errorFromHttpResponse(c.status, 'application/json; charset=UTF-8', c.body, { credentialKind: 'apiKey', model: 'gemini-2.5-flash' });
      assert.equal(err.kind, c.kind, err.message);
      assert.equal(isModelGone(err), c.gone);
      if (c.gone) {
        assert.match(err.message, /'gemini-2\.5-flash'/, 'the message names the model');
        assert.match(err.message, /Select Model/);
        assert.equal(err.action?.kind, 'selectModel');
      }
    });
  }

  it('a name we refused to send is not a gone model', () => {
    assert.throws(() => modelResourceName('../gemini'), (err: unknown) => err instanceof GeminiError && err.kind === 'modelNotFound' && !isModelGone(err));
  });
});

describe('streamReplacingGoneModel against the fake Gemini', () => {
  const PROMPT = 'Summarize: the automatic choice is made again when its model is shut down.';
  const request: GenerateContentRequest = { contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
  let fake: FakeGemini;
  let client: TestGeminiClient;
  before(async () => {
    fake = await startFakeGemini();
    client = new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => apiKeyCredential(FAKE_API_KEY), log: new RecordingLogger(), retry: { maxRetries: 0 } });
  });
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  const open = (model: string) => client.streamGenerateContent(model, request);
  async function drain(stream: AsyncIterable<unknown>): Promise<{ text: string; error?: unknown }> {
    let text = '';
    try {
      for await (const r of stream) text += responseText(r as never);
    } catch (error) {
      return { text, error };
    }
    return { text };
  }
  const streamed = () => fake.modelRequests('streamGenerateContent').map((r) => r.model);

  it('the automatic choice: a retired model is replaced once, and the answer comes from the new one', async () => {
    fake.retireModels('gemini-3.8-flash');
    const asked: string[] = [];
    const replaced: string[] = [];
    const { text, error } = await drain(
      streamReplacingGoneModel(open, 'gemini-3.8-flash', async (gone) => (asked.push(gone), 'gemini-3.5-flash'), (m) => replaced.push(m)),
    );
    assert.equal(error, undefined);
    assert.match(text, /answered by `gemini-3\.5-flash`/);
    assert.deepEqual(asked, ['gemini-3.8-flash']);
    assert.deepEqual(replaced, ['gemini-3.5-flash']);
    assert.deepEqual(streamed(), ['gemini-3.8-flash', 'gemini-3.5-flash']);
  });

  it('a pinned model (no replacement): the 404 stands, naming the model, and nothing is sent twice', async () => {
    const { error } = await drain(streamReplacingGoneModel(open, 'gemini-2.5-flash', undefined, () => assert.fail('not replaced')));
    assert.ok(isModelGone(error));
    assert.match((error as GeminiError).message, /'gemini-2\.5-flash' was not found.*Select Model/);
    assert.deepEqual(streamed(), ['gemini-2.5-flash']);
  });

  it('only once: if the replacement is gone too, its error stands', async () => {
    fake.retireModels('gemini-3.8-flash', 'gemini-3.5-flash');
    let calls = 0;
    const { error } = await drain(streamReplacingGoneModel(open, 'gemini-3.8-flash', async () => (calls++, 'gemini-3.5-flash'), () => {}));
    assert.match((error as GeminiError).message, /'gemini-3\.5-flash'/);
    assert.equal(calls, 1);
    assert.deepEqual(streamed(), ['gemini-3.8-flash', 'gemini-3.5-flash']);
  });

  it('no replacement to be had (or the same model again): the original error stands', async () => {
    fake.retireModels('gemini-3.8-flash');
    for (const replace of [async () => undefined, async () => 'gemini-3.8-flash', async () => Promise.reject(new Error('offline'))]) {
      fake.reset();
      fake.retireModels('gemini-3.8-flash');
      const { error } = await drain(streamReplacingGoneModel(open, 'gemini-3.8-flash', replace, () => assert.fail('not replaced')));
      assert.ok(isModelGone(error));
      assert.deepEqual(streamed(), ['gemini-3.8-flash']);
    }
  });

  it('other errors are not a reason to change the model', async () => {
    fake.enqueue({ error: 'quotaExhaustedDaily' });
    const { error } = await drain(streamReplacingGoneModel(open, 'gemini-3.8-flash', async () => assert.fail('not asked'), () => {}));
    assert.equal((error as GeminiError).kind, 'quotaExhausted');
    assert.deepEqual(streamed(), ['gemini-3.8-flash']);
  });
});
