// The activity view's data: the credentials the extension holds now (from the credential stores), enriched
// with what the activity log knows about them, plus the events and the usage summary. Pure; the adapter
// gathers the inputs. Nothing secret comes in: the API key arrives as its type and the time it was set.

import { apiKeyAgeDays, apiKeyType, isRotationDue, type ApiKeyType } from '../credentials/apiKeyStore';
import type { ActivityDoc, ActivityEvent, CredentialMeta } from './model';
import { apiKeyRef } from './recorder';
import { dayKey, summarize, type Clock, type UsageSummary } from './usage';

/** The key's type as the view shows it; `unknown` for a format this code does not know yet. */
export type ApiKeyKind = ApiKeyType | 'unknown';

/** The shared key-type rule, with `unknown` for anything else. */
export function keyKindOf(key: string): ApiKeyKind {
  return apiKeyType(key) ?? 'unknown';
}

/** One row type here and one renderer in ./html.ts per credential kind. */
export type CredentialView =
  | (Pick<CredentialMeta, 'key' | 'label' | 'addedAt' | 'lastUsedAt' | 'lastRefreshedAt' | 'issuer'> & {
      readonly kind: 'oauth';
      readonly active: boolean;
      readonly scopes: readonly string[];
    })
  | (Pick<CredentialMeta, 'key' | 'label' | 'lastUsedAt' | 'source'> & {
      readonly kind: 'apiKey';
      readonly active: boolean;
      readonly keyType: ApiKeyKind;
      readonly setAt: number;
      readonly ageDays: number;
      /** `gemini.apiKey.rotationReminderDays`; 0 = off. */
      readonly rotationReminderDays: number;
      readonly rotationDue: boolean;
    });

export interface ActivityViewModel {
  readonly credentials: readonly CredentialView[];
  readonly events: readonly ActivityEvent[];
  readonly usage: UsageSummary;
  /** Usage and events name credentials that may be gone: label by credential key. */
  readonly labels: ReadonlyMap<string, string>;
}

export interface ViewInputs {
  readonly doc: ActivityDoc;
  readonly accounts: ReadonlyArray<{ readonly accountId: string; readonly label: string; readonly scopes: readonly string[] }>;
  readonly apiKey: { readonly type: ApiKeyKind; readonly setAt: number } | undefined;
  /** Key of the active credential (`oauth:<id>` or `apiKey:<setAt>`). */
  readonly activeKey: string | undefined;
  readonly rotationReminderDays: number;
  readonly clock: Clock;
}

export function buildViewModel(input: ViewInputs): ActivityViewModel {
  const meta = new Map<string, CredentialMeta>(input.doc.credentials.map((c) => [c.key, c]));
  const now = input.clock.now();
  const credentials: CredentialView[] = input.accounts.map((a) => {
    const key = `oauth:${a.accountId}`;
    const m = meta.get(key);
    return {
      kind: 'oauth',
      key,
      label: a.label,
      active: input.activeKey === key,
      scopes: [...a.scopes].sort(),
      ...(m?.addedAt && { addedAt: m.addedAt }),
      ...(m?.lastUsedAt && { lastUsedAt: m.lastUsedAt }),
      ...(m?.lastRefreshedAt && { lastRefreshedAt: m.lastRefreshedAt }),
      ...(m?.issuer && { issuer: m.issuer }),
    };
  });
  if (input.apiKey) {
    const ref = apiKeyRef(input.apiKey);
    const m = meta.get(ref.key);
    // The rotation reminder's own functions, so the view and the reminder never disagree.
    const dated = { key: '', setAt: input.apiKey.setAt };
    const ageDays = apiKeyAgeDays(dated, now);
    credentials.push({
      kind: 'apiKey',
      key: ref.key,
      label: ref.label,
      active: input.activeKey === ref.key,
      keyType: input.apiKey.type,
      setAt: input.apiKey.setAt,
      ageDays,
      rotationReminderDays: input.rotationReminderDays,
      rotationDue: isRotationDue(dated, input.rotationReminderDays, now),
      ...(m?.lastUsedAt && { lastUsedAt: m.lastUsedAt }),
      ...(m?.source && { source: m.source }),
    });
  }
  const labels = new Map<string, string>();
  for (const m of input.doc.credentials) labels.set(m.key, m.label);
  for (const e of input.doc.events) if (e.credential && !labels.has(e.credential.key)) labels.set(e.credential.key, e.credential.label);
  for (const c of credentials) labels.set(c.key, c.label);
  return { credentials, events: input.doc.events, usage: summarize(input.doc.usage, dayKey(now, input.clock)), labels };
}
