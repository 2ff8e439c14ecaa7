import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

// What only the test hooks contain: the environment switch and the results panel's test command ids.
const MARKERS = ['GEMINI_VSCODE_TESTING', 'gemini.results.testState', 'gemini.results.testMessage'];

describe('build: test hooks are not shipped', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gemini-build-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the hooks are in the sources (so their absence below means something)', () => {
    const sources = ['src/extension.ts', 'src/vscode/results/index.ts'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
    for (const marker of MARKERS) assert.ok(sources.includes(marker), marker);
  });

  it('the production bundle (node esbuild.mjs) contains neither the hooks nor the services export', () => {
    const res = spawnSync(process.execPath, ['esbuild.mjs', '--outdir', dir], { cwd: root, encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    const bundle = readFileSync(path.join(dir, 'extension.js'), 'utf8');
    assert.ok(bundle.includes('[activate] ready'), 'this is the extension bundle');
    for (const marker of MARKERS) assert.equal(bundle.includes(marker), false, `${marker} is in the shipped bundle`);
  });
});
