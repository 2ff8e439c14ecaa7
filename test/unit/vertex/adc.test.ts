import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { adcFileCandidates, adcIdentity, adcQuotaProject, parseAdcFile, type AdcCredentials } from '../../../src/core/adc/adcFile';
import { ADC_SECRET, AdcStore, adcLabel } from '../../../src/core/adc/adcStore';
import { AdcTokenSource, CLOUD_PLATFORM_SCOPE, serviceAccountAssertion } from '../../../src/core/adc/adcTokens';
import { GeminiError } from '../../../src/core/gemini/errors';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import { MemorySecretStore } from '../../fakes/memorySecretStore';
import { RecordingLogger } from '../../support/helpers';

const REFRESH = '1//0-refresh-token-secret-value';
const USER_FILE = { type: 'authorized_user', client_id: '764086051850-x.apps.googleusercontent.com', client_secret: 'd-FL95Q19q7MQmFpd7hHD0Ty', refresh_token: REFRESH, quota_project_id: 'my-quota-1', account: 'alice@example.com' };

function parsed(json: object): AdcCredentials {
  const result = parseAdcFile(JSON.stringify(json));
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.credentials;
}

function problem(text: string): string {
  const result = parseAdcFile(text);
  assert.ok(!result.ok, 'expected a problem');
  return result.problem;
}

async function rejects(promise: Promise<unknown>, message: RegExp): Promise<GeminiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GeminiError, String(err));
    assert.match(err.message, message);
    return err;
  }
  assert.fail('expected a failure');
}

