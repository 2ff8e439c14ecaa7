import { Emitter, type Disposable, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import type { SecretStore } from '../common/secretStore';

export const API_KEY_SECRET = 'gemini.apiKey';

export interface StoredApiKey {
  readonly key: string;
  /** When the key was stored (ms since epoch): drives the rotation reminder. */
  readonly setAt: number;
}

/** Why a typed key cannot be a Gemini API key, before any request is made; undefined when it looks usable. */
export function apiKeyShapeProblem(input: string): string | undefined {
  const key = input.trim();
  if (!key) return 'Enter an API key.';
  if (/\s/.test(key)) return 'An API key has no spaces or line breaks. Paste just the key.';
  if (!/^[\x21-\x7e]+$/.test(key)) return 'An API key uses only letters, digits, "-" and "_". Paste just the key.';
  if (key.length < 20) return 'That is too short for a Gemini API key (they start with "AIza" and are 39 characters).';
  if (key.length > 256) return 'That is too long for a Gemini API key. Paste just the key.';
  return undefined;
}

export function apiKeyAgeDays(stored: StoredApiKey, now: number): number {
  return Math.floor((now - stored.setAt) / 86_400_000);
}

export function isRotationDue(stored: StoredApiKey, reminderDays: number, now: number): boolean {
  return reminderDays > 0 && apiKeyAgeDays(stored, now) >= reminderDays;
}

/** The Gemini API key and the date it was set, kept only in SecretStorage. */
export class ApiKeyStore implements Disposable {
  private readonly changed = new Emitter<void>();
  /** Fires when the key is set or removed, in this window or another. */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly subscription: Disposable;

  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.subscription = secrets.onDidChange((key) => {
      if (key === API_KEY_SECRET) this.changed.fire();
    });
  }

  async get(): Promise<StoredApiKey | undefined> {
    const raw = await this.secrets.get(API_KEY_SECRET);
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredApiKey>;
      if (typeof parsed.key === 'string' && !apiKeyShapeProblem(parsed.key) && typeof parsed.setAt === 'number' && Number.isFinite(parsed.setAt)) {
        return { key: parsed.key, setAt: parsed.setAt };
      }
    } catch {
      // fall through: not ours or damaged
    }
    this.log.warn('[apiKey] the stored API key entry is damaged and was ignored; set the key again');
    return undefined;
  }

  async set(key: string): Promise<StoredApiKey> {
    const stored: StoredApiKey = { key: key.trim(), setAt: this.now() };
    await this.secrets.store(API_KEY_SECRET, JSON.stringify(stored));
    this.log.info('[apiKey] stored a new API key');
    return stored;
  }

  async remove(): Promise<boolean> {
    const had = (await this.secrets.get(API_KEY_SECRET)) !== undefined;
    await this.secrets.delete(API_KEY_SECRET);
    if (had) this.log.info('[apiKey] removed the API key');
    return had;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The key found in the environment, offered (never used silently) when none is stored. */
export function apiKeyFromEnvironment(env: Record<string, string | undefined>): { name: string; key: string } | undefined {
  for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY']) {
    const key = env[name]?.trim();
    if (key && !apiKeyShapeProblem(key)) return { name, key };
  }
  return undefined;
}
