// Drives the real VS Code workbench (code-server) in Debian's Chromium. Selectors follow
// ../shared/VSCODE-HOST.md; helpers here are the only place that knows the workbench's DOM.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/lib/codeServer';
import { EXTENSION_ID } from '../../support/helpers';
export const screenshotDir = path.join(repoRoot, 'docs', 'screenshots');

/** Saves a screenshot of any page (the workbench, or a browser tab it opened) to docs/screenshots/. */
export async function screenshotOf(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // Fade-ins and fade-outs finished: the state itself, not a moment of a transition.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

export class Workbench {
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(context: BrowserContext, url: string, folder: string, theme?: string): Promise<Workbench> {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const wb = new Workbench(context, page);
    if (theme) await wb.setTheme(theme);
    return wb;
  }

  async setTheme(theme: string): Promise<void> {
    await this.runCommand('Preferences: Color Theme', { exact: false });
    await this.page.keyboard.type(theme);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens the Command Palette, types the title and runs the first row that matches it. */
  async runCommand(title: string, opts: { exact?: boolean } = {}): Promise<void> {
    await this.openPalette(title);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 20_000 });
    if (opts.exact !== false) {
      const label = (await row.getAttribute('aria-label')) ?? '';
      if (!label.includes(title)) throw new Error(`palette row "${label}" does not match "${title}"`);
    }
    await this.page.keyboard.press('Enter');
  }

  async openPalette(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    const shown = (timeout: number) => input.waitFor({ state: 'visible', timeout }).then(() => true, () => false);
    // No click to focus first: it could land in an editor and clear a selection a test relies on. When F1 does
    // not reach the workbench (focus inside a webview or the walkthrough), open it from the command center.
    // Each is tried once and given time: pressing again would toggle a palette that is merely slow to show.
    // A palette opened while a webview still had focus can close again at once (the webview takes its focus back):
    // then it is opened once more.
    for (let attempt = 1; ; attempt++) {
      if (attempt === 1 || !(await input.isVisible())) {
        await this.page.keyboard.press('F1');
        if (!(await shown(8000))) {
          await this.page.locator('.command-center .search-label, .command-center-center').first().click().catch(() => undefined);
          await shown(8000);
        }
      }
      const filled = await input.fill(`>${text}`, { timeout: attempt < 3 ? 5000 : 30_000 }).then(() => true, (err: unknown) => (attempt < 3 ? false : Promise.reject(err)));
      if (filled) return;
    }
  }

  /** Labels of the Command Palette rows currently listed for `text`. */
  async paletteRows(text: string): Promise<string[]> {
    await this.openPalette(text);
    const rows = this.page.locator('.quick-input-widget .monaco-list-row');
    await rows.first().waitFor({ timeout: 20_000 });
    await this.page.waitForTimeout(300);
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? (e as HTMLElement).innerText));
    await this.page.keyboard.press('Escape');
    return labels;
  }

  /** Whether the Command Palette offers a command with this title now (a `when` clause can hide it). */
  async paletteOffers(title: string): Promise<boolean> {
    await this.openPalette(title);
    const row = this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    const found = await row.waitFor({ timeout: 3000 }).then(() => true, () => false);
    await this.page.keyboard.press('Escape');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    return found;
  }

  /**
   * Answers VS Code's link protection ("Do you want Code to open the external website?") with Open, when it
   * asks: it does for untrusted domains, not for loopback links code-server forwards through its own origin.
   */
  async confirmOpenExternalIfAsked(timeoutMs = 3000): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box');
    const shown = await dialog.waitFor({ timeout: timeoutMs }).then(() => true, () => false);
    if (!shown) return;
    if (!/open the external website/i.test(await dialog.innerText())) throw new Error(`unexpected dialog: ${await dialog.innerText()}`);
    await dialog.locator('.monaco-button', { hasText: /^Open$/ }).click();
  }

  /** Closes the active editor tab with its own close button (no palette, no keyboard focus needed). */
  async closeActiveEditor(): Promise<void> {
    const tab = this.page.locator('.tabs-container .tab.active');
    await tab.hover();
    await tab.locator('.tab-actions .action-label').first().click();
    await tab.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  quickInputRows() {
    return this.page.locator('.quick-input-widget .monaco-list-row');
  }

  async notificationTexts(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  notification(text: string | RegExp) {
    return this.page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
  }

  /** Clears every notification (as "Notifications: Clear All Notifications" does), for a screenshot of a clean state. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
    await this.page.locator('.notifications-toasts .notification-list-item').first().waitFor({ state: 'hidden', timeout: 10_000 });
  }

  /** The text on the browser clipboard (the context must have been granted clipboard-read for the workbench). */
  async clipboardText(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }

  statusItem(itemId: string) {
    return this.page.locator(`[id="${EXTENSION_ID}.${itemId}"]`);
  }

  /** The results webview's inner document. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  async screenshot(name: string): Promise<string> {
    return screenshotOf(this.page, name);
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }
}
