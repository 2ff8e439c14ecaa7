import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { escapeHtml, truncate } from '../common/text';

/** The HTML templates the loopback server answers with; the failure page has a `{{reason}}` placeholder. */
export interface AuthPages {
  readonly success: string;
  readonly failure: string;
}

/** Reads `success.html` and `failure.html` from the extension's `media/auth` folder. */
export async function loadAuthPages(mediaAuthDir: string): Promise<AuthPages> {
  const [success, failure] = await Promise.all([
    readFile(path.join(mediaAuthDir, 'success.html'), 'utf8'),
    readFile(path.join(mediaAuthDir, 'failure.html'), 'utf8'),
  ]);
  return { success, failure };
}

/** Minimal pages for when the templates are unavailable (and for tests). */
export const FALLBACK_PAGES: AuthPages = {
  success: '<!DOCTYPE html><meta charset="utf-8"><title>Signed in</title><p>You are signed in. You can close this tab and return to VS Code.</p>',
  failure: '<!DOCTYPE html><meta charset="utf-8"><title>Sign-in failed</title><p>Sign-in failed: {{reason}}</p><p>Return to VS Code to try again.</p>',
};

/** Fills the failure template with a short, HTML-escaped reason. */
export function renderFailurePage(template: string, reason: string): string {
  return template.split('{{reason}}').join(escapeHtml(truncate(reason, 300)));
}
