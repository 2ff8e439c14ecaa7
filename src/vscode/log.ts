import * as vscode from 'vscode';
import type { Logger } from '../core/common/logger';
import { redactingLogger } from '../core/log/redactingLogger';
import { Redactor } from '../core/log/redactor';

/**
 * The extension's one LogOutputChannel ("Gemini"), behind a redactor: every secret the extension handles is
 * registered with `redactor.add(…)` when it appears, so even a careless log line cannot print it.
 */
export function createLog(): { channel: vscode.LogOutputChannel; log: Logger; redactor: Redactor } {
  const channel = vscode.window.createOutputChannel('Gemini', { log: true });
  const redactor = new Redactor();
  return { channel, log: redactingLogger(channel, redactor), redactor };
}
