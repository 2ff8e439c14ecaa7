// `npm start`: builds and packages the extension, then opens it in a real VS Code. With desktop `code` on
// PATH it launches that with --extensionDevelopmentPath; otherwise code-server on 127.0.0.1 (URL printed).
// Unless real credentials are given (GEMINI_API_KEY, or GEMINI_OAUTH_CLIENT_ID + GEMINI_OAUTH_CLIENT_SECRET),
// the extension talks to the local Google/Gemini emulator, so sign-in and summarize work offline.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, repoRoot, startCodeServer } from './lib/codeServer';
import { startEmulator } from '../test/fakes/emulator';

async function main(): Promise<void> {
  const real = Boolean(process.env.GEMINI_API_KEY || (process.env.GEMINI_OAUTH_CLIENT_ID && process.env.GEMINI_OAUTH_CLIENT_SECRET));
  const emulator = real ? undefined : await startEmulator({ port: Number(process.env.EMULATOR_PORT) || 0 });
  const settings: Record<string, unknown> = emulator ? { ...emulator.settings } : {};
  if (real && process.env.GEMINI_OAUTH_CLIENT_ID) settings['gemini.oauth.clientId'] = process.env.GEMINI_OAUTH_CLIENT_ID;
  const env: Record<string, string> = emulator ? { ...emulator.env } : {};
  if (real) {
    for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GEMINI_OAUTH_CLIENT_SECRET']) if (process.env[name]) env[name] = process.env[name]!;
  }

  const home = path.join(repoRoot, '.tools', 'sandbox');
  const workspace = path.join(home, 'workspace');
  if (!existsSync(workspace)) cpSync(path.join(repoRoot, 'test/fixtures/workspace'), workspace, { recursive: true });

  const vsix = path.join(repoRoot, 'dist/gemini-vscode.vsix');
  const pkg = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', vsix], { cwd: repoRoot, stdio: 'inherit' });
  if (pkg.status !== 0) throw new Error('packaging the extension failed');

  const banner = emulator
    ? [
        'Using the LOCAL Google/Gemini EMULATOR (nothing leaves this machine):',
        `  Google OAuth emulator: ${emulator.google.baseUrl}  (sign in as any listed test user)`,
        `  Gemini API emulator:   ${emulator.gemini.baseUrl}`,
        `  An API key the emulator accepts: ${emulator.apiKey}`,
        `  (an authorization key, as Google AI Studio issues today; the older standard key ${emulator.standardApiKey} works too)`,
      ]
    : ['Using the REAL Google and Gemini endpoints with the credentials from your environment.'];

  if (hasDesktopCode()) {
    const userDataDir = path.join(home, 'desktop-user-data');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    console.log([...banner, `Opening desktop VS Code on ${workspace}`].join('\n'));
    const child = spawn('code', ['--wait', '--user-data-dir', userDataDir, `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit', env: { ...process.env, ...env } });
    await new Promise((r) => child.on('exit', r));
    await emulator?.close();
    return;
  }

  const port = Number(process.env.PORT) || (await freePort());
  const server = await startCodeServer({ folder: workspace, vsix, settings, env, port, baseDir: path.join(home, 'code-server'), keep: true });
  console.log(
    [
      '',
      ...banner,
      '',
      `VS Code (code-server) with the Gemini extension is running at:`,
      `  ${server.url}/?folder=${encodeURIComponent(workspace)}`,
      '',
      'Open it in a browser on this machine (the OAuth redirect comes back to 127.0.0.1). Ctrl+C stops everything.',
    ].join('\n'),
  );
  const stop = async () => {
    await server.stop();
    await emulator?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function hasDesktopCode(): boolean {
  if (process.env.GEMINI_SANDBOX_CODE_SERVER) return false;
  const res = spawnSync('code', ['--version'], { encoding: 'utf8' });
  // code-server also installs a `code-server` binary, never `code`; a `code` that answers is desktop VS Code.
  return res.status === 0 && /^\d+\.\d+\.\d+/.test(res.stdout);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
