import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_KEY_SECRET, apiKeyType } from '../../src/core/credentials/apiKeyStore';
import type { GeminiError } from '../../src/core/gemini/errors';
import type { Emulator } from '../fakes/emulator';
import { rejection } from '../support/helpers';
import { signOutEverything, withEmulator, type Services } from './support';

describe('API key in the extension host', () => {
  const env = withEmulator();
  let emulator: Emulator;
  let s: Services;

  before(() => ({ emulator, services: s } = env));
  afterEach(async () => {
    emulator.gemini.reset();
    await signOutEverything(s);
  });

  it('rejects an invalid key with Google\'s reason', async () => {
    const error = await rejection(s.gemini.validateApiKey('AIzaThisKeyIsNotKnownToTheEmulator000000'));
    // The test bundle has its own copy of GeminiError, so compare the kind rather than the class.
    assert.equal(error.kind, 'invalidApiKey');
    assert.match(error.message, /API_KEY_INVALID/);
  });

  it('stores a key in SecretStorage, makes it active, and sends it only in x-goog-api-key', async () => {
    await s.apiKeys.set(emulator.apiKey);
    await s.credentials.choose({ kind: 'apiKey' });
    assert.equal((await s.credentials.current())?.kind, 'apiKey');
    assert.ok((await s.context.secrets.get(API_KEY_SECRET))?.includes(emulator.apiKey));

    emulator.gemini.requests.length = 0;
    const credential = (await s.activeCredential())?.provider;
    assert.ok(credential);
    const models = await s.catalog.list(credential);
    assert.ok(models.length > 0 && models.every((m) => m.id.startsWith('gemini')), models.map((m) => m.id).join());
    const seen = emulator.gemini.requests;
    assert.ok(seen.length > 0);
    for (const r of seen) {
      assert.equal(r.headers['x-goog-api-key'], emulator.apiKey);
      assert.ok(!r.url.includes(emulator.apiKey) && !/[?&]key=/.test(r.url), r.url);
    }
  });

  it('an authorization key (AQ.…) validates with one models call and is stored', async () => {
    assert.equal(apiKeyType(emulator.apiKey), 'authorization');
    emulator.gemini.requests.length = 0;
    await s.gemini.validateApiKey(emulator.apiKey);
    assert.deepEqual(emulator.gemini.modelRequests().map((r) => [r.method, r.path, r.headers['x-goog-api-key']]), [['GET', '/v1beta/models', emulator.apiKey]]);
    await s.apiKeys.set(emulator.apiKey);
    assert.equal((await s.apiKeys.get())?.key, emulator.apiKey);
  });

  it('a standard key Google refuses fails validation naming the reason, and nothing is stored', async () => {
    emulator.gemini.setRefuseStandardKeys(true);
    const error = await rejection<GeminiError>(s.gemini.validateApiKey(emulator.standardApiKey));
    assert.equal(error.kind, 'apiKeyTypeUnsupported');
    assert.equal(error.reason, 'ACCESS_TOKEN_TYPE_UNSUPPORTED');
    assert.match(error.message, /type Google no longer accepts.*ACCESS_TOKEN_TYPE_UNSUPPORTED.*Google AI Studio/);
    assert.deepEqual([error.action?.kind, error.secondaryAction?.kind], ['createApiKey', 'setApiKey']);
    assert.equal(await s.context.secrets.get(API_KEY_SECRET), undefined);
  });

  it('"Gemini: Remove API Key" deletes it and the status falls back to signed out', async () => {
    await s.apiKeys.set(emulator.apiKey);
    await s.credentials.choose({ kind: 'apiKey' });
    await vscode.commands.executeCommand('gemini.removeApiKey');
    assert.equal(await s.context.secrets.get(API_KEY_SECRET), undefined);
    assert.equal(await s.credentials.current(), undefined);
  });
});
