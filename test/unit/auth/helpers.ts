import { AuthService, type AuthServiceDeps } from '../../../src/core/auth/authService';
import { MemoryKeyValue } from '../activity/helpers';
import type { SignInUi } from '../../../src/core/auth/oauthFlow';
import type { FakeGoogle } from '../../fakes/google';
import { MemorySecretStore } from '../../fakes/memorySecretStore';
import { RecordingLogger } from '../../support/helpers';

/** A UI that "opens the browser" by consenting at the fake and following the redirect to the loopback server. */
export function browserUi(fake: FakeGoogle, email = 'alice@example.com', extra: Partial<SignInUi> = {}): SignInUi & { urls: string[] } {
  // `urls` holds the authorization requests (what Google receives); the browser opens the loopback /signin
  // link, which redirects there.
  const urls: string[] = [];
  return {
    urls,
    async openBrowser(url, request) {
      urls.push(request.authorizationUrl);
      void fake.consentAndFollow(url, { email }).catch(() => undefined);
      return true;
    },
    timeoutMs: 5000,
    ...extra,
  };
}

export async function createService(fake: FakeGoogle, overrides: Partial<AuthServiceDeps> & { secrets?: MemorySecretStore } = {}) {
  const secrets = overrides.secrets ?? new MemorySecretStore();
  const log = (overrides.log as RecordingLogger | undefined) ?? new RecordingLogger();
  const service = AuthService.create({
    getConfig: () => ({ clientId: fake.client.clientId, clientSecret: fake.client.clientSecret, endpoints: fake.endpoints, scopes: ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'] }),
    tokenRetries: 0,
    shared: new MemoryKeyValue(),
    ...overrides,
    secrets,
    log,
  });
  return { service, secrets, log };
}

/**
 * A window of the browser host (code-server): its SecretStorage is a copy read when the window opened, and
 * never hears of other windows' changes.
 */
export function snapshotWindow(of: MemorySecretStore): MemorySecretStore {
  const copy = new MemorySecretStore();
  for (const [k, v] of of.backing.map) copy.seed(k, v);
  return copy;
}
