import * as assert from 'node:assert/strict';
import { e2e } from './support/hooks';
import { pickQuickInputRow, setApiKeyThroughUi, signInThroughBrowser, signOutEverything } from './support/flows';
import { Workbench } from './support/workbench';

describe('status bar, account switcher and walkthrough', () => {
  let wb: Workbench;
  const status = () => wb.statusItem('gemini.account');

  before(async () => {
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
    await status().waitFor({ timeout: 60_000 });
    await signOutEverything(wb);
  });
  after(async () => wb?.close());

  it('shows "Gemini: Sign in" when signed out, with a tooltip naming the model (automatic) and the emulator', async () => {
    await status().filter({ hasText: 'Gemini: Sign in' }).waitFor();
    const label = (await status().locator('a').first().getAttribute('aria-label')) ?? (await status().getAttribute('aria-label')) ?? '';
    assert.match(label, /Model: automatic/);
    assert.match(label, /local emulator/);
    await wb.screenshot('status-bar-signed-out');
  });

  it('opens the "Get started with Gemini" walkthrough with its four steps', async () => {
    await openWalkthrough(wb);
    const steps = await walkthroughSteps(wb);
    assert.deepEqual(
      steps.map((x) => x.title),
      ['Configure an OAuth client or set an API key', 'Sign in', 'Select text and summarize', 'Choose a model'],
    );
    assert.equal(steps.find((x) => x.title === 'Sign in')?.done, false);
    await wb.screenshot('walkthrough');
    await wb.closeActiveEditor();
  });

  it('Set API Key: a rejected key is not stored and Google\'s reason is shown; a good key switches the status', async () => {
    await setApiKeyThroughUi(wb, 'AIzaThisKeyIsNotKnownToTheEmulator000000');
    const message = wb.page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: /API_KEY_INVALID/ }).waitFor({ timeout: 20_000 });
    // Nothing typed is lost: the rejected key is still in the box to correct.
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    assert.equal(await input.inputValue(), 'AIzaThisKeyIsNotKnownToTheEmulator000000');
    assert.match(await status().innerText(), /Gemini: Sign in/);
    await input.fill(e2e().emulator.apiKey);
    await wb.page.keyboard.press('Enter');
    await wb.notification(/API key saved/).waitFor({ timeout: 20_000 });
    await status().filter({ hasText: 'API key' }).waitFor({ timeout: 10_000 });
    await wb.screenshot('status-bar-api-key');
  });

  it('the switcher lists two Google accounts and the key, marks the active one, and switches at once', async () => {
    await signInThroughBrowser(wb, 'alice@example.com');
    await signInThroughBrowser(wb, 'bob@example.com');
    await status().filter({ hasText: 'bob@example.com' }).waitFor({ timeout: 10_000 });
    // The screenshot shows the switcher, not the confirmations of the two sign-ins before it.
    await wb.clearNotifications();

    await status().click();
    const rows = wb.quickInputRows();
    await rows.first().waitFor();
    const labels = await rows.evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    for (const expected of ['alice@example.com', 'bob@example.com', 'API key', 'Add Google account…', 'Replace API key…', 'Select model…', 'Sign out…']) {
      assert.ok(labels.some((l) => l.includes(expected)), `${expected} in ${labels.join(' | ')}`);
    }
    assert.ok(labels.some((l) => l.includes('bob@example.com') && l.includes('active')), 'the active account is marked');
    await wb.screenshot('account-switcher');
    await pickQuickInputRow(wb, 'alice@example.com');
    await status().filter({ hasText: 'alice@example.com' }).waitFor({ timeout: 10_000 });

    // Keyboard only: open with the command, move to the key, Enter.
    await wb.runCommand('Gemini: Switch Account');
    await wb.quickInputRows().first().waitFor();
    await wb.page.locator('.quick-input-widget .quick-input-box input:focus').waitFor();
    await wb.page.keyboard.type('API key');
    await wb.quickInputRows().filter({ hasText: 'Replace API key' }).waitFor();
    await wb.page.keyboard.press('Enter');
    await status().filter({ hasText: 'API key' }).waitFor({ timeout: 20_000 });
  });



  it('Select Model offers Automatic first, lists only generateContent models with their token limits, and saves the choice', async () => {
    const statusLabel = (id: string) =>
      wb.page.waitForFunction(
        (expected) => (document.getElementById('gemini-for-vscode.gemini-vscode.gemini.account')?.querySelector('a')?.getAttribute('aria-label') ?? '').includes(expected),
        id,
        { timeout: 10_000 },
      );
    const filter = wb.page.locator('.quick-input-widget .quick-input-box input');
    await wb.runCommand('Gemini: Select Model');
    await wb.quickInputRows().filter({ hasText: 'Gemini 3.8 Flash' }).first().waitFor({ timeout: 20_000 });
    const labels = await wb.quickInputRows().evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    assert.match(labels[0], /^Automatic \(currently gemini-3\.8-flash\).*current/, `Automatic first, marked as the current choice: ${labels.join(' | ')}`);
    assert.match(labels[1], /^Gemini 3\.9 Flash Experimental/, `newest versions next: ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => /^Gemini 3\.8 Flash\s*gemini-3\.8-flash Input 1M tokens · output 66K tokens/.test(l)), labels.join(' | '));
    assert.ok(!labels.some((l) => /Embedding|Imagen|Live/.test(l)), `models without generateContent are hidden: ${labels.join(' | ')}`);
    await wb.screenshot('select-model');
    await filter.fill('gemini-3.5-pro');
    await pickQuickInputRow(wb, 'Gemini 3.5 Pro');
    await statusLabel('Model: gemini-3.5-pro');

    // The pinned model is marked; Automatic brings the default back.
    await wb.runCommand('Gemini: Select Model');
    await wb.quickInputRows().first().waitFor({ timeout: 20_000 });
    await filter.fill('gemini-3.5-pro');
    await wb.quickInputRows().filter({ hasText: 'gemini-3.5-pro · current' }).waitFor({ timeout: 20_000 });
    await filter.fill('');
    await pickQuickInputRow(wb, 'Automatic (currently gemini-3.8-flash)');
    await statusLabel('Model: gemini-3.8-flash (automatic)');
  });

  it('the walkthrough\'s "Sign in" step completed on the real sign-in', async () => {
    await openWalkthrough(wb);
    const steps = await walkthroughSteps(wb);
    assert.equal(steps.find((x) => x.title === 'Sign in')?.done, true, JSON.stringify(steps));
    assert.equal(steps.find((x) => x.title === 'Choose a model')?.done, true, JSON.stringify(steps));
    await wb.closeActiveEditor();
  });
});

async function openWalkthrough(wb: Workbench): Promise<void> {
  await wb.runCommand('Welcome: Open Walkthrough...', { exact: false });
  await pickQuickInputRow(wb, 'Get started with Gemini');
  await wb.page.locator('.gettingStartedContainer .getting-started-step').first().waitFor({ timeout: 20_000 });
}

async function walkthroughSteps(wb: Workbench): Promise<Array<{ title: string; done: boolean }>> {
  const boxes = wb.page.locator('.gettingStartedContainer .getting-started-step [role=checkbox]');
  return boxes.evaluateAll((els) =>
    els.map((e) => {
      const label = e.getAttribute('aria-label') ?? '';
      return { title: label.replace(/: (Not )?[Cc]ompleted$/, ''), done: e.getAttribute('aria-checked') === 'true' };
    }),
  );
}
