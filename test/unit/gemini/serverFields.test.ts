import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResultStore, toStoredResult } from '../../../src/core/ai/results';
import { nullLogger } from '../../../src/core/common/logger';
import { shortModelId } from '../../../src/core/gemini/client';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential } from '../../../src/core/gemini/credentials';
import { GeminiError, errorFromHttpResponse } from '../../../src/core/gemini/errors';
import { ResponseAccumulator } from '../../../src/core/gemini/response';
import { cleanModels, cleanResponse, serverId, serverString } from '../../../src/core/gemini/serverFields';
import { parseStreamEvent } from '../../../src/core/gemini/sse';
import type { GenerateContentResponse } from '../../../src/core/gemini/types';
import { parseHistoryItem, parseStoredResult } from '../../../src/shared/protocol';

const LONG_MODEL = 'gemini-2.5-flash-' + 'x'.repeat(300);

describe('gemini/serverFields: strings from a server are checked and capped', () => {
  it('serverString keeps strings (cut to the limit) and drops everything else', () => {
    assert.equal(serverString('abc', 10), 'abc');
    assert.equal(serverString('abcdefghijkl', 5), 'abcd…');
    assert.equal(serverString('abcdefghijkl', 5)?.length, 5);
    for (const bad of [42, null, undefined, {}, ['a'], true]) assert.equal(serverString(bad, 10), undefined);
  });

  it('serverId accepts identifiers only', () => {
    for (const ok of ['STOP', 'API_KEY_INVALID', 'models/gemini-2.5-flash', 'gemini-1.5-pro@002', 'GenerateRequestsPerDayPerProjectPerModel-FreeTier']) {
      assert.equal(serverId(ok, 200), ok);
    }
    for (const bad of ['', ' STOP', 'A B', '[x](command:y)', 'x\n', '$(alert)', 'a'.repeat(65), 7, null]) assert.equal(serverId(bad), undefined, String(bad));
  });

  it('cleanResponse drops a modelVersion that is too long or not a string, and odd reasons', () => {
    const hostile = {
      modelVersion: LONG_MODEL,
      candidates: [{ content: { parts: [{ text: 'hi' }, null] }, finishReason: '[x](command:evil)' }, null],
      promptFeedback: { blockReason: { nested: true } },
    } as unknown as GenerateContentResponse;
    const clean = cleanResponse(hostile);
    assert.equal('modelVersion' in clean, false);
    assert.deepEqual(clean.candidates, [{ content: { parts: [{ text: 'hi' }] } }]);
    assert.deepEqual(clean.promptFeedback, {});
    assert.equal(cleanResponse({ modelVersion: 42 } as unknown as GenerateContentResponse).modelVersion, undefined);
    assert.equal(cleanResponse({ candidates: 'x' } as unknown as GenerateContentResponse).candidates, undefined);
    assert.equal(cleanResponse({ candidates: [{ content: { parts: 'x' } }] } as unknown as GenerateContentResponse).candidates?.[0].content, undefined);
  });

  it('cleanResponse leaves a normal response as it is', () => {
    // Fields this extension does not read (`index`) pass through too.
    const normal = {
      candidates: [{ content: { role: 'model', parts: [{ text: 'a', thought: true }, { text: 'b' }] }, finishReason: 'MAX_TOKENS', index: 0 }],
      promptFeedback: { blockReason: 'SAFETY' },
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r1',
    } as unknown as GenerateContentResponse;
    assert.deepEqual(cleanResponse(normal), normal);
  });

  it('parseStreamEvent cleans every event', () => {
    assert.equal(parseStreamEvent(JSON.stringify({ modelVersion: { a: 1 } })).modelVersion, undefined);
    assert.equal(parseStreamEvent(JSON.stringify({ modelVersion: 'gemini-3' })).modelVersion, 'gemini-3');
  });

  it('cleanModels keeps usable models with checked fields', () => {
    const models = cleanModels([
      { name: 'models/gemini-2.5-flash', displayName: 'D'.repeat(500), description: 7, inputTokenLimit: 1000, outputTokenLimit: '9', supportedGenerationMethods: ['generateContent', 5, 'x y'] },
      { name: 42 },
      { name: 'models/' + 'x'.repeat(300) },
      null,
      'models/loose-string',
    ]);
    assert.equal(models.length, 1);
    assert.equal(models[0].displayName?.length, 200);
    assert.equal('description' in models[0], false);
    assert.equal(models[0].inputTokenLimit, 1000);
    assert.equal('outputTokenLimit' in models[0], false);
    assert.deepEqual(models[0].supportedGenerationMethods, ['generateContent']);
    assert.deepEqual(cleanModels('not a list'), []);
  });

  it('error bodies: reason and status must be identifiers, details only strings', () => {
    const body = JSON.stringify({
      error: {
        code: 400,
        message: 'm'.repeat(100_000),
        status: '[Open](command:workbench.action.terminal.sendSequence)',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: { toString: 1 }, metadata: { consumer: { x: 1 }, activationUrl: 5 } },
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'a b [c](command:d)' }, { quotaId: 'PerDay' }] },
        ],
      },
    });
    const err = errorFromHttpResponse(400, 'application/json', body, {});
    assert.ok(err instanceof GeminiError);
    assert.equal(err.googleStatus, undefined);
    assert.equal(err.reason, undefined);
    assert.ok(err.message.length < 400, err.message);
    assert.doesNotMatch(err.message, /command:/);
  });
});

describe('a hostile Gemini server cannot break the results panel', () => {
  let server: http.Server;
  let baseUrl: string;
  let frames: unknown[];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(frames.map((f) => `data: ${typeof f === 'string' ? f : JSON.stringify(f)}\r\n\r\n`).join(''));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  for (const modelVersion of [LONG_MODEL, 42, { name: 'x' }, ['gemini'], null]) {
    it(`modelVersion ${JSON.stringify(modelVersion).slice(0, 40)}: the panel's messages are still accepted`, async () => {
      frames = [{ candidates: [{ content: { parts: [{ text: 'answer' }] }, finishReason: 'STOP' }], modelVersion }];
      const client = new TestGeminiClient({ baseUrl, credential: () => apiKeyCredential('AIzaKey-123456'), log: nullLogger });
      const acc = new ResponseAccumulator();
      for await (const r of client.streamGenerateContent('gemini-2.5-flash', { contents: [{ role: 'user', parts: [{ text: 'q' }] }] })) acc.add(r);
      // What the panel does with it (panel.ts): the model shown is the server's version or the requested model.
      const store = new ResultStore();
      const record = store.add({ id: 'r1', title: 't', model: 'gemini-2.5-flash', sourceLabel: 'Google', emulator: false, createdAt: Date.now() });
      record.model = shortModelId(acc.modelVersion ?? 'gemini-2.5-flash');
      record.status = 'done';
      assert.equal(record.model, 'gemini-2.5-flash');
      assert.ok(parseStoredResult(JSON.parse(JSON.stringify(toStoredResult(record)))));
      assert.ok(store.historyItems().every((item) => parseHistoryItem(item)));
    });
  }
});
