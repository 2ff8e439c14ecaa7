// User journeys several specs need, done through the UI exactly as a user would.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2e } from './hooks';
import type { Workbench } from './workbench';

/** "Gemini: Sign In" → the browser tab → pick the test user on the emulator's consent page → Allow. */
export async function signInThroughBrowser(wb: Workbench, email: string): Promise<void> {
  const popupPromise = e2e().context.waitForEvent('page', { timeout: 30_000 });
  await wb.runCommand('Gemini: Sign In');
  const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
  await popup.locator('#allow').waitFor({ timeout: 20_000 });
  await popup.locator('label', { hasText: email }).click();
  await popup.locator('#allow').click();
  await popup.getByText(/signed in|you can close/i).first().waitFor({ timeout: 20_000 });
  await popup.close();
  // The newest sign-in becomes the active account (toasts can hide one another; the status bar cannot).
  await wb.statusItem('gemini.account').filter({ hasText: email }).waitFor({ timeout: 20_000 });
  await signInEnded(wb);
}

/** The sign-in's progress notification, which carries the fallback links while the sign-in waits. */
export function signInProgress(wb: Workbench) {
  return wb.notification(/Signing in to Google/);
}

/**
 * Waits until the sign-in's own UI is gone, then checks that nothing about it stayed: no notification toast about it,
 * no input box, and the fallback commands are out of the Command Palette again.
 */
export async function signInEnded(wb: Workbench): Promise<void> {
  await signInProgress(wb).waitFor({ state: 'hidden', timeout: 10_000 });
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  const stale = (await wb.notificationTexts()).filter((t) => /Signing in to Google|Redirect URL|sign-in link|Still signing in/i.test(t));
  assert.deepEqual(stale, [], 'no notification about the ended sign-in');
  assert.equal(await wb.paletteOffers(PASTE_REDIRECT_URL), false, 'the fallback commands are only offered while a sign-in waits');
}

export const PASTE_REDIRECT_URL = 'Gemini: Paste Sign-In Redirect URL…';
export const COPY_SIGN_IN_LINK = 'Gemini: Copy Sign-In Link';

/** "Gemini: Set API Key" → type into the password box → Enter. */
export async function setApiKeyThroughUi(wb: Workbench, key: string): Promise<void> {
  await wb.runCommand('Gemini: Set API Key');
  // The key's own box is a password input; waiting for any input could catch the palette's before it is replaced.
  const input = wb.page.locator('.quick-input-widget .quick-input-box input[type="password"]');
  await input.waitFor({ timeout: 20_000 });
  await input.fill(key);
  await wb.page.keyboard.press('Enter');
}

export async function pickQuickInputRow(wb: Workbench, text: string | RegExp): Promise<void> {
  const row = wb.quickInputRows().filter({ hasText: text }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
}

/**
 * Back to a signed-out workbench, through the commands a user has: every Google account signed out (revoked)
 * and the key removed. Spec files share one server, so each starts with this; it fails loudly if it cannot.
 */
export async function signOutEverything(wb: Workbench): Promise<void> {
  const status = wb.statusItem('gemini.account');
  for (let i = 0; i < 8; i++) {
    await wb.page.keyboard.press('Escape');
    if (/Sign in/.test(await status.innerText())) return;
    await wb.runCommand('Gemini: Sign Out');
    // The picker, not the palette row that opened it. It closes on its own when the window loses focus (a restored
    // webview in a freshly opened window can take it): then the next round opens it again.
    const shown = await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Gemini: Sign Out' }).waitFor({ timeout: 20_000 }).then(() => true, () => false);
    if (shown) await wb.quickInputRows().first().click({ timeout: 10_000 }).catch(() => undefined);
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.page.waitForTimeout(1000);
  }
  throw new Error(`could not sign everything out; the status bar still says "${await status.innerText()}"`);
}

/**
 * Opens the workspace's notes.md with "Go to File" and selects all of it, ready for Summarize. It waits until the
 * editor draws the selection: on a slow machine a click can land while "Go to File" is still closing, Ctrl+A then
 * selects nothing, and Summarize would ask (in a modal) whether to use the whole document.
 */
export async function openNotesAndSelectAll(wb: Workbench): Promise<void> {
  await wb.page.keyboard.press('Escape');
  await wb.runCommand('Go to File', { exact: false });
  await wb.page.keyboard.type('notes.md');
  // Click the file's own row. Enter would open whichever row has focus, and a recently opened editor such as
  // "Summary of notes.md" also contains the text and can be listed first while the typed text is being matched.
  const fileName = wb.page.locator('.label-name', { hasText: /^notes\.md$/ });
  await wb.quickInputRows().filter({ has: fileName }).first().click();
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  const editor = wb.page.locator('.editor-group-container .monaco-editor[data-uri$="notes.md"]').first();
  await editor.waitFor({ timeout: 20_000 });
  const selection = editor.locator('.view-overlays .selected-text').first();
  for (let attempt = 0; attempt < 3; attempt++) {
    await editor.locator('.view-lines').click();
    await wb.page.keyboard.press('Control+A');
    if (await selection.waitFor({ timeout: 5000 }).then(() => true, () => false)) return;
  }
  throw new Error('notes.md is open but Ctrl+A selected nothing');
}
