import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2e } from './support/hooks';
import { signOutEverything } from './support/flows';
import { Workbench, screenshotOf } from './support/workbench';

describe('Google sign-in, as a user does it', () => {
  let wb: Workbench;

  before(async () => {
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await wb.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    await signOutEverything(wb);
  });
  after(async () => wb?.close());

  it('signs in from the Command Palette through the browser consent page', async () => {
    const { context, emulator } = e2e();
    const before = emulator.google.counters.token.authorization_code;
    const popupPromise = context.waitForEvent('page', { timeout: 30_000 });
    await wb.runCommand('Gemini: Sign In');
    const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
    await popup.waitForLoadState('domcontentloaded');
    await popup.locator('#allow').waitFor({ timeout: 20_000 });
    assert.match(await popup.locator('body').innerText(), /Local Google emulator/);
    await screenshotOf(popup, 'signin-consent');
    await wb.screenshot('signin-progress');
    await popup.locator('#allow').click();
    await popup.waitForLoadState('domcontentloaded');
    await popup.getByText(/signed in|you can close/i).first().waitFor({ timeout: 20_000 });
    await screenshotOf(popup, 'signin-success');
    await popup.close();

    const status = wb.statusItem('gemini.account');
    await status.filter({ hasText: 'alice@example.com' }).waitFor({ timeout: 20_000 });
    await wb.notification(/Signed in to Google as alice@example.com/).waitFor({ timeout: 20_000 });
    assert.equal(emulator.google.counters.token.authorization_code, before + 1, 'one code exchange at the token endpoint');
    await wb.screenshot('status-bar-account');
  });

  it('sent every configured scope to Google byte for byte (no URL mangling by openExternal)', () => {
    const { emulator } = e2e();
    const query = emulator.google.authorizationQueries.at(-1);
    assert.ok(query, 'the browser reached the authorization endpoint');
    const params = new URLSearchParams(query);
    const expected = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/generative-language.retriever'];
    assert.deepEqual(params.get('scope')?.split(' ').sort(), [...expected].sort());
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('access_type'), 'offline');
    assert.match(params.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{22,}$/);
  });

  it('shows the account in the Accounts menu', async () => {
    await wb.page.locator('.activitybar [aria-label^="Accounts"]').first().click();
    const menu = wb.page.locator('.monaco-menu .action-label', { hasText: 'alice@example.com' });
    await menu.first().waitFor({ timeout: 10_000 });
    await wb.screenshot('accounts-menu');
    await wb.page.keyboard.press('Escape');
  });

  it('signs out from the Accounts menu: revoked at Google, and the status bar returns to "Sign in"', async () => {
    const { emulator } = e2e();
    const revokes = emulator.google.counters.revoke;
    await wb.page.locator('.activitybar [aria-label^="Accounts"]').first().click();
    const account = wb.page.locator('.monaco-menu .action-label', { hasText: 'alice@example.com' }).first();
    await account.waitFor({ timeout: 10_000 });
    await account.hover();
    const signOut = wb.page.locator('.monaco-menu .action-label', { hasText: /^Sign Out$/ }).first();
    await signOut.waitFor({ timeout: 10_000 });
    await signOut.hover();
    await wb.page.keyboard.press('Enter');
    // VS Code asks for confirmation itself before calling our removeSession.
    const dialog = wb.page.locator('.monaco-dialog-box');
    if (await dialog.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
      await dialog.locator('.monaco-button', { hasText: /Sign Out/ }).first().click();
    }
    await wb.statusItem('gemini.account').filter({ hasText: 'Gemini: Sign in' }).waitFor({ timeout: 20_000 });
    assert.equal(emulator.google.counters.revoke, revokes + 1, 'the refresh token was revoked at Google');
  });

  it('finishes sign-in from a pasted redirect URL when the browser cannot reach VS Code', async () => {
    const { context } = e2e();
    const popupPromise = context.waitForEvent('page', { timeout: 30_000 });
    await wb.runCommand('Gemini: Sign In');
    const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
    // The browser is "on another machine": its redirect to 127.0.0.1 never arrives; the user copies the address.
    let redirected = '';
    await popup.route('**/o/oauth2/v2/consent*', async (route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      redirected = answer.headers()['location'] ?? '';
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>This site can’t be reached</h1>' });
    });
    await popup.locator('#allow').waitFor({ timeout: 20_000 });
    await popup.locator('label', { hasText: 'bob@example.com' }).click();
    await popup.locator('#allow').click();
    await popup.waitForTimeout(500);
    assert.match(redirected, /^http:\/\/127\.0\.0\.1:\d+\/callback\?.*code=/);
    await popup.close();

    const offer = wb.notification(/paste the address it was redirected to/);
    await offer.waitFor({ timeout: 30_000 });
    await offer.locator('.monaco-button', { hasText: 'Paste Redirect URL…' }).click();
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    // Something that is not the redirect URL gets a precise message and is not submitted.
    await input.fill('https://example.com/not-it');
    await wb.page.locator('.quick-input-widget .quick-input-message').filter({ hasText: /redirect/i }).waitFor({ timeout: 10_000 });
    await input.fill(redirected);
    await wb.page.keyboard.press('Enter');
    await wb.statusItem('gemini.account').filter({ hasText: 'bob@example.com' }).waitFor({ timeout: 20_000 });
    await wb.runCommand('Gemini: Sign Out');
    const row = wb.quickInputRows().filter({ hasText: 'bob@example.com' }).first();
    await row.waitFor();
    await row.click();
    await wb.statusItem('gemini.account').filter({ hasText: 'Gemini: Sign in' }).waitFor({ timeout: 20_000 });
  });
});
