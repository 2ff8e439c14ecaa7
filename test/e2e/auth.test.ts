import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2e } from './support/hooks';
import { COPY_SIGN_IN_LINK, openNotesAndSelectAll, PASTE_REDIRECT_URL, signInEnded, signInProgress, signOutEverything } from './support/flows';
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
    // While the sign-in waits, its progress notification links the fallback, and the palette offers it too.
    const progress = signInProgress(wb);
    await progress.locator('a', { hasText: 'Copy sign-in link' }).waitFor({ timeout: 10_000 });
    await progress.locator('a', { hasText: 'Paste Redirect URL…' }).waitFor();
    await wb.screenshot('signin-progress');
    assert.equal(await wb.paletteOffers(PASTE_REDIRECT_URL), true, 'Paste Redirect URL is in the palette while the sign-in waits');
    assert.equal(await wb.paletteOffers(COPY_SIGN_IN_LINK), true, 'Copy Sign-In Link is in the palette while the sign-in waits');
    await popup.bringToFront();
    await popup.locator('#allow').click();
    await popup.waitForLoadState('domcontentloaded');
    await popup.getByText(/signed in|you can close/i).first().waitFor({ timeout: 20_000 });
    await screenshotOf(popup, 'signin-success');
    await popup.close();

    const status = wb.statusItem('gemini.account');
    await status.filter({ hasText: 'alice@example.com' }).waitFor({ timeout: 20_000 });
    await wb.notification(/Signed in to Google as alice@example.com/).waitFor({ timeout: 20_000 });
    assert.equal(emulator.google.counters.token.authorization_code, before + 1, 'one code exchange at the token endpoint');
    await signInEnded(wb);
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

  it('finishes sign-in from another machine: "Copy sign-in link" gives the full Google address, the pasted redirect signs in', async () => {
    const { context, server, emulator } = e2e();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const popupPromise = context.waitForEvent('page', { timeout: 30_000 });
    await wb.runCommand('Gemini: Sign In');
    const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
    // A tab on this machine reaches Google through the loopback /signin link; a browser elsewhere could not open that.
    await popup.locator('#allow').waitFor({ timeout: 20_000 });
    await popup.close();

    await wb.page.bringToFront();
    await signInProgress(wb).locator('a', { hasText: 'Copy sign-in link' }).click();
    // The paste box opens at once, saying the link is on the clipboard.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await wb.page.locator('.quick-input-widget', { hasText: /sign-in link is on the clipboard/ }).waitFor({ timeout: 10_000 });
    const link = await wb.clipboardText();
    const copied = new URL(link);
    assert.equal(`${copied.origin}${copied.pathname}`, emulator.google.endpoints.authorization, 'the Google authorization endpoint itself, not the loopback link');
    const sent = new URLSearchParams(emulator.google.authorizationQueries.at(-1));
    for (const name of ['client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'access_type', 'prompt']) {
      assert.equal(copied.searchParams.get(name), sent.get(name), `${name} as in this sign-in's request`);
    }
    assert.ok(!copied.searchParams.has('code_verifier'), 'never the PKCE verifier');

    // The browser "on another machine" opens the copied link; its redirect to 127.0.0.1 never arrives there.
    const remote = await context.newPage();
    let redirected = '';
    await remote.route('**/o/oauth2/v2/consent*', async (route) => {
      const answer = await route.fetch({ maxRedirects: 0 });
      redirected = answer.headers()['location'] ?? '';
      await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<h1>This site cannot be reached</h1>' });
    });
    await remote.goto(link);
    await remote.locator('#allow').waitFor({ timeout: 20_000 });
    await remote.locator('label', { hasText: 'bob@example.com' }).click();
    await remote.locator('#allow').click();
    await remote.getByText('This site cannot be reached').waitFor({ timeout: 20_000 });
    assert.match(redirected, /^http:\/\/127\.0\.0\.1:\d+\/callback\?.*code=/);
    await remote.close();

    await wb.page.bringToFront();
    // Something that is not the redirect URL gets a precise message and is not submitted.
    await input.fill('https://example.com/not-it');
    await wb.page.locator('.quick-input-widget .quick-input-message').filter({ hasText: /redirect/i }).waitFor({ timeout: 10_000 });
    await input.fill(redirected);
    await wb.page.keyboard.press('Enter');
    await wb.statusItem('gemini.account').filter({ hasText: 'bob@example.com' }).waitFor({ timeout: 20_000 });
    await signInEnded(wb);
    await signOutEverything(wb);
  });

  it('a cancelled sign-in takes its fallback with it: the open paste box closes, nothing stays on screen', async () => {
    const { context } = e2e();
    const popupPromise = context.waitForEvent('page', { timeout: 30_000 });
    await wb.runCommand('Gemini: Sign In');
    const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
    await popup.close();
    await wb.page.bringToFront();
    await signInProgress(wb).locator('a', { hasText: 'Paste Redirect URL…' }).click();
    await wb.page.locator('.quick-input-widget', { hasText: /Paste the redirect URL/ }).waitFor({ timeout: 10_000 });
    await signInProgress(wb).locator('.monaco-button', { hasText: 'Cancel' }).click();
    await signInEnded(wb);
    assert.match(await wb.statusItem('gemini.account').innerText(), /Gemini: Sign in/);
  });

  it('Summarize without a credential, with an OAuth client configured: "Sign in with Google…" signs in directly', async () => {
    const { context } = e2e();
    await openNotesAndSelectAll(wb);
    await wb.runCommand('Gemini: Summarize Selection');
    await wb.quickInputRows().filter({ hasText: 'Sign in with Google…' }).waitFor({ timeout: 20_000 });
    const placeholder = (await wb.page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '';
    assert.doesNotMatch(placeholder, /No Google OAuth client/, 'the client the user configured is not denied');
    const rows = await wb.quickInputRows().evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    assert.match(rows[0] ?? '', /Sign in with Google…/, rows.join(' | '));
    assert.doesNotMatch(rows.join(' | '), /Configure your own Google Cloud OAuth client/, 'no detour through Configure OAuth Client');

    const popupPromise = context.waitForEvent('page', { timeout: 30_000 });
    await wb.page.keyboard.press('Enter');
    const popup: Page = await Promise.race([popupPromise, wb.confirmOpenExternalIfAsked().then(() => popupPromise)]);
    await popup.locator('#allow').waitFor({ timeout: 20_000 });
    await popup.locator('#allow').click();
    await popup.getByText(/signed in|you can close/i).first().waitFor({ timeout: 20_000 });
    await popup.close();
    await wb.statusItem('gemini.account').filter({ hasText: 'alice@example.com' }).waitFor({ timeout: 20_000 });
    // The summary the user asked for follows the sign-in, without running the command again.
    await wb.webview().locator('#app[data-status="done"]').waitFor({ timeout: 30_000 });
    await wb.runCommand('View: Close All Editors');
    await signOutEverything(wb);
  });
});

