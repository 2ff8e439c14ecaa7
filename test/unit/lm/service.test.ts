import * as assert from 'node:assert/strict';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';
import { lmErrorCode } from '../../../src/core/lm/errors';
import { LanguageModelService, type LmCredential } from '../../../src/core/lm/service';
import type { LmMessage, LmOutputPart, LmPart, LmRequestOptions } from '../../../src/core/lm/types';
import { ModelCatalog } from '../../../src/core/models/modelCatalog';
import { DEFAULT_FAKE_MODELS, FAKE_API_KEY, SKIP_SIGNATURE, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { RecordingLogger } from '../../support/helpers';

const MODEL = 'gemini-3.5-flash';
const CANARY = 'PROMPT-CANARY-lm-9c1e';
const WEATHER = { name: 'get_weather', description: 'Current weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } };
const TOOLS: LmRequestOptions = { toolMode: 'auto', tools: [WEATHER] };

const user = (...parts: (string | LmPart)[]): LmMessage => ({ role: 'user', parts: parts.map((p) => (typeof p === 'string' ? { kind: 'text', value: p } : p)) });
const assistant = (parts: LmOutputPart[]): LmMessage => ({ role: 'assistant', parts });
const result = (callId: string, text: string): LmPart => ({ kind: 'toolResult', callId, content: [{ kind: 'text', value: text }] });

interface Body {
  contents: { role: string; parts: { text?: string; thoughtSignature?: string; functionCall?: { name: string }; functionResponse?: { name: string; response: unknown } }[] }[];
  tools?: unknown;
}

describe('lm: LanguageModelService against the fake Gemini', function () {
  let fake: FakeGemini;
  let log: RecordingLogger;
  let credential: LmCredential | undefined;
  let service: LanguageModelService;
  let origins: string[];

  const makeService = () => {
    const client = new TestGeminiClient({
      baseUrl: fake.baseUrl,
      credential: () => undefined,
      log,
      onRequestFinished: (r) => origins.push(`${r.operation}:${r.origin}`),
      timeouts: { connectMs: 2000, idleMs: 2000 },
      retry: { random: () => 0.5, sleep: async () => {} },
    });
    const catalog = new ModelCatalog(client, () => 'geminiApi');
    return new LanguageModelService({ client, listModels: (c, signal) => catalog.list(c, signal), credential: async () => credential, log });
  };

  async function send(messages: LmMessage[], options: LmRequestOptions = TOOLS, signal = new AbortController().signal, s = service): Promise<LmOutputPart[]> {
    const parts: LmOutputPart[] = [];
    await s.respond(MODEL, messages, options, (p) => parts.push(p), signal);
    return parts;
  }

  const lastBody = () => fake.modelRequests('streamGenerateContent').at(-1)!.json as Body;

  before(async () => {
    fake = await startFakeGemini({ models: [...DEFAULT_FAKE_MODELS] });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.reset();
    log = new RecordingLogger();
    origins = [];
    credential = { kind: 'apiKey', label: 'API key', provider: apiKeyCredential(FAKE_API_KEY) };
    service = makeService();
  });

  it('streams text and logs the request without its text', async () => {
    fake.enqueue({ text: 'One two three four', frames: 4 });
    const parts = await send([user(`Count ${CANARY}`)], { toolMode: 'auto' });
    assert.equal(parts.length, 4, 'one text part per streamed frame');
    assert.equal(parts.map((p) => (p.kind === 'text' ? p.value : '?')).join(''), 'One two three four');
    const line = log.lines.find((l) => l.startsWith('[lm] request via a VS Code chat or extension'));
    assert.ok(line, log.lines.join('\n'));
    assert.match(line, /\(API key\) model=gemini-3\.5-flash outcome=ok status=200 .*messages=1 tools=0 .*tokens=\d+\/\d+\/\d+/);
    assert.ok(!log.lines.some((l) => l.includes(CANARY)), 'no prompt text in the log');
    // The activity view counts these apart from the extension's own requests.
    assert.deepEqual(origins, ['streamGenerateContent:languageModel']);
  });

  it('multi-turn tool use on Gemini 3: parallel calls, then a sequential call, then the answer — signatures sent back each step', async () => {
    const question = user('Weather in Paris and Oslo, then pick the warmer one');
    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }, { name: 'get_weather', args: { city: 'Oslo' } }] });
    const step1 = await send([question]);
    assert.deepEqual(step1.map((p) => p.kind === 'toolCall' && [p.name, p.input]), [
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Oslo' }],
    ]);
    const [paris, oslo] = step1 as Extract<LmOutputPart, { kind: 'toolCall' }>[];
    assert.notEqual(paris.callId, oslo.callId);
    const firstBody = lastBody();
    assert.ok(firstBody.tools, 'tools declared');

    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] });
    const step2 = await send([question, assistant(step1), user(result(paris.callId, '18 °C'), result(oslo.callId, '4 °C'))]);
    const again = step2[0] as Extract<LmOutputPart, { kind: 'toolCall' }>;
    const body2 = lastBody();
    const signature1 = body2.contents[1].parts[0].thoughtSignature;
    assert.ok(signature1 && signature1 !== SKIP_SIGNATURE, 'the real signature of step 1 went back');
    assert.equal(body2.contents[1].parts[1].thoughtSignature, undefined, 'the second parallel call had none');
    assert.deepEqual(body2.contents[2].parts.map((p) => p.functionResponse), [
      { name: 'get_weather', response: { output: '18 °C' } },
      { name: 'get_weather', response: { output: '4 °C' } },
    ]);

    const step3 = await send([question, assistant(step1), user(result(paris.callId, '18 °C'), result(oslo.callId, '4 °C')), assistant(step2), user(result(again.callId, 'still 18 °C'))]);
    const body3 = lastBody();
    assert.equal(body3.contents[1].parts[0].thoughtSignature, signature1);
    const signature2 = body3.contents[3].parts[0].thoughtSignature;
    assert.ok(signature2 && signature2 !== SKIP_SIGNATURE && signature2 !== signature1);
    assert.equal(step3.map((p) => (p.kind === 'text' ? p.value : '')).join(''), 'The tool get_weather returned {"output":"still 18 °C"}.');
  });

  it('the fake refuses a Gemini 3 tool turn without its signature (what the memory prevents)', async () => {
    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Rome' } }] });
    const [call] = await send([user('Rome?')]);
    assert.equal(call.kind, 'toolCall');
    const body = JSON.parse(JSON.stringify(lastBody())) as Body;
    body.contents.push({ role: 'model', parts: [{ functionCall: { name: 'get_weather' } }] }, { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: 'x' } } }] });
    const res = await fetch(`${fake.baseUrl}/v1beta/models/${MODEL}:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': FAKE_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: { message: string } }).error.message, /missing a thought_signature/);
  });

  it('a history from another session (no remembered signature) is sent with the documented skip value and accepted', async () => {
    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Rome' } }] });
    const step1 = await send([user('Rome?')]);
    const fresh = makeService();
    const [call] = step1 as Extract<LmOutputPart, { kind: 'toolCall' }>[];
    const parts = await send([user('Rome?'), assistant(step1), user(result(call.callId, 'sunny'))], TOOLS, undefined, fresh);
    assert.equal(lastBody().contents[1].parts[0].thoughtSignature, SKIP_SIGNATURE);
    assert.match(parts.map((p) => (p.kind === 'text' ? p.value : '')).join(''), /returned \{"output":"sunny"\}/);
  });

  it('Google’s own call ids are used and sent back', async () => {
    fake.enqueue({ functionCalls: [{ id: 'call-from-google', name: 'get_weather', args: { city: 'Lima' } }] });
    const step1 = await send([user('Lima?')]);
    assert.equal((step1[0] as Extract<LmOutputPart, { kind: 'toolCall' }>).callId, 'call-from-google');
    await send([user('Lima?'), assistant(step1), user(result('call-from-google', 'mild'))]);
    const body = lastBody() as unknown as { contents: { parts: { functionCall?: { id?: string }; functionResponse?: { id?: string } }[] }[] };
    assert.equal(body.contents[1].parts[0].functionCall?.id, 'call-from-google');
    assert.equal(body.contents[2].parts[0].functionResponse?.id, 'call-from-google');
  });

  it('errors keep Google’s reason and map to the LanguageModelError codes', async () => {
    fake.enqueue({ error: 'quotaExhaustedDaily' });
    const error = await send([user('hi')]).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as GeminiError,
    );
    assert.ok(error instanceof GeminiError);
    assert.equal(lmErrorCode(error), 'Blocked');
    assert.match(error.message, /429 RESOURCE_EXHAUSTED/);
    assert.match(log.lines.find((l) => l.startsWith('[lm] request')) ?? '', /outcome=quotaExhausted status=429/);

    fake.enqueue({ blockReason: 'SAFETY' });
    const blocked = await send([user('hi')]).catch((e: GeminiError) => e);
    assert.equal(lmErrorCode(blocked as GeminiError), 'Blocked');

    credential = undefined;
    const none = await send([user('hi')]).catch((e: GeminiError) => e);
    assert.equal(lmErrorCode(none as GeminiError), 'NoPermissions');
  });

  it('cancellation closes the HTTP request at once', async () => {
    fake.enqueue({ text: 'word '.repeat(200), frames: 100, frameDelayMs: 20 });
    const controller = new AbortController();
    const parts: LmOutputPart[] = [];
    const outcome = await service
      .respond(MODEL, [user('long')], { toolMode: 'auto' }, (p) => {
        parts.push(p);
        controller.abort();
      }, controller.signal)
      .catch((e: GeminiError) => e);
    assert.equal((outcome as GeminiError).kind, 'cancelled');
    const request = fake.modelRequests('streamGenerateContent').at(-1)!;
    const closed = await fake.whenClosed(request.id);
    assert.equal(closed.outcome, 'clientClosed');
    assert.ok(closed.framesSent < 100);
    assert.match(log.lines.filter((l) => l.startsWith('[lm] request')).at(-1) ?? '', /outcome=cancelled/);
  });

  it('lists the credential’s generateContent models, saying who pays', async () => {
    const models = await service.models();
    assert.ok(models.some((m) => m.id === MODEL));
    assert.ok(!models.some((m) => m.id.startsWith('text-embedding') || m.id.startsWith('imagen')));
    assert.ok(models.every((m) => m.detail === 'API key'));
    credential = undefined;
    assert.deepEqual(await service.models(), []);
  });

  it('counts tokens with countTokens once per text', async () => {
    assert.equal(await service.countTokens(MODEL, 'abcd'.repeat(10)), 10);
    assert.equal(await service.countTokens(MODEL, 'abcd'.repeat(10)), 10);
    assert.equal(fake.modelRequests('countTokens').length, 1);
  });
});
