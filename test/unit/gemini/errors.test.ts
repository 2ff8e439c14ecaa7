import * as assert from 'node:assert/strict';
import {
  errorFromHttpResponse,
  isTrustedGoogleUrl,
  parseDuration,
  parseGoogleError,
  parseRetryAfter,
  shortGoogleMessage,
} from '../../../src/core/gemini/errors';
import { fakeError, type FakeErrorName } from '../../fakes/gemini';
import { formatDuration } from '../../../src/core/common/text';

describe('Google error mapping', () => {
  const table: [FakeErrorName, 'apiKey' | 'oauth', string, string | undefined, boolean][] = [
    // fake error, credential, kind, action, retryable
    ['invalidApiKey', 'apiKey', 'invalidApiKey', 'setApiKey', false],
    ['unauthenticated', 'oauth', 'unauthenticated', 'signIn', false],
    ['unauthenticated', 'apiKey', 'unauthenticated', 'setApiKey', false],
    ['credentialsMissing', 'apiKey', 'permissionDenied', 'setApiKey', false],
    ['apiNotEnabled', 'apiKey', 'apiNotEnabled', 'openUrl', false],
    ['quotaProjectMissing', 'oauth', 'quotaProjectMissing', 'openSettings', false],
    ['userProjectDenied', 'oauth', 'quotaProjectMissing', 'openSettings', false],
    ['scopeInsufficient', 'oauth', 'permissionDenied', 'signIn', false],
    ['modelNotFound', 'apiKey', 'modelNotFound', 'selectModel', false],
    ['quotaExhausted', 'apiKey', 'quotaExhausted', 'openUrl', true],
    ['quotaExhaustedDaily', 'apiKey', 'quotaExhausted', 'openUrl', false],
    ['badRequest', 'apiKey', 'badRequest', undefined, false],
    ['tokenLimit', 'apiKey', 'badRequest', undefined, false],
    ['internal', 'apiKey', 'server', 'retry', true],
    ['unavailable', 'apiKey', 'server', 'retry', true],
    ['deadlineExceeded', 'apiKey', 'server', 'retry', true],
  ];
  for (const [name, cred, kind, action, retryable] of table) {
    it(`${name} (${cred}) → ${kind}`, () => {
      const e = fakeError(name);
      const err = errorFromHttpResponse(e.status, 'application/json', JSON.stringify(e.body), { credentialKind: cred, model: 'gemini-2.5-flash' });
      assert.equal(err.kind, kind);
      assert.equal(err.action?.kind, action);
      assert.equal(err.retryable, retryable);
      assert.equal(err.status, e.status);
      assert.equal(err.googleStatus, e.body.error.status);
    });
  }

  it('extracts the retry delay, quota id and help link of a 429', () => {
    const e = fakeError('quotaExhausted', { retryDelay: '22s' });
    const err = errorFromHttpResponse(429, 'application/json', JSON.stringify(e.body));
    assert.equal(err.retryAfterMs, 22_000);
    assert.match(err.message, /GenerateRequestsPerMinutePerProjectPerModel-FreeTier\)\. Google asks to wait 22 s/);
    assert.equal(err.action?.kind === 'openUrl' && err.action.url, 'https://ai.google.dev/gemini-api/docs/rate-limits');
  });

  it('takes Retry-After when there is no RetryInfo', () => {
    const e = fakeError('unavailable');
    const err = errorFromHttpResponse(503, 'application/json', JSON.stringify(e.body), { retryAfterHeader: '7' });
    assert.equal(err.retryAfterMs, 7000);
  });

  it('accepts Gemini’s array-wrapped error body', () => {
    const e = fakeError('invalidApiKey');
    assert.equal(errorFromHttpResponse(400, 'application/json', JSON.stringify([e.body])).kind, 'invalidApiKey');
  });

  it('reports a non-JSON page by status and content type without dumping it', () => {
    const err = errorFromHttpResponse(502, 'text/html; charset=utf-8', '<html><body>Secret intranet page</body></html>', { host: 'proxy.corp:8080' });
    assert.equal(err.kind, 'notJson');
    assert.match(err.message, /^The server at proxy\.corp:8080 answered HTTP 502 with text\/html instead of Gemini's JSON\./);
    assert.ok(!err.message.includes('intranet'));
    assert.equal(err.retryable, true);
    const json = errorFromHttpResponse(418, 'application/json', '{"unexpected":true}');
    assert.equal(json.kind, 'notJson');
    assert.equal(json.retryable, false);
  });

  it('offers only https Google links; otherwise the console page', () => {
    const body = {
      error: {
        code: 403,
        message: 'API has not been used in project 1 before or it is disabled.',
        status: 'PERMISSION_DENIED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', metadata: { activationUrl: 'https://evil.example.com/phish' } },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ url: 'http://console.cloud.google.com/insecure' }] },
        ],
      },
    };
    const err = errorFromHttpResponse(403, 'application/json', JSON.stringify(body));
    assert.equal(err.kind, 'apiNotEnabled');
    assert.equal(err.action?.kind === 'openUrl' && err.action.url, 'https://console.cloud.google.com/apis/library/generativelanguage.googleapis.com');
    assert.equal(isTrustedGoogleUrl('https://console.developers.google.com/x'), true);
    assert.equal(isTrustedGoogleUrl('https://google.com.evil.net/'), false);
    assert.equal(isTrustedGoogleUrl('https://user@ai.google.dev/'), false);
  });

  it('keeps Google’s message short and free of credentials', () => {
    const long = `Bad thing with key AIza${'A'.repeat(35)} and token ya29.abcdef and ${'x'.repeat(400)}`;
    const text = shortGoogleMessage(long);
    assert.ok(text.length <= 160);
    assert.ok(!text.includes('AIzaAAAA') && !text.includes('ya29.abc'));
    const err = errorFromHttpResponse(400, 'application/json', JSON.stringify({ error: { code: 400, message: long, status: 'INVALID_ARGUMENT' } }));
    assert.ok(!err.message.includes('AIzaAAAA'));
  });

  it('parses durations, Retry-After and formats waits', () => {
    assert.equal(parseDuration('22s'), 22_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('0.250s'), 250);
    assert.equal(parseDuration('22'), undefined);
    assert.equal(parseDuration(22), undefined);
    const now = Date.UTC(2030, 0, 1);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30_000);
    assert.equal(parseRetryAfter(new Date(now - 30_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(formatDuration(22_000), '22 s');
    assert.equal(formatDuration(1500), '1.5 s');
    assert.equal(formatDuration(3_600_000), '60 min');
  });

  it('parseGoogleError ignores malformed details', () => {
    const parsed = parseGoogleError({ error: { code: 429, message: 'x', details: [null, 7, { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' }] } });
    assert.equal(parsed?.retryDelayMs, undefined);
    assert.equal(parseGoogleError({ nope: true }), undefined);
    assert.equal(parseGoogleError('string'), undefined);
  });
});
