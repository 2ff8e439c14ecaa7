import * as assert from 'node:assert/strict';
import { AuthError } from '../../../src/core/auth/errors';
import { LoopbackServer } from '../../../src/core/auth/loopbackServer';
import { escapeHtml, renderFailurePage } from '../../../src/core/auth/pages';

const pages = { success: '<p>SUCCESS</p>', failure: '<p>FAILED: {{reason}}</p>' };

describe('auth/loopbackServer', () => {
  let server: LoopbackServer | undefined;
  afterEach(() => server?.dispose());

  it('listens on 127.0.0.1 with an ephemeral port and completes on the matching callback', async () => {
    server = await LoopbackServer.start({ expectedState: 'S1', pages });
    assert.match(server.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const res = await fetch(`${server.redirectUri}?code=abc&state=S1`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '<p>SUCCESS</p>');
    assert.deepEqual(await server.result, { code: 'abc' });
    // Closed afterwards: no new connections.
    await assert.rejects(fetch(`${server.redirectUri}?code=abc&state=S1`));
  });

  it('answers a wrong or missing state with 400 and keeps waiting', async () => {
    server = await LoopbackServer.start({ expectedState: 'S2', pages });
    const wrong = await fetch(`${server.redirectUri}?code=abc&state=nope`, { redirect: 'manual' });
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /FAILED: .*different|does not belong/);
    const missing = await fetch(`${server.redirectUri}?code=abc`, { redirect: 'manual' });
    assert.equal(missing.status, 400);
    await missing.text();
    assert.equal(server.isCompleted, false);
    const ok = await fetch(`${server.redirectUri}?code=real&state=S2`, { redirect: 'manual' });
    assert.equal(ok.status, 200);
    await ok.text();
    assert.deepEqual(await server.result, { code: 'real' });
  });

  it('redirects its /signin link to the exact authorization URL, only with the right nonce', async () => {
    server = await LoopbackServer.start({ expectedState: 'S1', pages });
    const authorizationUrl = 'https://accounts.example/auth?scope=openid+https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcloud-platform&state=S1';
    const link = server.serveSignIn(authorizationUrl);
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/signin\?nonce=[0-9a-f]{32}$/);
    const ok = await fetch(link, { redirect: 'manual' });
    assert.equal(ok.status, 302);
    assert.equal(ok.headers.get('location'), authorizationUrl);
    const wrong = await fetch(link.replace(/nonce=\w+/, 'nonce=0000'), { redirect: 'manual' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get('location'), null);
    assert.equal(server.isCompleted, false, '/signin never completes the sign-in');
  });

  it('answers other paths with 404', async () => {
    server = await LoopbackServer.start({ expectedState: 'S3', pages });
    const res = await fetch(server.redirectUri.replace('/callback', '/favicon.ico'));
    assert.equal(res.status, 404);
    await res.text();
    assert.equal(server.isCompleted, false);
  });

  it('rejects with "denied" on error=access_denied and shows the failure page', async () => {
    server = await LoopbackServer.start({ expectedState: 'S4', pages });
    const res = await fetch(`${server.redirectUri}?error=access_denied&state=S4`, { redirect: 'manual' });
    assert.match(await res.text(), /FAILED: .*access was not granted/);
    await assert.rejects(server.result, (e: unknown) => e instanceof AuthError && e.code === 'denied');
  });

  it('rejects as cancelled when disposed', async () => {
    server = await LoopbackServer.start({ expectedState: 'S5', pages });
    server.dispose();
    await assert.rejects(server.result, (e: unknown) => e instanceof AuthError && e.code === 'cancelled');
  });

  it('escapes the failure reason', () => {
    assert.equal(escapeHtml(`<script>"&'`), '&lt;script&gt;&quot;&amp;&#39;');
    assert.equal(renderFailurePage('<p>{{reason}}</p>', '<img src=x onerror=alert(1)>'), '<p>&lt;img src=x onerror=alert(1)&gt;</p>');
  });
});
