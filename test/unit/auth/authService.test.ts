import * as assert from 'node:assert/strict';
import type { SessionLostEvent, SessionsChangeEvent } from '../../../src/core/auth/authService';
import { AuthError } from '../../../src/core/auth/errors';
import { SESSION_INDEX_KEY, sessionKey } from '../../../src/core/auth/sessionStore';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import type { AuthConfig } from '../../../src/core/auth/authService';
import { MemorySecretStore } from '../../fakes/memorySecretStore';
import { REMOVED_SESSIONS_KEY } from '../../../src/core/auth/authService';
import { MemoryKeyValue } from '../activity/helpers';
import { browserUi, createService, snapshotWindow } from './helpers';
import { delay, nextEvent, RecordingLogger } from '../../support/helpers';

const CLOUD = 'https://www.googleapis.com/auth/cloud-platform';

describe('auth/AuthService', () => {
  let fake: FakeGoogle;
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  const disposables: { dispose(): void }[] = [];
  before(async () => {
    fake = await startFakeGoogle();
  });
  after(() => fake.close());
  beforeEach(() => {
    clockOffset = 0;
    for (const ep of ['token', 'revoke', 'userinfo'] as const) fake.setFailure(ep, undefined);
  });
  afterEach(() => {
    for (const d of disposables.splice(0)) d.dispose();
  });

  async function setup(secrets?: MemorySecretStore, log?: RecordingLogger, shared?: MemoryKeyValue) {
    const r = await createService(fake, { now, ...(secrets ? { secrets } : {}), ...(log ? { log } : {}), ...(shared ? { shared } : {}) });
    disposables.push(r.service);
    return r;
  }

  function record(service: { onDidChangeSessions: (l: (e: SessionsChangeEvent) => void) => { dispose(): void }; onDidLoseSession: (l: (e: SessionLostEvent) => void) => { dispose(): void } }) {
    const changes: SessionsChangeEvent[] = [];
    const lost: SessionLostEvent[] = [];
    disposables.push(service.onDidChangeSessions((e) => changes.push(e)), service.onDidLoseSession((e) => lost.push(e)));
    return { changes, lost };
  }

  it('creates, persists and finds sessions by scope and account', async () => {
    const { service, secrets } = await setup();
    const events = record(service);
    const session = await service.createSession(['openid', 'email', CLOUD], browserUi(fake, 'alice@example.com'));
    assert.equal(session.account.label, 'alice@example.com');
    assert.deepEqual(session.scopes, [CLOUD, 'email', 'openid'].sort());
    assert.ok(fake.isValidAccessToken(session.accessToken));
    assert.equal(events.changes.length, 1);
    assert.deepEqual(events.changes[0]?.added.map((s) => s.id), [session.id]);

    assert.deepEqual((await service.getSessions([CLOUD])).map((s) => s.id), [session.id]);
    assert.deepEqual((await service.getSessions()).map((s) => s.id), [session.id]);
    assert.deepEqual(await service.getSessions(['https://www.googleapis.com/auth/drive']), []);
    assert.deepEqual(await service.getSessions(undefined, 'someone-else'), []);
    // Any subset of the granted scopes is answered with the account's one session (see createSession).
    assert.deepEqual((await service.getSessions(['https://www.googleapis.com/auth/userinfo.email'])).map((s) => s.id), [session.id]);
    assert.deepEqual((await service.getSessions(['email'])).map((s) => s.id), [session.id]);
    assert.deepEqual((await service.getSessions([])).map((s) => s.id), [session.id]); // [] = the configured scopes

    assert.ok(secrets.backing.map.has(SESSION_INDEX_KEY));
    assert.ok(secrets.backing.map.has(sessionKey(session.account.id)));
    // A second "window" loads it from storage.
    const { service: other } = await setup(secrets.sibling());
    assert.deepEqual((await other.getSessions()).map((s) => s.accessToken), [session.accessToken]);
  });

  it('activation does not wait for secret storage: create returns first, methods wait for the load, listeners hear the loaded sessions', async () => {
    const { service: writer, secrets } = await setup();
    const session = await writer.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    // Another window whose secret storage answers only when the test says so.
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const slow = secrets.sibling();
    const get = slow.get.bind(slow);
    slow.get = async (key) => {
      await answered;
      return get(key);
    };
    const { service } = await setup(slow);
    const events = record(service);
    let listed: unknown;
    const sessions = service.signedIn().then((s) => (listed = s));
    await new Promise((resolve) => setImmediate(resolve)); // every promise that could settle has settled
    assert.equal(listed, undefined, 'waits for secret storage');
    answer();
    assert.deepEqual((await sessions).map((s) => s.id), [session.id]);
    assert.deepEqual(events.changes.map((e) => e.added.map((s) => s.id)), [[session.id]]);
  });

  it('replaces the session when the same account signs in again (changed, same id), without revoking the grant', async () => {
    const { service } = await setup();
    const first = await service.createSession([CLOUD], browserUi(fake, 'bob@example.com'));
    const events = record(service);
    const revokesBefore = fake.counters.revoke;
    const second = await service.createSession([CLOUD], browserUi(fake, 'bob@example.com'));
    assert.equal(second.id, first.id);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.equal(events.changes.length, 1);
    assert.deepEqual(events.changes[0]?.changed.map((s) => s.id), [first.id]);
    assert.equal((await service.getSessions()).length, 1);
    // Google revokes per grant (user + client): revoking the old refresh token would end the new session too.
    await delay(50);
    assert.equal(fake.counters.revoke, revokesBefore);
    assert.ok(fake.isValidAccessToken(second.accessToken));
    const refreshed = await service.getAccessToken(second.id, { forceRefresh: true });
    assert.ok(fake.isValidAccessToken(refreshed));
  });

  it('refreshes near expiry with exactly one token call for 50 concurrent callers', async () => {
    const { service } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake));
    assert.equal(await service.getAccessToken(session.id), session.accessToken); // fresh: no call
    const before = fake.counters.token.refresh_token;
    clockOffset = 3600_000 - 60_000; // within the 5-minute margin
    const tokens = await Promise.all(Array.from({ length: 50 }, () => service.getAccessToken(session.id)));
    assert.equal(fake.counters.token.refresh_token, before + 1);
    assert.equal(new Set(tokens).size, 1);
    assert.notEqual(tokens[0], session.accessToken);
    assert.ok(fake.isValidAccessToken(tokens[0] as string));
    // Listing who is signed in never refreshes, even when the token is due.
    clockOffset = 2 * 3600_000;
    assert.deepEqual(await service.signedIn(), [{ id: session.id, account: session.account }]);
    assert.equal(fake.counters.token.refresh_token, before + 1);
    clockOffset = 3600_000 - 60_000;
    // Fresh again: no further call; getSessions hands out the new token.
    assert.equal((await service.getSessions())[0]?.accessToken, tokens[0]);
    assert.equal(fake.counters.token.refresh_token, before + 1);
    // forceRefresh always asks.
    await service.getAccessToken(session.id, { forceRefresh: true });
    assert.equal(fake.counters.token.refresh_token, before + 2);
  });

  it('invalid_grant on refresh removes the session, tells once, and does not loop', async () => {
    const { service, secrets } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    const events = record(service);
    fake.revokeUser('alice@example.com');
    clockOffset = 2 * 3600_000;
    const before = fake.counters.token.refresh_token;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => service.getAccessToken(session.id)));
    for (const r of results) assert.ok(r.status === 'rejected' && r.reason instanceof AuthError && r.reason.code === 'sessionExpired');
    assert.equal(fake.counters.token.refresh_token, before + 1);
    assert.equal(events.lost.length, 1);
    assert.equal(events.lost[0]?.account.label, 'alice@example.com');
    assert.equal(events.changes.length, 1);
    assert.deepEqual(events.changes[0]?.removed.map((s) => s.id), [session.id]);
    assert.ok(!secrets.backing.map.has(sessionKey(session.account.id)));
    // Afterwards: no session, no further token calls, no further events.
    await assert.rejects(service.getAccessToken(session.id), (e: unknown) => e instanceof AuthError && e.code === 'sessionNotFound');
    assert.deepEqual(await service.getSessions(), []);
    await delay(30);
    assert.equal(fake.counters.token.refresh_token, before + 1);
    assert.equal(events.lost.length, 1);
    assert.equal(events.changes.length, 1);
  });

  it('keeps a still-valid token when a refresh fails transiently', async () => {
    const { service, log } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake));
    clockOffset = 3600_000 - 60_000;
    fake.setFailure('token', { kind: 'status', status: 503 });
    assert.equal(await service.getAccessToken(session.id), session.accessToken);
    assert.ok(log.warnings().some((w) => /HTTP 503/.test(w)));
    await assert.rejects(service.getAccessToken(session.id, { forceRefresh: true }), (e: unknown) => e instanceof AuthError && e.code === 'tokenEndpointError');
    assert.equal((await service.getSessions()).length, 1);
  });

  it('sign-out revokes the refresh token, then deletes the secrets', async () => {
    const { service, secrets } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake));
    const live = fake.liveRefreshTokens();
    const revokes = fake.counters.revoke;
    const removed = nextEvent(service.onDidChangeSessions);
    await service.removeSession(session.id);
    assert.deepEqual((await removed).removed.map((s) => s.id), [session.id]);
    assert.equal(fake.counters.revoke, revokes + 1);
    assert.ok(fake.liveRefreshTokens() < live);
    assert.ok(!fake.isValidAccessToken(session.accessToken));
    assert.ok(!secrets.backing.map.has(sessionKey(session.account.id)));
    assert.deepEqual(JSON.parse(secrets.backing.map.get(SESSION_INDEX_KEY) ?? '{}').accounts, []);
  });

  it('sign-out while the revocation endpoint is down still deletes local secrets and logs a warning', async () => {
    const { service, secrets, log } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake));
    fake.setFailure('revoke', { kind: 'reset' });
    await service.removeSession(session.id);
    assert.deepEqual(await service.getSessions(), []);
    assert.ok(!secrets.backing.map.has(sessionKey(session.account.id)));
    const warning = log.warnings().find((w) => /did not confirm/.test(w));
    assert.ok(warning, log.all);
    assert.match(warning, /deleted anyway/);
    assert.equal(fake.liveRefreshTokens() > 0, true); // it really was not revoked
  });

  it('discards corrupted or foreign storage entries at load, with warnings, without throwing', async () => {
    const secrets = new MemorySecretStore();
    const { service: writer } = await setup(secrets);
    const good = await writer.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    const goodRaw = secrets.backing.map.get(sessionKey(good.account.id)) as string;
    secrets.seed(SESSION_INDEX_KEY, JSON.stringify({ v: 1, accounts: [good.account.id, 'corrupt', 'foreign', 'missing', 'wrongversion', '../../etc', 42] }));
    secrets.seed(sessionKey('corrupt'), '{"v":1,"id":"x",');
    secrets.seed(sessionKey('foreign'), goodRaw); // stored under another account id
    secrets.seed(sessionKey('wrongversion'), JSON.stringify({ ...JSON.parse(goodRaw), v: 2, account: { id: 'wrongversion', label: 'x' } }));
    const log = new RecordingLogger();
    const { service } = await setup(secrets.sibling(), log);
    assert.deepEqual((await service.getSessions()).map((s) => s.id), [good.id]);
    assert.ok(log.warnings().some((w) => /corrupt: not JSON/.test(w)), log.all);
    assert.ok(log.warnings().some((w) => /foreign: stored under another account id/.test(w)));
    assert.ok(log.warnings().some((w) => /wrongversion: unknown format version/.test(w)));
    assert.ok(log.warnings().some((w) => /malformed account ids/.test(w)));

    secrets.seed(SESSION_INDEX_KEY, 'not json at all');
    const log2 = new RecordingLogger();
    const { service: empty } = await setup(secrets.sibling(), log2);
    assert.deepEqual(await empty.getSessions(), []);
    assert.ok(log2.warnings().some((w) => /session index is unreadable/.test(w)));
  });

  it('keeps two windows in sync through the shared SecretStore', async () => {
    const a = await setup();
    const b = await setup(a.secrets.sibling());
    const aEvents = record(a.service);
    const bEvents = record(b.service);

    let bChange = nextEvent(b.service.onDidChangeSessions);
    const s = await a.service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    const added = await bChange;
    assert.deepEqual([added.added.map((x) => x.id), added.removed, added.changed], [[s.id], [], []]);

    // Window A refreshes: B adopts the new access token silently.
    clockOffset = 3600_000 - 60_000;
    const fresh = await a.service.getAccessToken(s.id);
    await delay(30);
    assert.equal(bEvents.changes.length, 1);
    assert.equal((await b.service.getSessions())[0]?.accessToken, fresh);
    const refreshCalls = fake.counters.token.refresh_token;
    assert.equal(await b.service.getAccessToken(s.id), fresh);
    assert.equal(fake.counters.token.refresh_token, refreshCalls);

    // Window A signs the same account in again: B sees "changed".
    bChange = nextEvent(b.service.onDidChangeSessions);
    await a.service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    const changed = await bChange;
    assert.deepEqual([changed.added, changed.removed, changed.changed.map((x) => x.id)], [[], [], [s.id]]);

    // Window A signs out: B sees "removed".
    bChange = nextEvent(b.service.onDidChangeSessions);
    await a.service.removeSession(s.id);
    const removed = await bChange;
    assert.deepEqual([removed.added, removed.removed.map((x) => x.id), removed.changed], [[], [s.id], []]);
    assert.deepEqual(await b.service.getSessions(), []);

    // A heard each of its own changes exactly once (no echo from its own writes).
    await delay(30);
    assert.deepEqual(aEvents.changes.map((e) => [e.added.length, e.removed.length, e.changed.length]), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    assert.equal(bEvents.changes.length, 3);
  });

  it('says what to do when no OAuth client is configured', async () => {
    const { service } = await createService(fake, { getConfig: () => ({ clientId: '', endpoints: fake.endpoints, scopes: [] }) });
    disposables.push(service);
    await assert.rejects(service.createSession([], browserUi(fake)), (e: unknown) => e instanceof AuthError && e.code === 'clientNotConfigured' && /Configure OAuth Client/.test(e.userMessage));
    const { service: noSecret } = await createService(fake, { getConfig: () => ({ clientId: 'x.apps.googleusercontent.com', endpoints: fake.endpoints, scopes: [] }) });
    disposables.push(noSecret);
    await assert.rejects(noSecret.createSession([], browserUi(fake)), /client secret of OAuth client x\.apps/);
    const { service: insecure } = await createService(fake, { getConfig: () => ({ ...fake.client, endpoints: { ...fake.endpoints, token: 'http://example.com/token' }, scopes: [] }) });
    disposables.push(insecure);
    await assert.rejects(insecure.createSession([], browserUi(fake)), (e: unknown) => e instanceof AuthError && e.code === 'invalidEndpoint');
  });

  it('never writes a secret to the log during sign-in, refresh and sign-out', async () => {
    const log = new RecordingLogger();
    const { service } = await setup(undefined, log);
    const ui = browserUi(fake, 'bob@example.com');
    const session = await service.createSession([CLOUD], ui);
    clockOffset = 3600_000;
    await service.getAccessToken(session.id);
    fake.setFailure('token', { kind: 'status', status: 400, error: 'invalid_client' });
    await assert.rejects(service.getAccessToken(session.id, { forceRefresh: true }));
    fake.setFailure('token', undefined);
    await service.removeSession(session.id);
    const s2 = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    fake.revokeUser('alice@example.com');
    await assert.rejects(service.getAccessToken(s2.id, { forceRefresh: true }));

    const secrets = [fake.client.clientSecret, ...fake.issuedSecrets];
    assert.ok(secrets.length >= 8, `captured ${secrets.length} secrets`);
    assert.ok(log.lines.length > 10);
    for (const secret of secrets) {
      assert.ok(!log.all.includes(secret), `a secret (${secret.slice(0, 6)}…) appeared in the log`);
    }
    const state = new URL(ui.urls[0] ?? '').searchParams.get('state') ?? '';
    assert.ok(state && !log.all.includes(state));
  });

  describe('sessions remember the token server that issued them', () => {
    let other: FakeGoogle;
    before(async () => {
      other = await startFakeGoogle();
    });
    after(() => other.close());

    it('refreshes and revokes at the issuer after the endpoint settings moved to another server', async () => {
      let config: AuthConfig = { ...fake.client, endpoints: fake.endpoints, scopes: ['openid', 'email', CLOUD] };
      const { service } = await createService(fake, { now, getConfig: () => config });
      disposables.push(service);
      const session = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      config = { ...config, endpoints: other.endpoints };
      const before = { refresh: fake.counters.token.refresh_token, revoke: fake.counters.revoke };
      const token = await service.getAccessToken(session.id, { forceRefresh: true });
      assert.ok(fake.isValidAccessToken(token));
      const result = await service.removeSession(session.id);
      assert.equal(result?.revocation, 'confirmed');
      assert.deepEqual({ refresh: fake.counters.token.refresh_token, revoke: fake.counters.revoke }, { refresh: before.refresh + 1, revoke: before.revoke + 1 });
      assert.deepEqual([other.counters.token, other.counters.revoke], [{ authorization_code: 0, refresh_token: 0, other: 0 }, 0]);
      assert.ok(!fake.isValidAccessToken(token));
    });

    it('binds sessions stored before issuers were recorded: Google-issued to Google, others to the endpoints configured at first load', async () => {
      let config: AuthConfig = { ...fake.client, endpoints: fake.endpoints, scopes: ['openid', 'email', CLOUD] };
      const { service: writer, secrets } = await createService(fake, { now, getConfig: () => config });
      disposables.push(writer);
      const session = await writer.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      const key = sessionKey(session.account.id);
      const { issuer: _issuer, ...legacy } = JSON.parse(secrets.backing.map.get(key) as string) as Record<string, unknown>;
      secrets.seed(key, JSON.stringify(legacy));
      const { service } = await createService(fake, { now, getConfig: () => config, secrets: secrets.sibling() });
      disposables.push(service);
      await service.getSessions(); // after the first load
      assert.equal(JSON.parse(secrets.backing.map.get(key) as string).issuer.token, fake.endpoints.token);
      config = { ...config, endpoints: other.endpoints };
      const before = fake.counters.token.refresh_token;
      await service.getAccessToken(session.id, { forceRefresh: true });
      assert.equal(fake.counters.token.refresh_token, before + 1);
      assert.equal(other.counters.token.refresh_token, 0);

      const claims = (legacy['idTokenClaims'] as Record<string, unknown>) ?? {};
      secrets.seed(key, JSON.stringify({ ...legacy, idTokenClaims: { ...claims, iss: 'https://accounts.google.com' } }));
      const { service: third } = await createService(fake, { now, getConfig: () => config, secrets: secrets.sibling() });
      disposables.push(third);
      await third.getSessions(); // after the first load
      assert.deepEqual(JSON.parse(secrets.backing.map.get(key) as string).issuer, {
        token: 'https://oauth2.googleapis.com/token',
        revocation: 'https://oauth2.googleapis.com/revoke',
        userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
        clientId: fake.client.clientId,
      });
    });
  });

  describe('sign-out in one window stays a sign-out in every window', () => {
    it('a refresh that finishes after another window signed out does not write the session back', async () => {
      const shared = new MemoryKeyValue();
      const a = await setup(undefined, undefined, shared);
      // Window B hears of A's changes late (events cross processes), here never.
      const deaf = a.secrets.sibling();
      (deaf as { onDidChange: unknown }).onDidChange = () => ({ dispose() {} });
      const b = await setup(deaf, undefined, shared);
      const session = await a.service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      await b.service.checkForUpdates();
      fake.failNext('token', { kind: 'delay', ms: 150 });
      const refreshing = b.service.getAccessToken(session.id, { forceRefresh: true });
      await delay(50);
      fake.setFailure('revoke', { kind: 'reset' }); // the worst case: the grant is still live
      const result = await a.service.removeSession(session.id);
      assert.equal(result?.revocation, 'failed');
      await assert.rejects(refreshing, (e: unknown) => e instanceof AuthError && e.code === 'sessionExpired' && /signed out in another window/.test(e.userMessage));
      await delay(30);
      assert.ok(!a.secrets.backing.map.has(sessionKey(session.account.id)));
      assert.deepEqual(JSON.parse(a.secrets.backing.map.get(SESSION_INDEX_KEY) ?? '{}').accounts, []);
      assert.deepEqual(await a.service.getSessions(), []);
      assert.deepEqual(await b.service.getSessions(), []);
    });

    it('a window whose SecretStorage is a stale copy (browser host) drops the session at its next use, once, with no token request', async () => {
      const shared = new MemoryKeyValue();
      const a = await setup(undefined, undefined, shared);
      const session = await a.service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      const b = await setup(snapshotWindow(a.secrets), undefined, shared);
      const d = await setup(snapshotWindow(a.secrets), undefined, shared);
      await Promise.all([b.service.getSessions(), d.service.getSessions()]); // both windows have loaded the session
      fake.setFailure('revoke', { kind: 'reset' });
      await a.service.removeSession(session.id);
      assert.equal((await b.service.getSessions()).length, 1, 'B cannot know before it uses the session');
      const bEvents = record(b.service);

      const tokenCalls = fake.counters.token.refresh_token;
      const uses = await Promise.allSettled([b.service.getAccessToken(session.id), b.service.getAccessToken(session.id)]);
      for (const u of uses) assert.ok(u.status === 'rejected' && u.reason instanceof AuthError && (u.reason.code === 'sessionExpired' || u.reason.code === 'sessionNotFound'));
      assert.ok(uses.some((u) => u.status === 'rejected' && /alice@example.com was signed out in another window/.test((u.reason as AuthError).userMessage)));
      assert.equal(fake.counters.token.refresh_token, tokenCalls);
      assert.deepEqual(bEvents.changes.map((e) => e.removed.map((x) => x.id)), [[session.id]]);
      assert.equal(bEvents.lost.length, 0);
      assert.deepEqual(await b.service.getSessions(), []);

      // Another stale window converges when it is focused, without writing its stale copy anywhere.
      const dWrites = d.secrets.writes.length;
      const dRemoved = nextEvent(d.service.onDidChangeSessions);
      await d.service.applySignOutsElsewhere();
      assert.deepEqual((await dRemoved).removed.map((x) => x.id), [session.id]);
      assert.deepEqual(await d.service.getSessions(), []);
      assert.equal(d.secrets.writes.length, dWrites);

      // B's stale copy still holds the session; a window opened on it later does not bring it back.
      const c = await setup(snapshotWindow(b.secrets), undefined, shared);
      assert.deepEqual(await c.service.getSessions(), []);
      assert.ok(((shared.get(REMOVED_SESSIONS_KEY) as string[]) ?? []).includes(session.id));
    });
  });

  describe('sign-out reports what Google confirmed', () => {
    it('confirmed; already invalid counts as confirmed; a failure comes with a retry that works', async () => {
      const { service, log } = await setup();
      const s1 = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      assert.deepEqual({ ...(await service.removeSession(s1.id)) }, { account: s1.account, revocation: 'confirmed' });

      const s2 = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
      fake.revokeUser('alice@example.com'); // revoked at Google already (e.g. from the Google Account page)
      assert.equal((await service.removeSession(s2.id))?.revocation, 'confirmed');
      assert.ok(log.entries.some((e) => e.level === 'info' && /already invalid/.test(e.message)), log.all);

      const s3 = await service.createSession([CLOUD], browserUi(fake, 'bob@example.com'));
      fake.setFailure('revoke', { kind: 'reset' });
      const failed = await service.removeSession(s3.id);
      assert.equal(failed?.revocation, 'failed');
      assert.match(failed?.reason ?? '', /Could not reach the revocation endpoint/);
      assert.deepEqual(await service.getSessions(), []);
      assert.ok(fake.isValidAccessToken(s3.accessToken));
      fake.setFailure('revoke', undefined);
      assert.equal((await failed?.retry?.())?.revocation, 'confirmed');
      assert.ok(!fake.isValidAccessToken(s3.accessToken));
    });
  });

  it('signs in only for gemini.oauth.scopes, always for all of them, and never narrows a session', async () => {
    const { service } = await setup();
    await assert.rejects(
      service.createSession(['https://www.googleapis.com/auth/drive'], browserUi(fake)),
      (e: unknown) => e instanceof AuthError && e.code === 'scopesNotOffered' && /gemini\.oauth\.scopes/.test(e.userMessage) && /drive/.test(e.userMessage),
    );
    const broad = await service.createSession([], browserUi(fake, 'alice@example.com'));
    assert.deepEqual(broad.scopes, [CLOUD, 'email', 'openid'].sort());
    // Another extension asking for less gets the same grant, not a narrower session that replaces it.
    const again = await service.createSession(['email'], browserUi(fake, 'alice@example.com'));
    assert.equal(again.id, broad.id);
    assert.deepEqual(again.scopes, [CLOUD, 'email', 'openid'].sort());
    assert.deepEqual((await service.getSessions([CLOUD])).map((s) => s.id), [broad.id]);
    const bob = await service.createSession(['email'], browserUi(fake, 'bob@example.com'));
    assert.deepEqual(bob.scopes, [CLOUD, 'email', 'openid'].sort());
    assert.deepEqual((await service.getSessions(['openid', 'https://www.googleapis.com/auth/userinfo.email'])).length, 2);
  });

});
