import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { parseBaseUrl, modelResourceName } from '../../../src/core/gemini/client';
import { TestGeminiClient, type TestGeminiClientOptions } from '../../support/geminiClient';
import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';
import { ResponseAccumulator, responseParts, responseProblem, responseText } from '../../../src/core/gemini/response';
import { isThinkingModel, rejectsThinkingOption, withThinking, withoutThinking } from '../../../src/core/gemini/thinking';
import type { GenerateContentRequest, GenerateContentResponse } from '../../../src/core/gemini/types';
import { DEFAULT_FAKE_MODELS, FAKE_API_KEY, defaultAnswer, defaultThoughts, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { RecordingLogger } from '../../support/helpers';

const PROMPT = 'Summarize this: PROMPT-CANARY-7f3a the quick brown fox jumps over the lazy dog.';
const request = (text = PROMPT): GenerateContentRequest => ({ contents: [{ role: 'user', parts: [{ text }] }] });

async function rejectsWith(promise: Promise<unknown>, kind: string): Promise<GeminiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GeminiError, `expected a GeminiError, got ${String(err)}`);
    assert.equal(err.kind, kind, `kind (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected a ${kind} error, but the call succeeded`);
}

async function collect(stream: AsyncIterable<GenerateContentResponse>): Promise<{ parts: string[]; error?: GeminiError }> {
  const parts: string[] = [];
  try {
    for await (const r of stream) parts.push(responseText(r));
  } catch (err) {
    assert.ok(err instanceof GeminiError, `expected a GeminiError, got ${String(err)}`);
    return { parts, error: err };
  }
  return { parts };
}

