// The figures measured in the real workbench: code-server (the VS Code server and its Node extension host)
// driven by Debian's Chromium through playwright-core, with the packaged .vsix installed and its settings
// pointing at the local emulator — the same set-up as the end-to-end tests (test/e2e/support/hooks.ts).
// A figure's reference (github-authentication's activation, the Markdown preview) is measured in the same
// window, right next to it, so the machine's noise touches both.
//
// Timestamps are taken inside the browser: the Enter that runs a command is stamped by a capture listener
// in the workbench page, and every webview's outer frame (same origin as its content frame) polls its
// content every few milliseconds and stamps what it sees (answer text, Markdown preview content, the
// `done` status, the paint after it). Both use Date.now() of the same browser.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { chromiumArgs, chromiumPath, startCodeServer, type CodeServer } from '../lib/codeServer';
import { startEmulator, type Emulator } from '../../test/fakes/emulator';
import { setApiKeyThroughUi } from '../../test/e2e/support/flows';
import { Workbench } from '../../test/e2e/support/workbench';
import { findExtensionHost, Inspector, rssBytes, type HeapSample } from './processes';
import { defaultMarkdown, type MdToken } from '../../webview/render/markdown';
import { answerOfShape, SHAPES, type ShapeName } from './shapes';
import { ratioSummary, summarize, type Summary } from './stats';

export const OUR_EXTENSION = 'gemini-for-vscode.gemini-vscode';
export const REFERENCE_EXTENSION = 'vscode.github-authentication';

const NOTES = [
  '# Release notes',
  '',
  'The loopback redirect now works on remote hosts.',
  'Tokens are refreshed before they expire, one refresh per account however many requests wait.',
  '',
  '## Changes',
  '',
  '- Sign-in through the system browser with PKCE',
  '- API keys are kept in secret storage',
  '- Answers stream into a results panel',
  '',
].join('\n');

export interface Session {
  readonly emulator: Emulator;
  readonly server: CodeServer;
  readonly context: BrowserContext;
  readonly workspace: string;
  wb: Workbench;
  log(line: string): void;
  close(): Promise<void>;
}

// ---- in-browser instrumentation ---------------------------------------------------------------------

interface BenchState {
  /** Date.now() when the poller started (the webview was created). */
  createdAt: number;
  /** The result id shown when the state was reset: only a different result counts. */
  baseId: string;
  currentId: string;
  answerAt: number;
  mdAt: number;
  streamingAt: number;
  doneAt: number;
  paintedAt: number;
  doneLength: number;
  status: string;
  /** Where the time of a new webview goes (epoch ms; 0 = not seen), see ColdStages. */
  innerLoadedAt: number;
  scriptLoadedAt: number;
  readyAt: number;
  firstMessageAt: number;
  firstAppendAt: number;
}

declare global {
  interface Window {
    __benchEnterAt?: number;
    __bench?: BenchState;
  }
}

/**
 * Runs in every frame of every page before its own scripts (a Playwright init script). Plain JavaScript in a
 * string: tsx would wrap named functions in a helper that does not exist in the browser.
 */
