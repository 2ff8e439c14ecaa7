import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { TestGeminiClient } from '../../support/geminiClient';
import { mayReceiveBearer } from '../../../src/core/gemini/credentialPolicy';
import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';
import { nullLogger } from '../../../src/core/common/logger';
import { FAKE_API_KEY, startFakeGemini, type FakeGemini } from '../../fakes/gemini';

describe('gemini/credentialPolicy: where a Google token may go', () => {
  const table: [string, boolean][] = [
    ['https://generativelanguage.googleapis.com', true],
    ['https://generativelanguage.googleapis.com/v1beta/models?pageSize=1', true],
    ['https://us-central1-aiplatform.googleapis.com', true],
    ['https://GenerativeLanguage.GoogleAPIs.COM', true],
    ['https://generativelanguage.googleapis.com:8443', true],
    ['http://127.0.0.1:8080', true],
    ['http://localhost:1234', true],
    ['http://LOCALHOST:1234', true],
    ['http://[::1]:9', true],
    ['http://[0:0:0:0:0:0:0:1]:9', true],
    ['http://127.1:9', true],
    ['https://127.0.0.1', true],
    // Not Google, not loopback.
    ['https://gemini-proxy.example.com', false],
    ['https://generativelanguage.googleapis.com.attacker.example', false],
    ['https://attacker.example/googleapis.com', false],
    ['https://attacker.example/?h=.googleapis.com', false],
    ['https://attacker.example#.googleapis.com', false],
    ['https://googleapis.com.attacker.example', false],
    ['https://evilgoogleapis.com', false],
    ['https://.googleapis.com', false],
    ['https://googleapis.com', false],
    ['https://generativelanguage.googleapis.com.', false],
    ['https://generativelanguage.googleapis.com@attacker.example', false],
    ['https://user:pass@generativelanguage.googleapis.com', false],
    ['https://attacker.example\\@generativelanguage.googleapis.com', false],
    ['https://generativelanguage.googleapis.xn--com-qo0a', false],
    ['https://generativelanguage.googleapis.cοm', false], // Greek omicron
    ['http://generativelanguage.googleapis.com', false],
    ['ftp://generativelanguage.googleapis.com', false],
    ['http://localhost.:9', false],
    ['http://localhost.attacker.example', false],
    ['http://127.0.0.1.attacker.example', false],
    ['http://127.0.0.2:9', false],
    ['http://0.0.0.0:9', false],
    ['http://[::ffff:127.0.0.1]:9', false],
    ['not a url', false],
  ];
  for (const [url, expected] of table) {
    it(`${expected ? 'allows' : 'refuses'} ${url}`, () => assert.equal(mayReceiveBearer(url), expected));
  }

  it('accepts a parsed URL as well as a string', () => {
    assert.equal(mayReceiveBearer(new URL('https://generativelanguage.googleapis.com/v1beta')), true);
    assert.equal(mayReceiveBearer(new URL('https://evil.example/v1beta')), false);
  });

  describe('enforced where headers are attached', () => {
    const foreign = new URL('https://gemini-proxy.example.com/v1beta/models');
    let tokenAsks: boolean[];
    let credential: CredentialProvider;
    beforeEach(() => {
      tokenAsks = [];
      credential = oauthCredential({
        id: 'sub-1',
        getAccessToken: async (force) => {
          tokenAsks.push(force);
          return 'ya29.cloud-platform-token';
        },
        quotaProject: () => 'my-gcp-project',
      });
    });

    it('refuses a Google token for another host before asking for a token, saying why and what to do', async () => {
      await assert.rejects(credential.getHeaders(foreign), (err: unknown) => {
        assert.ok(err instanceof GeminiError);
        assert.equal(err.kind, 'invalidBaseUrl');
        assert.match(err.message, /gemini\.api\.baseUrl/);
        assert.match(err.message, /gemini-proxy\.example\.com/);
        assert.match(err.message, /API key/);
        assert.deepEqual(err.action, { kind: 'openSettings', setting: 'gemini.api.baseUrl' });
        return true;
      });
      assert.deepEqual(tokenAsks, []);
    });

    it('never refreshes for another host', async () => {
      assert.equal(await credential.refreshAfterUnauthorized?.(foreign), false);
      assert.deepEqual(tokenAsks, []);
    });

    it('an API key goes anywhere the user pointed the base URL', async () => {
      assert.deepEqual(await apiKeyCredential('AIzaKey-123456').getHeaders(foreign), { 'x-goog-api-key': 'AIzaKey-123456' });
    });
  });

  describe('against real servers', () => {
    let fake: FakeGemini;
    let foreign: net.Server;
    let foreignConnections: number;
    let foreignBase: string;

    before(async () => {
      fake = await startFakeGemini();
      // A non-Google, non-loopback-emulator host: 127.0.0.2 is loopback to the OS but not an emulator address for
      // us. Whatever arrives there, even a bare TLS connection, counts as sent.
      foreign = net.createServer((socket) => {
        foreignConnections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.2', resolve));
      foreignBase = `https://127.0.0.2:${(foreign.address() as net.AddressInfo).port}`;
    });
    after(async () => {
      await fake.close();
      await new Promise((resolve) => foreign.close(resolve));
    });
    beforeEach(() => {
      fake.reset();
      foreignConnections = 0;
    });

    const client = (baseUrl: string, credential: CredentialProvider) =>
      new TestGeminiClient({ baseUrl, credential: () => credential, log: nullLogger, retry: { maxRetries: 0 }, timeouts: { connectMs: 2000, idleMs: 2000 } });
    const oauth = () => oauthCredential({ id: 'sub-1', getAccessToken: async () => 'ya29.cloud-platform-token', quotaProject: () => 'my-gcp-project' });

    it('the loopback emulator receives the Bearer token and the quota project', async () => {
      fake.setAcceptBearer((t) => t === 'ya29.cloud-platform-token');
      await client(fake.baseUrl, oauth()).listModels();
      const [req] = fake.modelRequests('listModels');
      assert.equal(req.headers.authorization, 'Bearer ya29.cloud-platform-token');
      assert.equal(req.headers['x-goog-user-project'], 'my-gcp-project');
    });

    it('another host gets nothing at all with a Google account: no connection, no token', async () => {
      await assert.rejects(client(foreignBase, oauth()).listModels(), (err: unknown) => err instanceof GeminiError && err.kind === 'invalidBaseUrl');
      assert.equal(foreignConnections, 0);
    });

    it('the same host is reached with an API key (the server above does count connections)', async () => {
      await assert.rejects(client(foreignBase, apiKeyCredential(FAKE_API_KEY)).listModels(), (err: unknown) => err instanceof GeminiError && err.kind === 'network');
      assert.equal(foreignConnections, 1);
    });
  });
});
