import * as assert from 'node:assert/strict';
import { e2e } from './support/hooks';
import { Workbench } from './support/workbench';

describe('installed extension in the workbench', () => {
  let wb: Workbench;

  before(async () => {
    const { context, server, workspace } = e2e();
    wb = await Workbench.open(context, server.url, workspace);
  });
  after(async () => wb?.close());

  it('activates at startup without an error notification', async () => {
    // The status bar item is created in activate(): its presence proves activation ran to the end.
    await wb.statusItem('gemini.account').waitFor({ timeout: 60_000 });
    await wb.page.waitForTimeout(1500);
    const texts = await wb.notificationTexts();
    const bad = texts.filter((t) => /gemini|activat|error/i.test(t));
    assert.deepEqual(bad, [], `unexpected notifications: ${texts.join(' | ')}`);
  });

  it('lists its commands in the Command Palette under the "Gemini" category', async () => {
    const rows = await wb.paletteRows('Gemini: ');
    for (const title of [
      'Gemini: Sign In',
      'Gemini: Sign Out',
      'Gemini: Switch Account',
      'Gemini: Configure OAuth Client',
      'Gemini: Set API Key',
      'Gemini: Remove API Key',
      'Gemini: Select Model',
      'Gemini: Show Log',
    ]) {
      assert.ok(rows.some((r) => r.startsWith(title)), `${title} in palette: ${rows.join(' | ')}`);
    }
  });
});
