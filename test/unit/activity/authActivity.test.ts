import * as assert from 'node:assert/strict';
import type { AuthActivity } from '../../../src/core/auth/authService';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import { browserUi, createService } from '../auth/helpers';

const CLOUD = 'https://www.googleapis.com/auth/cloud-platform';

describe('activity: what AuthService reports', () => {
  let fake: FakeGoogle;
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  before(async () => {
    fake = await startFakeGoogle();
  });
  after(() => fake.close());
  beforeEach(() => {
    clockOffset = 0;
    for (const ep of ['token', 'revoke', 'userinfo'] as const) fake.setFailure(ep, undefined);
  });

  async function setup() {
    const { service } = await createService(fake, { now });
    const seen: AuthActivity[] = [];
    service.onDidRecordActivity((e) => seen.push(e));
    return { service, seen };
  }

  it('sign-in (with the issuer), refresh, and a sign-out Google confirmed', async () => {
    const { service, seen } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    clockOffset = 3600_000 - 60_000;
    await service.getAccessToken(session.id);
    await service.removeSession(session.id);
    service.dispose();
    assert.deepEqual(
      seen.map((e) => [e.kind, e.account.label, 'issuer' in e ? e.issuer : 'revocation' in e ? e.revocation : undefined]),
      [
        ['signIn', 'alice@example.com', new URL(fake.endpoints.token).host],
        ['refresh', 'alice@example.com', undefined],
        ['signOut', 'alice@example.com', 'confirmed'],
      ],
    );
  });

  it('a transient refresh failure, and a sign-out Google did not confirm', async () => {
    const { service, seen } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    clockOffset = 3600_000 - 60_000;
    fake.setFailure('token', { kind: 'status', status: 503 });
    await service.getAccessToken(session.id);
    fake.setFailure('revoke', { kind: 'reset' });
    await service.removeSession(session.id);
    service.dispose();
    assert.deepEqual(
      seen.slice(1).map((e) => [e.kind, 'reason' in e ? e.reason : 'revocation' in e ? e.revocation : undefined]),
      [
        ['refreshFailed', 'transient'],
        ['signOut', 'failed'],
      ],
    );
  });

  it('a refresh refused with invalid_grant', async () => {
    const { service, seen } = await setup();
    const session = await service.createSession([CLOUD], browserUi(fake, 'alice@example.com'));
    fake.revokeUser('alice@example.com');
    clockOffset = 2 * 3600_000;
    await assert.rejects(service.getAccessToken(session.id));
    service.dispose();
    assert.deepEqual(seen.slice(1).map((e) => [e.kind, 'reason' in e ? e.reason : undefined]), [['refreshFailed', 'invalidGrant']]);
  });
});
