import * as vscode from 'vscode';
import { isAuthError, isCancellation } from '../core/auth/errors';
import type { Logger } from '../core/common/logger';
import { plainText } from '../core/common/plainText';
import { API_KEY_PAGE_URL } from '../core/credentials/apiKeyStore';
import { errorActions, isGeminiError, type GeminiErrorAction } from '../core/gemini/errors';
import { scrubGenericSecrets } from '../core/log/redactor';

/**
 * Shows a failure the way users can act on it: the core's specific message, and the buttons that do the
 * fix (sign in, set or create a key, open a setting or a Google Console page). Cancellation stays silent. Commands
 * catch everything and come here, so no command ever ends in VS Code's generic "resulted in an error".
 */
export async function reportError(operation: string, err: unknown, log: Logger): Promise<void> {
  if (isCancellation(err) || isGeminiError(err, 'cancelled')) {
    log.info(`[${operation}] cancelled`);
    return;
  }
  const message = userMessage(err);
  log.error(`[${operation}] ${message}`);
  const showLog = vscode.l10n.t('Show Log');
  if ((await showWithActions('error', message, actionsFor(err), showLog)) === showLog) await vscode.commands.executeCommand('gemini.showLog');
}

/**
 * Shows a notification with a button per action (labels already localized) and then the `extra` labels;
 * runs the action picked and returns the label picked.
 */
export async function showWithActions(
  severity: 'error' | 'warning',
  message: string,
  actions: readonly GeminiErrorAction[],
  ...extra: string[]
): Promise<string | undefined> {
  const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const picked = await show(message, ...actions.map((a) => a.label), ...extra);
  const action = actions.find((a) => a.label === picked);
  if (action) await runAction(action);
  return picked;
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

/** The error's buttons with localized labels, in order. */
export function actionsFor(err: unknown): GeminiErrorAction[] {
  if (isGeminiError(err)) return errorActions(err).map((a) => ({ ...a, label: vscode.l10n.t(a.label) }));
  const action = authActionFor(err);
  return action ? [action] : [];
}

function authActionFor(err: unknown): GeminiErrorAction | undefined {
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
    case 'createApiKey':
      await vscode.env.openExternal(vscode.Uri.parse(API_KEY_PAGE_URL));
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
