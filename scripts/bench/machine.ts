// What the figures were measured on: they are only comparable on the same kind of machine.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { node24, repoRoot } from '../lib/codeServer';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly loadAverage: number[];
  readonly os: string;
  /** Node that runs the bench and the plain-Node figures. */
  readonly benchNode: string;
  /** Node that runs code-server and its extension hosts. */
  readonly hostNode: string;
  readonly codeServer: string;
  readonly vscode: string;
  readonly chromium: string;
  readonly gitCommit: string;
  readonly gitDirty: boolean;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

export function machineInfo(chromiumPath: string): MachineInfo {
  const csPkg = path.join(repoRoot, '.tools/code-server/node_modules/code-server/package.json');
  const vsPkg = path.join(repoRoot, '.tools/code-server/node_modules/code-server/lib/vscode/package.json');
  return {
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    benchNode: process.version,
    hostNode: safe(() => execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim(), 'missing'),
    codeServer: safe(() => (JSON.parse(readFileSync(csPkg, 'utf8')) as { version: string }).version, 'missing'),
    vscode: safe(() => (JSON.parse(readFileSync(vsPkg, 'utf8')) as { version: string }).version, 'missing'),
    chromium: safe(() => execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), 'missing'),
    gitCommit: safe(() => execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim(), 'unknown'),
    gitDirty: safe(() => execFileSync('git', ['status', '--porcelain', '--', 'src', 'webview', 'package.json'], { cwd: repoRoot, encoding: 'utf8' }).trim().length > 0, false),
  };
}
