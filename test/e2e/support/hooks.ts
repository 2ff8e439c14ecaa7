// Root hooks for the end-to-end tier: one local Google/Gemini emulator, one code-server with the packaged
// .vsix installed and its settings pointing at the emulator, and one headless Chromium, shared by all files.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, chromiumPath, repoRoot, startCodeServer, type CodeServer } from '../../../scripts/lib/codeServer';
import { startEmulator, type Emulator } from '../../fakes/emulator';

export interface E2EEnvironment {
  server: CodeServer;
  context: BrowserContext;
  emulator: Emulator;
  workspace: string;
}

let env: E2EEnvironment | undefined;

export function e2e(): E2EEnvironment {
  if (!env) throw new Error('the e2e environment is not up (root hook failed?)');
  return env;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000);
    const base = mkdtempSync(path.join(os.tmpdir(), 'gemini-e2e-'));
    const workspace = path.join(base, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(
      path.join(workspace, 'notes.md'),
      '# Release notes\n\nThe loopback redirect now works on remote hosts.\nTokens are refreshed before they expire.\n',
    );
    const emulator = await startEmulator();
    const server = await startCodeServer({
      folder: workspace,
      vsix: path.join(repoRoot, 'dist/gemini-vscode.vsix'),
      settings: emulator.settings,
      env: emulator.env,
      baseDir: path.join(base, 'cs'),
    });
    const context = await chromium.launchPersistentContext(path.join(base, 'chromium'), {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      viewport: { width: 1400, height: 900 },
    });
    env = { server, context, emulator, workspace };
  },
  /** A failed test leaves a screenshot of every open page, for diagnosing CI runs. */
  async afterEach(this: Mocha.Context) {
    if (!env || this.currentTest?.state !== 'failed') return;
    const dir = path.join(repoRoot, '.test-artifacts', 'e2e-failures');
    mkdirSync(dir, { recursive: true });
    const name = (this.currentTest.fullTitle() ?? 'test').replace(/[^A-Za-z0-9]+/g, '-').slice(0, 80);
    for (const [i, page] of env.context.pages().entries()) {
      await page.screenshot({ path: path.join(dir, `${name}-${i}.png`) }).catch(() => undefined);
    }
    process.stdout.write(`      (screenshots of the failure in .test-artifacts/e2e-failures/${name}-*.png)\n`);
    // CI keeps only the output: name what was on screen (a modal dialog or a toast explains most failures).
    for (const page of env.context.pages()) {
      const shown = await page
        .locator('.monaco-dialog-box, .notifications-toasts .notification-list-item-message')
        .allInnerTexts()
        .catch(() => []);
      for (const text of shown) process.stdout.write(`      on screen: ${text.replace(/\s+/g, ' ').slice(0, 300)}\n`);
    }
  },
  async afterAll() {
    if (!env) return;
    await env.context.close().catch(() => undefined);
    await env.server.stop();
    await env.emulator.close();
    env = undefined;
  },
};
