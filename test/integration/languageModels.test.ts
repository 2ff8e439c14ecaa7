import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import { DEFAULT_FAKE_MODELS, FAKE_API_KEY, SKIP_SIGNATURE, startFakeGemini, type FakeGemini } from '../fakes/gemini';
import { EXTENSION_ID } from '../support/helpers';
import { signOutEverything } from './support';

const VENDOR = 'gemini-vscode';
const MODEL = 'gemini-3.5-flash';
const WEATHER: vscode.LanguageModelChatTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
};

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function geminiModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: VENDOR });
}

async function model(): Promise<vscode.LanguageModelChat> {
  return until('the Gemini 3.5 model to be offered', async () => (await geminiModels()).find((m) => m.id === MODEL));
}

/** Reads the whole stream; an error thrown by it is returned with what arrived before. */
async function read(response: vscode.LanguageModelChatResponse): Promise<{ text: string; calls: vscode.LanguageModelToolCallPart[]; error?: unknown }> {
  let text = '';
  const calls: vscode.LanguageModelToolCallPart[] = [];
  try {
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) text += part.value;
      else if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    }
  } catch (error) {
    return { text, calls, error };
  }
  return { text, calls };
}

describe('Language models for VS Code chat and extensions (extension host)', function () {
  this.timeout(60_000);
  let fake: FakeGemini;
  let api: TestingApi;
  const config = () => vscode.workspace.getConfiguration();

  before(async () => {
    fake = await startFakeGemini({ models: [...DEFAULT_FAKE_MODELS] });
    api = (await vscode.extensions.getExtension<TestingApi>(EXTENSION_ID)!.activate())!;
    await config().update('gemini.api.baseUrl', fake.baseUrl, vscode.ConfigurationTarget.Global);
    await api.services.apiKeys.set(FAKE_API_KEY);
    await api.services.credentials.choose({ kind: 'apiKey' });
  });
  beforeEach(() => fake.reset());
  after(async () => {
    await api.languageModels.turnOff();
    await signOutEverything(api.services);
    await config().update('gemini.api.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await fake.close();
  });

  it('offers no models while gemini.languageModels.enabled is off', async () => {
    assert.equal(api.services.settings.get('languageModelsEnabled'), false);
    assert.deepEqual(await geminiModels(), []);
    assert.equal(fake.modelRequests('listModels').length, 0, 'not even the model list is fetched');
  });

  it('turning the setting on without confirming turns it off again and offers nothing', async () => {
    // The test host refuses modal dialogs, which is what "Cancel" looks like to the extension.
    await config().update('gemini.languageModels.enabled', true, vscode.ConfigurationTarget.Global);
    await until('the setting to be turned back off', () => api.services.settings.get('languageModelsEnabled') === false);
    assert.deepEqual(await geminiModels(), []);
  });

  it('once turned on and confirmed: the API key’s models, with limits, family and who pays', async () => {
    assert.equal(await api.languageModels.turnOn(async () => true), true);
    assert.equal(api.services.settings.get('languageModelsEnabled'), true);
    const m = await model();
    assert.equal(m.vendor, VENDOR);
    assert.equal(m.name, 'Gemini 3.5 Flash');
    assert.equal(m.family, MODEL);
    assert.equal(m.maxInputTokens, 1_048_576);
    const ids = (await geminiModels()).map((x) => x.id);
    assert.ok(ids.includes('gemini-3.8-flash'));
    assert.ok(!ids.some((id) => id.includes('embedding') || id.startsWith('imagen')), ids.join(', '));
  });

  it('sendRequest streams the answer as it arrives and the request is counted as the provider\'s', async () => {
    const counted = () => api.services.activity.store.snapshot().usage.filter((r) => r.origin === 'languageModel').reduce((n, r) => n + r.requests + r.prompt, 0);
    const before = counted();
    fake.setScenario({ text: 'Streaming answer from the fake Gemini.', frames: 5, frameDelayMs: 20 });
    const response = await (await model()).sendRequest([vscode.LanguageModelChatMessage.User('Say something')], {}, new vscode.CancellationTokenSource().token);
    const chunks: string[] = [];
    for await (const piece of response.text) chunks.push(piece);
    assert.equal(chunks.join(''), 'Streaming answer from the fake Gemini.');
    assert.ok(chunks.length >= 2, `streamed in pieces (${chunks.length})`);
    const request = fake.modelRequests('streamGenerateContent').at(-1)!;
    assert.equal(request.headers['x-goog-api-key'], FAKE_API_KEY);
    assert.deepEqual((request.json as { contents: unknown }).contents, [{ role: 'user', parts: [{ text: 'Say something' }] }]);
    await until('the usage in the activity view', () => counted() > before + 1);
  });

  it('a tool call round trip: functionCall → LanguageModelToolCallPart → result → functionResponse → final text', async () => {
    const m = await model();
    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] });
    const question = vscode.LanguageModelChatMessage.User('What is the weather in Paris?');
    const first = await read(await m.sendRequest([question], { tools: [WEATHER] }));
    assert.equal(first.error, undefined);
    assert.equal(first.calls.length, 1);
    const [call] = first.calls;
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(call.input, { city: 'Paris' });
    const declared = (fake.modelRequests('streamGenerateContent').at(-1)!.json as { tools: { functionDeclarations: { name: string; parameters: unknown }[] }[] }).tools;
    assert.deepEqual(declared[0].functionDeclarations[0], {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] },
    });

    const second = await read(
      await m.sendRequest(
        [
          question,
          vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart(call.callId, call.name, call.input)]),
          vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('18 °C and sunny')])]),
        ],
        { tools: [WEATHER] },
      ),
    );
    assert.equal(second.error, undefined);
    assert.equal(second.text, 'The tool get_weather returned {"output":"18 °C and sunny"}.');
    const body = fake.modelRequests('streamGenerateContent').at(-1)!.json as {
      contents: { role: string; parts: { thoughtSignature?: string; functionCall?: unknown; functionResponse?: unknown }[] }[];
    };
    assert.deepEqual(body.contents.map((c) => c.role), ['user', 'model', 'user']);
    const signature = body.contents[1].parts[0].thoughtSignature;
    assert.ok(signature && signature !== SKIP_SIGNATURE, 'the thought signature Gemini sent went back');
    assert.deepEqual(body.contents[2].parts[0].functionResponse, { name: 'get_weather', response: { output: '18 °C and sunny' } });
  });

  it('Required tool mode asks Gemini for a call (mode ANY)', async () => {
    fake.enqueue({ functionCalls: [{ name: 'get_weather', args: { city: 'Oslo' } }] });
    const result = await read(await (await model()).sendRequest([vscode.LanguageModelChatMessage.User('Oslo?')], { tools: [WEATHER], toolMode: vscode.LanguageModelChatToolMode.Required }));
    assert.equal(result.calls.length, 1);
    const json = fake.modelRequests('streamGenerateContent').at(-1)!.json as { toolConfig: unknown };
    assert.deepEqual(json.toolConfig, { functionCallingConfig: { mode: 'ANY' } });
  });

  it('cancelling the request closes the HTTP connection at the fake at once', async () => {
    fake.setScenario({ text: 'word '.repeat(400), frames: 200, frameDelayMs: 25 });
    const source = new vscode.CancellationTokenSource();
    const response = await (await model()).sendRequest([vscode.LanguageModelChatMessage.User('Write a lot')], {}, source.token);
    const iterator = response.text[Symbol.asyncIterator]();
    await iterator.next();
    source.cancel();
    const request = await until('the streaming request', () => fake.modelRequests('streamGenerateContent').at(-1));
    const closed = await fake.whenClosed(request.id);
    assert.equal(closed.outcome, 'clientClosed');
    assert.ok(closed.framesSent < 200, `stopped early (${closed.framesSent} frames)`);
  });

  it('an error reaches the caller as a LanguageModelError with Google’s reason', async () => {
    fake.setScenario({ error: 'quotaExhaustedDaily' });
    let error: unknown;
    try {
      error = (await read(await (await model()).sendRequest([vscode.LanguageModelChatMessage.User('hi')]))).error;
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof vscode.LanguageModelError, `got ${String(error)}`);
    assert.equal(error.code, vscode.LanguageModelError.Blocked.name);
    assert.match(error.message, /429 RESOURCE_EXHAUSTED/);
  });

  it('countTokens asks Gemini once per text', async () => {
    const m = await model();
    assert.equal(await m.countTokens('abcd'.repeat(25)), 25);
    assert.equal(await m.countTokens('abcd'.repeat(25)), 25);
    assert.equal(fake.modelRequests('countTokens').length, 1);
  });

  it('turning it off withdraws the models', async () => {
    await api.languageModels.turnOff();
    await until('the models to be withdrawn', async () => (await geminiModels()).length === 0);
  });
});
