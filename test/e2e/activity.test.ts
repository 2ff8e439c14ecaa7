import * as assert from 'node:assert/strict';
import type { Frame } from 'playwright-core';
import { e2e } from './support/hooks';
import { openNotesAndSelectAll, setApiKeyThroughUi, signInThroughBrowser, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';

describe('Gemini: Show Credential Activity (Chromium against code-server)', function () {
  let wb: Workbench;

  before(async function () {
    this.timeout(180_000);
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await wb.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    await wb.page.waitForTimeout(1500);
    for (let i = 0; i < 3 && (await wb.page.locator('.monaco-dialog-box').isVisible()); i++) await wb.page.keyboard.press('Escape');
    await signOutEverything(wb);
  });
  after(async () => {
    // Leave no panel behind: the next spec's page would restore it beside its own.
    if (wb) await wb.runCommand('View: Close All Editors').catch(() => undefined);
    // Nor the standard key of the screenshot: the next spec's window would start with it, and show its
    // once-per-session notice before that spec's own test.
    if (wb) await signOutEverything(wb).catch(() => undefined);
    await wb?.close();
  });

  /** The activity view's document (found by its content: the results panel may be open beside it). */
  async function activityFrame(): Promise<Frame> {
    for (let i = 0; i < 100; i++) {
      for (const frame of wb.page.frames()) {
        if (await frame.locator('main.activity').count().catch(() => 0)) return frame;
      }
      await wb.page.waitForTimeout(200);
    }
    throw new Error('the activity view did not appear');
  }

  /** Runs `action` in the view; once more if the view re-rendered under it (new data arrived meanwhile). */
  async function inView<T>(action: (view: Frame) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const view = await activityFrame();
      try {
        return await action(view);
      } catch (err) {
        if (attempt < 2 && /detached|closed/i.test(String(err))) continue;
        throw err;
      }
    }
  }

  async function openView(): Promise<void> {
    await wb.page.keyboard.press('Escape');
    await wb.runCommand('Gemini: Show Credential Activity');
    await activityFrame();
  }

  /** Closes the view by its own tab (the results panel's group has an active tab too). */
  async function closeView(): Promise<void> {
    const tab = wb.page.locator('.tabs-container .tab[data-resource-name^="webview-gemini.activity"]').first();
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 });
  }

  async function summarizeNotes(): Promise<void> {
    const { gemini } = e2e().emulator;
    const before = gemini.modelRequests('streamGenerateContent').filter((r) => r.outcome === 'completed').length;
    await openNotesAndSelectAll(wb);
    await wb.runCommand('Gemini: Summarize Selection');
    for (let i = 0; i < 150; i++) {
      if (gemini.modelRequests('streamGenerateContent').filter((r) => r.outcome === 'completed').length > before) return;
      await wb.page.waitForTimeout(200);
    }
    throw new Error('the summarize request did not complete at the emulator');
  }

  it('lists sign-in, key set and removal newest first, and the usage totals equal what Google reported', async () => {
    const { gemini, apiKey, standardApiKey } = e2e().emulator;

    // Start from nothing: "Clear Activity…" asks first.
    await openView();
    await inView((view) => view.locator('button[data-action="clear"]').click());
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 10_000 });
    assert.match(await dialog.innerText(), /Clear all Gemini credential activity and usage\?/);
    await dialog.locator('.monaco-button', { hasText: /^Clear Activity$/ }).click();
    await inView((view) => view.locator('table.events .empty-row').waitFor({ timeout: 10_000 }));
    await closeView();

    gemini.reset();
    await signInThroughBrowser(wb, 'alice@example.com');
    await summarizeNotes();
    await summarizeNotes();
    await setApiKeyThroughUi(wb, apiKey);
    await wb.notification(/API key saved/).waitFor({ timeout: 20_000 });
    await wb.runCommand('Gemini: Remove API Key');
    await wb.notification(/API key was removed/).waitFor({ timeout: 20_000 });

    await openView();
    const view = await activityFrame();
    const rows = view.locator('table.events tbody tr[data-kind]');
    await rows.first().waitFor({ timeout: 10_000 });
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind'))), ['keyRemoved', 'keySet', 'keyValidated', 'signIn']);
    assert.match(await rows.last().innerText(), /Signed in \(issued by 127\.0\.0\.1:\d+\)[\s\S]*alice@example\.com/);

    // Usage: exactly the usageMetadata the emulator sent with the two answers.
    const answered = gemini.modelRequests('streamGenerateContent').filter((r) => r.outcome === 'completed');
    assert.equal(answered.length, 2);
    const sum = (field: string) => answered.reduce((total, r) => total + (r.usage?.[field] ?? 0), 0);
    const totals = (await view.locator('#usage-total').innerText()).replace(/,/g, '');
    assert.equal(totals, `2 requests · ${sum('promptTokenCount')} prompt tokens · ${sum('candidatesTokenCount')} answer tokens · ${sum('thoughtsTokenCount')} thinking tokens`);
    assert.ok(sum('promptTokenCount') > 0 && sum('candidatesTokenCount') > 0);
    const byCredential = await view.locator('#usage-by-credential tbody tr').allInnerTexts();
    assert.equal(byCredential.length, 1);
    assert.match(byCredential[0]!, /^alice@example\.com\s+2\s/);
    assert.equal(await view.locator('svg g.day').count(), 30);

    // The credential card, active, with its scopes and times.
    const card = view.locator('article.card', { hasText: 'alice@example.com' });
    assert.match(await card.innerText(), /Active[\s\S]*cloud-platform[\s\S]*Last used/);

    // Filters: kind, then back to all; keyboard-reachable controls.
    await view.locator('#filter-kind').selectOption('keyRemoved');
    assert.equal(await rows.evaluateAll((trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).length), 1);
    await view.locator('#filter-kind').selectOption('');
    assert.equal(await rows.evaluateAll((trs) => trs.filter((tr) => !(tr as HTMLElement).hidden).length), 4);

    // For the README: the view alone, with a standard key (flagged) beside the account. The view is closed while
    // the palette is used (a webview that takes focus closes the palette).
    await closeView();
    await wb.runCommand('View: Single Column Editor Layout');
    await setApiKeyThroughUi(wb, standardApiKey);
    await wb.notification(/API key saved/).waitFor({ timeout: 20_000 });
    await openView();
    await inView((v) => v.locator('article.card.flagged .signal').first().waitFor({ timeout: 10_000 }));
    await wb.page.keyboard.press('Escape');
    await wb.page.mouse.move(0, 0);
    await wb.screenshot('activity');
    await inView((v) => v.locator('#usage-heading').evaluate((el) => el.scrollIntoView({ block: 'start' })));
    await wb.screenshot('activity-usage');
  });
});
