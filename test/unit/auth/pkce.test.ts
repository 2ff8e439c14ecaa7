import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { codeChallengeS256, createCodeVerifier, createPkcePair, createState } from '../../../src/core/auth/pkce';
import { ScopeSet } from '../../../src/core/auth/scopes';

describe('auth/pkce', () => {
  it('creates verifiers of 43–128 unreserved characters, unique each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const v = createCodeVerifier();
      assert.match(v, /^[A-Za-z0-9._~-]{43,128}$/);
      seen.add(v);
    }
    assert.equal(seen.size, 50);
    assert.equal(createCodeVerifier(96).length, 128);
    assert.throws(() => createCodeVerifier(31), RangeError);
  });

  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    assert.equal(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const pair = createPkcePair();
    assert.equal(pair.method, 'S256');
    assert.equal(pair.challenge, createHash('sha256').update(pair.verifier).digest('base64url'));
  });

  it('creates unguessable states of at least 128 bits', () => {
    const a = createState();
    assert.ok(Buffer.from(a, 'base64url').length >= 16);
    assert.notEqual(a, createState());
  });
});

describe('auth/scopes', () => {
  it('dedupes, sorts and folds Google aliases once', () => {
    const s = ScopeSet.from(['email', 'openid', 'https://www.googleapis.com/auth/userinfo.email', ' openid ']);
    assert.deepEqual(s.scopes, ['email', 'openid']);
    assert.ok(ScopeSet.from('openid https://www.googleapis.com/auth/userinfo.email x').covers(ScopeSet.from(['email', 'openid'])));
    assert.ok(!ScopeSet.from(['openid']).covers(ScopeSet.from(['email'])));
    assert.ok(ScopeSet.from(['a']).covers(ScopeSet.from([])));
  });
});
