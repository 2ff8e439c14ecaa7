// Integration tier: the mocha suite runs inside a real VS Code extension host (code-server), loaded the way
// @vscode/test-electron loads it: extensionDevelopmentPath + extensionTestsPath in the smoke-test payload.
import { appendFileSync, existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, repoRoot, startCodeServer } from './codeServer';

export interface IntegrationOptions {
  statsFile: string;
  /** Everything the workbench and extension host printed, for diagnosing a failure. */
  consoleFile: string;
  timeoutMs?: number;
}

export async function runIntegration({ statsFile, consoleFile, timeoutMs = 15 * 60_000 }: IntegrationOptions): Promise<number> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'gemini-it-'));
  const workspace = path.join(base, 'workspace');
  mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  writeFileSync(path.join(workspace, 'sample.md'), '# Sample\n\nA paragraph the integration tests select.\n');
  const reportFile = path.join(base, 'mocha-report.txt');
  writeFileSync(consoleFile, '');
  const server = await startCodeServer({ folder: workspace, smokeTestDriver: true, baseDir: path.join(base, 'cs') });
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    const page = await browser.newPage();
    const authority = `127.0.0.1:${server.port}`;
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    page.on('console', (msg) => {
      const args = msg.args().map((a) => a.toString().replace(/^JSHandle@/, ''));
      void Promise.all(msg.args().map((a) => a.jsonValue().catch(() => undefined))).then((values) => {
        const vals = values.map((v, i) => (v === undefined ? args[i] : v));
        // Extension-host console lines arrive as ('%c INFO', 'color: …', fmt, ...args).
        const line = typeof vals[0] === 'string' && vals[0].startsWith('%c') ? format(...(vals.slice(2) as [unknown, ...unknown[]])) : format(...(vals as [unknown, ...unknown[]]));
        appendFileSync(consoleFile, line + '\n');
      });
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
      ['extensionTestsPath', `vscode-remote://${authority}${path.join(repoRoot, 'out/test/integration/index.js')}`],
      ['extensionEnvironment', JSON.stringify({ TIER_STATS_FILE: statsFile, TIER_LOG_FILE: reportFile, GEMINI_VSCODE_TESTING: '1' })],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise<number>((resolve) =>
      setTimeout(() => {
        process.stdout.write(`integration tier timed out after ${timeoutMs / 1000} s\n`);
        resolve(1);
      }, timeoutMs).unref(),
    );
    const code = await Promise.race([exitCode, timeout]);
    // Let the last console lines flush before the host goes away.
    await new Promise((r) => setTimeout(r, 500));
    if (existsSync(reportFile)) process.stdout.write(readFileSync(reportFile, 'utf8'));
    if (code !== 0) process.stdout.write(`(the workbench and extension host console is in ${path.relative(repoRoot, consoleFile)})\n`);
    return code;
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}
