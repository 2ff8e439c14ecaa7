import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { AuthError, isAuthError } from '../../../src/core/auth/errors';
import { decodeIdToken } from '../../../src/core/auth/idToken';
import { parsePastedRedirectUrl, runSignInFlow, type SignInUi } from '../../../src/core/auth/oauthFlow';
import { FALLBACK_PAGES } from '../../../src/core/auth/pages';
import { ScopeSet } from '../../../src/core/auth/scopes';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import { browserUi } from './helpers';
import { RecordingLogger } from '../../support/helpers';

const SCOPES = ScopeSet.from(['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform']);

function isCode(code: string) {
  return (e: unknown) => e instanceof AuthError && e.code === code;
}

describe('auth/oauthFlow against the fake Google', () => {
  let fake: FakeGoogle;
  let log: RecordingLogger;
  before(async () => {
    fake = await startFakeGoogle();
  });
  after(() => fake.close());
  beforeEach(() => {
    log = new RecordingLogger();
    fake.setFailure('token', undefined);
    fake.setFailure('userinfo', undefined);
  });

  const run = (ui: SignInUi, overrides: Partial<Parameters<typeof runSignInFlow>[0]> = {}) =>
    runSignInFlow({ client: fake.client, endpoints: fake.endpoints, scopes: SCOPES, ui, pages: FALLBACK_PAGES, log, tokenRetries: 0, ...overrides });

  it('signs in end to end: PKCE, state, code exchange and ID-token identity', async () => {
    const ui = browserUi(fake, 'bob@example.com');
    const before = { ...fake.counters.token };
    const result = await run(ui);
    assert.equal(result.account.label, 'bob@example.com');
    assert.equal(result.account.id, fake.users[1]?.sub);
    assert.ok(fake.isValidAccessToken(result.tokens.accessToken));
    assert.ok(result.tokens.refreshToken);
    assert.deepEqual(result.tokens.scopes, SCOPES.scopes); // userinfo.email folded back to "email"
    assert.equal(result.tokens.idTokenClaims?.aud, fake.client.clientId);
    assert.ok(Math.abs(result.tokens.expiresAt - (Date.now() + 3600_000)) < 5000);
    assert.equal(fake.counters.token.authorization_code, before.authorization_code + 1);
    const url = new URL(ui.urls[0] ?? '');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent select_account');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.ok((url.searchParams.get('state') ?? '').length >= 22);
    assert.match(url.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });

  it('falls back to the userinfo endpoint when there is no ID token', async () => {
    const bare = await startFakeGoogle({ omitIdToken: true });
    try {
      const result = await runSignInFlow({ client: bare.client, endpoints: bare.endpoints, scopes: SCOPES, ui: browserUi(bare), pages: FALLBACK_PAGES, log });
      assert.equal(result.account.label, 'alice@example.com');
      assert.equal(bare.counters.userinfo, 1);
    } finally {
      await bare.close();
    }
  });

  it('fails clearly when the code verifier is wrong (the fake verifies PKCE)', async () => {
    // Swap the code_challenge in the authorization URL, so the verifier the client sends no longer matches.
    const ui: SignInUi = {
      async openBrowser(_url, request) {
        const u = new URL(request.authorizationUrl);
        u.searchParams.set('code_challenge', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
        void fake.consentAndFollow(u.toString()).catch(() => undefined);
        return true;
      },
      timeoutMs: 5000,
    };
    const before = fake.counters.token.authorization_code;
    await assert.rejects(run(ui), (e: unknown) => isCode('invalidGrant')(e) && /PKCE/.test((e as AuthError).userMessage));
    assert.equal(fake.counters.token.authorization_code, before + 1);
  });

  it('reports "denied" when the user presses Deny', async () => {
    const ui: SignInUi = { openBrowser: async (url) => (void fake.consentAndFollow(url, { deny: true }).catch(() => undefined), true), timeoutMs: 5000 };
    await assert.rejects(run(ui), isCode('denied'));
  });

  it('times out with a typed error', async () => {
    await assert.rejects(run({ openBrowser: async () => true, timeoutMs: 50 }), (e: unknown) => isCode('timeout')(e) && !isAuthError(e, 'cancelled'));
  });

  it('is cancelled by the AbortSignal, distinguishably', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await assert.rejects(run({ openBrowser: async () => true, signal: ac.signal, timeoutMs: 5000 }), (e: unknown) => isAuthError(e, 'cancelled'));
  });

  it('fails when the browser cannot be opened and there is no paste fallback', async () => {
    await assert.rejects(run({ openBrowser: async () => false, timeoutMs: 5000 }), isCode('browserNotOpened'));
  });

  describe('pasted redirect URL', () => {
    it('accepts the URL the browser was redirected to', async () => {
      let resolvePaste!: (s: string) => void;
      const ui: SignInUi = {
        async openBrowser(url) {
          // The browser is on another machine: take the Location without following it.
          void fake.consent(url).then((location) => resolvePaste(location));
          return false;
        },
        pastedRedirectUrl: new Promise((r) => (resolvePaste = r)),
        timeoutMs: 5000,
      };
      const result = await run(ui);
      assert.equal(result.account.label, 'alice@example.com');
      assert.match(log.all, /pasted URL/);
    });

    it('the authorization URL given to the UI is complete on its own ("Copy sign-in link"): opened on another machine, its pasted redirect signs in', async () => {
      let resolvePaste!: (s: string) => void;
      let copied = '';
      const ui: SignInUi = {
        async openBrowser(_loopbackLink, request) {
          copied = request.authorizationUrl;
          // A browser elsewhere goes straight to Google: the loopback /signin link would not load there.
          void fake.consent(copied, { email: 'bob@example.com' }).then((location) => resolvePaste(location));
          return false;
        },
        pastedRedirectUrl: new Promise((r) => (resolvePaste = r)),
        timeoutMs: 5000,
      };
      const result = await run(ui);
      assert.equal(result.account.label, 'bob@example.com');
      const params = new URL(copied).searchParams;
      assert.ok(copied.startsWith(`${fake.endpoints.authorization}?`), copied);
      assert.equal(params.get('code_challenge_method'), 'S256');
      const challenge = params.get('code_challenge') ?? '';
      assert.match(challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{22,}$/);
      // Never the verifier: no parameter is one, and none hashes to the challenge.
      assert.ok(!params.has('code_verifier'));
      for (const value of params.values()) assert.notEqual(createHash('sha256').update(value).digest('base64url'), challenge);
    });

    it('rejects a pasted URL from another attempt (state mismatch)', async () => {
      let resolvePaste!: (s: string) => void;
      const ui: SignInUi = {
        async openBrowser(url) {
          void fake.consent(url).then((location) => {
            const u = new URL(location);
            u.searchParams.set('state', 'someone-elses-state');
            resolvePaste(u.toString());
          });
          return true;
        },
        pastedRedirectUrl: new Promise((r) => (resolvePaste = r)),
        timeoutMs: 5000,
      };
      await assert.rejects(run(ui), isCode('stateMismatch'));
    });

    it('rejects something that is not a redirect URL, with a precise message', async () => {
      await assert.rejects(run({ openBrowser: async () => true, pastedRedirectUrl: Promise.resolve('hello'), timeoutMs: 5000 }), (e: unknown) =>
        isCode('invalidRedirectUrl')(e) && /not the URL the browser was redirected to/.test((e as AuthError).userMessage),
      );
    });

    const table: [string, string, string | undefined][] = [
      ['https://example.com/?code=a&state=S', 'invalidRedirectUrl', undefined],
      ['http://127.0.0.1:1234/callback', 'invalidRedirectUrl', undefined],
      ['http://127.0.0.1:1234/callback?state=S', 'invalidRedirectUrl', 'no authorization code'],
      ['http://127.0.0.1:1234/callback?code=a&state=X', 'stateMismatch', undefined],
      ['http://127.0.0.1:1234/callback?error=access_denied&state=S', 'denied', undefined],
      ['  <http://localhost:1234/callback?code=a&state=S>  ', '', undefined],
    ];
    for (const [text, code, msg] of table) {
      it(`parsePastedRedirectUrl(${text.trim()}) → ${code || 'ok'}`, () => {
        if (!code) assert.deepEqual(parsePastedRedirectUrl(text, 'S'), { code: 'a' });
        else assert.throws(() => parsePastedRedirectUrl(text, 'S'), (e: unknown) => isCode(code)(e) && (!msg || (e as AuthError).userMessage.includes(msg)));
      });
    }

    it('recognises the sign-in link pasted by mistake', () => {
      assert.throws(() => parsePastedRedirectUrl(`${fake.endpoints.authorization}?client_id=x&state=S`, 'S', fake.endpoints.authorization), /sign-in link itself/);
    });
  });

  describe('token endpoint failures', () => {
    it('token endpoint down → tokenEndpointUnreachable', async () => {
      fake.setFailure('token', { kind: 'reset' });
      await assert.rejects(run(browserUi(fake)), (e: unknown) => isCode('tokenEndpointUnreachable')(e) && /Could not reach the token endpoint/.test((e as AuthError).userMessage));
    });

    it('5xx → tokenEndpointError naming the status', async () => {
      fake.setFailure('token', { kind: 'status', status: 503 });
      await assert.rejects(run(browserUi(fake)), (e: unknown) => isCode('tokenEndpointError')(e) && /HTTP 503/.test((e as AuthError).userMessage));
    });

    it('retries one 5xx when asked to', async () => {
      fake.failNext('token', { kind: 'status', status: 500 });
      const before = fake.counters.token.authorization_code;
      const result = await run(browserUi(fake), { tokenRetries: 1 });
      assert.ok(result.tokens.accessToken);
      assert.equal(fake.counters.token.authorization_code, before + 2);
    });

    it('a wrong client secret → invalidClient that says so', async () => {
      await assert.rejects(run(browserUi(fake), { client: { clientId: fake.client.clientId, clientSecret: 'wrong' } }), (e: unknown) =>
        isCode('invalidClient')(e) && /client secret may be wrong/.test((e as AuthError).userMessage),
      );
    });

    it('an ID token for another audience is refused', async () => {
      const other = await startFakeGoogle({ clients: [{ clientId: 'other.apps.googleusercontent.com', clientSecret: 's' }] });
      try {
        // Sign in against `other`, but claim to be a different client id when checking the ID token: the
        // token endpoint rejects a mismatched client first, so point only the identity check at the wrong id.
        const r = await runSignInFlow({ client: other.client, endpoints: other.endpoints, scopes: SCOPES, ui: browserUi(other), pages: FALLBACK_PAGES, log });
        assert.ok(r.tokens.idTokenClaims);
        const res = await fetch(other.endpoints.token, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: r.tokens.refreshToken, client_id: other.client.clientId, client_secret: 's' }) });
        const { id_token } = (await res.json()) as { id_token: string };
        assert.throws(() => decodeIdToken(id_token, fake.client.clientId, Date.now()), isCode('invalidIdToken'));
        assert.throws(() => decodeIdToken(id_token, other.client.clientId, Date.now() + 3 * 3600_000), /clock/);
      } finally {
        await other.close();
      }
    });
  });
});
