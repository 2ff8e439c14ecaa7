import * as assert from 'node:assert/strict';
import type { FrameLocator } from 'playwright-core';
import { e2e } from './support/hooks';
import { openNotesAndSelectAll, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';
import { EXTENSION_ID } from '../support/helpers';

const SLOW_ANSWER = Array.from({ length: 60 }, (_, i) => `Streaming line ${i + 1} of the answer.`).join('\n\n');

const RICH_ANSWER = [
  '## Summary',
  '',
  'The release makes **sign-in** work on remote hosts and refreshes tokens *before* they expire.',
  '',
  '- Loopback redirect works over SSH and in code-server',
  '- Tokens refresh early, one refresh per account',
  '',
  '| Area | Change |',
  '| --- | --- |',
  '| Auth | remote redirect |',
  '| Tokens | early refresh |',
  '',
  '```ts',
  "const session = await vscode.authentication.getSession('gemini', scopes);",
  '```',
  '',
  'See [the docs](https://ai.google.dev/gemini-api/docs).',
].join('\n');

const THOUGHTS = [
  '**Reading the release notes**',
  '',
  'Two changes: the loopback redirect on remote hosts, and tokens refreshed before they expire.',
  '',
  '**Choosing what matters**',
  '',
  'Lead with remote sign-in; the early refresh is the second point. Keep it to two bullets.',
  '',
].join('\n');

const THINKING_ANSWER = [
  'Sign-in now works on remote hosts, and tokens refresh before they expire.',
  '',
  '- Loopback redirect works on remote hosts',
  '- Tokens refresh early',
].join('\n');

// Everything a hostile model answer might try: raw HTML, event handlers, frames, script URLs, and Markdown or
// HTML dressed up as the panel's own buttons.
const HOSTILE_ANSWER = [
  '# Hostile',
  '',
  '<script>document.title = "PWNED-script"; window.parent.postMessage({type: "replace", id: "x"}, "*")</script>',
  '',
  '<img src="x" onerror="document.title = \'PWNED-img\'">',
  '',
  '<iframe src="https://example.com/"></iframe>',
  '',
  '[click me](javascript:document.title=\'PWNED-link\')',
  '',
  '[data link](data:text/html,<script>alert(1)</script>)',
  '',
  '<a href="javascript:alert(1)">raw anchor</a>',
  '',
  '<button id="copy" onclick="document.title=\'PWNED-button\'">Copy</button>',
  '',
  '[Replace Selection](#replace) [Insert at Cursor](#insert)',
  '',
  '<form action="https://example.com"><input name="q"></form>',
  '',
  '<svg onload="document.title=\'PWNED-svg\'"><circle r="5"/></svg>',
  '',
  '<style>body { display: none }</style>',
  '',
  '![tracker](https://example.com/pixel.png)',
].join('\n');

describe('Summarize Selection → streaming results panel (Chromium against code-server)', function () {
  let wb: Workbench;
  let view: FrameLocator;

  before(async function () {
    this.timeout(180_000);
    const { context, server, workspace, emulator } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await wb.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    // Earlier test files share this server's state; a dialog they leave behind (e.g. a consent prompt) would
    // make the whole workbench inert. Say what it was, then close it.
    await wb.page.waitForTimeout(1500);
    for (let i = 0; i < 3 && (await wb.page.locator('.monaco-dialog-box').isVisible()); i++) {
      console.log(`[results e2e] closing a leftover dialog: ${(await wb.page.locator('.monaco-dialog-box').innerText()).replace(/\s+/g, ' ').slice(0, 200)}`);
      await wb.page.keyboard.press('Escape');
      await wb.page.waitForTimeout(500);
    }

    await signOutEverything(wb);
    // Sign in the way a user does: "Gemini: Set API Key" and paste the key into the password box.
    await wb.runCommand('Gemini: Set API Key');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(emulator.apiKey);
    await wb.page.keyboard.press('Enter');
    await wb.page.waitForFunction(
      (id) => (document.querySelector(`[id="${id}"]`) as HTMLElement | null)?.innerText.includes('API key'),
      `${EXTENSION_ID}.gemini.account`,
      { timeout: 30_000 },
    );
    view = wb.webview();
  });
  after(async () => wb?.close());
  beforeEach(() => e2e().emulator.gemini.reset());


  async function summarizeFromContextMenu(): Promise<void> {
    const editor = wb.page.locator('.editor-group-container .monaco-editor[data-uri$="notes.md"]').first();
    await editor.locator('.view-line').first().click({ button: 'right' });
    const item = wb.page.locator('.monaco-menu .action-item .action-label', { hasText: /^Summarize Selection$/ });
    await item.first().waitFor({ timeout: 10_000 });
    await item.first().click();
    // A click that lands while the menu is still settling is dropped: then choose the item with the keyboard.
    const menu = wb.page.locator('.monaco-menu-container');
    if (!(await menu.first().waitFor({ state: 'hidden', timeout: 1500 }).then(() => true, () => false))) {
      await item.first().hover();
      await wb.page.keyboard.press('Enter');
      await menu.first().waitFor({ state: 'hidden', timeout: 5000 });
    }
  }

  /**
   * Switches the colour theme with "Preferences: Color Theme", as a user does, and waits for the workbench to
   * show it. (Workbench.setTheme typed before the theme picker had replaced the palette's list.)
   */
  async function setColorTheme(theme: string, kind: 'vs' | 'vs-dark'): Promise<void> {
    await wb.openPalette('Preferences: Color Theme');
    const row = wb.page.locator('.quick-input-widget .monaco-list-row[aria-label^="Preferences: Color Theme"]').first();
    await row.waitFor({ timeout: 20_000 });
    await row.click();
    // The theme picker lists themes; wait for it before filtering.
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor({ timeout: 20_000 });
    await wb.page.locator('.quick-input-widget .quick-input-box input').fill(theme);
    const themeRow = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first();
    await themeRow.waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator(`.monaco-workbench.${kind === 'vs' ? 'vs' : 'vs-dark'}`).waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(800);
  }

  async function waitStatus(status: string, timeout = 30_000): Promise<void> {
    await view.locator(`#app[data-status="${status}"]`).waitFor({ timeout });
  }

  it('streams the answer into the panel, Stop keeps the partial answer, Insert puts it at the cursor', async () => {
    const { gemini } = e2e().emulator;
    gemini.setScenario({ text: SLOW_ANSWER, frames: 60, frameDelayMs: 200 });
    await openNotesAndSelectAll(wb);
    await summarizeFromContextMenu();

    // The answer streams in while the Stop button is shown.
    await waitStatus('streaming');
    await view.locator('#answer', { hasText: 'Streaming line 3 of the answer.' }).waitFor({ timeout: 30_000 });
    assert.equal(await view.locator('#stop').isVisible(), true, 'Stop is shown while streaming');
    assert.equal(await view.locator('#copy').isVisible(), false, 'Copy waits for the end');
    await wb.screenshot('results-streaming');

    await view.locator('#stop').click();
    await waitStatus('stopped', 10_000);
    const request = gemini.modelRequests('streamGenerateContent').at(-1)!;
    const closed = await gemini.whenClosed(request.id);
    assert.equal(closed.outcome, 'clientClosed', 'Stop closed the connection');
    assert.ok(closed.framesSent < 60, `frames sent before Stop: ${closed.framesSent}`);
    const body = JSON.stringify(request.json);
    assert.ok(body.includes('The loopback redirect now works on remote hosts.'), 'the selection was sent');

    const partial = await view.locator('#answer').innerText();
    assert.ok(partial.includes('Streaming line 1 of the answer.'), partial.slice(0, 200));
    assert.ok(!partial.includes('Streaming line 60 of the answer.'), 'the answer is partial');
    assert.match(await view.locator('#status').innerText(), /Stopped/);

    // Insert at the cursor of the original editor (the whole file was selected: the cursor is at its end).
    await view.locator('#insert').click();
    const editorLines = wb.page.locator('.editor-group-container .monaco-editor[data-uri$="notes.md"] .view-lines').first();
    await editorLines.filter({ hasText: 'Streaming line 1 of the answer.' }).waitFor({ timeout: 10_000 });
    // Undo in the editor: the click on Insert left the focus in the panel, where neither Ctrl+Z nor the next
    // test's F1 reaches the workbench.
    await editorLines.click();
    await wb.page.keyboard.press('Control+Z');
    await editorLines.filter({ hasText: 'Streaming line 1 of the answer.' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('renders Markdown (headings, lists, tables, code with language classes) with model and usage, in dark and light themes', async () => {
    const { gemini } = e2e().emulator;
    gemini.setScenario({ text: RICH_ANSWER, frames: 8, frameDelayMs: 30 });
    await setColorTheme('Dark Modern', 'vs-dark');
    await openNotesAndSelectAll(wb);
    await summarizeFromContextMenu();
    await waitStatus('done');
    const answer = view.locator('#answer');
    assert.equal(await answer.locator('h2').innerText(), 'Summary');
    assert.equal(await answer.locator('li').count(), 2);
    assert.equal(await answer.locator('table tr').count(), 3);
    assert.equal(await answer.locator('pre code.language-ts').count(), 1);
    assert.equal(await answer.locator('a.md-link[data-href="https://ai.google.dev/gemini-api/docs"]').count(), 1);
    assert.match(await view.locator('#usage').innerText(), /Model: gemini-3\.8-flash.*Tokens: [\d,]+ prompt \+ [\d,]+ answer( \+ [\d,]+ thinking)? = [\d,]+ total/);
    for (const id of ['copy', 'insert', 'replace']) assert.equal(await view.locator(`#${id}`).isVisible(), true, `#${id} visible`);
    assert.equal(await view.locator('#stop').isVisible(), false);
    // The list's rows are built when it is opened.
    await view.locator('#history summary').click();
    await view.locator('#history .history-item').nth(1).waitFor({ timeout: 10_000 });
    await view.locator('#history summary').click();
    await view.locator('#history .history-item').first().waitFor({ state: 'detached', timeout: 10_000 });
    await view.locator('body.vscode-dark').waitFor({ timeout: 15_000 });
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('results-dark');

    await setColorTheme('Light Modern', 'vs');
    await view.locator('body.vscode-light').waitFor({ timeout: 15_000 });
    await wb.page.waitForTimeout(500);
    await wb.screenshot('results-light');
    await setColorTheme('Dark Modern', 'vs-dark');
  });

  it('a thinking model: collapsed Thinking section above a clean answer, openable while it streams; Insert puts only the answer', async () => {
    const { gemini } = e2e().emulator;
    gemini.setScenario({ text: THINKING_ANSWER, thoughts: THOUGHTS, thoughtFrames: 16, frames: 6, frameDelayMs: 200 });
    await openNotesAndSelectAll(wb);
    await summarizeFromContextMenu();

    // While the model thinks: a collapsed section that says so, and no answer yet.
    const thoughts = view.locator('#thoughts');
    const summary = view.locator('#thoughts-summary');
    await summary.filter({ hasText: 'Thinking…' }).waitFor({ timeout: 30_000 });
    assert.equal(await thoughts.evaluate((d) => (d as HTMLDetailsElement).open), false, 'collapsed');
    assert.equal(await view.locator('#thoughts-body').isVisible(), false);
    assert.equal(await view.locator('#answer').innerText(), '');
    const request = gemini.modelRequests('streamGenerateContent').at(-1)!;
    assert.equal((request.json as { generationConfig?: { thinkingConfig?: { includeThoughts?: boolean } } }).generationConfig?.thinkingConfig?.includeThoughts, true);

    // Opened while streaming, it stays open as thoughts and then the answer arrive.
    await summary.click();
    await view.locator('#thoughts-body', { hasText: 'Reading the release notes' }).waitFor({ timeout: 10_000 });
    await view.locator('#answer', { hasText: 'Sign-in now works' }).waitFor({ timeout: 30_000 });
    assert.equal(await thoughts.evaluate((d) => (d as HTMLDetailsElement).open), true, 'still open after updates');
    await waitStatus('done');
    assert.match(await summary.innerText(), /^Thought for (\d+ s|less than a second) · [\d,]+ thinking tokens$/);
    assert.match(await view.locator('#usage').innerText(), /Tokens: [\d,]+ prompt \+ [\d,]+ answer \+ [\d,]+ thinking = [\d,]+ total/);
    const answer = await view.locator('#answer').innerText();
    assert.doesNotMatch(answer, /Reading the release notes|Choosing what matters/, 'the answer is clean');
    assert.equal(await view.locator('#thoughts-body strong').count(), 2, 'thoughts rendered as Markdown');
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('results-thinking');

    // The keyboard closes it again (a real <summary>).
    await summary.focus();
    await wb.page.keyboard.press('Enter');
    assert.equal(await thoughts.evaluate((d) => (d as HTMLDetailsElement).open), false);

    await view.locator('#insert').click();
    const editorLines = wb.page.locator('.editor-group-container .monaco-editor[data-uri$="notes.md"] .view-lines').first();
    await editorLines.filter({ hasText: 'Sign-in now works on remote hosts' }).waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await editorLines.innerText(), /Reading the release notes|Choosing what matters/, 'Insert puts only the answer');
    // Undo in the editor (the focus is still in the panel), so the specs after this one start from the same file.
    await editorLines.click();
    await wb.page.keyboard.press('Control+Z');
    await editorLines.filter({ hasText: 'Sign-in now works on remote hosts' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('hostile answers: nothing live gets through to the webview DOM', async () => {
    const { gemini } = e2e().emulator;
    gemini.setScenario({ text: HOSTILE_ANSWER, frames: 5, frameDelayMs: 20 });
    const dialogs: string[] = [];
    wb.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openNotesAndSelectAll(wb);
    await summarizeFromContextMenu();
    await waitStatus('done');
    await wb.page.waitForTimeout(500);

    const report = await view.locator('#answer').evaluate((answer) => {
      const all = [...answer.querySelectorAll('*')];
      return {
        title: document.title,
        scripts: document.querySelectorAll('#app script').length,
        answerScripts: answer.querySelectorAll('script').length,
        iframes: answer.querySelectorAll('iframe, frame, object, embed').length,
        forms: answer.querySelectorAll('form, input, button, textarea, select').length,
        styles: answer.querySelectorAll('style, link').length,
        svg: answer.querySelectorAll('svg').length,
        imgs: answer.querySelectorAll('img').length,
        hrefs: all.filter((e) => e.hasAttribute('href') || e.hasAttribute('src') || e.hasAttribute('action')).map((e) => e.outerHTML),
        handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
        ids: all.filter((e) => e.id && e.id !== 'answer-tail').map((e) => e.id),
        dataHrefs: [...answer.querySelectorAll('[data-href]')].map((e) => e.getAttribute('data-href')),
        copyButtons: document.querySelectorAll('#copy').length,
        text: (answer as HTMLElement).innerText,
      };
    });
    assert.doesNotMatch(report.title, /PWNED/, 'no script ran');
    assert.equal(report.scripts, 0, 'no script element inside the panel');
    assert.equal(report.answerScripts, 0);
    assert.equal(report.iframes, 0);
    assert.equal(report.forms, 0, 'no form controls (no fake buttons) in the answer');
    assert.equal(report.styles, 0);
    assert.equal(report.svg, 0);
    assert.equal(report.imgs, 0, 'no remote images');
    assert.deepEqual(report.hrefs, [], 'nothing in the answer loads or navigates by itself');
    assert.deepEqual(report.handlers, [], 'no event handler attributes');
    assert.deepEqual(report.ids, [], 'the answer cannot claim the panel’s ids');
    for (const href of report.dataHrefs) assert.match(href ?? '', /^(https?:|mailto:)/i, `link target ${href}`);
    assert.equal(report.copyButtons, 1, 'exactly one real Copy button');
    assert.match(report.text, /<script>/, 'raw HTML is shown as text');
    assert.deepEqual(dialogs, []);

    // Clicking the neutralised javascript: link does nothing (no dialog, no navigation, title unchanged).
    const fake = view.locator('#answer', { hasText: 'click me' }).getByText('click me').first();
    if (await fake.count()) await fake.click();
    await wb.page.waitForTimeout(300);
    assert.doesNotMatch(await view.locator('#answer').evaluate(() => document.title), /PWNED/);
    assert.equal(await view.locator('#app').getAttribute('data-status'), 'done');
    await wb.screenshot('results-hostile');
  });
});
