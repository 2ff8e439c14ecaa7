import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as path from 'node:path';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../../../src/core/auth/errors';
import { runSignInFlow } from '../../../src/core/auth/oauthFlow';
import { FALLBACK_PAGES } from '../../../src/core/auth/pages';
import { ScopeSet } from '../../../src/core/auth/scopes';
import { TokenClient } from '../../../src/core/auth/tokenClient';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import { browserUi } from './helpers';
import { RecordingLogger } from '../../support/helpers';

/** A server that answers every request with `status` and `Location: target`, and records what reached it. */
async function startRedirector(status: number, target: () => string) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(status, { Location: target() });
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('auth/TokenClient', () => {
  let fake: FakeGoogle;
  before(async () => {
    fake = await startFakeGoogle();
  });
  after(() => fake.close());

  it('prints no token to stdout or stderr, even with GOOGLE_SDK_NODE_LOGGING=* (sign-in and refresh)', async () => {
    // A child process, because logging switches like this one are read when a library loads.
    const child = fork(path.join(__dirname, 'fixtures', 'signInAndRefresh.ts'), {
      execArgv: ['--require', 'tsx/cjs'],
      env: { ...process.env, GOOGLE_SDK_NODE_LOGGING: '*' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let printed = '';
    child.stdout?.on('data', (c: Buffer) => (printed += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (printed += c.toString()));
    const message = new Promise<{ tokens: string[] }>((resolve) => child.once('message', (m) => resolve(m as { tokens: string[] })));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(exitCode, 0, printed);
    const { tokens } = await message;
    assert.equal(tokens.length, 3);
    for (const t of tokens) assert.ok(!printed.includes(t), `a token (${t.slice(0, 8)}…) was printed`);
    assert.ok(!/access_token|refresh_token|id_token/.test(printed), 'a token response was printed');
  });

  for (const status of [307, 308]) {
    it(`does not follow a ${status} from the token or revocation endpoint, and sends nothing to the other origin`, async () => {
      const elsewhere = await startRedirector(200, () => '');
      const redirector = await startRedirector(status, () => `${elsewhere.url}/steal`);
      const endpoints = { ...fake.endpoints, token: `${redirector.url}/token`, revocation: `${redirector.url}/revoke` };
      const client = new TokenClient({ client: fake.client, endpoints, retries: 0 });
      try {
        await assert.rejects(client.refresh('1//0refresh-token-value'), (e: unknown) => e instanceof AuthError && e.code === 'tokenEndpointError' && /redirect/i.test(e.userMessage));
        await assert.rejects(client.revoke('1//0refresh-token-value'), (e: unknown) => e instanceof AuthError && /redirect/i.test(e.userMessage));
        await assert.rejects(
          client.exchangeCode({ code: '4/0code', codeVerifier: 'v'.repeat(43), redirectUri: 'http://127.0.0.1:1/' }),
          (e: unknown) => e instanceof AuthError && /redirect/i.test(e.userMessage),
        );
        assert.equal(redirector.seen.length, 3);
        assert.deepEqual(elsewhere.seen, []);
      } finally {
        await redirector.close();
        await elsewhere.close();
      }
    });
  }

  it('tells a confirmed revocation from an already-invalid token (400 invalid_token) and from a failure', async () => {
    const signIn = await runSignInFlow({
      client: fake.client,
      endpoints: fake.endpoints,
      scopes: ScopeSet.from(['openid', 'email']),
      ui: browserUi(fake),
      pages: FALLBACK_PAGES,
      log: new RecordingLogger(),
    });
    const client = new TokenClient({ client: fake.client, endpoints: fake.endpoints, retries: 0 });
    assert.equal(await client.revoke(signIn.tokens.refreshToken), 'revoked');
    assert.equal(await client.revoke(signIn.tokens.refreshToken), 'alreadyInvalid');
    fake.failNext('revoke', { kind: 'status', status: 400, error: 'invalid_request' });
    await assert.rejects(client.revoke(signIn.tokens.refreshToken), (e: unknown) => e instanceof AuthError && /HTTP 400/.test(e.userMessage));
    fake.failNext('revoke', { kind: 'reset' });
    await assert.rejects(client.revoke(signIn.tokens.refreshToken), (e: unknown) => e instanceof AuthError && e.code === 'tokenEndpointUnreachable');
  });
});
