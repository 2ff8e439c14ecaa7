// The activity log and usage counts, kept in one globalState entry. Recording only touches memory; writes
// happen in batches (debounced, and on dispose) and merge with what is stored — re-read, merge, write — so
// several windows on one globalState add up instead of overwriting each other: events merge by id, usage
// rows add this window's new counts to the stored ones, credential times keep the latest.

import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import { errorName } from '../common/values';
import type { KeyValueStore } from '../common/secretStore';
import {
  EMPTY_DOC,
  LIMITS,
  isCredentialKey,
  safeErrorKind,
  parseDoc,
  safeCredentialMeta,
  safeEvent,
  safeText,
  type ActivityDoc,
  type ActivityEvent,
  type CredentialMeta,
  type UsageRow,
} from './model';
import { addDelta, dayKey, mergeRows, pruneRows, systemClock, type Clock, type UsageDelta } from './usage';

export const ACTIVITY_STATE_KEY = 'gemini.activity';
/** How long recorded activity waits in memory before it is written. */
const DEBOUNCE_MS = 2000;

/** Runs `fn` once after `ms`; disposing cancels it. */
export type Schedule = (fn: () => void, ms: number) => Disposable;

const timerSchedule: Schedule = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return { dispose: () => clearTimeout(handle) };
};

export interface ActivityStoreOptions {
  readonly kv: KeyValueStore;
  readonly log: Logger;
  readonly clock?: Clock;
  readonly schedule?: Schedule;
  readonly newId?: () => string;
}

/** What a window recorded and has not written yet. */
export type Pending = Pick<ActivityDoc, 'events' | 'usage' | 'credentials'>;

/** The stored document with `pending` merged in, pruned to the limits. Pure. */
export function mergeDoc(stored: ActivityDoc, pending: Pending, today: string): ActivityDoc {
  const clearedAt = stored.clearedAt ?? 0;
  const events = new Map<string, ActivityEvent>();
  // Newest first; same-millisecond events keep the order they happened in (the sort is stable).
  for (const e of [...[...pending.events].reverse(), ...stored.events]) if (e.at > clearedAt && !events.has(e.id)) events.set(e.id, e);
  const credentials = new Map<string, CredentialMeta>();
  for (const c of [...stored.credentials, ...pending.credentials]) credentials.set(c.key, mergeMeta(credentials.get(c.key), c));
  return {
    v: 1,
    ...(stored.clearedAt && { clearedAt: stored.clearedAt }),
    events: [...events.values()].sort((a, b) => b.at - a.at).slice(0, LIMITS.events),
    usage: pruneRows(mergeRows(stored.usage, pending.usage).values(), today),
    credentials: [...credentials.values()]
      .sort((a, b) => latest(b) - latest(a))
      .slice(0, LIMITS.credentials),
  };
}

function latest(c: CredentialMeta): number {
  return Math.max(c.addedAt ?? 0, c.lastUsedAt ?? 0, c.lastRefreshedAt ?? 0);
}

function mergeMeta(old: CredentialMeta | undefined, next: CredentialMeta): CredentialMeta {
  if (!old) return { ...next };
  const max = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  const min = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const merged: CredentialMeta = { ...old, ...next, label: next.label || old.label };
  const addedAt = min(old.addedAt, next.addedAt);
  const lastUsedAt = max(old.lastUsedAt, next.lastUsedAt);
  const lastRefreshedAt = max(old.lastRefreshedAt, next.lastRefreshedAt);
  if (addedAt) merged.addedAt = addedAt;
  if (lastUsedAt) merged.lastUsedAt = lastUsedAt;
  if (lastRefreshedAt) merged.lastRefreshedAt = lastRefreshedAt;
  return merged;
}

export type NewEvent = Omit<ActivityEvent, 'id' | 'at'> & { readonly id?: string; readonly at?: number };

export class ActivityStore implements Disposable {
  private readonly changed = new Emitter<void>();
  /** Fires when something was recorded or cleared in this window (not when another window wrote). */
  readonly onDidChange: Event<void> = this.changed.event;
  private events: ActivityEvent[] = [];
  private usage = new Map<string, UsageRow>();
  private credentials = new Map<string, CredentialMeta>();
  private timer: Disposable | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(private readonly options: ActivityStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? randomUUID;
  }