const INSTRUMENT = `(() => {
  const isWebviewHost = /\\/webview\\/browser\\/pre\\/index\\.html$/.test(location.pathname);
  if (!isWebviewHost) {
    if (window === window.top) {
      window.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__benchEnterAt = Date.now(); }, true);
    }
    return;
  }
  window.__bench = { createdAt: Date.now(), baseId: '', currentId: '', answerAt: 0, mdAt: 0, streamingAt: 0, doneAt: 0, paintedAt: 0, doneLength: -1, status: '',
    innerLoadedAt: 0, scriptLoadedAt: 0, readyAt: 0, firstMessageAt: 0, firstAppendAt: 0 };
  // The content frame's acquireVsCodeApi().postMessage goes through this window's __vscode_post_message__ (see
  // pre/index.html): the wrapper stamps the panel's 'ready'.
  let post;
  Object.defineProperty(window, '__vscode_post_message__', {
    configurable: true,
    get() { return post; },
    set(fn) {
      post = function (command, data) {
        const s = window.__bench;
        if (s && !s.readyAt && command === 'onmessage' && data && data.message && data.message.type === 'ready') s.readyAt = Date.now();
        return fn.apply(this, arguments);
      };
    },
  });
  let hookedRoot = null;
  setInterval(() => {
    const s = window.__bench;
    const frame = document.getElementById('active-frame') || document.getElementById('pending-frame');
    let doc = null;
    try { doc = frame && frame.contentDocument; } catch { doc = null; }
    if (!s || !doc || !frame) return;
    const win = frame.contentWindow;
    if (win && doc.documentElement && doc.documentElement !== hookedRoot) {
      // Each page of the content frame (VS Code writes it into a placeholder with document.open(), which drops
      // the window's listeners): stamp the messages it gets.
      hookedRoot = doc.documentElement;
      win.addEventListener('message', (e) => {
        const type = e.data && e.data.type;
        if (!type) return;
        if (!s.firstMessageAt) s.firstMessageAt = Date.now();
        if (type === 'append' && !s.firstAppendAt) s.firstAppendAt = Date.now();
      });
    }
    if (win && !s.scriptLoadedAt) {
      // The page's own script (ours: dist/webview/results.js) has arrived: its resource timing's responseEnd.
      const scripts = win.performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script');
      if (scripts.length) s.scriptLoadedAt = Math.round(win.performance.timeOrigin + Math.max(...scripts.map((r) => r.responseEnd)));
    }
    if (!s.innerLoadedAt) {
      const mark = performance.getEntriesByName('webview/index.html/content/wroteInnerContent')[0];
      if (mark) s.innerLoadedAt = Math.round(performance.timeOrigin + mark.startTime);
    }
    if (frame.id !== 'active-frame') return;
    // The result shown (results panel): stamps count only for a result other than the one shown at reset.
    const app = doc.getElementById('app');
    s.currentId = (app && app.getAttribute('data-result')) || '';
    const isNew = !!s.currentId && s.currentId !== s.baseId;
    if (!s.answerAt && isNew) {
      const answer = doc.getElementById('answer');
      if (answer && answer.firstChild && (answer.textContent || '').trim()) s.answerAt = Date.now();
    }
    if (!s.mdAt) {
      const body = doc.querySelector('.markdown-body');
      if (body && body.querySelector('h1') && (body.textContent || '').includes('Release notes')) s.mdAt = Date.now();
    }
    const status = (app && app.getAttribute('data-status')) || '';
    if (status !== s.status || (isNew && status === 'done' && !s.doneAt)) {
      s.status = status;
      if (isNew && status === 'streaming' && !s.streamingAt) s.streamingAt = Date.now();
      if (isNew && status === 'done' && !s.doneAt) {
        s.doneAt = Date.now();
        const answer = doc.getElementById('answer');
        s.doneLength = ((answer && answer.textContent) || '').length;
        const win = frame.contentWindow;
        // Two animation frames later the change has been painted.
        if (win) win.requestAnimationFrame(() => win.requestAnimationFrame(() => { s.paintedAt = Date.now(); }));
      }
    }
  }, 4);
})();`;

// ---- session ----------------------------------------------------------------------------------------

export async function openSession(opts: { vsix: string; baseDir: string; log: (line: string) => void }): Promise<Session> {
  const workspace = path.join(opts.baseDir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(path.join(workspace, 'notes.md'), NOTES);
  const emulator = await startEmulator();
  const server = await startCodeServer({
    folder: workspace,
    vsix: opts.vsix,
    settings: { ...emulator.settings, 'workbench.editor.restoreViewState': false, 'files.hotExit': 'off' },
    env: emulator.env,
    baseDir: path.join(opts.baseDir, 'code-server'),
  });
  const context = await chromium.launchPersistentContext(path.join(opts.baseDir, 'chromium'), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1400, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  await context.addInitScript({ content: INSTRUMENT });
  const wb = await Workbench.open(context, server.url, workspace);
  await wb.statusItem('gemini.account').waitFor({ timeout: 90_000 });
  return {
    emulator,
    server,
    context,
    workspace,
    wb,
    log: opts.log,
    async close() {
      await context.close().catch(() => undefined);
      await server.stop();
      await emulator.close();
    },
  };
}

// ---- workbench helpers ------------------------------------------------------------------------------

async function dismissDialogs(page: Page): Promise<void> {
  for (let i = 0; i < 3 && (await page.locator('.monaco-dialog-box').isVisible()); i++) {
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

/** F1, type the title, wait for its row; Enter is left to the caller (it is what gets timed). */
async function preparePalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // A palette still closing: wait. Escape only while it has focus — in the editor it would drop the selection.
  if (!(await input.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false))) {
    if (await page.evaluate(() => !!document.activeElement?.closest('.quick-input-widget'))) await page.keyboard.press('Escape');
    await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }
  // F1 may not reach the workbench while a webview has focus: then open it from the command center.
  const shown = () => input.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('F1');
    if (await shown()) break;
    await page.locator('.command-center .search-label, .command-center-center').first().click().catch(() => undefined);
    if (await shown()) break;
  }
  await input.waitFor({ timeout: 20_000 });
  await input.fill(`>${title}`);
  // Focus the row whose label is exactly the title (a fuzzy match such as "Open Locked Preview to the
  // Side" may be listed first).
  const exact = (label: string) => label === title || label.startsWith(`${title},`) || label.startsWith(`${title} `);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`no Command Palette row "${title}" could be focused`);
    const rows = await page.locator('.quick-input-widget .monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', focused: e.classList.contains('focused'), index: Number(e.getAttribute('data-index')) })),
    );
    const target = rows.find((r) => exact(r.label));
    const focused = rows.find((r) => r.focused);
    if (target && focused && target.index === focused.index) return;
    if (target && focused) {
      await page.keyboard.press(target.index > focused.index ? 'ArrowDown' : 'ArrowUp');
      continue;
    }
    if (Date.now() > deadline) throw new Error(`no Command Palette row "${title}" (rows: ${rows.map((r) => r.label).join(' | ')})`);
    await page.waitForTimeout(100);
  }
}

