// How much CPU other work on the machine took while the bench ran (another engineer's tests, a build): the
// bench samples the CPU time of every process that is not its own descendant every few seconds. On a
// 2-core machine, one busy core elsewhere can inflate absolute times a lot; ratios measured side by side
// suffer less. The load average is no guide here: the bench's own workbench raises it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

interface Stat {
  ppid: number;
  cpuTicks: number;
  startTicks: number;
}

function readStat(pid: string): Stat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields (1-based in proc(5)): 4 ppid, 14 utime, 15 stime, 22 starttime; here offset by 3.
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), startTicks: Number(f[19]) };
  } catch {
    return undefined;
  }
}

function uptimeTicks(hz: number): number {
  return Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * hz;
}

export interface BusyReport {
  /** CPU seconds used by other processes while the bench ran. */
  readonly otherCpuSeconds: number;
  /** …divided by the bench's wall time: how many cores other work kept busy on average. */
  readonly otherCoresAverage: number;
  /** The busiest sampling window. */
  readonly otherCoresMax: number;
  readonly sampleSeconds: number;
}

export class BusyMonitor {
  private readonly hz: number;
  private readonly last = new Map<number, number>();
  /** Processes ever seen below the bench: they stay ours when reparented (a stopped server's orphans). */
  private readonly mine = new Set<number>();
  private readonly startedAt = Date.now();
  private readonly startTicks: number;
  private total = 0;
  private maxWindow = 0;
  private lastSampleAt = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly sampleMs = 3000) {
    let hz = 100;
    try {
      hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      // Linux default
    }
    this.hz = hz;
    this.startTicks = uptimeTicks(hz);
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), sampleMs);
    this.timer.unref();
  }

  private sample(first: boolean): void {
    const stats = new Map<number, Stat>();
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const s = readStat(d);
      if (s) stats.set(Number(d), s);
    }
    const ours = (pid: number) => {
      if (this.mine.has(pid)) return true;
      for (let p: number | undefined = pid, i = 0; p && i < 40; p = stats.get(p)?.ppid, i++) {
        if (p === process.pid || this.mine.has(p)) {
          this.mine.add(pid);
          return true;
        }
      }
      return false;
    };
    let window = 0;
    for (const [pid, s] of stats) {
      if (ours(pid)) continue;
      const before = this.last.get(pid);
      // A process born during the bench counts from zero; one older than the bench from its first sample.
      const base = before ?? (first || s.startTicks < this.startTicks ? s.cpuTicks : 0);
      window += Math.max(0, s.cpuTicks - base);
      this.last.set(pid, s.cpuTicks);
    }
    const now = Date.now();
    if (!first) {
      this.total += window;
      const seconds = (now - this.lastSampleAt) / 1000;
      // A short last window (stop() right after a sample) would turn a few ticks into many "cores".
      if (seconds >= 1) this.maxWindow = Math.max(this.maxWindow, window / this.hz / seconds);
    }
    this.lastSampleAt = now;
  }

  stop(): BusyReport {
    clearInterval(this.timer);
    this.sample(false);
    const wall = (Date.now() - this.startedAt) / 1000;
    const cpu = this.total / this.hz;
    const r2 = (v: number) => Math.round(v * 100) / 100;
    return { otherCpuSeconds: r2(cpu), otherCoresAverage: r2(wall ? cpu / wall : 0), otherCoresMax: r2(this.maxWindow), sampleSeconds: this.sampleMs / 1000 };
  }
}
