import * as assert from 'node:assert/strict';
import { parseDoc } from '../../../src/core/activity/model';
import { ActivityRecorder } from '../../../src/core/activity/recorder';
import { ACTIVITY_STATE_KEY, ActivityStore } from '../../../src/core/activity/store';
import { summarize } from '../../../src/core/activity/usage';
import { nullLogger } from '../../../src/core/common/logger';
import type { StoredApiKey } from '../../../src/core/credentials/apiKeyStore';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential, oauthCredential } from '../../../src/core/gemini/credentials';
import type { UsageMetadata } from '../../../src/core/gemini/types';
import { FAKE_API_KEY, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { MemoryKeyValue, fixedClock } from './helpers';

const NOW = Date.UTC(2026, 11, 1, 12);

function setup(kv = new MemoryKeyValue(), key?: { current: StoredApiKey | undefined }) {
  const clock = fixedClock(NOW);
  const store = new ActivityStore({ kv, log: nullLogger, clock, schedule: () => ({ dispose() {} }) });
  const apiKey = key ?? { current: undefined as StoredApiKey | undefined };
  const recorder = new ActivityRecorder({
    store,
    now: clock.now,
    currentApiKey: async () => apiKey.current,
    accountLabel: (id) => (id === '1001' ? 'alice@example.com' : undefined),
  });
  return { store, recorder, apiKey, kv, clock };
}

async function doc(store: ActivityStore, kv: MemoryKeyValue) {
  await store.flush();
  return parseDoc(kv.get(ACTIVITY_STATE_KEY));
}

describe('activity/ActivityRecorder', () => {
  it('records sign-in, refresh, refresh failure and sign-out with the revocation outcome', async () => {
    const { store, recorder, kv } = setup();
    const account = { id: '1001', label: 'alice@example.com' };
    recorder.onAuthActivity({ kind: 'signIn', account, issuer: 'oauth2.googleapis.com' });
    recorder.onAuthActivity({ kind: 'refresh', account });
    recorder.onAuthActivity({ kind: 'refreshFailed', account, reason: 'transient' });
    recorder.onAuthActivity({ kind: 'signOut', account, revocation: 'failed' });
    const d = await doc(store, kv);
    assert.deepEqual(
      d.events.map((e) => [e.kind, e.detail, e.credential?.label]).reverse(),
      [
        ['signIn', 'oauth2.googleapis.com', 'alice@example.com'],
        ['refresh', undefined, 'alice@example.com'],
        ['refreshFailed', 'transient', 'alice@example.com'],
        ['signOut', 'failed', 'alice@example.com'],
      ],
    );
    assert.deepEqual(d.credentials[0], { key: 'oauth:1001', kind: 'oauth', label: 'alice@example.com', addedAt: NOW, lastRefreshedAt: NOW, issuer: 'oauth2.googleapis.com' });
  });

  it('records a checked key from the environment as "environment key used", and its removal once across windows', async () => {
    const kv = new MemoryKeyValue();
    const key = { current: undefined as StoredApiKey | undefined };
    const a = setup(kv, key);
    const b = setup(kv, key); // another window over the same globalState and SecretStorage
    a.clock.set(NOW + 1);
    a.recorder.onKeyChecked('AIzaBad', 'typed', 'invalidApiKey');
    a.clock.set(NOW + 2);
    a.recorder.onKeyChecked(FAKE_API_KEY, 'GEMINI_API_KEY');
    key.current = { key: FAKE_API_KEY, setAt: NOW + 3 };
    await Promise.all([a.recorder.onApiKeyChanged(), b.recorder.onApiKeyChanged()]);
    a.clock.set(NOW + 4);
    b.clock.set(NOW + 4);
    key.current = undefined;
    await Promise.all([a.recorder.onApiKeyChanged(), b.recorder.onApiKeyChanged()]);
    await b.store.flush();
    const d = await doc(a.store, kv);
    assert.deepEqual(d.events.map((e) => [e.kind, e.detail]).reverse(), [
      ['keyRejected', 'invalidApiKey'],
      ['keyValidated', 'GEMINI_API_KEY'],
      ['envKeyUsed', 'GEMINI_API_KEY'],
      ['keyRemoved', undefined],
    ]);
    assert.ok(!kv.raw.includes(FAKE_API_KEY.slice(4, 20)), 'not a character run of the key');
    assert.equal(d.credentials.find((c) => c.kind === 'apiKey')?.source, 'GEMINI_API_KEY');
  });

  describe('with the real client against the fake Gemini', () => {
    let fake: FakeGemini;
    before(async () => {
      fake = await startFakeGemini({ acceptBearer: (t) => t === 'good-token' });
    });
    after(() => fake.close());
    beforeEach(() => fake.reset());

    it('counts each finished request once with the usageMetadata Google sent, per model, credential and origin', async () => {
      const { store, recorder, apiKey, kv } = setup();
      apiKey.current = { key: FAKE_API_KEY, setAt: NOW - 5 * 86_400_000 };
      await recorder.onApiKeyChanged();
      const client = new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => apiKeyCredential(FAKE_API_KEY), log: nullLogger, onRequestFinished: recorder.onRequestFinished.bind(recorder) });
      const request = { contents: [{ role: 'user' as const, parts: [{ text: 'Summarize: the quick brown fox' }] }] };
      const sent: UsageMetadata[] = [];
      for (let i = 0; i < 2; i++) {
        let last: UsageMetadata | undefined;
        for await (const r of client.streamGenerateContent('gemini-3.5-flash', request)) last = r.usageMetadata ?? last;
        sent.push(last!);
      }
      // A request through the language-model provider, paid by a Google account.
      const oauth = oauthCredential({ id: '1001', getAccessToken: async () => 'good-token' });
      const lm = await client.generateContent('gemini-3.5-flash', request, { credential: oauth, origin: 'languageModel' });
      assert.equal(kv.writes, 0, 'nothing written while requests run');
      const d = await doc(store, kv);
      const s = summarize(d.usage, '2026-12-01');
      const byKey = Object.fromEntries(s.byCredential.map((c) => [c.credential, c]));
      const keyRow = byKey[`apiKey:${NOW - 5 * 86_400_000}`]!;
      assert.equal(keyRow.requests, 2);
      assert.equal(keyRow.prompt, sent.reduce((a, u) => a + (u.promptTokenCount ?? 0), 0));
      assert.equal(keyRow.answer, sent.reduce((a, u) => a + (u.candidatesTokenCount ?? 0), 0));
      assert.ok(keyRow.prompt > 0 && keyRow.answer > 0);
      assert.equal(byKey['oauth:1001']?.prompt, lm.usageMetadata?.promptTokenCount);
      assert.deepEqual(s.byOrigin.map((o) => [o.origin, o.requests]).sort(), [['extension', 2], ['languageModel', 1]]);
      assert.equal(d.credentials.find((c) => c.key === 'oauth:1001')?.lastUsedAt, NOW);
      assert.ok(!kv.raw.includes('quick brown fox'), 'no prompt text');
    });

    it('a listener that throws does not fail the request it counts', async () => {
      const client = new TestGeminiClient({
        baseUrl: fake.baseUrl,
        credential: () => apiKeyCredential(FAKE_API_KEY),
        log: nullLogger,
        onRequestFinished: () => {
          throw new Error('listener bug');
        },
      });
      const answer = await client.generateContent('gemini-3.5-flash', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
      assert.ok(answer.candidates?.length);
      const parts: string[] = [];
      for await (const r of client.streamGenerateContent('gemini-3.5-flash', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })) parts.push(r.candidates?.[0]?.content?.parts?.[0]?.text ?? '');
      assert.ok(parts.join('').length > 0);
    });

    it('counts errors by kind and records a refusal for a credential reason', async () => {
      const { store, recorder, kv } = setup();
      const client = new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => oauthCredential({ id: '1001', getAccessToken: async () => 'revoked-token' }), log: nullLogger, onRequestFinished: recorder.onRequestFinished.bind(recorder), retry: { maxRetries: 0 } });
      const request = { contents: [{ role: 'user' as const, parts: [{ text: 'hello' }] }] };
      await assert.rejects(client.generateContent('gemini-3.5-flash', request));
      fake.setAcceptBearer(() => true);
      fake.enqueue({ error: 'quotaExhausted', retryDelay: '0s' });
      await assert.rejects(client.generateContent('gemini-3.5-flash', request));
      const d = await doc(store, kv);
      const s = summarize(d.usage, '2026-12-01');
      assert.deepEqual(Object.fromEntries(s.errorsByKind.map((e) => [e.kind, e.count])), { unauthenticated: 1, quotaExhausted: 1 });
      assert.deepEqual(d.events.map((e) => [e.kind, e.detail, e.model, e.credential?.label]), [['requestRefused', 'unauthenticated', 'gemini-3.5-flash', 'alice@example.com']]);
    });
  });
});