async function runPalette(page: Page, title: string): Promise<void> {
  await preparePalette(page, title);
  await page.keyboard.press('Enter');
}

async function selectAllNotes(page: Page): Promise<void> {
  const editor = page.locator('.editor-group-container .monaco-editor[data-uri$="notes.md"]').first();
  await editor.waitFor({ timeout: 20_000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
}

/** Closes every editor, opens notes.md and selects all of it. */
async function freshNotesSelection(s: Session): Promise<void> {
  const { page } = s.wb;
  await dismissDialogs(page);
  await runPalette(page, 'View: Close All Editors');
  await page.locator('.editor-group-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor();
  await input.fill('notes.md');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes.md' }).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await selectAllNotes(page);
  // Let the workbench settle (language features, outline) before anything is timed.
  await page.waitForTimeout(700);
}

function webviewHostFrames(page: Page): Frame[] {
  return page.frames().filter((f) => /\/webview\/browser\/pre\/index\.html/.test(f.url()));
}

async function benchStates(page: Page): Promise<BenchState[]> {
  const states: BenchState[] = [];
  for (const f of webviewHostFrames(page)) {
    const st = await f.evaluate(() => window.__bench ?? null).catch(() => null);
    if (st) states.push(st);
  }
  return states;
}

/** Waits until some webview's state satisfies `pick` (returns a timestamp ≥ since). */
async function waitForWebview(page: Page, since: number, pick: (s: BenchState) => number, timeoutMs: number): Promise<BenchState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const st of await benchStates(page)) {
      const at = pick(st);
      if (at && at >= since) return st;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for the webview`);
    await page.waitForTimeout(50);
  }
}

/** Forgets what the open webviews have seen; the result shown now becomes the base a new one must differ from. */
async function resetWebviewStates(page: Page): Promise<void> {
  for (const f of webviewHostFrames(page)) {
    await f
      .evaluate(() => {
        const s = window.__bench;
        if (!s) return;
        Object.assign(s, { baseId: s.currentId, answerAt: 0, mdAt: 0, streamingAt: 0, doneAt: 0, paintedAt: 0, doneLength: -1, readyAt: 0, firstMessageAt: 0, firstAppendAt: 0 });
      })
      .catch(() => undefined);
  }
}

/** Runs a palette command and returns the in-browser time of its Enter. */
async function runTimed(page: Page, title: string): Promise<number> {
  await preparePalette(page, title);
  await resetWebviewStates(page);
  await page.evaluate(() => (window.__benchEnterAt = 0));
  await page.keyboard.press('Enter');
  const t0 = await page.evaluate(() => window.__benchEnterAt ?? 0);
  if (!t0) throw new Error('the Enter keydown was not stamped');
  return t0;
}

// ---- figure 2: activation ---------------------------------------------------------------------------

export interface ActivationTimes {
  /** Load Code + Call Activate + Finish Activate (ms): until activate()'s promise resolved. */
  readonly total: number;
  /** Load Code + Call Activate: the number "Developer: Show Running Extensions" shows. */
  readonly shown: number;
  readonly loadCode: number;
  readonly callActivate: number;
  readonly finishActivate: number;
  readonly event: string;
}

export interface ActivationFigure {
  readonly source: string;
  readonly ours: ActivationTimes[];
  readonly reference: ActivationTimes[];
  readonly oursTotal: Summary;
  readonly referenceTotal: Summary;
  readonly ratioTotal: Summary;
  readonly oursShown: Summary;
  readonly referenceShown: Summary;
  readonly ratioShown: Summary;
}

function parseActivationTable(text: string): Map<string, ActivationTimes> {
  const rows = new Map<string, ActivationTimes>();
  const start = text.indexOf('Extension Activation Stats');
  if (start < 0) return rows;
  for (const line of text.slice(start).split('\n').slice(1)) {
    if (line.startsWith('## ')) break;
    const cells = line.split('|').map((c) => c.trim());
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    if (cells.length < 8 || !/^\d+$/.test(cells[3] ?? '')) continue;
    const [loadCode, callActivate, finishActivate] = [Number(cells[3]), Number(cells[4]), Number(cells[5])];
    rows.set(cells[1]!, { loadCode, callActivate, finishActivate, shown: loadCode + callActivate, total: loadCode + callActivate + finishActivate, event: cells[6]! });
  }
  return rows;
}

/** "Developer: Startup Performance" → the whole report, copied out of its editor through the clipboard. */
async function startupPerformanceText(page: Page): Promise<string> {
  await runPalette(page, 'Developer: Startup Performance');
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await page.waitForFunction(() => (document.querySelector('.editor-group-container.active .tab.active')?.textContent ?? '').includes('Startup Performance'), null, {
    timeout: 20_000,
  });
  await editor.waitFor({ timeout: 20_000 });
  await page.waitForTimeout(300);
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  await runPalette(page, 'View: Close All Editors');
  return text;
}

async function reloadWindow(s: Session): Promise<void> {
  const { page } = s.wb;
  await dismissDialogs(page);
  await runPalette(page, 'View: Close All Editors');
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
  await runPalette(page, 'Developer: Reload Window');
  await navigated;
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  await s.wb.statusItem('gemini.account').waitFor({ timeout: 90_000 });
}

export async function measureActivation(s: Session, runs: number): Promise<ActivationFigure> {
  const ours: ActivationTimes[] = [];
  const reference: ActivationTimes[] = [];
  for (let run = 0; run < runs; run++) {
    // Each run is a fresh extension host: the window is reloaded (the first load, with the freshly
    // installed extension, is not counted).
    await reloadWindow(s);
    let rows = new Map<string, ActivationTimes>();
    for (let attempt = 0; attempt < 8; attempt++) {
      await s.wb.page.waitForTimeout(attempt === 0 ? 4000 : 2000);
      rows = parseActivationTable(await startupPerformanceText(s.wb.page));
      if (rows.has(OUR_EXTENSION) && rows.has(REFERENCE_EXTENSION)) break;
    }
    const a = rows.get(OUR_EXTENSION);
    const b = rows.get(REFERENCE_EXTENSION);
    if (!a || !b) {
      s.log(`  activation run ${run + 1}: ${!a ? OUR_EXTENSION : REFERENCE_EXTENSION} did not activate; run skipped`);
      continue;
    }
    ours.push(a);
    reference.push(b);
    s.log(`  activation run ${run + 1}: ours ${a.total} ms (shown ${a.shown}), github-authentication ${b.total} ms (shown ${b.shown})`);
  }
  return {
    source: '"Developer: Startup Performance" → Extension Activation Stats (Load Code, Call Activate, Finish Activate), one window reload per run',
    ours,
    reference,
    oursTotal: summarize(ours.map((r) => r.total)),
    referenceTotal: summarize(reference.map((r) => r.total)),
    ratioTotal: ratioSummary(
      ours.map((r) => r.total),
      reference.map((r) => r.total),
    ),
    oursShown: summarize(ours.map((r) => r.shown)),
    referenceShown: summarize(reference.map((r) => r.shown)),
    ratioShown: ratioSummary(
      ours.map((r) => r.shown),
      reference.map((r) => r.shown),
    ),
  };
}

// ---- set-up for the summaries ----------------------------------------------------------------------

export async function useApiKey(s: Session): Promise<void> {
  const { wb, emulator } = s;
  const text = await wb.statusItem('gemini.account').innerText();
  if (/API key/.test(text)) return;
  await dismissDialogs(wb.page);
  await setApiKeyThroughUi(wb, emulator.apiKey);
  await wb.page.waitForFunction(
    (id) => (document.querySelector(`[id="${id}"]`) as HTMLElement | null)?.innerText.includes('API key'),
    `${OUR_EXTENSION}.gemini.account`,
    { timeout: 30_000 },
  );
}

// ---- figure 3: command → first visible token ------------------------------------------------------

export interface FirstTokenPair {
  readonly ours: Summary;
  readonly reference: Summary;
  /** ours ÷ reference per run, then the median. */
  readonly ratio: Summary;
  readonly how: string;
}

/** Where one cold run's time went, in ms after the Enter (undefined: not seen). */
export interface ColdStages {
  /** The extension host logged `panel opened` (ours only). */
  readonly panelOpened?: number;
  /** The extension host logged `sending …`: credential, model choice and pre-flight done (ours only). */
  readonly requestSent?: number;
  /** The webview's outer frame started (VS Code created the webview). */
  readonly webviewCreated?: number;
  /** VS Code wrote the page's HTML into the content frame. */
  readonly htmlWritten?: number;
  /** The page's script had arrived (its resource timing's responseEnd). */
  readonly scriptLoaded?: number;
  /** The page posted `ready` (ours only). */
  readonly ready?: number;
  /** The page got its first message from the extension (ours: `start`, then the first `append`). */
  readonly firstMessage?: number;
  readonly firstAppend?: number;
  /** The first answer text / the rendered notes were in the DOM: the figure itself. */
  readonly visible: number;
}

export interface ColdRun {
  readonly run: number;
  readonly which: 'ours' | 'reference';
  /** Which of the two went first in this run (each in its own fresh window either way). */
  readonly first: boolean;
  readonly stages: ColdStages;
}

export interface FirstTokenFigure {
  /** The panel and the preview opened before in the same window (a warm-up of each first). */
  readonly warm: FirstTokenPair;
  /** A freshly reloaded window per measurement: the command is the first of its kind in it. */
  readonly cold: FirstTokenPair & { readonly listLatencyMs: number; readonly runs: ColdRun[]; readonly stages: Record<string, Summary> };
}

const SUMMARIZE = 'Gemini: Summarize Selection';
const PREVIEW = 'Markdown: Open Preview to the Side';
/** After a reload, the workbench and the extensions settle before the user's first command. */
const COLD_SETTLE_MS = 2000;

/** Enter → first answer text (ours) / the rendered notes (the preview), in the window as it is. */
async function firstTokenOnce(s: Session, which: 'ours' | 'reference'): Promise<{ t0: number; st: BenchState }> {
  const { page } = s.wb;
  await freshNotesSelection(s);
  if (which === 'ours') {
    const t0 = await runTimed(page, SUMMARIZE);
    await waitForWebview(page, t0, (x) => x.answerAt, 60_000);
    const st = await waitForWebview(page, t0, (x) => x.doneAt, 60_000);
    return { t0, st };
  }
  const t0 = await runTimed(page, PREVIEW);
  return { t0, st: await waitForWebview(page, t0, (x) => x.mdAt, 60_000) };
}

/** The "Gemini" log of the newest extension host (each reload starts one: logs/<session>/exthostN/<extension id>/). */
function newestGeminiLog(s: Session): string | undefined {
  const logs = path.join(s.server.userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  const files = readdirSync(logs, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(path.join(OUR_EXTENSION, 'Gemini.log')))
    .map((f) => path.join(logs, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Epoch ms of the first log line at or after `since` that contains `text` (lines are stamped in local time). */
function logTime(file: string | undefined, text: string, since: number): number | undefined {
  if (!file) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[\w+\] (.*)$/.exec(line);
    if (!m || !m[3]!.includes(text)) continue;
    const at = new Date(`${m[1]}T${m[2]}`).getTime();
    if (at >= since - 1) return at;
  }
  return undefined;
}

function coldStages(s: Session, which: 'ours' | 'reference', t0: number, st: BenchState): ColdStages {
  const after = (at: number | undefined) => (at && at >= t0 ? at - t0 : undefined);
  const log = which === 'ours' ? newestGeminiLog(s) : undefined;
  const panelOpened = after(logTime(log, '[results] panel opened', t0));
  const requestSent = after(logTime(log, '[summarize] sending', t0));
  return {
    ...(panelOpened !== undefined && { panelOpened }),
    ...(requestSent !== undefined && { requestSent }),
    ...(after(st.createdAt) !== undefined && { webviewCreated: after(st.createdAt) }),
    ...(after(st.innerLoadedAt) !== undefined && { htmlWritten: after(st.innerLoadedAt) }),
    ...(after(st.scriptLoadedAt) !== undefined && { scriptLoaded: after(st.scriptLoadedAt) }),
    ...(after(st.readyAt) !== undefined && { ready: after(st.readyAt) }),
    ...(after(st.firstMessageAt) !== undefined && { firstMessage: after(st.firstMessageAt) }),
    ...(after(st.firstAppendAt) !== undefined && { firstAppend: after(st.firstAppendAt) }),
    visible: (which === 'ours' ? st.answerAt : st.mdAt) - t0,
  };
}

/**
 * Cold: each measurement in a freshly reloaded window (a new extension host and a new workbench page, as when
 * VS Code starts; the browser's HTTP cache and the webview service worker stay, as they do on a desktop), so
 * each command opens the first webview of the window. Ours and the preview get a window each, in alternating
 * order. Warm: as before, after a warm-up of each, in the same window.
 */
export async function measureFirstToken(s: Session, runs: number, listLatencyMs = 0): Promise<FirstTokenFigure> {
  s.emulator.gemini.setScenario({ frames: 3 }); // the default answer, at once
  // Not counted: the first webview of a browser profile registers VS Code's webview service worker (about 2 s
  // more, once per profile, not per window: a user's browser or desktop did that long ago).
  await firstTokenOnce(s, 'ours');
  await firstTokenOnce(s, 'reference');
  const cold = { ours: [] as number[], reference: [] as number[], runs: [] as ColdRun[] };
  for (let run = 0; run < runs; run++) {
    const order: ('ours' | 'reference')[] = run % 2 ? ['reference', 'ours'] : ['ours', 'reference'];
    const got: Partial<Record<'ours' | 'reference', number>> = {};
    for (const which of order) {
      await reloadWindow(s);
      await s.wb.page.waitForTimeout(COLD_SETTLE_MS);
      // A fresh extension host lists the models once, for the first request: as slow as Google's, if asked.
      if (which === 'ours' && listLatencyMs) s.emulator.gemini.enqueue({ match: 'listModels', headerDelayMs: listLatencyMs });
      const lists = s.emulator.gemini.modelRequests('listModels').length;
      const { t0, st } = await firstTokenOnce(s, which);
      if (which === 'ours' && s.emulator.gemini.modelRequests('listModels').length === lists) s.log('    (no models.list in this window: the model was known already)');
      const stages = coldStages(s, which, t0, st);
      cold.runs.push({ run: run + 1, which, first: which === order[0], stages });
      got[which] = stages.visible;
    }
    cold.ours.push(got.ours!);
    cold.reference.push(got.reference!);
    const [a, b] = [cold.runs.at(-2)!, cold.runs.at(-1)!];
    const line = (r: ColdRun) => Object.entries(r.stages).map(([k, v]) => `${k} ${v}`).join(', ');
    s.log(`  first token, cold, run ${run + 1}: ours ${got.ours} ms, Markdown preview ${got.reference} ms`);
    s.log(`    ${a.which}: ${line(a)}`);
    s.log(`    ${b.which}: ${line(b)}`);
  }

  const warm = { ours: [] as number[], reference: [] as number[] };
  const visible = (which: 'ours' | 'reference', r: { t0: number; st: BenchState }) => (which === 'ours' ? r.st.answerAt : r.st.mdAt) - r.t0;
  // Warm-up in this window, not counted.
  await firstTokenOnce(s, 'ours');
  await firstTokenOnce(s, 'reference');
  for (let run = 0; run < runs; run++) {
    // Alternate which goes first, so a drift in the machine's load touches both alike.
    const order: ('ours' | 'reference')[] = run % 2 ? ['reference', 'ours'] : ['ours', 'reference'];
    const got: Partial<Record<'ours' | 'reference', number>> = {};
    for (const which of order) got[which] = visible(which, await firstTokenOnce(s, which));
    warm.ours.push(got.ours!);
    warm.reference.push(got.reference!);
    s.log(`  first token, warm, run ${run + 1}: ours ${got.ours} ms, Markdown preview ${got.reference} ms`);
  }
  s.emulator.gemini.setScenario(undefined);

  const stageNames = [...new Set(cold.runs.flatMap((r) => Object.keys(r.stages)))];
  const stages: Record<string, Summary> = {};
  for (const which of ['ours', 'reference'] as const) {
    for (const name of stageNames) {
      const values = cold.runs.filter((r) => r.which === which).map((r) => r.stages[name as keyof ColdStages]).filter((v): v is number => v !== undefined);
      if (values.length) stages[`${which}.${name}`] = summarize(values);
    }
  }
  const what = 'Enter in the Command Palette → first answer text in the results webview / the rendered notes.md in the Markdown preview webview';
  return {
    warm: { how: `${what}; editors closed before each run, both opened once before (not counted)`, ours: summarize(warm.ours), reference: summarize(warm.reference), ratio: ratioSummary(warm.ours, warm.reference) },
    cold: {
      how: `${what}; each in a window just reloaded (new extension host and workbench page, ${COLD_SETTLE_MS / 1000} s to settle), ours and the preview in separate windows, alternating which goes first${listLatencyMs ? `; the fake's models.list answers after ${listLatencyMs} ms` : ''}`,
      ours: summarize(cold.ours),
      reference: summarize(cold.reference),
      ratio: ratioSummary(cold.ours, cold.reference),
      listLatencyMs,
      runs: cold.runs,
      stages,
    },
  };
}

// ---- figure 4: streaming render ---------------------------------------------------------------------

export interface StreamRun {
  readonly shape: ShapeName;
  readonly bytes: number;
  readonly frames: number;
  /** `new panel`: all editors closed first, the command opens the panel; `open panel`: into the panel already shown. */
  readonly panel: 'new panel' | 'open panel';
  /** Enter → the last character is in the DOM and painted. */
  readonly totalMs: number;
  /** The result's status turned `streaming` → last character painted. */
  readonly streamMs: number;
  readonly renderedChars: number;
  readonly expectedChars: number;
  readonly complete: boolean;
}

export interface ShapeFigure {
  readonly shape: ShapeName;
  /** Enter → last character painted, new panel. */
  readonly oneMb: Summary;
  readonly twoMb: Summary;
  /** 2 MB ÷ 1 MB, per run. */
  readonly ratio: Summary;
  readonly complete: boolean;
}

export interface StreamingFigure {
  readonly runs: StreamRun[];
  readonly shapes: ShapeFigure[];
  /** The fake's own answer (ASCII lines) into the panel already open: no panel start-up. */
  readonly oneMbOpenPanel: Summary;
  readonly twoMbOpenPanel: Summary;
  readonly ratioOpenPanel: Summary;
  readonly allComplete: boolean;
}

/**
 * How long `#answer`'s textContent is once the whole answer is rendered (the fake sends exactly `text`): the text
 * webview/render/markdown.ts makes of the tokens, counted without a DOM (building one here, between measurements,
 * took gigabytes and its garbage collections slowed the measurements after it). The shapes have no images.
 */
function visibleChars(text: string): number {
  const length = (tokens: readonly MdToken[]): number =>
    tokens.reduce((n, t) => n + (t.type === 'inline' ? length(t.children ?? []) : t.type === 'softbreak' ? 1 : t.type === 'hardbreak' ? 0 : t.content.length), 0);
  return length(defaultMarkdown().parse(text, {}));
}

async function streamOnce(s: Session, shape: ShapeName, bytes: number, panel: StreamRun['panel'], timeoutMs: number): Promise<StreamRun> {
  const { page } = s.wb;
  const frames = Math.round((bytes / 1_000_000) * 2000);
  const text = answerOfShape(shape, bytes);
  s.emulator.gemini.setScenario({ text, frames });
  if (panel === 'new panel') await freshNotesSelection(s);
  const t0 = await runTimed(page, 'Gemini: Summarize Selection');
  const st = await waitForWebview(page, t0, (x) => x.paintedAt, timeoutMs);
  const expectedChars = visibleChars(text);
  const complete = st.doneLength >= expectedChars * 0.99;
  if (process.env.BENCH_STAGES) s.log(`STAGES ${shape} ${bytes} ${panel}: created ${st.createdAt - t0} inner ${st.innerLoadedAt - t0} script ${st.scriptLoadedAt - t0} ready ${st.readyAt - t0} msg ${st.firstMessageAt - t0} append ${st.firstAppendAt - t0} streaming ${st.streamingAt - t0} done ${st.doneAt - t0} painted ${st.paintedAt - t0}`);
  return { shape, bytes, frames, panel, totalMs: st.paintedAt - t0, streamMs: st.streamingAt ? st.paintedAt - st.streamingAt : Number.NaN, renderedChars: st.doneLength, expectedChars, complete };
}

/** Past this, no further streaming run starts (a slow renderer must not stretch the bench past ~15 minutes). */
const STREAMING_BUDGET_MS = 10 * 60_000;

export async function measureStreaming(s: Session, runs: number, timeoutMs: number, shapes: readonly ShapeName[] = SHAPES): Promise<StreamingFigure> {
  const all: StreamRun[] = [];
  // A freshly reloaded window (no results kept from the figures before), left to settle; then a small stream (not
  // counted) compiles the host's code paths.
  await reloadWindow(s);
  await s.wb.page.waitForTimeout(COLD_SETTLE_MS);
  await streamOnce(s, 'ascii-lines', 100_000, 'new panel', timeoutMs);
  const started = Date.now();
  for (let run = 0; run < runs; run++) {
    if (run > 0 && Date.now() - started > STREAMING_BUDGET_MS) {
      s.log(`  streaming: stopped after ${run} runs (over the ${STREAMING_BUDGET_MS / 60_000}-minute budget)`);
      break;
    }
    const got: StreamRun[] = [];
    for (const shape of shapes) {
      for (const bytes of [1_000_000, 2_000_000]) got.push(await streamOnce(s, shape, bytes, 'new panel', timeoutMs));
    }
    if (shapes.includes('ascii-lines')) {
      for (const bytes of [1_000_000, 2_000_000]) got.push(await streamOnce(s, 'ascii-lines', bytes, 'open panel', timeoutMs));
    }
    all.push(...got);
    s.log(`  streaming run ${run + 1}: ${got.map((r) => `${r.shape} ${r.bytes / 1e6} MB${r.panel === 'open panel' ? ' (open panel)' : ''} ${r.totalMs} ms${r.complete ? '' : ` (INCOMPLETE: ${r.renderedChars}/${r.expectedChars} chars)`}`).join(', ')}`);
  }
  s.emulator.gemini.setScenario(undefined);
  const pick = (shape: ShapeName, bytes: number, panel: StreamRun['panel'] = 'new panel') =>
    all.filter((r) => r.shape === shape && r.bytes === bytes && r.panel === panel).map((r) => r.totalMs);
  return {
    runs: all,
    shapes: shapes.map((shape) => ({
      shape,
      oneMb: summarize(pick(shape, 1_000_000)),
      twoMb: summarize(pick(shape, 2_000_000)),
      ratio: ratioSummary(pick(shape, 2_000_000), pick(shape, 1_000_000)),
      complete: all.filter((r) => r.shape === shape).every((r) => r.complete),
    })),
    oneMbOpenPanel: summarize(pick('ascii-lines', 1_000_000, 'open panel')),
    twoMbOpenPanel: summarize(pick('ascii-lines', 2_000_000, 'open panel')),
    ratioOpenPanel: ratioSummary(pick('ascii-lines', 2_000_000, 'open panel'), pick('ascii-lines', 1_000_000, 'open panel')),
    allComplete: all.every((r) => r.complete),
  };
}

// ---- figure 6: memory -------------------------------------------------------------------------------

export interface MemoryPoint {
  readonly label: string;
  readonly rss: number;
  readonly heapUsed?: number;
  readonly heapTotal?: number;
  readonly external?: number;
}

export interface MemoryFigure {
  readonly summaries: number;
  readonly idleMs: number;
  readonly pid: number;
  readonly heapNote?: string;
  readonly points: MemoryPoint[];
  /** Heap used after 50 summaries (after GC) − baseline, bytes. */
  readonly heapGrowth?: number;
  /** Heap used after idling (after GC) − baseline, bytes. */
  readonly heapGrowthAfterIdle?: number;
  /** Heap kept per summary between the half-way and the final sample (after GC), bytes: > 0 = retained. */
  readonly heapPerSummary?: number;
  readonly rssGrowth: number;
  readonly rssGrowthAfterIdle: number;
  /** Seconds per summary during the 50 (the palette round trip included). */
  readonly secondsPerSummary: number;
}

/** One summary into the open panel (or a new one): waits until the new result is done and painted. */
async function summarizeInto(s: Session): Promise<void> {
  await selectAllNotes(s.wb.page);
  const t0 = await runTimed(s.wb.page, 'Gemini: Summarize Selection');
  await waitForWebview(s.wb.page, t0, (x) => x.paintedAt, 60_000);
}

export async function measureMemory(s: Session, summaries: number, idleMs: number): Promise<MemoryFigure> {
  const { page } = s.wb;
  // A fresh extension host with no results kept from the figures before.
  await reloadWindow(s);
  await page.waitForTimeout(3000);
  s.emulator.gemini.setScenario(undefined);
  s.emulator.gemini.reset();
  await freshNotesSelection(s);
  await summarizeInto(s); // warm-up: the panel, the client and the renderer exist from here on
  await page.waitForTimeout(1500);
  const pid = findExtensionHost(s.server.process.pid!);
  if (!pid) throw new Error('cannot find the extension host process');
  const inspector = await Inspector.open(pid);
  const heapNote = typeof inspector === 'string' ? inspector : undefined;
  const points: MemoryPoint[] = [];
  const sample = (label: string, gc = true): MemoryPoint => {
    const h: HeapSample | undefined = typeof inspector === 'string' ? undefined : inspector.sample(gc);
    const point: MemoryPoint = { label, rss: rssBytes(pid), ...(h ? { heapUsed: h.heapUsed, heapTotal: h.heapTotal, external: h.external } : {}) };
    points.push(point);
    return point;
  };
  try {
    const baseline = sample('baseline (after 1 summary, GC)');
    const started = Date.now();
    const half = Math.floor(summaries / 2);
    for (let i = 0; i < summaries; i++) {
      await summarizeInto(s);
      if (i + 1 === half && half > 0 && half < summaries) sample(`after ${half} summaries (GC)`);
    }
    const secondsPerSummary = (Date.now() - started) / 1000 / summaries;
    sample(`after ${summaries} summaries (no GC)`, false);
    const after = sample(`after ${summaries} summaries (GC)`);
    await page.waitForTimeout(idleMs);
    const idle = sample(`after ${Math.round(idleMs / 1000)} s idle (GC)`);
    s.log(`  memory: heap ${mb(baseline.heapUsed)} → ${mb(after.heapUsed)} → ${mb(idle.heapUsed)}, RSS ${mb(baseline.rss)} → ${mb(after.rss)} → ${mb(idle.rss)}`);
    return {
      summaries,
      idleMs,
      pid,
      ...(heapNote ? { heapNote } : {}),
      points,
      ...(baseline.heapUsed !== undefined && after.heapUsed !== undefined ? { heapGrowth: after.heapUsed - baseline.heapUsed } : {}),
      ...(baseline.heapUsed !== undefined && idle.heapUsed !== undefined ? { heapGrowthAfterIdle: idle.heapUsed - baseline.heapUsed } : {}),
      ...(() => {
        const mid = points.find((p) => p.label.startsWith(`after ${Math.floor(summaries / 2)} summaries`));
        const n = summaries - Math.floor(summaries / 2);
        return mid?.heapUsed !== undefined && idle.heapUsed !== undefined && n > 0 ? { heapPerSummary: Math.round((idle.heapUsed - mid.heapUsed) / n) } : {};
      })(),
      rssGrowth: after.rss - baseline.rss,
      rssGrowthAfterIdle: idle.rss - baseline.rss,
      secondsPerSummary: Math.round(secondsPerSummary * 100) / 100,
    };
  } finally {
    if (typeof inspector !== 'string') inspector.close();
  }
}

function mb(bytes: number | undefined): string {
  return bytes === undefined ? 'n/a' : `${(bytes / 1e6).toFixed(1)} MB`;
}
