import * as assert from 'node:assert/strict';
import { API_KEY_PAGE_URL, ApiKeyNotices, apiKeyShapeProblem, apiKeyType, type ApiKeyType } from '../../../src/core/credentials/apiKeyStore';
import { TestGeminiClient } from '../../support/geminiClient';
import { GeminiError, errorFromHttpResponse, isTrustedGoogleUrl } from '../../../src/core/gemini/errors';
import { FAKE_API_KEY, FAKE_STANDARD_API_KEY, fakeError, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { RecordingLogger, rejection } from '../../support/helpers';

const actionKinds = (err: GeminiError) => [err.action, err.secondaryAction].flatMap((a) => (a ? [a.kind] : []));

// Synthetic keys of today's shapes (never real ones).
const AUTHORIZATION_KEY = 'AQ.Ab8RN6Jz' + 'q4T_x-9LmPw2VbKs7'.padEnd(45, 'e');
const STANDARD_KEY = 'AIzaSyD-test-key-0123456789abcdefghijkl';

describe('API key types', () => {
  const table: Array<[string, string, ApiKeyType | undefined]> = [
    ['authorization key', AUTHORIZATION_KEY, 'authorization'],
    ['authorization key, short of its usual length', 'AQ.Ab8RN6Jzq4T_x-9LmPw', 'authorization'],
    ['authorization key with a dot in its body', 'AQ.Ab8RN6Jzq4T_x-9LmPw.2VbKs7eeeeeeeeeeeeeeeeeeeeeeee', 'authorization'],
    ['authorization key with surrounding whitespace', `  ${AUTHORIZATION_KEY}\n`, 'authorization'],
    ['standard key', STANDARD_KEY, 'standard'],
    ['the emulator key', FAKE_API_KEY, 'authorization'],
    ['the emulator standard key', FAKE_STANDARD_API_KEY, 'standard'],
    ['standard prefix, wrong length', 'AIzaSyD-test-key-0123456789abcdefghij', undefined],
    ['lower-case prefix', 'aq.Ab8RN6Jzq4T_x-9LmPw2VbKs7eeeeeeeeeeee', undefined],
    ['AQ without the dot', 'AQAb8RN6Jzq4T_x-9LmPw2VbKs7eeeeeeeeeeee', undefined],
    ['some other token', 'sk-proj-0123456789abcdefghijklmnop', undefined],
  ];
  for (const [name, key, type] of table) {
    it(`${name} → ${type ?? 'unknown'}`, () => assert.equal(apiKeyType(key), type));
  }

  it('the shape check accepts every plausible key of either type', () => {
    for (const key of [AUTHORIZATION_KEY, STANDARD_KEY, FAKE_API_KEY, FAKE_STANDARD_API_KEY, 'AQ.Ab8RN6Jzq4T_x-9LmPw', `AQ.${'A'.repeat(200)}`]) {
      assert.equal(apiKeyShapeProblem(key), undefined, key);
    }
  });

  it('the shape check describes both key types when it refuses one', () => {
    for (const input of ['AQ.short', 'AIzaSyD', 'AQ.Ab8RN6Jz…q4T_x-9LmPw2VbKs7']) {
      const problem = apiKeyShapeProblem(input) ?? '';
      assert.match(problem, /"AQ\."/, input);
      assert.match(problem, /"AIza"/, input);
      assert.doesNotMatch(problem, /they start with "AIza"/, input);
    }
  });
});

describe('API key notices (once per session)', () => {
  const day = 86_400_000;

  it('a standard key gets the retirement notice once; an authorization key gets none', () => {
    const notices = new ApiKeyNotices();
    assert.equal(notices.next({ key: AUTHORIZATION_KEY, setAt: 0 }, 90, day), undefined);
    assert.deepEqual(notices.next({ key: STANDARD_KEY, setAt: 0 }, 90, day), { kind: 'standardKeyRetiring' });
    assert.equal(notices.next({ key: STANDARD_KEY, setAt: 0 }, 90, day), undefined, 'not twice in a session');
    assert.equal(notices.next({ key: FAKE_STANDARD_API_KEY, setAt: day }, 90, day), undefined, 'not for another standard key either');
    assert.deepEqual(new ApiKeyNotices().next({ key: STANDARD_KEY, setAt: 0 }, 90, day), { kind: 'standardKeyRetiring' }, 'a new session tells again');
  });

  it('a standard key is to be replaced, not rotated: no rotation reminder for it', () => {
    const notices = new ApiKeyNotices();
    assert.deepEqual(notices.next({ key: STANDARD_KEY, setAt: 0 }, 90, 400 * day), { kind: 'standardKeyRetiring' });
    assert.equal(notices.next({ key: STANDARD_KEY, setAt: 0 }, 90, 400 * day), undefined);
  });

  it('an old authorization key gets the rotation reminder once, only when due', () => {
    const notices = new ApiKeyNotices();
    assert.equal(notices.next({ key: AUTHORIZATION_KEY, setAt: 0 }, 90, 89 * day), undefined);
    assert.deepEqual(notices.next({ key: AUTHORIZATION_KEY, setAt: 0 }, 90, 120 * day), { kind: 'rotationDue', ageDays: 120 });
    assert.equal(notices.next({ key: AUTHORIZATION_KEY, setAt: 0 }, 90, 121 * day), undefined);
    assert.equal(new ApiKeyNotices().next({ key: AUTHORIZATION_KEY, setAt: 0 }, 0, 1000 * day), undefined, '0 turns it off');
  });
});

describe('a key of a type Google no longer accepts (401 ACCESS_TOKEN_TYPE_UNSUPPORTED)', () => {
  const refused = fakeError('accessTokenTypeUnsupported');
  const fromBody = (credentialKind: 'apiKey' | 'oauth') =>
    errorFromHttpResponse(refused.status, 'application/json; charset=UTF-8', JSON.stringify(refused.body), { credentialKind });

  it('says what happened and offers "Create Key", then "Set API Key"', () => {
    const err = fromBody('apiKey');
    assert.equal(err.kind, 'apiKeyTypeUnsupported');
    assert.equal(err.reason, 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
    assert.match(err.message, /type Google no longer accepts/);
    assert.match(err.message, /Create a new key in Google AI Studio/);
    assert.doesNotMatch(err.message, /OAuth 2 access token|login cookie/, "Google's misleading text stays out");
    assert.deepEqual(actionKinds(err), ['createApiKey', 'setApiKey']);
    assert.equal(err.retryable, false);
  });

  it('the page "Create Key" opens is Google AI Studio\'s key page', () => {
    assert.equal(API_KEY_PAGE_URL, 'https://aistudio.google.com/apikey');
    assert.ok(isTrustedGoogleUrl(API_KEY_PAGE_URL));
  });

  it('with a Google account the same reason stays a sign-in problem', () => {
    const err = fromBody('oauth');
    assert.equal(err.kind, 'unauthenticated');
    assert.deepEqual(actionKinds(err), ['signIn']);
  });

  it('an ordinary error has at most its one action', () => {
    const expired = fakeError('unauthenticated');
    const err = errorFromHttpResponse(expired.status, 'application/json', JSON.stringify(expired.body), { credentialKind: 'apiKey' });
    assert.equal(err.kind, 'unauthenticated');
    assert.deepEqual(actionKinds(err), ['setApiKey']);
    assert.deepEqual(actionKinds(new GeminiError({ kind: 'badRequest', message: 'x' })), []);
  });

  describe('against the fake Gemini server', () => {
    let fake: FakeGemini;
    const client = () => new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => undefined, log: new RecordingLogger(), retry: { sleep: async () => {} } });

    before(async () => {
      fake = await startFakeGemini();
    });
    after(async () => fake.close());
    beforeEach(() => fake.reset());

    it('by default both key types validate with one GET /models each', async () => {
      await client().validateApiKey(FAKE_API_KEY);
      await client().validateApiKey(FAKE_STANDARD_API_KEY);
      assert.deepEqual(fake.modelRequests().map((r) => [r.method, r.path, r.headers['x-goog-api-key']]), [
        ['GET', '/v1beta/models', FAKE_API_KEY],
        ['GET', '/v1beta/models', FAKE_STANDARD_API_KEY],
      ]);
    });

    it('told to refuse standard keys, it refuses them as Google does and still accepts authorization keys', async () => {
      fake.setRefuseStandardKeys(true);
      const err = await rejection<GeminiError>(client().validateApiKey(FAKE_STANDARD_API_KEY));
      assert.equal(err.kind, 'apiKeyTypeUnsupported');
      assert.deepEqual(actionKinds(err), ['createApiKey', 'setApiKey']);
      assert.equal(fake.modelRequests().length, 1, 'no retry: a new key is needed');
      assert.equal(fake.modelRequests()[0].status, 401);
      await client().validateApiKey(FAKE_API_KEY);

      const res = await fetch(`${fake.baseUrl}/v1beta/models`, { headers: { 'x-goog-api-key': FAKE_STANDARD_API_KEY } });
      assert.deepEqual(await res.json(), refused.body);
      assert.equal(refused.body.error.message, 'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');

      fake.reset();
      await client().validateApiKey(FAKE_STANDARD_API_KEY); // reset accepts standard keys again
    });

    it('the refusal can be switched on over HTTP, as end-to-end tests do', async () => {
      const control = await fetch(`${fake.baseUrl}/__fake/scenario`, { method: 'POST', body: JSON.stringify({ refuseStandardKeys: true }) });
      assert.equal(control.status, 200);
      assert.equal((await rejection<GeminiError>(client().validateApiKey(FAKE_STANDARD_API_KEY))).kind, 'apiKeyTypeUnsupported');
    });

    it('an unknown key is still API_KEY_INVALID, whatever its type', async () => {
      fake.setRefuseStandardKeys(true);
      for (const key of ['AQ.ThisKeyIsNotKnownToTheEmulator00000000000000000', 'AIzaThisKeyIsNotKnownToTheEmulator000000']) {
        assert.equal((await rejection<GeminiError>(client().validateApiKey(key))).reason, 'API_KEY_INVALID', key);
      }
    });
  });
});
