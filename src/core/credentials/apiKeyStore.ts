import type { Logger } from '../common/logger';
import { SecretEntry, type SecretStore } from '../common/secretStore';

export const API_KEY_SECRET = 'gemini.apiKey';

export interface StoredApiKey {
  readonly key: string;
  /** When the key was stored (ms since epoch): drives the rotation reminder. */
  readonly setAt: number;
}

/** Where Google AI Studio creates and lists Gemini API keys. */
export const API_KEY_PAGE_URL = 'https://aistudio.google.com/apikey';

/**
 * The two kinds of Gemini API key (late 2026): `authorization` keys from Google AI Studio (`AQ.` + base64url,
 * about 50+ characters, bound to a service account) and the older `standard` keys (`AIza…`, 39 characters)
 * that Google is retiring. Undefined for anything else (a key format this code does not know yet).
 */
export type ApiKeyType = 'authorization' | 'standard';

export function apiKeyType(key: string): ApiKeyType | undefined {
  const k = key.trim();
  if (/^AQ\.[0-9A-Za-z_-][0-9A-Za-z_.-]*$/.test(k)) return 'authorization';
  if (/^AIza[0-9A-Za-z_-]{35}$/.test(k)) return 'standard';
  return undefined;
}

const KEY_SHAPES = 'Gemini API keys from Google AI Studio start with "AQ." (about 50 or more characters); older standard keys start with "AIza" (39 characters).';

/**
 * Why a typed key cannot be a Gemini API key, before any request is made; undefined when it looks usable.
 * Deliberately loose: Google decides whether a key is valid, so this never rejects a plausible key of any type.
 */
export function apiKeyShapeProblem(input: string): string | undefined {
  const key = input.trim();
  if (!key) return 'Enter an API key.';
  if (/\s/.test(key)) return 'An API key has no spaces or line breaks. Paste just the key.';
  if (!/^[\x21-\x7e]+$/.test(key)) return `An API key uses only letters, digits, ".", "-" and "_". Paste just the key. ${KEY_SHAPES}`;
  if (key.length < 20) return `That is too short for a Gemini API key. ${KEY_SHAPES}`;
  if (key.length > 256) return 'That is too long for a Gemini API key. Paste just the key.';
  return undefined;
}

export function apiKeyAgeDays(stored: StoredApiKey, now: number): number {
  return Math.floor((now - stored.setAt) / 86_400_000);
}

export function isRotationDue(stored: StoredApiKey, reminderDays: number, now: number): boolean {
  return reminderDays > 0 && apiKeyAgeDays(stored, now) >= reminderDays;
}

/** A notice about the stored key that the user should see; each kind at most once per session. */
export type ApiKeyNotice = { readonly kind: 'standardKeyRetiring' } | { readonly kind: 'rotationDue'; readonly ageDays: number };

/**
 * Decides which notice the stored key deserves, once per kind per session. A standard key gets the
 * retirement notice and never the rotation one: it should be replaced by an authorization key, not rotated.
 */
export class ApiKeyNotices {
  private readonly shown = new Set<ApiKeyNotice['kind']>();

  next(stored: StoredApiKey, reminderDays: number, now: number): ApiKeyNotice | undefined {
    const notice: ApiKeyNotice | undefined =
      apiKeyType(stored.key) === 'standard'
        ? { kind: 'standardKeyRetiring' }
        : isRotationDue(stored, reminderDays, now)
          ? { kind: 'rotationDue', ageDays: apiKeyAgeDays(stored, now) }
          : undefined;
    if (!notice || this.shown.has(notice.kind)) return undefined;
    this.shown.add(notice.kind);
    return notice;
  }
}

/** The Gemini API key and the date it was set, kept only in SecretStorage. */
export class ApiKeyStore extends SecretEntry<StoredApiKey> {
  constructor(
    secrets: SecretStore,
    log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    super(secrets, log, {
      key: API_KEY_SECRET,
      name: 'apiKey',
      parse: (o: Partial<StoredApiKey>) =>
        typeof o.key === 'string' && !apiKeyShapeProblem(o.key) && typeof o.setAt === 'number' && Number.isFinite(o.setAt) ? { key: o.key, setAt: o.setAt } : undefined,
      damaged: 'the stored API key entry is damaged and was ignored; set the key again',
      removed: 'removed the API key',
    });
  }

  async set(key: string): Promise<StoredApiKey> {
    const stored: StoredApiKey = { key: key.trim(), setAt: this.now() };
    await this.write(stored, 'stored a new API key');
    return stored;
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
