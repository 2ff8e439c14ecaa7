import * as assert from 'node:assert/strict';
import { redactingLogger } from '../../../src/core/log/redactingLogger';
import { REDACTED, Redactor, scrubGenericSecrets } from '../../../src/core/log/redactor';
import { formatRequestLine } from '../../../src/core/log/requestLog';
import { RecordingLogger } from '../../support/helpers';

const API_KEY = 'AIza' + 'SyD3m0K3yF0rT3st1ng'.padEnd(35, 'x');

describe('Redactor', () => {
  it('replaces registered secrets, longest first, and their URL-encoded form', () => {
    const r = new Redactor();
    r.add('client-secret-value');
    r.add('client-secret-value-longer');
    r.add('a/b+c=d&verifier');
    const text = 'x client-secret-value-longer y client-secret-value z a%2Fb%2Bc%3Dd%26verifier';
    assert.equal(r.scrub(text), `x ${REDACTED} y ${REDACTED} z ${REDACTED}`);
  });

  it('ignores empty and very short secrets, and unregisters on dispose', () => {
    const r = new Redactor();
    r.add('');
    r.add(undefined);
    r.add('abc');
    assert.equal(r.scrub('abc def'), 'abc def');
    const d1 = r.add('temporary-code-123');
    const d2 = r.add('temporary-code-123');
    d1.dispose();
    assert.equal(r.scrub('temporary-code-123'), REDACTED, 'still registered once more');
    d2.dispose();
    assert.equal(r.scrub('temporary-code-123'), 'temporary-code-123');
  });

  it('catches generic credential shapes never registered', () => {
    const cases: [string, string][] = [
      [`key ${API_KEY} here`, `key ${REDACTED} here`],
      ['token ya29.a0AfH6SMB-abc_def.ghi end', `token ${REDACTED} end`],
      ['refresh 1//0gAbCdEfGhIjKlMn-op_q end', `refresh ${REDACTED} end`],
      ['Authorization: Bearer opaque.token-value', `Authorization: Bearer ${REDACTED}`],
      ['secret GOCSPX-AbC_dEf123', `secret ${REDACTED}`],
      ['id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl done', `id ${REDACTED} done`],
      ['GET /v1beta/models?key=abc123&pageSize=2', `GET /v1beta/models?key=${REDACTED}&pageSize=2`],
      ['cb?code=4/0Ab-xyz&state=s1', `cb?code=${REDACTED}&state=s1`],
      ['{"x-goog-api-key": "sk-whatever"}', `{"x-goog-api-key": "${REDACTED}"}`],
    ];
    for (const [input, expected] of cases) assert.equal(scrubGenericSecrets(input), expected, input);
    assert.equal(scrubGenericSecrets('path 1//2 and 10/11'), 'path 1//2 and 10/11', 'ordinary text survives');
  });
});

describe('both Gemini API key types, never registered', () => {
  // Synthetic keys of today's shapes: an authorization key (AQ. + base64url) and a standard key (AIza…).
  const keys: [string, string][] = [
    ['authorization', 'AQ.Ab8RN6Jz' + 'q4T_x-9LmPw2VbKs7'.padEnd(45, 'e')],
    ['standard', API_KEY],
  ];
  for (const [type, key] of keys) {
    it(`scrubs a ${type} key from a log line, a URL, a JSON body and an error message`, () => {
      const places = [
        `[setApiKey] checking ${key} with Google`,
        `GET https://generativelanguage.googleapis.com/v1beta/models?pageSize=1&alt=json&k=${key}#x`,
        `https://example.com/proxy/${key}/v1beta/models`,
        JSON.stringify({ error: { message: `API key ${key} is not valid`, details: [{ key }] }, apiKey: key }),
        `{"headers":{"X-Goog-Api-Key":"${key}"}}`,
        `The API key was rejected by Google (${key}): Expected OAuth 2 access token.`,
        `${key}`,
      ];
      for (const text of places) {
        const scrubbed = scrubGenericSecrets(text);
        assert.ok(!scrubbed.includes(key.slice(4, 20)), `${text} → ${scrubbed}`);
        assert.ok(scrubbed.includes(REDACTED), scrubbed);
      }
      const log = new RecordingLogger();
      redactingLogger(log, new Redactor()).error(`request failed for ${key}`);
      assert.ok(!log.lines.join('\n').includes(key.slice(4, 20)), log.lines.join('\n'));
    });
  }

  it('keeps the text around an authorization key and leaves words starting with "AQ" alone', () => {
    const key = keys[0][1];
    assert.equal(scrubGenericSecrets(`key=${key}&x=1`), `key=${REDACTED}&x=1`);
    assert.equal(scrubGenericSecrets(`("${key}").`), `("${REDACTED}").`);
    const ordinary = [
      'AQUA and AQI levels; AQ. is short for air quality.',
      'AQ.Short is not a key, nor is AQ. followed by a sentence with many words in it.',
      'FAQ.AbcdefghijklmnopqrstuvwxyzABCDEF (a word that only ends in AQ)',
      'AQ.abc-def is too short; so is AQ._x',
    ];
    for (const text of ordinary) assert.equal(scrubGenericSecrets(text), text);
  });
});

describe('redactingLogger', () => {
  it('scrubs the line at every level', () => {
    const inner = new RecordingLogger();
    const r = new Redactor();
    r.add('opaque-token-1234567');
    const log = redactingLogger(inner, r);
    log.trace('t opaque-token-1234567');
    log.debug(`d ${API_KEY}`);
    log.info('i {"headers":{"authorization":"Bearer opaque-token-1234567"}}');
    log.warn('w opaque-token-1234567');
    log.error(`e opaque-token-1234567 and ${API_KEY}`);
    assert.deepEqual(inner.entries.map((e) => e.level), ['trace', 'debug', 'info', 'warn', 'error']);
    for (const line of inner.lines) {
      assert.ok(!line.includes('opaque-token-1234567') && !line.includes(API_KEY), line);
      assert.match(line, /\[redacted\]/);
    }
  });
});

describe('request log line', () => {
  it('formats the fields in a fixed order', () => {
    assert.equal(
      formatRequestLine({
        method: 'POST',
        operation: 'generateContent',
        model: 'gemini-2.5-flash',
        status: 200,
        latencyMs: 123.4,
        retries: 0,
        tokens: { prompt: 12, candidates: 34, total: 46 },
        promptChars: 1234,
      }),
      '[request] POST generateContent model=gemini-2.5-flash status=200 latency=123ms retries=0 tokens=12/34/46 promptChars=1234',
    );
    assert.equal(
      formatRequestLine({ method: 'GET', operation: 'listModels', latencyMs: 5, retries: 2, error: 'network', extra: { page: 1, skip: undefined } }),
      '[request] GET listModels status=none latency=5ms retries=2 page=1 error=network',
    );
  });
});
