// Two browser windows on one code-server. In this host SecretStorage is a copy each window reads from
// localStorage once, when it opens, and other windows' changes are never announced to it (see README, "Several
// windows"). A sign-out reaches other windows through globalState instead: a window drops the session when it is
// focused, and at the latest when it next uses the credential.
import * as assert from 'node:assert/strict';
import { e2e } from './support/hooks';
import { signInThroughBrowser, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';

describe('several windows', () => {
  let a: Workbench;
  let b: Workbench | undefined;

  before(async () => {
    const { context, server, workspace } = e2e();
    a = await Workbench.open(context, server.url, workspace);
    await a.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    await signOutEverything(a);
  });
  afterEach(async () => {
    await b?.close();
    b = undefined;
  });
  after(async () => {
    await a.page.bringToFront();
    await signOutEverything(a);
    await a.close();
  });

  async function signedInBoth(): Promise<Workbench> {
    const { context, server, workspace } = e2e();
    await a.page.bringToFront();
    await signInThroughBrowser(a, 'alice@example.com');
    const other = await Workbench.open(context, server.url, workspace);
    await other.statusItem('gemini.account').filter({ hasText: 'alice@example.com' }).waitFor({ timeout: 60_000 });
    return other;
  }

  async function signOutIn(wb: Workbench): Promise<void> {
    const signedOut = wb.statusItem('gemini.account').filter({ hasText: 'Gemini: Sign in' });
    // The picker closes when its window loses focus, as VS Code's do, and the other window, still starting, can
    // take the focus of this headless browser for a moment: then open it again.
    for (let attempt = 0; attempt < 3 && !(await signedOut.isVisible()); attempt++) {
      await wb.page.bringToFront();
      await wb.runCommand('Gemini: Sign Out');
      await wb.quickInputRows().filter({ hasText: 'alice@example.com' }).first().click({ timeout: 10_000 }).catch(() => undefined);
      await signedOut.waitFor({ timeout: 10_000 }).catch(() => undefined);
    }
    await signedOut.waitFor({ timeout: 5000 });
  }

  it('a sign-out in one window: the other drops the account when it is focused', async () => {
    const { emulator } = e2e();
    b = await signedInBoth();
    const revokes = emulator.google.counters.revoke;
    await signOutIn(a);
    assert.equal(emulator.google.counters.revoke, revokes + 1);

    // Headless Chromium keeps every page "focused", so switching windows is played as the browser would: a blur,
    // then a focus with document.hasFocus() following along.
    await b.page.bringToFront();
    const signedOut = b.statusItem('gemini.account').filter({ hasText: 'Gemini: Sign in' });
    // The workbench can miss a focus change that comes while it is busy (as a real one can be missed): switch
    // away and back again, up to three times; only the focus path can update this window.
    for (let attempt = 0; attempt < 3 && !(await signedOut.isVisible()); attempt++) {
      await b.page.evaluate(async () => {
        let focused = false;
        document.hasFocus = () => focused;
        window.dispatchEvent(new FocusEvent('blur'));
        await new Promise((r) => setTimeout(r, 300));
        focused = true;
        window.dispatchEvent(new FocusEvent('focus'));
      });
      await signedOut.waitFor({ timeout: 8000 }).catch(() => undefined);
    }
    await signedOut.waitFor({ timeout: 5000 });
  });

  it('a sign-out in one window: the other, using the account before it noticed, drops it with one message and no token request', async () => {
    const { emulator } = e2e();
    b = await signedInBoth();
    await signOutIn(a);
    const tokenCalls = emulator.google.counters.token.refresh_token;
    // Still in window A: B has not been focused, so only its next use of the credential can tell it.
    await b.runCommand('Gemini: Select Model');
    await b.notification(/alice@example\.com was signed out in another window/).waitFor({ timeout: 20_000 });
    await b.statusItem('gemini.account').filter({ hasText: 'Gemini: Sign in' }).waitFor({ timeout: 20_000 });
    await b.page.waitForTimeout(2000);
    const messages = (await b.notificationTexts()).filter((t) => /signed out in another window/.test(t));
    assert.equal(messages.length, 1, messages.join('\n'));
    assert.equal(emulator.google.counters.token.refresh_token, tokenCalls);
    await b.screenshot('signed-out-in-another-window');
  });
});
