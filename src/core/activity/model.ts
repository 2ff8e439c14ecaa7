// What the activity log keeps. Every field is an id, a label, a count or a time: never a token, key, code
// or prompt text. Free text never enters: reasons and outcomes are short codes from closed sets, and every
// string passes `safeText` (charset, length, no credential shape) on its way into the store.

import type { RequestOrigin } from '../gemini/client';
import { isObject } from '../common/values';
import { scrubGenericSecrets } from '../log/redactor';

export const ACTIVITY_KINDS = [
  'signIn',
  'refresh',
  'refreshFailed',
  'signOut',
  'keySet',
  'keyValidated',
  'keyRejected',
  'keyRemoved',
  'envKeyUsed',
  'requestRefused',
  'settingChanged',
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export type CredentialKind = 'oauth' | 'apiKey';

/** Which credential an event or a usage row belongs to. `key` is `oauth:<account id>` or `apiKey:<set at>`. */
export interface CredentialRef {
  readonly key: string;
  readonly kind: CredentialKind;
  /** The account's email, or a generated "API key …" label: never a character of the key. */
  readonly label: string;
}

export interface ActivityEvent {
  /** Unique across windows (random, or derived from facts every window shares, so duplicates merge). */
  readonly id: string;
  readonly at: number;
  readonly kind: ActivityKind;
  readonly credential?: CredentialRef;
  /** A short code: why a refresh failed, an error kind, a setting id, where a key came from, … */
  readonly detail?: string;
  readonly model?: string;
}

export type { RequestOrigin };

/** Token counts and outcomes of one day × model × credential × origin, summed. */
export interface UsageRow {
  /** `YYYY-MM-DD` in the user's time zone. */
  readonly day: string;
  readonly model: string;
  readonly credential: string;
  readonly origin: RequestOrigin;
  prompt: number;
  answer: number;
  thinking: number;
  requests: number;
  /** Failed requests by GeminiError kind. */
  errors: Record<string, number>;
}

/** What the view shows about a credential beyond what the credential stores hold. */
export interface CredentialMeta extends CredentialRef {
  addedAt?: number;
  lastUsedAt?: number;
  lastRefreshedAt?: number;
  /** Host of the token endpoint that issued a Google session. */
  issuer?: string;
  /** API key: `typed`, or the environment variable it came from. */
  source?: string;
}

export interface ActivityDoc {
  readonly v: 1;
  /** Events at or before this time were cleared (in any window) and are not merged back. */
  readonly clearedAt?: number;
  /** Newest first. */
  readonly events: readonly ActivityEvent[];
  readonly usage: readonly UsageRow[];
  readonly credentials: readonly CredentialMeta[];
}

export const LIMITS = {
  events: 2000,
  usageDays: 90,
  shownDays: 30,
  credentials: 50,
  /** Distinct model ids per day: a flood of odd ids cannot grow the store without bound. */
  rowsPerDay: 200,
} as const;

export const EMPTY_DOC: ActivityDoc = { v: 1, events: [], usage: [], credentials: [] };

// Letters, digits and the punctuation of ids, emails, hosts, model ids and setting names.
const SAFE_CHARS = /^[A-Za-z0-9._:@+\-/ ]+$/;
// Mixed-case-and-digit runs this long look like a key or token whatever their prefix (model ids are lower
// case, account ids are digits, emails are short per part).
const HIGH_ENTROPY = /[A-Za-z0-9_+/=.-]{24,}/g;
const KNOWN_SHAPES = [/AQ\.[A-Za-z0-9_-]{16,}/, /AIza[0-9A-Za-z_-]{20,}/, /\bya29\./, /1\/\/[0-9A-Za-z_-]{10,}/, /GOCSPX-/, /eyJ[0-9A-Za-z_-]{4,}\./];

export function looksSecret(value: string): boolean {
  if (scrubGenericSecrets(value) !== value) return true;
  if (KNOWN_SHAPES.some((p) => p.test(value))) return true;
  for (const run of value.match(HIGH_ENTROPY) ?? []) {
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)) return true;
  }
  return false;
}

/** The value if it is short, plain and not shaped like a credential; undefined otherwise. */
export function safeText(value: unknown, max = 128): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text || text.length > max || !SAFE_CHARS.test(text) || looksSecret(text)) return undefined;
  return text;
}

