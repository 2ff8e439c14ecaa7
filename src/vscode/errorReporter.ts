import * as vscode from 'vscode';
import { isAuthError, type AuthError, type AuthErrorCode } from '../core/auth/errors';
import type { Logger } from '../core/common/logger';
import { plainText } from '../core/common/plainText';
import { API_KEY_PAGE_URL } from '../core/credentials/apiKeyStore';
import { isGeminiError, type GeminiError, type GeminiErrorAction, type GooglePage } from '../core/gemini/errors';
import { scrubGenericSecrets } from '../core/log/redactor';

/**
 * The one place that turns a failure into what the user sees, for notifications and the results panel alike:
 * the core's specific message, and the buttons that do the fix (sign in, set or create a key, open a setting or a
 * Google Console page). Labels are literal `l10n.t` strings here, so they can be extracted for translation.
 */

/** A button: its label and what pressing it does. */
export interface UserAction {
  readonly label: string;
  run(): Thenable<unknown>;
}

export interface UserError {
  readonly message: string;
  /** The fixes, most useful first; Show Log when there is no specific one. Never empty. */
  readonly actions: readonly UserAction[];
}

/** Cancellation stays silent, wherever it comes from. */
export function isCancelled(err: unknown): boolean {
  return isAuthError(err, 'cancelled') || isGeminiError(err, 'cancelled');
}

export function toUserError(err: unknown): UserError {
  const fixes = isGeminiError(err) ? geminiActions(err) : isAuthError(err) ? authActions(err) : [];
  return { message: userMessage(err), actions: fixes.length ? fixes : [showLog()] };
}

/**
 * Shows a failure as a notification with its buttons and Show Log. Commands catch everything and come here, so
 * no command ever ends in VS Code's generic "resulted in an error".
 */
export async function reportError(operation: string, err: unknown, log: Logger): Promise<void> {
  if (isCancelled(err)) {
    log.info(`[${operation}] cancelled`);
    return;
  }
  const { message, actions } = toUserError(err);
  log.error(`[${operation}] ${message}`);
  await notify('error', message, withShowLog(actions));
}

/** Shows a notification with a button per action and runs the one picked. */
export async function notify(severity: 'error' | 'warning', message: string, actions: readonly UserAction[]): Promise<void> {
  const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const picked = await show(message, ...actions.map((a) => a.label));
  await actions.find((a) => a.label === picked)?.run();
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

/** The button for one of the core's actions; undefined for `retry`, which only the caller can do. */
export function userAction(action: GeminiErrorAction): UserAction | undefined {
  switch (action.kind) {
    case 'setApiKey':
      return command(vscode.l10n.t('Set API Key'), 'gemini.setApiKey');
    case 'createApiKey':
      return { label: vscode.l10n.t('Create Key'), run: () => vscode.env.openExternal(vscode.Uri.parse(API_KEY_PAGE_URL)) };
    case 'signIn':
      return signIn();
    case 'selectModel':
      return command(vscode.l10n.t('Select Model'), 'gemini.selectModel');
    case 'openSettings':
      return command(settingLabel(action.setting), 'workbench.action.openSettings', action.setting);
    case 'openUrl':
      return {
        label: pageLabel(action.page),
        run: () => vscode.env.openExternal(vscode.Uri.parse(action.url, true)),
      };
    case 'retry':
      return undefined;
  }
}

function geminiActions(err: GeminiError): UserAction[] {
  return [err.action, err.secondaryAction].flatMap((a) => (a && userAction(a)) || []);
}

const SIGN_IN_AGAIN = new Set<AuthErrorCode>(['sessionExpired', 'invalidGrant', 'timeout', 'stateMismatch', 'denied']);
const CLIENT_PROBLEMS = new Set<AuthErrorCode>(['invalidClient', 'clientNotConfigured', 'invalidClientSecretJson']);

function authActions(err: AuthError): UserAction[] {
  if (SIGN_IN_AGAIN.has(err.code)) return [signIn()];
  if (CLIENT_PROBLEMS.has(err.code)) return [command(vscode.l10n.t('Configure OAuth Client'), 'gemini.configureOAuthClient')];
  return err.code === 'invalidEndpoint' ? [command(vscode.l10n.t('Open Settings'), 'workbench.action.openSettings', 'gemini.oauth')] : [];
}

function withShowLog(actions: readonly UserAction[]): readonly UserAction[] {
  const log = showLog();
  return actions.some((a) => a.label === log.label) ? actions : [...actions, log];
}

const signIn = () => command(vscode.l10n.t('Sign In'), 'gemini.signIn');
const showLog = () => command(vscode.l10n.t('Show Log'), 'gemini.showLog');

function settingLabel(setting: string): string {
  const labels: Record<string, string> = {
    'gemini.quotaProject': vscode.l10n.t('Set Quota Project'),
    'gemini.vertex.project': vscode.l10n.t('Set Project'),
    'gemini.vertex.location': vscode.l10n.t('Change Location'),
  };
  return labels[setting] ?? vscode.l10n.t('Open Settings');
}

function pageLabel(page: GooglePage): string {
  const labels: Record<GooglePage, string> = {
    enableApi: vscode.l10n.t('Enable API'),
    rateLimits: vscode.l10n.t('Open Rate Limits'),
    enableVertexApi: vscode.l10n.t('Enable Vertex AI API'),
    iam: vscode.l10n.t('Open IAM'),
    quotas: vscode.l10n.t('Open Quotas'),
  };
  return labels[page];
}

function command(label: string, id: string, ...args: unknown[]): UserAction {
  return { label, run: () => vscode.commands.executeCommand(id, ...args) };
}
