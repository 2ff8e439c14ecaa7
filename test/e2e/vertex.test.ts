import * as assert from 'node:assert/strict';
import { e2e } from './support/hooks';
import { openNotesAndSelectAll, pickQuickInputRow, signInThroughBrowser, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';

describe('Vertex AI: Select Backend and a summary from a Cloud project (Chromium against code-server)', () => {
  let wb: Workbench;
  const rowTexts = () => wb.quickInputRows().evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
  const statusLabel = async () => (await wb.statusItem('gemini.account').locator('a').first().getAttribute('aria-label')) ?? '';

  before(async function () {
    this.timeout(180_000);
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await wb.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    await wb.page.waitForTimeout(1500);
    for (let i = 0; i < 3 && (await wb.page.locator('.monaco-dialog-box').isVisible()); i++) await wb.page.keyboard.press('Escape');
    await signOutEverything(wb);
    await signInThroughBrowser(wb, 'alice@example.com');
    // Earlier spec files leave scripted answers behind.
    e2e().emulator.gemini.reset();
    e2e().emulator.vertex.reset();
  });
  after(async () => wb?.close());

  it('Gemini API or Vertex AI → a project the account can see → global first; the status bar names all three', async () => {
    await wb.runCommand('Gemini: Select Backend');
    await wb.quickInputRows().filter({ hasText: 'Vertex AI' }).waitFor({ timeout: 20_000 });
    const backends = await rowTexts();
    assert.ok(backends.some((l) => l.includes('Gemini API')) && backends.some((l) => l.includes('Vertex AI')), backends.join(' | '));
    await wb.screenshot('select-backend');
    await pickQuickInputRow(wb, 'Vertex AI');

    // The projects come from projects.list (the emulator's), with type-in for any other id.
    await wb.quickInputRows().filter({ hasText: 'gemini-vertex-test' }).waitFor({ timeout: 20_000 });
    const projects = await rowTexts();
    assert.ok(projects.some((l) => l.includes('team-sandbox-42') && l.includes('Team Sandbox')), projects.join(' | '));
    await wb.screenshot('select-backend-project');
    await pickQuickInputRow(wb, 'gemini-vertex-test');

    await wb.quickInputRows().filter({ hasText: 'us-central1' }).waitFor({ timeout: 20_000 });
    const locations = await rowTexts();
    assert.match(locations[0], /global.*Gemini 3/, 'global comes first and says why');
    await pickQuickInputRow(wb, 'recommended');

    await wb.notification(/Vertex AI in project gemini-vertex-test, location global/).waitFor({ timeout: 20_000 });
    await wb.page.waitForFunction(
      (id) => (document.getElementById(id)?.querySelector('a')?.getAttribute('aria-label') ?? '').includes('Vertex AI · gemini-vertex-test · global'),
      'gemini-for-vscode.gemini-vscode.gemini.account',
      { timeout: 10_000 },
    );
    assert.match(await statusLabel(), /alice@example\.com/);
  });

  it('Summarize Selection answers from Vertex, and the answer names backend, project and location', async () => {
    const { vertex, gemini } = e2e().emulator;
    vertex.reset();
    gemini.reset();
    await openNotesAndSelectAll(wb);
    await wb.runCommand('Gemini: Summarize Selection');

    // The panel may still show an earlier answer: wait for this one's footer.
    const view = wb.webview();
    await view.locator('#usage', { hasText: 'Vertex AI · gemini-vertex-test · global (alice@example.com)' }).waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('#app').getAttribute('data-status'), 'done');
    assert.match(await view.locator('#answer').innerText(), /fake Gemini server/);
    const streamed = vertex.requests.filter((r) => r.operation === 'streamGenerateContent');
    assert.equal(streamed.length, 1);
    assert.equal(streamed[0].headers['x-goog-user-project'], 'gemini-vertex-test');
  });

  it('back to the Gemini API through the same command', async () => {
    await wb.runCommand('Gemini: Select Backend');
    await pickQuickInputRow(wb, 'Gemini API');
    await wb.page.waitForFunction(
      (id) => (document.getElementById(id)?.querySelector('a')?.getAttribute('aria-label') ?? '').includes('Gemini API'),
      'gemini-for-vscode.gemini-vscode.gemini.account',
      { timeout: 10_000 },
    );
  });
});
