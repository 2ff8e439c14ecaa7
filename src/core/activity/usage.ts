// Token usage by day in the user's time zone, and the sums the view shows. Days are calendar dates
// (`YYYY-MM-DD`); stepping back is done on the calendar, not in 24-hour steps, so a DST change never skips
// or repeats a day.

import { LIMITS, safeCount, type RequestOrigin, type UsageRow } from './model';

/** The user's clock: now, and the offset of local time from UTC (minutes, east positive) at an instant. */
export interface Clock {
  now(): number;
  utcOffsetMinutes(at: number): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  utcOffsetMinutes: (at) => -new Date(at).getTimezoneOffset(),
};

export function dayKey(at: number, clock: Pick<Clock, 'utcOffsetMinutes'>): string {
  return new Date(at + clock.utcOffsetMinutes(at) * 60_000).toISOString().slice(0, 10);
}

/** `count` calendar days ending with `lastDay`, oldest first. */
export function daysEndingWith(lastDay: string, count: number): string[] {
  const [y, m, d] = lastDay.split('-').map(Number) as [number, number, number];
  const days: string[] = [];
  for (let i = count - 1; i >= 0; i--) days.push(new Date(Date.UTC(y, m - 1, d - i)).toISOString().slice(0, 10));
  return days;
}

/** What one finished request adds. */
export interface UsageDelta extends Pick<UsageRow, 'model' | 'credential' | 'origin'> {
  readonly at: number;
  readonly prompt?: number;
  readonly answer?: number;
  readonly thinking?: number;
  /** GeminiError kind when the request failed. */
  readonly error?: string;
}

export function rowKey(r: Pick<UsageRow, 'day' | 'model' | 'credential' | 'origin'>): string {
  return `${r.day}|${r.model}|${r.credential}|${r.origin}`;
}

/** Adds `delta` into `rows` (mutates and returns the map keyed by rowKey). */
export function addDelta(rows: Map<string, UsageRow>, delta: UsageDelta, clock: Pick<Clock, 'utcOffsetMinutes'>): Map<string, UsageRow> {
  const day = dayKey(delta.at, clock);
  const key = rowKey({ day, model: delta.model, credential: delta.credential, origin: delta.origin });
  const row = rows.get(key) ?? { day, model: delta.model, credential: delta.credential, origin: delta.origin, prompt: 0, answer: 0, thinking: 0, requests: 0, errors: {} };
  row.prompt += safeCount(delta.prompt);
  row.answer += safeCount(delta.answer);
  row.thinking += safeCount(delta.thinking);
  row.requests += 1;
  if (delta.error) row.errors[delta.error] = (row.errors[delta.error] ?? 0) + 1;
  rows.set(key, row);
  return rows;
}

/** Sums rows that describe the same day × model × credential × origin (e.g. from two windows). */
export function mergeRows(...lists: ReadonlyArray<readonly UsageRow[]>): Map<string, UsageRow> {
  const merged = new Map<string, UsageRow>();
  for (const list of lists) {
    for (const r of list) {
      const key = rowKey(r);
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...r, errors: { ...r.errors } });
        continue;
      }
      into.prompt += r.prompt;
      into.answer += r.answer;
      into.thinking += r.thinking;
      into.requests += r.requests;
      for (const [kind, n] of Object.entries(r.errors)) into.errors[kind] = (into.errors[kind] ?? 0) + n;
    }
  }
  return merged;
}

/** Keeps the last `LIMITS.usageDays` days (today included) and a bounded number of rows per day. */
export function pruneRows(rows: Iterable<UsageRow>, today: string): UsageRow[] {
  const oldest = daysEndingWith(today, LIMITS.usageDays)[0]!;
  const kept: UsageRow[] = [];
  const perDay = new Map<string, number>();
  const newestBusiestFirst = [...rows].sort((a, b) => (a.day === b.day ? b.requests - a.requests : a.day < b.day ? 1 : -1));
  for (const r of newestBusiestFirst) {
    if (r.day < oldest || r.day > today) continue;
    const n = perDay.get(r.day) ?? 0;
    if (n >= LIMITS.rowsPerDay) continue;
    perDay.set(r.day, n + 1);
    kept.push(r);
  }
  return kept;
}

export interface Totals {
  prompt: number;
  answer: number;
  thinking: number;
  requests: number;
  errors: number;
}

export interface UsageSummary {
  /** Oldest first; every day of the window, zero when nothing happened. */
  readonly days: ReadonlyArray<{ readonly day: string } & Totals>;
  readonly byModel: ReadonlyArray<{ readonly model: string } & Totals>;
  readonly byCredential: ReadonlyArray<{ readonly credential: string } & Totals>;
  readonly byOrigin: ReadonlyArray<{ readonly origin: RequestOrigin } & Totals>;
  readonly errorsByKind: ReadonlyArray<{ readonly kind: string; readonly count: number }>;
  readonly total: Totals;
}

const zero = (): Totals => ({ prompt: 0, answer: 0, thinking: 0, requests: 0, errors: 0 });

function add(into: Totals, r: UsageRow): void {
  into.prompt += r.prompt;
  into.answer += r.answer;
  into.thinking += r.thinking;
  into.requests += r.requests;
  into.errors += Object.values(r.errors).reduce((a, b) => a + b, 0);
}

/** The last `days` days up to `today`, summed every way the view shows. */
export function summarize(rows: readonly UsageRow[], today: string, days: number = LIMITS.shownDays): UsageSummary {
  const window = daysEndingWith(today, days);
  const perDay = new Map(window.map((d) => [d, zero()]));
  const byModel = new Map<string, Totals>();
  const byCredential = new Map<string, Totals>();
  const byOrigin = new Map<RequestOrigin, Totals>();
  const errors = new Map<string, number>();
  const total = zero();
  for (const r of rows) {
    const day = perDay.get(r.day);
    if (!day) continue;
    add(day, r);
    add(total, r);
    for (const [map, key] of [
      [byModel, r.model],
      [byCredential, r.credential],
      [byOrigin, r.origin],
    ] as const) {
      const t = (map as Map<string, Totals>).get(key) ?? zero();
      add(t, r);
      (map as Map<string, Totals>).set(key, t);
    }
    for (const [kind, n] of Object.entries(r.errors)) errors.set(kind, (errors.get(kind) ?? 0) + n);
  }
  const byTokens = <T extends Totals>(a: T, b: T) => b.prompt + b.answer + b.thinking - (a.prompt + a.answer + a.thinking) || b.requests - a.requests;
  return {
    days: window.map((day) => ({ day, ...perDay.get(day)! })),
    byModel: [...byModel].map(([model, t]) => ({ model, ...t })).sort(byTokens),
    byCredential: [...byCredential].map(([credential, t]) => ({ credential, ...t })).sort(byTokens),
    byOrigin: [...byOrigin].map(([origin, t]) => ({ origin, ...t })).sort(byTokens),
    errorsByKind: [...errors].map(([kind, n]) => ({ kind, count: n })).sort((a, b) => b.count - a.count),
    total,
  };
}
