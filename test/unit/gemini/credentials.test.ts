import * as assert from 'node:assert/strict';
import { apiKeyCredential, oauthCredential } from '../../../src/core/gemini/credentials';
import { checkTokenLimit, estimateTokens, promptChars, promptTooLongError } from '../../../src/core/gemini/tokens';

const GOOGLE = new URL('https://generativelanguage.googleapis.com/v1beta/models');

describe('credentials', () => {
  it('an API key goes in x-goog-api-key only', async () => {
    const c = apiKeyCredential('AIzaKey-123456');
    assert.equal(c.kind, 'apiKey');
    assert.equal(c.id, 'apiKey');
    assert.deepEqual(await c.getHeaders(GOOGLE), { 'x-goog-api-key': 'AIzaKey-123456' });
    assert.equal(c.refreshAfterUnauthorized, undefined);
  });

  it('rejects keys that would break the header', () => {
    for (const bad of ['', ' key', 'key\r\nX-Evil: 1', 'a\nb']) assert.throws(() => apiKeyCredential(bad), JSON.stringify(bad));
  });

  it('OAuth sends Bearer plus x-goog-user-project when set, and refreshes on demand', async () => {
    const settings: { quotaProject?: string } = {};
    const forced: boolean[] = [];
    const c = oauthCredential({
      id: 'sub-1',
      getAccessToken: async (force) => {
        forced.push(force);
        return force ? 'ya29.new' : 'ya29.old';
      },
      quotaProject: () => settings.quotaProject,
    });
    assert.deepEqual(await c.getHeaders(GOOGLE), { authorization: 'Bearer ya29.old' });
    settings.quotaProject = ' my-proj ';
    assert.deepEqual(await c.getHeaders(GOOGLE), { authorization: 'Bearer ya29.old', 'x-goog-user-project': 'my-proj' });
    assert.equal(await c.refreshAfterUnauthorized?.(GOOGLE), true);
    assert.deepEqual(forced, [false, false, true]);
  });
});

describe('token limit', () => {
  const req = { contents: [{ role: 'user' as const, parts: [{ text: 'abcd' }, { text: 'efgh' }] }], systemInstruction: { parts: [{ text: 'xy' }] } };

  it('measures prompt size and estimates chars/4', () => {
    assert.equal(promptChars(req), 10);
    assert.equal(estimateTokens(10), 3);
  });

  it('compares counted or estimated tokens to the limit', () => {
    assert.deepEqual(checkTokenLimit(100, 150, 0), { tokens: 150, estimated: false, inputTokenLimit: 100, overLimit: true });
    assert.deepEqual(checkTokenLimit(100, undefined, 400), { tokens: 100, estimated: true, inputTokenLimit: 100, overLimit: false });
    assert.equal(checkTokenLimit(100, undefined, 404).overLimit, true);
    assert.equal(checkTokenLimit(undefined, 10_000_000, 0).overLimit, false, 'unknown limit is never over');
    const err = promptTooLongError(checkTokenLimit(100, undefined, 800), 'gemini-fake-tiny');
    assert.equal(err.kind, 'promptTooLong');
    assert.match(err.message, /about 200 tokens, more than the 100 that gemini-fake-tiny accepts/);
    assert.equal(err.action?.kind, 'selectModel');
  });
});
