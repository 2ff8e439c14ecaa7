// `npm test`: every tier, in order: unit (plain Node), integration (mocha inside a real extension host),
// end-to-end (Chromium driving the workbench with the packaged .vsix). Prints each tier's mocha report,
// then a total line `N passed, M failed` last. Exits non-zero if any tier failed or did not report.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './lib/codeServer';
import { runIntegration } from './lib/runIntegration';

type Tier = 'unit' | 'integration' | 'e2e';
const allTiers: Tier[] = ['unit', 'integration', 'e2e'];
interface Stats {
  passed: number;
  failed: number;
  pending: number;
}

const requested = process.argv.slice(2).filter((a): a is Tier => (allTiers as string[]).includes(a));
const tiers = requested.length ? requested : allTiers;
const artifacts = path.join(repoRoot, '.test-artifacts');
mkdirSync(artifacts, { recursive: true });

function step(title: string, cmd: string, args: string[]): void {
  process.stdout.write(`\n> ${title}\n`);
  const res = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stdout.write(`${title} failed (exit ${res.status})\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

function readStats(file: string): Stats | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Stats;
}

async function runTier(tier: Tier): Promise<{ stats: Stats; exitCode: number }> {
  const statsFile = path.join(artifacts, `${tier}-stats.json`);
  rmSync(statsFile, { force: true });
  process.stdout.write(`\n=== ${tier} tests ===\n`);
  let exitCode: number;
  if (tier === 'integration') {
    exitCode = await runIntegration({ statsFile, consoleFile: path.join(artifacts, 'integration-console.log') });
  } else {
    const config = tier === 'unit' ? 'test/unit/.mocharc.json' : 'test/e2e/.mocharc.json';
    const res = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/mocha/bin/mocha.js'), '--config', config], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, TIER_STATS_FILE: statsFile },
    });
    exitCode = res.status ?? 1;
  }
  const stats = readStats(statsFile);
  if (!stats) {
    process.stdout.write(`${tier} tier ended (exit ${exitCode}) without reporting results: counted as 1 failure\n`);
    return { stats: { passed: 0, failed: 1, pending: 0 }, exitCode: exitCode || 1 };
  }
  return { stats, exitCode };
}

async function main(): Promise<void> {
  // Static checks first: a type error or a broken core boundary (vscode imported into src/core) fails the run.
  step('type-checking the extension', process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', '.']);
  step('type-checking the webview', process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'webview']);
  step('type-checking tests and scripts', process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'test']);
  step('linting', process.execPath, [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '.']);
  const needsHost = tiers.some((t) => t !== 'unit');
  if (needsHost) step('installing test tools (Chromium, Node 24, code-server) if missing', 'bash', ['scripts/ensure-tools.sh']);
  // The .vsix the e2e tier installs is what ships: vsce's `vscode:prepublish` builds it without test hooks. Only
  // then does dist/ get the test build (hooks on, see src/vscode/testHooks.ts) that the integration tier loads.
  if (tiers.includes('e2e')) step('packaging the .vsix (production build)', process.execPath, [path.join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', 'dist/gemini-vscode.vsix']);
  step('building (extension with test hooks, webview, integration bundle)', process.execPath, ['esbuild.mjs', '--tests']);

  const results: Array<{ tier: Tier; stats: Stats; exitCode: number }> = [];
  for (const tier of tiers) results.push({ tier, ...(await runTier(tier)) });

  process.stdout.write('\n=== summary ===\n');
  let passed = 0;
  let failed = 0;
  for (const { tier, stats, exitCode } of results) {
    // A tier whose runner failed though its reporter counted no failure (a crash after the run) still fails.
    const tierFailed = stats.failed + (exitCode !== 0 && stats.failed === 0 ? 1 : 0);
    passed += stats.passed;
    failed += tierFailed;
    process.stdout.write(`${tier}: ${stats.passed} passed, ${tierFailed} failed${stats.pending ? `, ${stats.pending} pending` : ''}\n`);
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
