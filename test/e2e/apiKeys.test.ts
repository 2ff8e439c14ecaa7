import * as assert from 'node:assert/strict';
import { e2e } from './support/hooks';
import { openNotesAndSelectAll, setApiKeyThroughUi, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';

// Today's keys: AI Studio issues authorization keys (AQ.…); Google refuses the older standard keys (AIza…) with
// 401 ACCESS_TOKEN_TYPE_UNSUPPORTED. The emulator accepts both until a test tells it to refuse standard keys.
describe('API key types: a standard key Google refuses (Chromium against code-server)', () => {
  let wb: Workbench;
  const status = () => wb.statusItem('gemini.account');
  const inputMessage = () => wb.page.locator('.quick-input-widget .quick-input-message');
  const input = () => wb.page.locator('.quick-input-widget .quick-input-box input');

  before(async () => {
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await status().waitFor({ timeout: 60_000 });
    await signOutEverything(wb);
  });
  afterEach(() => e2e().emulator.gemini.reset());
  after(async () => {
    if (!wb) return;
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('View: Close All Editors').catch(() => undefined);
    await signOutEverything(wb).catch(() => undefined);
    await wb.close();
  });

  it('Set API Key: a refused standard key gets the new message in the input box and is not stored', async () => {
    const { emulator } = e2e();
    emulator.gemini.setRefuseStandardKeys(true);
    await setApiKeyThroughUi(wb, emulator.standardApiKey);
    await inputMessage().filter({ hasText: /type Google no longer accepts/ }).waitFor({ timeout: 20_000 });
    const text = await inputMessage().innerText();
    assert.match(text, /ACCESS_TOKEN_TYPE_UNSUPPORTED/);
    assert.match(text, /Create a new key in Google AI Studio/);
    assert.equal(await input().inputValue(), emulator.standardApiKey, 'what was typed stays in the box');
    await wb.screenshot('api-key-standard-refused');
    assert.match(await status().innerText(), /Gemini: Sign in/, 'the refused key was not stored');

    // An authorization key in the same box is accepted.
    await input().fill(emulator.apiKey);
    await wb.page.keyboard.press('Enter');
    await wb.notification(/API key saved/).waitFor({ timeout: 20_000 });
    await status().filter({ hasText: 'API key' }).waitFor({ timeout: 10_000 });
    assert.equal(await wb.notification(/standard key/).isVisible(), false, 'no retirement notice for an authorization key');
  });

  it('with a standard key set, a summarize shows the message with "Create Key" and "Set API Key"', async () => {
    const { emulator } = e2e();
    // Stored while Google still took it; the session's one notice says standard keys are being retired.
    // (The previous test's "saved" toast is cleared first, so the wait below sees this key's.)
    await wb.runCommand('Notifications: Clear All Notifications', { exact: false });
    await wb.notification(/API key saved/).waitFor({ state: 'detached', timeout: 10_000 });
    await setApiKeyThroughUi(wb, emulator.standardApiKey);
    // The key box stays open while Google checks the key. The status already says "API key" (the previous test's
    // key), so wait for the box itself to close: opening the palette before then would cancel the key.
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 20_000 });
    // Toasts hide one another quickly here (the notice can cover "saved"); the notification center keeps them all.
    await wb.runCommand('Notifications: Show Notifications', { exact: false });
    await wb.page.locator('.notifications-center .notification-list-item', { hasText: /API key saved/ }).first().waitFor({ timeout: 20_000 });
    const notice = wb.page.locator('.notifications-center .notification-list-item', { hasText: /standard key \(AIza…\)/ }).first();
    await notice.waitFor({ timeout: 20_000 });
    assert.match(await notice.innerText(), /Google is retiring standard keys/);
    for (const label of ['Create Key', 'Set API Key']) {
      await notice.locator('.monaco-button', { hasText: label }).first().waitFor({ timeout: 5000 });
    }
    await wb.screenshot('api-key-standard-notice');
    await wb.runCommand('Notifications: Hide Notifications', { exact: false });

    // The key worked until Google started refusing standard keys (as it did in September 2026): one summary with
    // it first, so the refusal comes from the answer's own request, not from the automatic model lookup.
    await openNotesAndSelectAll(wb);
    await wb.runCommand('Gemini: Summarize Selection');
    const view = wb.webview();
    await view.locator('#app[data-status="done"]').waitFor({ timeout: 30_000 });
    emulator.gemini.setRefuseStandardKeys(true);
    await openNotesAndSelectAll(wb);
    await wb.runCommand('Gemini: Summarize Selection');
    await view.locator('#app[data-status="error"]').waitFor({ timeout: 30_000 });
    assert.match(await view.locator('#error-message').innerText(), /type Google no longer accepts.*Create a new key in Google AI Studio/);
    const create = view.locator('#action');
    const setKey = view.locator('#secondary-action');
    assert.equal(await create.innerText(), 'Create Key');
    assert.equal(await setKey.innerText(), 'Set API Key');
    assert.equal(await create.isVisible(), true);
    assert.equal(await setKey.isVisible(), true);
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('results-standard-key-refused');

    // "Set API Key" in the panel opens the key box; a new authorization key fixes it.
    await setKey.click();
    await input().waitFor({ timeout: 20_000 });
    await input().fill(emulator.apiKey);
    await wb.page.keyboard.press('Enter');
    await wb.notification(/API key saved/).waitFor({ timeout: 20_000 });
    const sent = emulator.gemini.modelRequests('listModels').at(-1);
    assert.equal(sent?.headers['x-goog-api-key'], emulator.apiKey, 'the new key was checked with Google');
  });

});
