// Finds code-server's extension host by its command line (`bootstrap-fork --type=extensionHost`) among the
// descendants of the code-server we started — other engineers' workbenches on the same machine are not
// ours — and samples its memory: RSS from /proc, the V8 heap through the Node inspector (opened with
// SIGUSR1, read with a small CDP client run by Node 24, which has a WebSocket).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { node24 } from '../lib/codeServer';

const INSPECTOR_PORT = 9229; // where SIGUSR1 opens Node's inspector

interface ProcInfo {
  pid: number;
  ppid: number;
  startTicks: number;
  cmdline: string;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return { pid, ppid: Number(rest[1]), startTicks: Number(rest[19]), cmdline };
  } catch {
    return undefined;
  }
}

function allProcesses(): ProcInfo[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is ProcInfo => p !== undefined);
}

/** The newest extension host below `rootPid` (after a window reload the old one may linger for a moment). */
export function findExtensionHost(rootPid: number): number | undefined {
  const procs = allProcesses();
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const descends = (p: ProcInfo): boolean => {
    for (let cur: ProcInfo | undefined = p, i = 0; cur && i < 20; cur = byPid.get(cur.ppid), i++) if (cur.ppid === rootPid) return true;
    return false;
  };
  const hosts = procs.filter((p) => /bootstrap-fork/.test(p.cmdline) && /--type=extensionHost/.test(p.cmdline) && descends(p));
  hosts.sort((a, b) => b.startTicks - a.startTicks);
  return hosts[0]?.pid;
}

/** Resident set size in bytes (VmRSS), or NaN if the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

interface InspectorTarget {
  webSocketDebuggerUrl: string;
}

async function inspectorTargets(): Promise<InspectorTarget[]> {
  try {
    const res = await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`);
    return (await res.json()) as InspectorTarget[];
  } catch {
    return [];
  }
}

export interface HeapSample {
  pid: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** An open inspector on one process. */
export class Inspector {
  private constructor(
    readonly pid: number,
    private readonly wsUrl: string,
  ) {}

  /** Opens the inspector of `pid` with SIGUSR1; a string saying why not if it cannot. */
  static async open(pid: number): Promise<Inspector | string> {
    const find = async (): Promise<Inspector | undefined> => {
      for (const t of await inspectorTargets()) {
        try {
          const out = JSON.parse(execFileSync(node24, [path.join(__dirname, 'cdp-probe.mjs'), t.webSocketDebuggerUrl, 'pid'], { encoding: 'utf8', timeout: 30_000 })) as { pid: number };
          if (out.pid === pid) return new Inspector(pid, t.webSocketDebuggerUrl);
        } catch {
          // not answering: not ours
        }
      }
      return undefined;
    };
    if (await portInUse(INSPECTOR_PORT)) {
      return (await find()) ?? `port ${INSPECTOR_PORT} is taken by another process: heap figures skipped (RSS only)`;
    }
    process.kill(pid, 'SIGUSR1');
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!(await portInUse(INSPECTOR_PORT))) continue;
      const mine = await find();
      if (mine) return mine;
    }
    return `the extension host did not open its inspector on ${INSPECTOR_PORT} after SIGUSR1`;
  }

  /** process.memoryUsage() of the process, after a full GC unless `gc` is false. */
  sample(gc = true): HeapSample {
    const out = execFileSync(node24, [path.join(__dirname, 'cdp-probe.mjs'), this.wsUrl, gc ? 'memory' : 'nogc'], { encoding: 'utf8', timeout: 60_000 });
    const sample = JSON.parse(out) as HeapSample;
    if (sample.pid !== this.pid) throw new Error(`the inspector on ${INSPECTOR_PORT} belongs to process ${sample.pid}, not ${this.pid}`);
    return sample;
  }

  close(): void {
    try {
      execFileSync(node24, [path.join(__dirname, 'cdp-probe.mjs'), this.wsUrl, 'close'], { encoding: 'utf8', timeout: 30_000 });
    } catch {
      // the process may be gone already
    }
  }
}
