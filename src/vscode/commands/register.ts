import * as vscode from 'vscode';
import type { Logger } from '../../core/common/logger';
import { reportError } from '../errorReporter';

/**
 * Registers a command that never ends in VS Code's generic "command resulted in an error": a failure is shown
 * with its message and fix (errorReporter.ts), and the command returns undefined.
 */
export function registerCommand(id: string, log: Logger, run: (...args: unknown[]) => Promise<unknown>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (err) {
      await reportError(id.replace(/^gemini\./, ''), err, log);
      return undefined;
    }
  });
}