describe('ADC: finding and reading the file', () => {
  it('looks at GOOGLE_APPLICATION_CREDENTIALS first, then gcloud\'s file', () => {
    assert.deepEqual(adcFileCandidates({ GOOGLE_APPLICATION_CREDENTIALS: '/keys/sa.json' }, 'linux', '/home/a'), [
      { path: '/keys/sa.json', source: 'environment' },
      { path: '/home/a/.config/gcloud/application_default_credentials.json', source: 'gcloud' },
    ]);
    assert.deepEqual(adcFileCandidates({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a'), [
      { path: 'C:\\Users\\a\\AppData\\Roaming\\gcloud\\application_default_credentials.json', source: 'gcloud' },
    ]);
    assert.equal(adcFileCandidates({ CLOUDSDK_CONFIG: '/etc/gcloud' }, 'darwin', '/Users/a')[0].path, '/etc/gcloud/application_default_credentials.json');
  });

  it('reads an authorized_user file (gcloud auth application-default login)', () => {
    const c = parsed(USER_FILE);
    assert.equal(c.type, 'authorized_user');
    assert.equal(adcIdentity(c), 'alice@example.com');
    assert.equal(adcQuotaProject(c), 'my-quota-1');
    assert.equal(adcLabel({ credentials: c, identity: adcIdentity(c) }), 'ADC: alice@example.com');
    assert.equal(adcLabel({ credentials: parsed({ ...USER_FILE, account: '' }) }), 'ADC: gcloud user');
    assert.equal(adcIdentity(parsed({ ...USER_FILE, account: '$(alert)[x](command:evil)@example.com' })), undefined, 'no icon or link syntax in a label');
  });

  it('reads a service account key (token_uri defaulting to Google\'s)', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const c = parsed({ type: 'service_account', project_id: 'proj-1', private_key_id: 'abc', private_key: key, client_email: 'runner@proj-1.iam.gserviceaccount.com' });
    assert.equal(c.type, 'service_account');
    assert.equal(c.type === 'service_account' && c.tokenUri, 'https://oauth2.googleapis.com/token');
    assert.equal(adcIdentity(c), 'runner@proj-1.iam.gserviceaccount.com');
    assert.equal(adcQuotaProject(c), 'proj-1');
  });

  const refused: [string, string, RegExp][] = [
    ['not JSON', '{"type": "authorized_user", ', /not valid JSON/],
    ['an array', '[]', /JSON object/],
    ['no type', JSON.stringify({ client_id: 'x' }), /no "type"/],
    ['external_account', JSON.stringify({ type: 'external_account', audience: '//iam.googleapis.com/x', credential_source: {} }), /workload identity federation.*cannot use/],
    ['impersonated_service_account', JSON.stringify({ type: 'impersonated_service_account', source_credentials: {} }), /impersonation/],
    ['an unknown type', JSON.stringify({ type: 'quantum_key' }), /"quantum_key" are not supported/],
    ['a user file without its refresh token', JSON.stringify({ ...USER_FILE, refresh_token: '' }), /lacks refresh_token/],
    ['a key file without a PEM key', JSON.stringify({ type: 'service_account', client_email: 'a@b.iam.gserviceaccount.com', private_key: 'nope' }), /no PEM private key/],
    ['a huge file', ' '.repeat(70_000), /too large/],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what} with a clear message that quotes no secret`, () => {
      const said = problem(text);
      assert.match(said, message);
      assert.ok(!said.includes(REFRESH) && !said.includes(USER_FILE.client_secret));
    });
  }
});

describe('ADC: tokens from the fake Google', function () {
  let google: FakeGoogle;
  before(async () => {
    google = await startFakeGoogle();
  });
  after(() => google.close());

  it('authorized_user: the refresh grant at gemini.oauth.tokenEndpoint, cached until near expiry, one request in flight', async () => {
    const refreshToken = google.issueRefreshToken('alice@example.com');
    const c = parsed({ type: 'authorized_user', client_id: google.client.clientId, client_secret: google.client.clientSecret, refresh_token: refreshToken });
    const before = google.counters.token.refresh_token;
    const source = new AdcTokenSource(c, () => google.endpoints.token);
    const [a, b] = await Promise.all([source.getAccessToken(), source.getAccessToken()]);
    assert.equal(a, b);
    assert.equal(await source.getAccessToken(), a);
    assert.equal(google.counters.token.refresh_token - before, 1);
    assert.equal(google.accessTokenInfo(a)?.email, 'alice@example.com');
    const forced = await source.getAccessToken(true);
    assert.notEqual(forced, a);
  });

  it('authorized_user: a revoked grant says to log in again, naming the command', async () => {
    const refreshToken = google.issueRefreshToken('bob@example.com');
    google.revokeUser('bob@example.com');
    const c = parsed({ type: 'authorized_user', client_id: google.client.clientId, client_secret: google.client.clientSecret, refresh_token: refreshToken });
    const err = await rejects(new AdcTokenSource(c, () => google.endpoints.token).getAccessToken(), /invalid_grant.*gcloud auth application-default login/);
    assert.equal(err.kind, 'unauthenticated');
    assert.ok(!err.message.includes(refreshToken));
  });

  it('service_account: a JWT-bearer grant signed with the key, verified by the fake against the public key', async () => {
    const keyFile = google.createServiceAccount('runner');
    const c = parsed(keyFile);
    const token = await new AdcTokenSource(c, () => 'https://unused.invalid/token').getAccessToken();
    const info = google.accessTokenInfo(token);
    assert.equal(info?.email, keyFile.client_email);
    assert.deepEqual(info?.scopes, [CLOUD_PLATFORM_SCOPE]);
  });

  it('service_account: the assertion has the key id, the token endpoint as audience and a one-hour lifetime', () => {
    const c = parsed(google.createServiceAccount('claims'));
    assert.equal(c.type, 'service_account');
    if (c.type !== 'service_account') return;
    const [header, claims] = serviceAccountAssertion(c, 1_800_000_000_000).split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>);
    assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: c.privateKeyId });
    assert.deepEqual(claims, { iss: c.clientEmail, scope: CLOUD_PLATFORM_SCOPE, aud: google.endpoints.token, iat: 1_800_000_000, exp: 1_800_003_600 });
  });

  it('service_account: a key Google does not know (deleted or forged) is refused', async () => {
    const keyFile = google.createServiceAccount('forged');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const c = parsed({ ...keyFile, private_key: other });
    await rejects(new AdcTokenSource(c, () => '').getAccessToken(), /invalid_grant/);
  });

  it('service_account: a token_uri that breaks the endpoint policy gets nothing', async () => {
    const keyFile = google.createServiceAccount('policy');
    const before = google.counters.token.other;
    await rejects(new AdcTokenSource(parsed({ ...keyFile, token_uri: 'http://tokens.example.com/token' }), () => '').getAccessToken(), /https:\/\/.*Nothing was sent/);
    assert.equal(google.counters.token.other, before);
  });
});

describe('ADC: kept in SecretStorage', () => {
  it('stores what the user confirmed, reads it back, and removes it', async () => {
    const secrets = new MemorySecretStore();
    const store = new AdcStore(secrets, new RecordingLogger());
    let changes = 0;
    store.onDidChange(() => changes++);
    await store.set(JSON.stringify(USER_FILE), { identity: 'alice@example.com', path: '/home/a/.config/gcloud/application_default_credentials.json', importedAt: 5 });
    const stored = await store.get();
    assert.equal(stored?.credentials.type, 'authorized_user');
    assert.equal(stored?.identity, 'alice@example.com');
    assert.equal(stored?.importedAt, 5);
    assert.ok(await store.remove());
    assert.equal(await store.get(), undefined);
    await new Promise((resolve) => setImmediate(resolve)); // SecretStorage events arrive asynchronously
    assert.equal(changes, 2);
  });

  it('refuses to store a file that is not ADC, and ignores a damaged entry', async () => {
    const secrets = new MemorySecretStore();
    const log = new RecordingLogger();
    const store = new AdcStore(secrets, log);
    await assert.rejects(store.set('{"type":"external_account"}', { path: '/x', importedAt: 1 }));
    assert.equal(await secrets.get(ADC_SECRET), undefined);
    await secrets.store(ADC_SECRET, '{broken');
    assert.equal(await store.get(), undefined);
    assert.ok(log.lines.some((l) => /damaged/.test(l)));
  });
});
