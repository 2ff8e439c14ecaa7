import type { Disposable } from '../../../src/core/common/events';
import type { Schedule } from '../../../src/core/activity/store';
import type { KeyValueStore } from '../../../src/core/common/secretStore';
import type { Clock } from '../../../src/core/activity/usage';

/** One globalState shared by several "windows", with a JSON round trip like VS Code's storage. */
export class MemoryKeyValue implements KeyValueStore {
  readonly map = new Map<string, string>();
  writes = 0;
  get(key: string): unknown {
    const raw = this.map.get(key);
    return raw === undefined ? undefined : JSON.parse(raw);
  }
  async update(key: string, value: unknown): Promise<void> {
    this.writes++;
    this.map.set(key, JSON.stringify(value));
  }
  get raw(): string {
    return [...this.map.values()].join('\n');
  }
}

/** A clock fixed at `now`, in a zone `offsetMinutes` east of UTC. */
export function fixedClock(now: number, offsetMinutes = 0): Clock & { set(at: number): void } {
  let current = now;
  return { now: () => current, utcOffsetMinutes: () => offsetMinutes, set: (at) => (current = at) };
}

/** A scheduler the test fires by hand: debouncing is checked without waiting for time to pass. */
export class ManualSchedule {
  readonly pending: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  readonly schedule: Schedule = (fn, ms): Disposable => {
    const entry = { fn, ms, cancelled: false };
    this.pending.push(entry);
    return { dispose: () => (entry.cancelled = true) };
  };
  get live(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
  fire(): void {
    for (const p of this.pending.splice(0)) if (!p.cancelled) p.fn();
  }
}

let counter = 0;
export const sequentialId = () => `e${++counter}`;
