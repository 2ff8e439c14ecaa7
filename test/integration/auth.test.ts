import * as assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import * as vscode from 'vscode';
import { AuthService } from '../../src/core/auth/authService';
import { SESSION_INDEX_KEY } from '../../src/core/auth/sessionStore';
import { nullLogger } from '../../src/core/common/logger';
import { vsCodeSecretStore } from '../../src/vscode/secretStorage';
import type { Emulator } from '../fakes/emulator';
import { nextEvent } from '../support/helpers';
import { signOutEverything, withEmulator, type Services } from './support';

const scopes = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'];

describe('Google sign-in in the extension host', () => {
  const env = withEmulator();
  let emulator: Emulator;
  let s: Services;

  before(() => ({ emulator, services: s } = env));
  afterEach(async () => signOutEverything(s));

  const signInAs = (email: string) =>
    s.auth.createSession(scopes, { openBrowser: async (url) => (await emulator.google.consentAndFollow(url, { email })) === 200 });

  it('registers the "gemini" authentication provider with VS Code', async () => {
    // Throws "No authentication provider 'gemini' is currently registered" if it is not.
    const session = await vscode.authentication.getSession('gemini', scopes, { silent: true });
    assert.equal(session, undefined);
  });

  it('keeps a session only in the real SecretStorage, and a second window loads it', async () => {
    const session = await signInAs('alice@example.com');
    assert.equal(session.account.label, 'alice@example.com');
    assert.ok(emulator.google.isValidAccessToken(session.accessToken));
    const index = await s.context.secrets.get(SESSION_INDEX_KEY);
    assert.ok(index, 'the session index is in SecretStorage');
    const stored = await s.context.secrets.get(`gemini.auth.session.${session.account.id}`);
    assert.ok(stored?.includes(session.accessToken), 'the tokens are in SecretStorage');
    // Nothing secret anywhere else the extension can write.
    const globalState = JSON.stringify(s.context.globalState.keys().map((k) => s.context.globalState.get(k)));
    assert.ok(!globalState.includes(session.accessToken));
    const config = JSON.stringify(vscode.workspace.getConfiguration('gemini'));
    assert.ok(!config.includes(session.accessToken) && !config.includes(emulator.google.client.clientSecret));

    const otherWindow = AuthService.create({
      secrets: vsCodeSecretStore(s.context.secrets),
      shared: s.context.globalState,
      getConfig: async () => ({ clientId: emulator.google.client.clientId, clientSecret: emulator.google.client.clientSecret, endpoints: emulator.google.endpoints, scopes }),
      log: nullLogger,
    });
    try {
      const seen = await otherWindow.getSessions(scopes);
      assert.deepEqual(seen.map((x) => x.account.label), ['alice@example.com']);
      assert.equal(seen[0]?.id, session.id);

      // Sign-out in this window reaches the other one through secrets.onDidChange.
      const removed = nextEvent(otherWindow.onDidChangeSessions, 10_000);
      const revokesBefore = emulator.google.counters.revoke;
      await s.provider.removeSession(session.id);
      const change = await removed;
      assert.deepEqual(change.removed.map((x) => x.account.label), ['alice@example.com']);
      assert.equal(emulator.google.counters.revoke, revokesBefore + 1, 'the refresh token was revoked at Google');
      assert.equal(emulator.google.isValidAccessToken(session.accessToken), false);
      assert.equal(await s.context.secrets.get(`gemini.auth.session.${session.account.id}`), undefined);
    } finally {
      otherWindow.dispose();
    }
  });

  it('holds several accounts, answers getSessions per account, and makes the newest active', async () => {
    await signInAs('alice@example.com');
    assert.equal((await s.provider.getSessions(undefined, {})).length, 1);
    const second = await signInAs('bob@example.com');
    await s.credentials.choose({ kind: 'oauth', accountId: second.account.id });
    const all = await s.provider.getSessions(scopes, {});
    assert.deepEqual(all.map((x) => x.account.label).sort(), ['alice@example.com', 'bob@example.com']);
    const onlyBob = await s.provider.getSessions(undefined, { account: { id: second.account.id, label: second.account.label } });
    assert.deepEqual(onlyBob.map((x) => x.account.label), ['bob@example.com']);
    assert.equal((await s.credentials.current())?.label, 'bob@example.com');
  });

  it('tells VS Code about sessions added and removed (onDidChangeSessions)', async () => {
    const added = nextEvent<vscode.AuthenticationSessionsChangeEvent>(vscode.authentication.onDidChangeSessions, 10_000);
    await signInAs('alice@example.com');
    assert.equal((await added).provider.id, 'gemini');
  });

  it('never uses endpoint values from the workspace settings', async () => {
    const trap = await startTrap();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    const file = vscode.Uri.file(path.join(folder.uri.fsPath, '.vscode', 'settings.json'));
    const workspaceSettings = {
      'gemini.api.baseUrl': trap.url,
      'gemini.oauth.tokenEndpoint': `${trap.url}/token`,
      'gemini.oauth.authorizationEndpoint': `${trap.url}/auth`,
      'gemini.oauth.revocationEndpoint': `${trap.url}/revoke`,
      'gemini.oauth.userinfoEndpoint': `${trap.url}/userinfo`,
      'gemini.oauth.clientId': 'attacker-client',
    };
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(workspaceSettings)));
    try {
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(s.settings.get('apiBaseUrl'), emulator.gemini.baseUrl);
      assert.equal(s.settings.get('tokenEndpoint'), emulator.google.endpoints.token);
      const session = await signInAs('alice@example.com');
      await s.auth.getAccessToken(session.id, { forceRefresh: true });
      await s.gemini.validateApiKey(emulator.apiKey);
      await s.provider.removeSession(session.id);
      assert.equal(trap.hits.length, 0, `the workspace-chosen server received: ${trap.hits.join(', ')}`);
    } finally {
      await vscode.workspace.fs.delete(file);
      await trap.close();
    }
  });
});

async function startTrap(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}
