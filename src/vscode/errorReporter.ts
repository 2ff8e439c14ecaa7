import * as vscode from 'vscode';
import { isAuthError, isCancellation } from '../core/auth/errors';
import type { Logger } from '../core/common/logger';
import { plainText } from '../core/common/plainText';
import { isGeminiError, type GeminiErrorAction } from '../core/gemini/errors';
import { scrubGenericSecrets } from '../core/log/redactor';

/**
 * Shows a failure the way users can act on it: the core's specific message, and a button that does the
 * fix (sign in, set a key, open a setting or a Google Console page). Cancellation stays silent. Commands
 * catch everything and come here, so no command ever ends in VS Code's generic "resulted in an error".
 */
export async function reportError(operation: string, err: unknown, log: Logger): Promise<void> {
  if (isCancellation(err) || isGeminiError(err, 'cancelled')) {
    log.info(`[${operation}] cancelled`);
    return;
  }
  const message = userMessage(err);
  log.error(`[${operation}] ${message}`);
  const action = actionFor(err);
  const showLog = vscode.l10n.t('Show Log');
  const buttons = action ? [action.label, showLog] : [showLog];
  const picked = await vscode.window.showErrorMessage(message, ...buttons);
  if (picked === showLog) {
    await vscode.commands.executeCommand('gemini.showLog');
  } else if (action && picked === action.label) {
    await runAction(action);
  }
}

export function userMessage(err: unknown): string {
  // Auth messages may quote what a token server or the workspace said; Gemini errors are plain already.
  if (isAuthError(err)) return plainText(err.userMessage, 1000);
  if (isGeminiError(err)) return err.message;
  // Anything else is a bug or an environment failure: say which operation, never a stack trace, and scrub it
  // (a Node error can quote a URL or a header).
  const detail = plainText(scrubGenericSecrets(err instanceof Error ? err.message : String(err)), 200);
  return vscode.l10n.t('Gemini: something went wrong ({0}). See the log for details.', detail);
}

function actionFor(err: unknown): GeminiErrorAction | undefined {
  if (isGeminiError(err)) return err.action ? { ...err.action, label: vscode.l10n.t(err.action.label) } : undefined;
  if (isAuthError(err)) {
    switch (err.code) {
      case 'sessionExpired':
      case 'invalidGrant':
      case 'timeout':
      case 'stateMismatch':
      case 'denied':
        return { kind: 'signIn', label: vscode.l10n.t('Sign In') };
      case 'invalidClient':
      case 'clientNotConfigured':
      case 'invalidClientSecretJson':
        return { kind: 'openSettings', label: vscode.l10n.t('Configure OAuth Client') };
      case 'invalidEndpoint':
        return { kind: 'openSettings', label: vscode.l10n.t('Open Settings'), setting: 'gemini.oauth' };
      default:
        return undefined;
    }
  }
  return undefined;
}

export async function runAction(action: GeminiErrorAction): Promise<void> {
  switch (action.kind) {
    case 'setApiKey':
      await vscode.commands.executeCommand('gemini.setApiKey');
      return;
    case 'signIn':
      await vscode.commands.executeCommand('gemini.signIn');
      return;
    case 'selectModel':
      await vscode.commands.executeCommand('gemini.selectModel');
      return;
    case 'openUrl':
      if (action.url) await vscode.env.openExternal(vscode.Uri.parse(action.url, true));
      return;
    case 'openSettings':
      if (action.setting) await vscode.commands.executeCommand('workbench.action.openSettings', action.setting);
      else await vscode.commands.executeCommand('gemini.configureOAuthClient');
      return;
    case 'retry':
      return;
  }
}