  /** Queues an event; anything that is not a plain id, code or label is dropped or replaced on the way in. */
  record(event: NewEvent): void {
    const clean = safeEvent({ ...event, id: event.id ?? this.newId(), at: event.at ?? this.clock.now() });
    if (!clean) {
      this.options.log.warn(`[activity] dropped an event that did not pass the checks (${String(event.kind)})`);
      return;
    }
    this.events.push(clean);
    this.changedSoon();
  }

  /** Counts one finished request. */
  recordUsage(delta: UsageDelta): void {
    if (!isCredentialKey(delta.credential) || (delta.origin !== 'extension' && delta.origin !== 'languageModel')) {
      this.options.log.warn('[activity] dropped a usage record without a known credential');
      return;
    }
    const { error, ...counts } = delta;
    addDelta(this.usage, { ...counts, model: safeText(delta.model, 96) ?? 'unknown', ...(error && { error: safeErrorKind(error) }) }, this.clock);
    this.changedSoon();
  }

  /** Adds what is known about a credential (label, added/used/refreshed times, issuer, source). */
  noteCredential(meta: CredentialMeta): void {
    const clean = safeCredentialMeta(meta);
    if (!clean) return;
    this.credentials.set(clean.key, mergeMeta(this.credentials.get(clean.key), clean));
    this.changedSoon();
  }

  /** The stored document with this window's unwritten activity merged in (nothing is written). */
  snapshot(): ActivityDoc {
    return mergeDoc(this.read(), this.pending(), this.today());
  }

  /** Writes what is pending now (re-read, merge, write). Calls are serialised. */
  flush(): Promise<void> {
    this.timer?.dispose();
    this.timer = undefined;
    const run = this.writing.then(() => this.write());
    this.writing = run.catch((err: unknown) => this.options.log.warn(`[activity] could not save the activity log: ${errorName(err)}`));
    return run;
  }

  /** Forgets everything, here and for every window (their older unwritten events are not merged back). */
  async clear(): Promise<void> {
    this.timer?.dispose();
    this.timer = undefined;
    this.events = [];
    this.usage.clear();
    this.credentials.clear();
    const run = this.writing.then(() => this.options.kv.update(ACTIVITY_STATE_KEY, { ...EMPTY_DOC, clearedAt: this.clock.now() }));
    this.writing = run.catch(() => undefined);
    await run;
    this.changed.fire();
  }

  dispose(): void {
    void this.flush();
    this.changed.dispose();
  }

  // ---------------------------------------------------------------------------------------------------

  private read(): ActivityDoc {
    return parseDoc(this.options.kv.get(ACTIVITY_STATE_KEY));
  }

  private today(): string {
    return dayKey(this.clock.now(), this.clock);
  }

  private pending(): Pending {
    return { events: this.events, usage: [...this.usage.values()], credentials: [...this.credentials.values()] };
  }

  private async write(): Promise<void> {
    if (!this.events.length && !this.usage.size && !this.credentials.size) return;
    const taken = this.pending();
    this.events = [];
    this.usage = new Map();
    this.credentials = new Map();
    try {
      await this.options.kv.update(ACTIVITY_STATE_KEY, mergeDoc(this.read(), taken, this.today()));
    } catch (err) {
      // Keep what was taken for the next attempt, merged with whatever arrived meanwhile.
      this.events = [...taken.events, ...this.events];
      this.usage = mergeRows(taken.usage, [...this.usage.values()]);
      for (const c of taken.credentials) this.credentials.set(c.key, mergeMeta(c, this.credentials.get(c.key) ?? c));
      throw err;
    }
  }

  private changedSoon(): void {
    this.changed.fire();
    if (this.timer) return;
    this.timer = (this.options.schedule ?? timerSchedule)(() => {
      this.timer = undefined;
      void this.flush();
    }, DEBOUNCE_MS);
  }
}