function safeTime(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** A non-negative whole count; anything else counts as 0. */
export function safeCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

const CREDENTIAL_KEY = /^(?:oauth:[A-Za-z0-9._@-]{1,128}|apiKey:[0-9]{1,16})$/;

export function isCredentialKey(value: unknown): value is string {
  return typeof value === 'string' && CREDENTIAL_KEY.test(value) && !looksSecret(value);
}

export function safeCredential(o: unknown): CredentialRef | undefined {
  if (!isObject(o)) return undefined;
  const key = isCredentialKey(o.key) ? o.key : undefined;
  const kind = o.kind === 'oauth' || o.kind === 'apiKey' ? o.kind : undefined;
  if (!key || !kind || !key.startsWith(`${kind}:`)) return undefined;
  return { key, kind, label: safeText(o.label, 254) ?? (kind === 'oauth' ? 'Google account' : 'API key') };
}

export function safeEvent(o: unknown): ActivityEvent | undefined {
  if (!isObject(o)) return undefined;
  const id = typeof o.id === 'string' && /^[A-Za-z0-9:._-]{1,96}$/.test(o.id) && !looksSecret(o.id) ? o.id : undefined;
  const at = safeTime(o.at);
  const kind = (ACTIVITY_KINDS as readonly unknown[]).includes(o.kind) ? (o.kind as ActivityKind) : undefined;
  if (!id || !at || !kind) return undefined;
  const credential = safeCredential(o.credential);
  const detail = safeText(o.detail, 64);
  const model = safeText(o.model, 96);
  return { id, at, kind, ...(credential && { credential }), ...(detail && { detail }), ...(model && { model }) };
}

export function safeUsageRow(o: unknown): UsageRow | undefined {
  if (!isObject(o)) return undefined;
  const day = typeof o.day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.day) ? o.day : undefined;
  const model = safeText(o.model, 96) ?? 'unknown';
  const credential = isCredentialKey(o.credential) ? o.credential : undefined;
  const origin: RequestOrigin | undefined = o.origin === 'extension' || o.origin === 'languageModel' ? o.origin : undefined;
  if (!day || !credential || !origin) return undefined;
  const errors: Record<string, number> = {};
  if (isObject(o.errors)) {
    for (const [kind, count] of Object.entries(o.errors)) {
      const k = safeErrorKind(kind);
      if (k && safeCount(count)) errors[k] = safeCount(count);
    }
  }
  return { day, model, credential, origin, prompt: safeCount(o.prompt), answer: safeCount(o.answer), thinking: safeCount(o.thinking), requests: safeCount(o.requests), errors };
}

export function safeCredentialMeta(value: unknown): CredentialMeta | undefined {
  const ref = safeCredential(value);
  if (!ref) return undefined;
  const o = value as Record<string, unknown>;
  const meta: CredentialMeta = { ...ref };
  const times = ['addedAt', 'lastUsedAt', 'lastRefreshedAt'] as const;
  for (const t of times) {
    const v = safeTime(o[t]);
    if (v) meta[t] = v;
  }
  const issuer = safeText(o.issuer, 120);
  if (issuer) meta.issuer = issuer;
  const source = safeText(o.source, 40);
  if (source) meta.source = source;
  return meta;
}

/** A GeminiError kind (`quotaExhausted`); anything else counts as `other`. */
export function safeErrorKind(kind: unknown): string {
  return typeof kind === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(kind) && !looksSecret(kind) ? kind : 'other';
}

/** Reads whatever is stored (another version, another window, damage) into a clean document. */
export function parseDoc(o: unknown): ActivityDoc {
  if (!isObject(o)) return EMPTY_DOC;
  const list = <T>(raw: unknown, parse: (v: unknown) => T | undefined): T[] =>
    Array.isArray(raw) ? raw.map(parse).filter((v): v is T => v !== undefined) : [];
  const clearedAt = safeTime(o.clearedAt);
  return {
    v: 1,
    ...(clearedAt && { clearedAt }),
    events: list(o.events, safeEvent),
    usage: list(o.usage, safeUsageRow),
    credentials: list(o.credentials, safeCredentialMeta),
  };
}
