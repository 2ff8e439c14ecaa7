import * as assert from 'node:assert/strict';
import { AdcStore } from '../../../src/core/adc/adcStore';
import { Emitter } from '../../../src/core/common/events';
import { nullLogger } from '../../../src/core/common/logger';
import { ActiveCredentialService, type ActiveChoice } from '../../../src/core/credentials/activeCredential';
import { ApiKeyStore } from '../../../src/core/credentials/apiKeyStore';
import { credentialProviderFor } from '../../../src/core/credentials/providers';
import { FAKE_API_KEY } from '../../fakes/gemini';
import { MemorySecretStore } from '../../fakes/memorySecretStore';

const USER_FILE = JSON.stringify({ type: 'authorized_user', client_id: 'c.apps.googleusercontent.com', client_secret: 'secret-value', refresh_token: '1//0refresh-value', quota_project_id: 'quota-from-file' });

describe('ADC as the active credential', () => {
  async function setup() {
    const secrets = new MemorySecretStore();
    const sessions: Array<{ id: string; account: { id: string; label: string } }> = [];
    const accounts = { signedIn: async () => sessions, onDidChangeSessions: new Emitter<unknown>().event };
    const apiKeys = new ApiKeyStore(secrets, nullLogger);
    const adc = new AdcStore(secrets, nullLogger);
    let choice: ActiveChoice | undefined;
    const service = new ActiveCredentialService(accounts, apiKeys, { get: () => choice, set: async (c) => void (choice = c) }, adc);
    return { sessions, apiKeys, adc, service };
  }

  it('is used when chosen, labelled "ADC: <email>", and is the last fallback after accounts and the key', async () => {
    const { sessions, apiKeys, adc, service } = await setup();
    await adc.set(USER_FILE, { identity: 'carol@example.com', path: '/x.json', importedAt: 7 });
    assert.equal((await service.current())?.label, 'ADC: carol@example.com', 'alone, it is active');
    await apiKeys.set(FAKE_API_KEY);
    assert.equal((await service.current())?.kind, 'apiKey', 'nothing chosen: the key comes first');
    await service.choose({ kind: 'adc' });
    assert.equal((await service.current())?.kind, 'adc');
    sessions.push({ id: 's1', account: { id: 'a1', label: 'alice@example.com' } });
    assert.equal((await service.current())?.kind, 'adc', 'the choice stands');
    await adc.remove();
    assert.equal((await service.current())?.kind, 'oauth', 'removed: the next credential takes over');
    assert.equal((await service.overview()).adc, undefined);
  });

  it('becomes a Bearer credential billed to the file\'s quota project unless gemini.quotaProject is set', async () => {
    const { adc, service } = await setup();
    await adc.set(USER_FILE, { path: '/x.json', importedAt: 9 });
    const active = await service.current();
    assert.equal(active?.kind, 'adc');
    if (active?.kind !== 'adc') return;
    let quotaProject = '';
    const provider = credentialProviderFor(active, { getAccessToken: async () => 'unused' }, () => quotaProject, () => ({ getAccessToken: async () => 'ya29.adc-token' }));
    assert.equal(provider.kind, 'oauth');
    assert.equal(provider.id, 'adc');
    const target = new URL('https://aiplatform.googleapis.com/v1/x');
    assert.deepEqual(await provider.getHeaders(target), { authorization: 'Bearer ya29.adc-token', 'x-goog-user-project': 'quota-from-file' });
    quotaProject = 'my-setting';
    assert.equal((await provider.getHeaders(target))['x-goog-user-project'], 'my-setting');
    await assert.rejects(provider.getHeaders(new URL('https://collector.example.com/v1/x')), /only to Google/);
  });
});
