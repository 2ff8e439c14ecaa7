import type { Logger } from '../../../src/core/common/logger';
import { AuthService, type AuthServiceDeps, type SharedState } from '../../../src/core/auth/authService';
import type { SignInUi } from '../../../src/core/auth/oauthFlow';
import type { FakeGoogle } from '../../fakes/google';
import { MemorySecretStore } from '../../fakes/memorySecretStore';

/** Records every log line (message plus stringified args). */
export class RecordingLogger implements Logger {
  readonly lines: { level: string; text: string }[] = [];
  private rec(level: string, message: string | Error, args: unknown[]) {
    const text = [message instanceof Error ? `${message.name}: ${message.message} ${message.stack ?? ''}` : message, ...args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))].join(' ');
    this.lines.push({ level, text });
  }
  trace(m: string, ...a: unknown[]) { this.rec('trace', m, a); }
  debug(m: string, ...a: unknown[]) { this.rec('debug', m, a); }
  info(m: string, ...a: unknown[]) { this.rec('info', m, a); }
  warn(m: string, ...a: unknown[]) { this.rec('warn', m, a); }
  error(m: string | Error, ...a: unknown[]) { this.rec('error', m, a); }
  get all(): string { return this.lines.map((l) => `${l.level} ${l.text}`).join('\n'); }
  warnings(): string[] { return this.lines.filter((l) => l.level === 'warn').map((l) => l.text); }
}

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
  const service = await AuthService.create({
    getConfig: () => ({ clientId: fake.client.clientId, clientSecret: fake.client.clientSecret, endpoints: fake.endpoints, scopes: ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'] }),
    tokenRetries: 0,
    ...overrides,
    secrets,
    log,
  });
  return { service, secrets, log };
}

/** globalState as the windows of one VS Code share it. */
export class MemorySharedState implements SharedState {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
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

export function nextEvent<T>(event: (l: (e: T) => void) => { dispose(): void }, timeoutMs = 2000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { d.dispose(); reject(new Error('event did not fire')); }, timeoutMs);
    const d = event((e) => { clearTimeout(t); d.dispose(); resolve(e); });
  });
}

export const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));
