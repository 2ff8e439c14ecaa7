import * as assert from 'node:assert/strict';
import { OAuthClientStore, parseClientSecretJson } from '../../../src/core/auth/clientConfig';
import { GOOGLE_ENDPOINTS, validateEndpoints } from '../../../src/core/auth/endpoints';
import { AuthError } from '../../../src/core/auth/errors';
import { serviceUrlProblem } from '../../../src/core/common/url';
import { MemorySecretStore } from '../../fakes/memorySecretStore';
import { RecordingLogger } from '../../support/helpers';

describe('common/url serviceUrlProblem', () => {
  const table: [string, RegExp | undefined][] = [
    ['https://oauth2.googleapis.com/token', undefined],
    ['http://127.0.0.1:8080/token', undefined],
    ['http://localhost/token', undefined],
    ['http://[::1]:9000/token', undefined],
    ['http://oauth2.googleapis.com/token', /uses http:\/\/ for oauth2\.googleapis\.com.*https:\/\//],
    ['http://127.0.0.2/token', /uses http:\/\//],
    ['ftp://example.com/token', /unsupported scheme "ftp:"/],
    ['not a url', /is not a valid URL/],
    ['', /is empty/],
    ['https://user:pw@example.com/token', /user name or password/],
  ];
  for (const [value, expected] of table) {
    it(`${value || '(empty)'} → ${expected ? 'rejected' : 'accepted'}`, () => {
      const problem = serviceUrlProblem(value, 'gemini.oauth.tokenEndpoint');
      if (!expected) assert.equal(problem, undefined);
      else {
        assert.match(problem ?? '', expected);
        assert.match(problem ?? '', /gemini\.oauth\.tokenEndpoint/);
      }
    });
  }

  it('validateEndpoints names every bad setting in one typed error', () => {
    assert.deepEqual(validateEndpoints(GOOGLE_ENDPOINTS), GOOGLE_ENDPOINTS);
    assert.throws(
      () => validateEndpoints({ ...GOOGLE_ENDPOINTS, token: 'http://evil.example/token', userinfo: 'http://x.example/u' }),
      (err: unknown) => err instanceof AuthError && err.code === 'invalidEndpoint' && /tokenEndpoint/.test(err.userMessage) && /userinfoEndpoint/.test(err.userMessage),
    );
  });
});

describe('auth/clientConfig parseClientSecretJson', () => {
  const good = { installed: { client_id: ' 1-abc.apps.googleusercontent.com ', client_secret: 'GOCSPX-s3cret', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: 'https://oauth2.googleapis.com/token', redirect_uris: ['http://localhost'] } };
  const cases: { name: string; text: string; error?: RegExp; warn?: boolean }[] = [
    { name: 'a Desktop app client', text: JSON.stringify(good) },
    { name: 'a BOM-prefixed file', text: '\uFEFF' + JSON.stringify(good) },
    { name: 'an unusual client id (accepted with a warning)', text: JSON.stringify({ installed: { client_id: 'local-test', client_secret: 'x' } }), warn: true },
    { name: 'a web client', text: JSON.stringify({ web: { client_id: 'a.apps.googleusercontent.com', client_secret: 'x' } }), error: /"Web application"[\s\S]*127\.0\.0\.1[\s\S]*"Desktop app"/ },
    { name: 'not JSON', text: '{installed: nope', error: /not valid JSON/ },
    { name: 'a JSON array', text: '[]', error: /does not contain an OAuth client/ },
    { name: 'a service-account key', text: JSON.stringify({ type: 'service_account', private_key: 'k' }), error: /service-account/ },
    { name: 'no installed entry', text: JSON.stringify({ other: {} }), error: /no "installed" entry/ },
    { name: 'installed not an object', text: JSON.stringify({ installed: 'x' }), error: /not an object/ },
    { name: 'missing client_id', text: JSON.stringify({ installed: { client_secret: 'x' } }), error: /no "client_id"/ },
    { name: 'missing client_secret', text: JSON.stringify({ installed: { client_id: 'a.apps.googleusercontent.com' } }), error: /no "client_secret"/ },
    { name: 'both missing', text: JSON.stringify({ installed: { client_id: '  ' } }), error: /neither "client_id" nor "client_secret"/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => parseClientSecretJson(c.text), (err: unknown) => err instanceof AuthError && err.code === 'invalidClientSecretJson' && c.error!.test(err.userMessage));
      } else {
        const parsed = parseClientSecretJson(c.text);
        assert.ok(parsed.clientId && parsed.clientSecret);
        assert.equal(parsed.clientId, parsed.clientId.trim());
        assert.equal(parsed.warnings.length > 0, !!c.warn);
      }
    });
  }

  it('never echoes the client secret in an error', () => {
    try {
      parseClientSecretJson(JSON.stringify({ web: { client_id: 'a', client_secret: 'TOPSECRET' } }));
      assert.fail('should throw');
    } catch (err) {
      assert.ok(!(err as AuthError).userMessage.includes('TOPSECRET'));
    }
  });
});

describe('auth/clientConfig OAuthClientStore', () => {
  it('stores the secret for a client id, prefers it over the environment, and ignores it for another id', async () => {
    const secrets = new MemorySecretStore();
    const log = new RecordingLogger();
    const store = new OAuthClientStore(secrets, log);
    assert.equal(await store.resolve('', undefined), undefined);
    assert.deepEqual(await store.resolve('id-1', 'env-secret'), { clientId: 'id-1', clientSecret: 'env-secret' });
    await store.store({ clientId: 'id-1', clientSecret: 'stored-secret' });
    assert.deepEqual(await store.resolve('', undefined), { clientId: 'id-1', clientSecret: 'stored-secret' });
    assert.deepEqual(await store.resolve('id-1', 'env-secret'), { clientId: 'id-1', clientSecret: 'stored-secret' });
    assert.equal(await store.resolve('id-2', undefined), undefined);
    assert.ok(!log.all.includes('stored-secret'));
    secrets.seed('gemini.oauth.client', '{garbage');
    assert.equal(await new OAuthClientStore(secrets, log).get(), undefined, 'damaged storage, read by a new window');
    assert.equal(log.warnings().length, 1);
  });
});