describe('TestGeminiClient against the fake Gemini server', function () {
  let fake: FakeGemini;
  let log: RecordingLogger;
  let sleeps: number[];
  let credential: CredentialProvider | undefined;

  function makeClient(overrides: Partial<TestGeminiClientOptions> = {}): TestGeminiClient {
    return new TestGeminiClient({
      baseUrl: fake.baseUrl,
      credential: () => credential,
      log,
      timeouts: { connectMs: 1000, idleMs: 1000 },
      retry: {
        random: () => 0.5,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
      ...overrides,
    });
  }

  before(async () => {
    fake = await startFakeGemini({ maxPageSize: 3 });
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setAcceptBearer(() => false);
    log = new RecordingLogger();
    sleeps = [];
    credential = apiKeyCredential(FAKE_API_KEY);
  });

  describe('calls', () => {
    it('listModels follows nextPageToken across pages', async () => {
      const models = await makeClient().listModels();
      assert.deepEqual(
        models.map((m) => m.name),
        DEFAULT_FAKE_MODELS.map((m) => m.name),
      );
      const reqs = fake.modelRequests('listModels');
      assert.equal(reqs.length, Math.ceil(DEFAULT_FAKE_MODELS.length / 3));
      assert.equal(reqs[0].query.pageToken, undefined);
      assert.ok(reqs[1].query.pageToken, 'second page asks with the token');
      const flash = models.find((m) => m.name === 'models/gemini-3.5-flash');
      assert.equal(flash?.inputTokenLimit, 1_048_576);
      assert.ok(flash?.supportedGenerationMethods?.includes('generateContent'));
    });

    it('a streamed answer adds up to the answer, usage and model version', async () => {
      const client = makeClient();
      const res = await client.generateContent('gemini-3.5-flash', request());
      assert.equal(responseText(res), defaultAnswer(PROMPT, 'gemini-3.5-flash'));
      assert.equal(res.candidates?.[0]?.finishReason, 'STOP');
      assert.equal(res.usageMetadata?.promptTokenCount, Math.ceil(PROMPT.length / 4));
      assert.equal(res.modelVersion, 'gemini-3.5-flash');
      const [rec] = fake.modelRequests();
      assert.equal(rec.method, 'POST');
      assert.equal(rec.path, '/v1beta/models/gemini-3.5-flash:streamGenerateContent');
      assert.deepEqual(rec.json, request());
      assert.equal(rec.headers['content-type'], 'application/json; charset=utf-8');
    });

    it('accepts models/… names and rejects names that would change the path', async () => {
      const res = await makeClient().generateContent('models/gemini-3.5-pro', request());
      assert.ok(responseText(res).includes('gemini-3.5-pro'));
      assert.equal(modelResourceName('tunedModels/my-model'), 'tunedModels/my-model');
      for (const bad of ['../admin', 'models/a/b', 'a?b', 'x#y', '']) {
        assert.throws(() => modelResourceName(bad), (e: unknown) => e instanceof GeminiError && e.kind === 'modelNotFound', bad);
      }
    });

    it('streamGenerateContent yields the parts in order', async () => {
      const text = 'Première partie — é😀日本語 ' + 'x'.repeat(50) + ' fin.';
      fake.enqueue({ text, frames: 7, lineEnding: '\n', chunkSize: 5 });
      const { parts, error } = await collect(makeClient().streamGenerateContent('gemini-3.5-flash', request()));
      assert.equal(error, undefined);
      assert.equal(parts.length, 7);
      assert.equal(parts.join(''), text);
      const [rec] = fake.modelRequests();
      assert.equal(rec.url, '/v1beta/models/gemini-3.5-flash:streamGenerateContent?alt=sse');
      assert.equal(rec.headers.accept, 'text/event-stream');
    });

    it('streams a large answer in many frames', async () => {
      fake.enqueue({ largeBytes: 300_000, frames: 40 });
      const acc = new ResponseAccumulator();
      for await (const r of makeClient().streamGenerateContent('gemini-3.5-flash', request())) acc.add(r);
      assert.equal(acc.text.length, 300_000);
      assert.equal(acc.chunks, 40);
      assert.equal(acc.finishReason, 'STOP');
      assert.equal(acc.problem(), undefined);
      assert.ok(acc.usage?.totalTokenCount);
    });

    it('countTokens counts, using the wrapped form when there is a system instruction', async () => {
      const client = makeClient();
      assert.equal((await client.countTokens('gemini-3.5-flash', request())).totalTokens, Math.ceil(PROMPT.length / 4));
      const withSystem: GenerateContentRequest = { ...request(), systemInstruction: { parts: [{ text: 'Be brief.' }] } };
      const counted = await client.countTokens('gemini-3.5-flash', withSystem);
      assert.equal(counted.totalTokens, Math.ceil((PROMPT.length + 1 + 'Be brief.'.length) / 4));
      const recs = fake.modelRequests('countTokens');
      assert.deepEqual(recs[0].json, { contents: request().contents });
      assert.deepEqual(recs[1].json, { generateContentRequest: { model: 'models/gemini-3.5-flash', ...withSystem } });
    });

    it('checkPromptSize reports over-limit prompts, and estimates when countTokens fails', async () => {
      const client = makeClient();
      const long = request('word '.repeat(80)); // 400 chars → 100 tokens
      const check = await client.checkPromptSize('gemini-fake-tiny', long, 64);
      assert.deepEqual(check, { tokens: 100, estimated: false, inputTokenLimit: 64, overLimit: true });
      assert.equal((await client.checkPromptSize('gemini-fake-tiny', request('short'), 64)).overLimit, false);
      fake.enqueue({ match: 'countTokens', error: 'internal', times: 10 });
      const estimated = await makeClient({ retry: { maxRetries: 0 } }).checkPromptSize('gemini-fake-tiny', long, 64);
      assert.deepEqual(estimated, { tokens: 100, estimated: true, inputTokenLimit: 64, overLimit: true });
    });

    it('validateApiKey makes one GET /models with the key in the header', async () => {
      const client = makeClient({ credential: () => undefined });
      await client.validateApiKey(FAKE_API_KEY);
      const bad = await rejectsWith(client.validateApiKey('AIzaThisKeyIsNotValid-000000000000000000'), 'invalidApiKey');
      assert.equal(bad.reason, 'API_KEY_INVALID');
      await rejectsWith(client.validateApiKey('has space\n'), 'invalidApiKey');
      const reqs = fake.modelRequests();
      assert.equal(reqs.length, 2, 'one request per validation; a malformed key is not sent');
      assert.ok(reqs.every((r) => r.method === 'GET' && r.path === '/v1beta/models'));
      assert.equal(reqs[0].headers['x-goog-api-key'], FAKE_API_KEY);
    });
  });

  describe('errors', () => {
    const cases: { name: string; setup: (f: FakeGemini) => void; kind: string; action?: string; message: RegExp; oauth?: boolean; model?: string }[] = [
      { name: 'invalid API key (native)', setup: (f) => f.setValidKeys(['AIzaSomeOtherKey']), kind: 'invalidApiKey', action: 'setApiKey', message: /rejected by Google \(API_KEY_INVALID\).*Set API Key/ },
      { name: 'expired API key', setup: (f) => f.enqueue({ error: 'apiKeyExpired' }), kind: 'invalidApiKey', action: 'setApiKey', message: /API_KEY_EXPIRED/ },
      { name: '401 with an API key', setup: (f) => f.enqueue({ error: 'unauthenticated' }), kind: 'unauthenticated', action: 'setApiKey', message: /401/ },
      { name: 'API not enabled', setup: (f) => f.enqueue({ error: 'apiNotEnabled' }), kind: 'apiNotEnabled', action: 'openUrl', message: /not enabled for Google Cloud project 123456789012 \(SERVICE_DISABLED\)\. Enable it/ },
      { name: 'quota project missing', setup: (f) => f.enqueue({ error: 'quotaProjectMissing' }), kind: 'quotaProjectMissing', action: 'openSettings', message: /quota project.*gemini\.quotaProject/, oauth: true },
      { name: 'quota project denied', setup: (f) => f.enqueue({ error: 'userProjectDenied' }), kind: 'quotaProjectMissing', action: 'openSettings', message: /USER_PROJECT_DENIED/, oauth: true },
      { name: 'insufficient scopes', setup: (f) => f.enqueue({ error: 'scopeInsufficient' }), kind: 'permissionDenied', action: 'signIn', message: /ACCESS_TOKEN_SCOPE_INSUFFICIENT.*Sign in again/, oauth: true },
      { name: 'permission denied', setup: (f) => f.enqueue({ error: 'permissionDenied' }), kind: 'permissionDenied', action: 'setApiKey', message: /403 PERMISSION_DENIED: The caller does not have permission/ },
      { name: 'model not found (scripted)', setup: (f) => f.enqueue({ error: 'modelNotFound' }), kind: 'modelNotFound', action: 'selectModel', message: /'gemini-3\.5-flash' was not found.*Select Model/ },
      { name: 'model not found (native)', setup: () => {}, kind: 'modelNotFound', action: 'selectModel', message: /'gemini-nope'/, model: 'gemini-nope' },
      { name: 'model without generateContent', setup: () => {}, kind: 'modelNotFound', action: 'selectModel', message: /gemini-embedding-001/, model: 'gemini-embedding-001' },
      { name: 'daily quota exhausted', setup: (f) => f.enqueue({ error: 'quotaExhaustedDaily' }), kind: 'quotaExhausted', action: 'openUrl', message: /GenerateRequestsPerDay.*daily limit/ },
      { name: 'bad request', setup: (f) => f.enqueue({ error: 'badRequest' }), kind: 'badRequest', message: /400 INVALID_ARGUMENT: \* GenerateContentRequest\.contents: contents is not specified\)/ },
      { name: 'non-JSON HTML 502', setup: (f) => f.setScenario({ html: true }), kind: 'notJson', action: 'openSettings', message: /answered HTTP 502 with text\/html instead of Gemini's JSON.*proxy/ },
      { name: '500 internal (after retries)', setup: (f) => f.setScenario({ error: 'internal' }), kind: 'server', action: 'retry', message: /500 INTERNAL.*Try again/ },
      { name: '503 unavailable (after retries)', setup: (f) => f.setScenario({ error: 'unavailable' }), kind: 'server', action: 'retry', message: /503 UNAVAILABLE: The model is overloaded/ },
      { name: '504 deadline (after retries)', setup: (f) => f.setScenario({ error: 'deadlineExceeded' }), kind: 'server', action: 'retry', message: /504 DEADLINE_EXCEEDED/ },
    ];

    for (const c of cases) {
      it(`${c.name} → ${c.kind}`, async () => {
        c.setup(fake);
        if (c.oauth) {
          fake.setAcceptBearer((t) => t === 'ya29.valid-access-token');
          credential = oauthCredential({ id: 'acct', getAccessToken: async () => 'ya29.valid-access-token' });
        }
        const err = await rejectsWith(makeClient().generateContent(c.model ?? 'gemini-3.5-flash', request()), c.kind);
        assert.match(err.message, c.message);
        assert.equal(err.action?.kind, c.action);
        if (err.action?.kind === 'openUrl') assert.match(err.action.url, /^https:\/\/[a-z.]*(google\.com|google\.dev)\//);
        assert.ok(!err.message.includes(FAKE_API_KEY) && !err.message.includes('ya29.') && !err.message.includes('PROMPT-CANARY'));
        assert.ok(!err.message.includes('<html') && !err.message.includes('Bad Gateway'), 'no body dump');
        assert.ok(err.message.length < 400, 'short message');
      });
    }

    it('the API-not-enabled action opens the activation URL from the error', async () => {
      fake.enqueue({ error: 'apiNotEnabled' });
      const err = await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'apiNotEnabled');
      assert.equal(err.action?.kind === 'openUrl' && err.action.url, 'https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789012');
    });

    it('blockReason and non-STOP finishReason are returned, and described by responseProblem', async () => {
      const client = makeClient();
      fake.enqueue({ blockReason: 'SAFETY' });
      const blocked = await client.generateContent('gemini-3.5-flash', request());
      const p1 = responseProblem(blocked);
      assert.equal(p1?.kind, 'blocked');
      assert.match(p1?.message ?? '', /blocked the prompt.*\(SAFETY\).*Rephrase/);

      fake.enqueue({ finishReason: 'MAX_TOKENS', frames: 4 });
      const acc = new ResponseAccumulator();
      for await (const r of client.streamGenerateContent('gemini-3.5-flash', request())) acc.add(r);
      assert.ok(acc.text.length > 0, 'partial output kept');
      const p2 = acc.problem();
      assert.equal(p2?.kind, 'finishReason');
      assert.equal(p2?.finishReason, 'MAX_TOKENS');
      assert.match(p2?.message ?? '', /maximum length \(MAX_TOKENS\)\. Ask for a shorter answer.*partial answer is kept/);

      fake.enqueue({ finishReason: 'SAFETY' });
      assert.match(responseProblem(await client.generateContent('gemini-3.5-flash', request()))?.message ?? '', /blocked by safety filters \(SAFETY\)\. Rephrase/);
    });

    it('an unreachable server → network error (retried, then reported)', async () => {
      const port = await closedPort();
      const err = await rejectsWith(makeClient({ baseUrl: `http://127.0.0.1:${port}` }).generateContent('gemini-3.5-flash', request()), 'network');
      assert.match(err.message, /Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
      assert.equal(sleeps.length, 3, 'network errors are retried up to the cap');
    });

    it('a non-JSON event inside the stream → invalidResponse after the good parts', async () => {
      fake.enqueue({ frames: 4, garbageAfterFrames: 2 });
      const { parts, error } = await collect(makeClient().streamGenerateContent('gemini-3.5-flash', request()));
      assert.equal(parts.length, 2);
      assert.equal(error?.kind, 'invalidResponse');
    });
  });

  describe('retries', () => {
    it('429 honours RetryInfo.retryDelay, then succeeds', async () => {
      fake.enqueue({ error: 'quotaExhausted', retryDelay: '22s' });
      const res = await makeClient().generateContent('gemini-3.5-flash', request());
      assert.ok(responseText(res).startsWith('## Summary'));
      assert.deepEqual(sleeps, [22_500], '22 s plus at most 1 s of jitter (random=0.5)');
      assert.equal(fake.modelRequests().length, 2);
      assert.match(log.requestLines()[0], /status=200 .*retries=1/);
    });

    it('429 with fractional retryDelay is honoured', async () => {
      fake.enqueue({ error: 'quotaExhausted', retryDelay: '1.5s' });
      await makeClient().generateContent('gemini-3.5-flash', request());
      assert.deepEqual(sleeps, [1575]);
    });

    it('gives up at once with the quota message when Google asks for a very long wait', async () => {
      fake.enqueue({ error: 'quotaExhausted', retryDelay: '3600s' });
      const err = await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'quotaExhausted');
      assert.deepEqual(sleeps, []);
      assert.equal(err.retryAfterMs, 3_600_000);
      assert.match(err.message, /wait 60 min/);
      assert.equal(fake.modelRequests().length, 1);
    });

    it('Retry-After in seconds is honoured', async () => {
      fake.enqueue({ error: 'unavailable', retryAfter: '3' });
      await makeClient().generateContent('gemini-3.5-flash', request());
      assert.deepEqual(sleeps, [3150]);
    });

    it('Retry-After as an HTTP date is honoured', async () => {
      const now = Date.UTC(2030, 0, 1, 12, 0, 0);
      fake.enqueue({ error: 'unavailable', retryAfter: new Date(now + 5000).toUTCString() });
      await makeClient({ now: () => now }).generateContent('gemini-3.5-flash', request());
      assert.deepEqual(sleeps, [5250], '5 s plus jitter of up to 10% (random=0.5)');
    });

    it('503 then success, with jittered exponential backoff', async () => {
      fake.enqueue({ error: 'unavailable', times: 2 });
      const res = await makeClient().generateContent('gemini-3.5-flash', request());
      assert.equal(res.candidates?.[0]?.finishReason, 'STOP');
      assert.deepEqual(sleeps, [375, 750]);
    });

    it('stops at the retry cap', async () => {
      fake.setScenario({ error: 'unavailable' });
      await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'server');
      assert.equal(fake.modelRequests().length, 4, 'first attempt + 3 retries');
      assert.equal(sleeps.length, 3);
      assert.match(log.requestLines()[0], /status=503 .*retries=3 .*error=server/);
    });

    it('does not retry a 400', async () => {
      fake.enqueue({ error: 'badRequest' });
      await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'badRequest');
      assert.equal(fake.modelRequests().length, 1);
    });

    it('retries a stream only before it starts', async () => {
      fake.enqueue({ error: 'unavailable', match: 'streamGenerateContent' });
      const { parts, error } = await collect(makeClient().streamGenerateContent('gemini-3.5-flash', request()));
      assert.equal(error, undefined);
      assert.equal(parts.length, 3);
      assert.equal(fake.modelRequests().length, 2);
    });

    it('real (abortable) sleep is used by default and honours the abort signal', async () => {
      fake.setScenario({ error: 'quotaExhausted', retryDelay: '10s' });
      const controller = new AbortController();
      const client = makeClient({ retry: {} });
      const started = Date.now();
      setTimeout(() => controller.abort(), 50);
      await rejectsWith(client.generateContent('gemini-3.5-flash', request(), { signal: controller.signal }), 'cancelled');
      assert.ok(Date.now() - started < 1000, 'the 10 s wait was cut short');
    });
  });

  describe('OAuth', () => {
    const STALE = 'ya29.stale-token-aaaaaaaaaaaa';
    const FRESH = 'ya29.fresh-token-bbbbbbbbbbbb';

    function oauth(tokens: { stale: string; fresh: string }, calls: boolean[], quotaProject?: string) {
      return oauthCredential({
        id: 'sub-123',
        getAccessToken: async (force) => {
          calls.push(force);
          return calls.some((f) => f) ? tokens.fresh : tokens.stale;
        },
        quotaProject: () => quotaProject,
      });
    }

    it('401 → exactly one refresh and one retry', async () => {
      fake.setAcceptBearer((t) => t === FRESH);
      const calls: boolean[] = [];
      credential = oauth({ stale: STALE, fresh: FRESH }, calls, 'my-quota-project');
      const res = await makeClient().generateContent('gemini-3.5-flash', request());
      assert.ok(responseText(res).length > 0);
      assert.deepEqual(calls, [false, true, false], 'headers, forced refresh, headers again');
      const reqs = fake.modelRequests();
      assert.equal(reqs.length, 2);
      assert.equal(reqs[0].headers.authorization, `Bearer ${STALE}`);
      assert.equal(reqs[1].headers.authorization, `Bearer ${FRESH}`);
      assert.equal(reqs[1].headers['x-goog-user-project'], 'my-quota-project');
      assert.equal(reqs[1].headers['x-goog-api-key'], undefined);
      assert.deepEqual(sleeps, [], 'the refresh retry does not back off');
    });

    it('a second 401 → unauthenticated with a Sign In action', async () => {
      const calls: boolean[] = [];
      credential = oauth({ stale: STALE, fresh: FRESH }, calls);
      const err = await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'unauthenticated');
      assert.equal(err.action?.kind, 'signIn');
      assert.match(err.message, /Sign In/);
      assert.equal(calls.filter((f) => f).length, 1, 'one refresh only');
      assert.equal(fake.modelRequests().length, 2);
    });

    it('a refresh that fails (e.g. invalid_grant) → unauthenticated, no loop', async () => {
      let forced = 0;
      credential = oauthCredential({
        id: 'sub-1',
        getAccessToken: async (force) => {
          if (force) {
            forced++;
            throw new Error('invalid_grant');
          }
          return STALE;
        },
      });
      await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'unauthenticated');
      assert.equal(forced, 1);
      assert.equal(fake.modelRequests().length, 1);
    });

    it('a failing token source → unauthenticated with Sign In, nothing sent', async () => {
      credential = oauthCredential({ id: 'sub-1', getAccessToken: async () => Promise.reject(new Error('no refresh token stored')) });
      const err = await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'unauthenticated');
      assert.equal(err.action?.kind, 'signIn');
      assert.equal(fake.requests.length, 0);
    });

    it('the fake can require a quota project, and the header satisfies it', async () => {
      fake.setAcceptBearer((t) => t === FRESH);
      fake.setRequireQuotaProject(true);
      try {
        credential = oauth({ stale: FRESH, fresh: FRESH }, []);
        await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request()), 'quotaProjectMissing');
        credential = oauth({ stale: FRESH, fresh: FRESH }, [], 'proj-1');
        await makeClient().generateContent('gemini-3.5-flash', request());
      } finally {
        fake.setRequireQuotaProject(false);
      }
    });
  });

  describe('streams, timeouts and cancellation', () => {
    it('a stream that dies halfway → the parts so far, then streamInterrupted (not retried)', async () => {
      fake.enqueue({ frames: 6, dieAfterFrames: 3 });
      const { parts, error } = await collect(makeClient().streamGenerateContent('gemini-3.5-flash', request()));
      assert.equal(parts.length, 3);
      assert.equal(error?.kind, 'streamInterrupted');
      assert.match(error?.message ?? '', /partial answer is kept/);
      assert.equal(error?.action?.kind, 'retry');
      assert.equal(fake.modelRequests().length, 1);
      assert.match(log.requestLines()[0], /status=200 .*error=streamInterrupted/);
    });

    it('a stalled server → idle timeout', async () => {
      fake.setScenario({ stall: true, match: 'any' });
      const started = Date.now();
      const err = await rejectsWith(
        makeClient({ timeouts: { connectMs: 1000, idleMs: 150 } }).generateContent('gemini-3.5-flash', request()),
        'timeout',
      );
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 140 && elapsed < 1500, `elapsed ${elapsed}ms`);
      assert.match(err.message, /stopped responding/);
      assert.equal(err.action?.kind, 'retry');
      const closed = await fake.whenClosed(fake.modelRequests()[0].id);
      assert.equal(closed.outcome, 'clientClosed');
    });

    it('a stream that stalls between frames → idle timeout ends it', async () => {
      fake.enqueue({ frames: 3, frameDelayMs: 400 });
      const { error } = await collect(makeClient({ timeouts: { connectMs: 1000, idleMs: 150 } }).streamGenerateContent('gemini-3.5-flash', request()));
      assert.equal(error?.kind, 'timeout');
    });

    it('abort mid-stream stops at once and the server sees the connection close', async () => {
      fake.enqueue({ frames: 40, frameDelayMs: 25 });
      const controller = new AbortController();
      const parts: string[] = [];
      let error: unknown;
      let abortedAt = 0;
      try {
        for await (const r of makeClient().streamGenerateContent('gemini-3.5-flash', request(), { signal: controller.signal })) {
          parts.push(responseText(r));
          if (parts.length === 2) {
            abortedAt = Date.now();
            setTimeout(() => controller.abort(), 5);
          }
        }
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof GeminiError && error.kind === 'cancelled', String(error));
      assert.ok(Date.now() - abortedAt < 300, 'stopped without waiting for the remaining frames (~1 s)');
      assert.ok(parts.length <= 3);
      const rec = await fake.whenClosed(fake.modelRequests()[0].id);
      assert.equal(rec.outcome, 'clientClosed');
      assert.ok(rec.framesSent < 10, `server sent ${rec.framesSent} frames`);
      assert.match(log.requestLines()[0], /error=cancelled/);
    });

    it('breaking out of the loop closes the connection', async () => {
      fake.enqueue({ frames: 40, frameDelayMs: 20 });
      for await (const _ of makeClient().streamGenerateContent('gemini-3.5-flash', request())) break;
      const rec = await fake.whenClosed(fake.modelRequests()[0].id);
      assert.equal(rec.outcome, 'clientClosed');
      assert.ok(rec.framesSent < 5);
    });

    it('an already-aborted signal sends nothing', async () => {
      const controller = new AbortController();
      controller.abort();
      await rejectsWith(makeClient().generateContent('gemini-3.5-flash', request(), { signal: controller.signal }), 'cancelled');
      assert.equal(fake.requests.length, 0);
    });
  });

  describe('security', () => {
    it('sends the API key only in the x-goog-api-key header, never in a URL', async () => {
      const client = makeClient();
      await client.listModels();
      await client.generateContent('gemini-3.5-flash', request());
      await collect(client.streamGenerateContent('gemini-3.5-flash', request()));
      await client.countTokens('gemini-3.5-flash', request());
      await client.validateApiKey(FAKE_API_KEY);
      assert.ok(fake.requests.length >= 7);
      for (const r of fake.requests) {
        assert.ok(!/[?&]key=/.test(r.url) && !r.url.includes(FAKE_API_KEY), r.url);
        assert.equal(r.headers['x-goog-api-key'], FAKE_API_KEY);
        assert.equal(r.headers.authorization, undefined);
        assert.ok(!r.body.includes(FAKE_API_KEY));
      }
    });

    it('the fake refuses a key in the URL (so the check above can fail)', async () => {
      const res = await fetch(`${fake.baseUrl}/v1beta/models?key=${FAKE_API_KEY}`, { headers: { 'x-goog-api-key': FAKE_API_KEY } });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: { details: { reason?: string }[] } };
      assert.equal(body.error.details[0].reason, 'FAKE_KEY_IN_URL');
    });

    it('rejects an http:// base URL that is not loopback, before sending anything', async () => {
      for (const bad of ['http://generativelanguage.googleapis.com', 'http://192.168.1.10:8080', 'ftp://example.com', 'not a url', 'https://user:pw@example.com', 'https://example.com/?key=x']) {
        assert.throws(() => parseBaseUrl(bad), (e: unknown) => e instanceof GeminiError && e.kind === 'invalidBaseUrl' && e.action?.kind === 'openSettings' && e.action.setting === 'gemini.api.baseUrl', bad);
      }
      const err = await rejectsWith(makeClient({ baseUrl: 'http://example.com' }).generateContent('gemini-3.5-flash', request()), 'invalidBaseUrl');
      assert.match(err.message, /must use https:\/\/.*127\.0\.0\.1, localhost and \[::1\]/);
      for (const ok of ['https://generativelanguage.googleapis.com', 'http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9', 'https://proxy.example.com/gemini/']) {
        assert.doesNotThrow(() => parseBaseUrl(ok), ok);
      }
      assert.equal(parseBaseUrl('https://x.example.com/v1beta/').href, 'https://x.example.com/');
      assert.equal(parseBaseUrl('https://x.example.com/gemini/').href, 'https://x.example.com/gemini');
    });

    it('honours a base URL with a path prefix', async () => {
      const client = makeClient({ baseUrl: `${fake.baseUrl}/v1beta/` });
      await client.generateContent('gemini-3.5-flash', request());
      assert.equal(fake.modelRequests()[0].path, '/v1beta/models/gemini-3.5-flash:streamGenerateContent');
    });
  });

  describe('thinking models', () => {
    const bodyOf = (i: number) => fake.modelRequests()[i]?.json as GenerateContentRequest;

    it('asks for thought summaries (and the level) and gets the thought parts apart from the answer', async () => {
      fake.enqueue({ thoughts: '**Planning**\n\nShort answer first.', thoughtFrames: 3, frames: 4 });
      const acc = new ResponseAccumulator();
      const order: string[] = [];
      for await (const r of makeClient().streamGenerateContent('gemini-3.5-flash', withThinking(request(), 'high'))) {
        const delta = acc.add(r);
        if (delta.thoughts) order.push('thought');
        if (delta.answer) order.push('answer');
      }
      assert.deepEqual(bodyOf(0).generationConfig, { thinkingConfig: { includeThoughts: true, thinkingLevel: 'high' } });
      assert.deepEqual(order, ['thought', 'thought', 'thought', 'answer', 'answer', 'answer', 'answer'], 'thoughts stream first');
      assert.equal(acc.thoughts, '**Planning**\n\nShort answer first.');
      assert.equal(acc.text, defaultAnswer(PROMPT, 'gemini-3.5-flash'), 'the answer holds no thought');
      assert.equal(acc.usage?.thoughtsTokenCount, Math.ceil(acc.thoughts.length / 4));
      assert.equal(acc.usage?.candidatesTokenCount, Math.ceil(acc.text.length / 4), 'the answer count leaves thinking out');
      assert.match(log.requestLines()[0]!, / retries=0 .*thinkingTokens=\d+$/);
    });

    it("the 'default' level sends no level; without thinking options nothing is added and no thought comes back", async () => {
      const client = makeClient();
      await client.generateContent('gemini-3.5-flash', withThinking(request(), 'default'));
      assert.deepEqual(bodyOf(0).generationConfig, { thinkingConfig: { includeThoughts: true } });
      const plain = await client.generateContent('gemini-3.5-flash', request());
      assert.deepEqual(bodyOf(1), request());
      assert.deepEqual(responseParts(plain), { answer: defaultAnswer(PROMPT, 'gemini-3.5-flash'), thoughts: '' });
      assert.ok(plain.usageMetadata?.thoughtsTokenCount, 'a thinking model still thinks and counts it');
    });

    it('a model that refuses the thinking options is asked once more without them, and the log says so', async () => {
      fake.enqueue({ rejectThinking: true });
      const { parts, error } = await collect(makeClient().streamGenerateContent('gemini-3.5-flash', withThinking({ ...request(), generationConfig: { temperature: 0.2 } }, 'minimal')));
      assert.equal(error, undefined);
      assert.equal(parts.join(''), defaultAnswer(PROMPT, 'gemini-3.5-flash'));
      const reqs = fake.modelRequests('streamGenerateContent');
      assert.deepEqual(reqs.map((r) => r.status), [400, 200]);
      assert.deepEqual(bodyOf(1).generationConfig, { temperature: 0.2 }, 'only the thinking options are dropped');
      assert.ok(log.lines.some((l) => /gemini-3\.5-flash refused the thinking options \(400 INVALID_ARGUMENT\), retrying once without them/.test(l)));
      assert.match(log.requestLines()[0]!, / status=200 .*retries=1 /);
      assert.deepEqual(sleeps, [], 'no backoff: the model answered at once');
    });

    it('an unknown thinking level (Google: "Invalid value at …thinking_level") and a model that cannot think are retried without', async () => {
      const client = makeClient();
      const res = await client.generateContent('gemini-3.5-flash', withThinking(request(), 'extreme' as never));
      assert.equal(responseText(res), defaultAnswer(PROMPT, 'gemini-3.5-flash'));
      await client.generateContent('gemini-3.5-flash-image', withThinking(request(), 'default'));
      assert.deepEqual(fake.modelRequests().map((r) => [r.model, r.status]), [
        ['gemini-3.5-flash', 400],
        ['gemini-3.5-flash', 200],
        ['gemini-3.5-flash-image', 400],
        ['gemini-3.5-flash-image', 200],
      ]);
    });

    it('other 400s are not retried, and a refusal without thinking options is not retried either', async () => {
      fake.enqueue({ error: 'badRequest' });
      await rejectsWith(makeClient().generateContent('gemini-3.5-flash', withThinking(request(), 'low')), 'badRequest');
      assert.equal(fake.modelRequests().length, 1);
      assert.equal(rejectsThinkingOption(400, JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Thinking level MINIMAL is not supported for this model.' } })), true);
      assert.equal(rejectsThinkingOption(400, JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "include_thoughts" at \'generation_config.thinking_config\'' } })), true);
      assert.equal(rejectsThinkingOption(400, JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Unknown name "temprature"' } })), false, 'not about thinking');
      assert.equal(rejectsThinkingOption(400, JSON.stringify({ error: { code: 400, status: 'FAILED_PRECONDITION', message: 'thinking' } })), false);
      assert.equal(rejectsThinkingOption(500, JSON.stringify({ error: { code: 500, status: 'INVALID_ARGUMENT', message: 'thinking' } })), false);
      assert.equal(rejectsThinkingOption(400, '<html>thinking</html>'), false);
      assert.equal(withoutThinking(request()), undefined, 'nothing to drop: no second request');
    });

    it('which models think: the models.list entry decides; without one, Gemini 3 and later ids', () => {
      const table: [string, { thinking?: boolean } | undefined, boolean][] = [
        ['gemini-2.5-flash', { thinking: true }, true],
        ['gemini-3.5-flash', { thinking: false }, false],
        ['gemini-3.5-flash', {}, false],
        ['gemini-3.5-flash', undefined, true],
        ['models/gemini-3-pro-preview', undefined, true],
        ['gemini-3.8-flash-lite', undefined, true],
        ['gemini-10.0-ultra', undefined, true],
        ['gemini-2.5-flash', undefined, false],
        ['gemini-3.5-flash-preview-tts', undefined, false],
        ['gemini-3-embedding-001', undefined, false],
        ['gemini-3.5-flash-live', undefined, false],
        ['gemma-3-27b-it', undefined, false],
        ['tunedModels/gemini-3-mine', undefined, false],
        ['gemini-30', undefined, true],
      ];
      for (const [model, entry, expected] of table) assert.equal(isThinkingModel(model, entry), expected, `${model} ${JSON.stringify(entry)}`);
    });

    it('the accumulator separates interleaved thought and answer parts, in and across responses', () => {
      const acc = new ResponseAccumulator();
      const parts = (...p: { text?: string; thought?: boolean }[]): GenerateContentResponse => ({ candidates: [{ content: { role: 'model', parts: p } }] });
      assert.deepEqual(acc.add(parts({ text: 'T1 ', thought: true })), { answer: '', thoughts: 'T1 ' });
      assert.deepEqual(acc.add(parts({ text: 'T2 ', thought: true }, { text: 'A1 ' }, { text: 'T3 ', thought: true }, { text: 'A2' })), { answer: 'A1 A2', thoughts: 'T2 T3 ' });
      acc.add(parts({ text: 'no', thought: 'yes' as never }, { thought: true }, {}));
      acc.add({ candidates: [{ content: { parts: 'garbage' as never } }], usageMetadata: { thoughtsTokenCount: 9 } });
      assert.equal(acc.text, 'A1 A2no', 'only thought: true marks a thought');
      assert.equal(acc.thoughts, 'T1 T2 T3 ');
      assert.equal(acc.usage?.thoughtsTokenCount, 9);
      assert.equal(acc.problem(), undefined);
      assert.equal(responseText(parts({ text: 'hidden', thought: true })), '');
    });

    it('a thought-only response is not a partial answer when the model stops early', () => {
      const acc = new ResponseAccumulator();
      acc.add({ candidates: [{ content: { parts: [{ text: 'thinking…', thought: true }] }, finishReason: 'MAX_TOKENS' }] });
      assert.doesNotMatch(acc.problem()?.message ?? '', /partial answer is kept/);
      assert.equal(defaultThoughts('a\nb').includes('2 lines'), true);
    });
  });

  describe('request log', () => {
    it('one line per request with method, model, status, latency, retries, tokens and prompt size', async () => {
      let t = 1000;
      const client = makeClient({ now: () => (t += 7) });
      await collect(client.streamGenerateContent('models/gemini-3.5-flash', request()));
      await client.countTokens('gemini-3.5-flash', request());
      await client.listModels();
      const lines = log.requestLines();
      const tokens = `tokens=${Math.ceil(PROMPT.length / 4)}/\\d+/\\d+`;
      assert.match(lines[0], new RegExp(`^\\[request\\] POST streamGenerateContent model=gemini-3\\.5-flash status=200 latency=\\d+ms retries=0 ${tokens} promptChars=${PROMPT.length} events=3 thinkingTokens=\\d+$`));
      assert.match(lines[1], /^\[request\] POST countTokens model=gemini-3\.5-flash status=200 latency=\d+ms retries=0 tokens=\d+\/-\/- promptChars=\d+$/);
      assert.match(lines[2], /^\[request\] GET listModels status=200 latency=\d+ms retries=0 page=1 models=3$/);
      assert.equal(lines.length, 2 + Math.ceil(DEFAULT_FAKE_MODELS.length / 3));
    });

    it('no captured log line contains a key, a token or prompt text', async () => {
      const SECRET_KEY = 'sk-live-not-google-shaped-0123456789';
      const ACCESS = 'ya29.a0AfH6SMBx-secret-access-token';
      const REFRESHED = 'opaque-refreshed-token-XYZ987654';
      fake.setValidKeys([FAKE_API_KEY, SECRET_KEY]);
      fake.setAcceptBearer((t) => t === REFRESHED);
      const secrets = [SECRET_KEY, ACCESS, REFRESHED, FAKE_API_KEY, 'PROMPT-CANARY-7f3a', 'quick brown fox'];

      credential = apiKeyCredential(SECRET_KEY);
      const client = makeClient();
      await client.generateContent('gemini-3.5-flash', request());
      await collect(client.streamGenerateContent('gemini-3.5-flash', request()));
      await client.countTokens('gemini-3.5-flash', request());
      fake.enqueue({ error: 'quotaExhausted', retryDelay: '1s' }, { error: 'invalidApiKey' });
      await rejectsWith(client.generateContent('gemini-3.5-flash', request()), 'invalidApiKey');
      await rejectsWith(client.validateApiKey('AIzaWrongKey0000000000000000000000000000'), 'invalidApiKey');
      await client.validateApiKey(SECRET_KEY);
      let forced = false;
      credential = oauthCredential({
        id: 'sub-1',
        getAccessToken: async (force) => {
          forced ||= force;
          return forced ? REFRESHED : ACCESS;
        },
      });
      await client.generateContent('gemini-3.5-flash', request());
      await collect(client.streamGenerateContent('gemini-3.5-flash', request()));
      fake.enqueue({ frames: 5, dieAfterFrames: 2 });
      await collect(client.streamGenerateContent('gemini-3.5-flash', request()));

      assert.ok(log.requestLines().length >= 9, `got ${log.requestLines().length} request lines`);
      for (const line of log.lines) {
        for (const s of [...secrets, 'AIzaWrongKey', 'Bearer', 'x-goog']) {
          assert.ok(!line.includes(s), `log line leaks ${JSON.stringify(s)}: ${line}`);
        }
      }
    });
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

