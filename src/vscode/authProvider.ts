import * as vscode from 'vscode';
import type { AuthService, AuthSession, SignOutResult } from '../core/auth/authService';
import { AuthError } from '../core/auth/errors';
import type { SignInUi } from '../core/auth/oauthFlow';
import { DisposableStore, type Disposable as CoreDisposable } from '../core/common/events';
import type { Logger } from '../core/common/logger';
import { plainText } from '../core/common/plainText';
import type { Redactor } from '../core/log/redactor';
import { offerSetup } from './commands/accounts';
import { isCancelled, reportError } from './errorReporter';
import { SignInFallback } from './signInFallback';

export const PROVIDER_ID = 'gemini';
export const PROVIDER_LABEL = 'Google (Gemini)';
const GOOGLE_ACCOUNT_PERMISSIONS = 'https://myaccount.google.com/connections';

export interface AuthProviderDeps {
  log: Logger;
  redactor: Redactor;
  /** Called after every successful sign-in (the new account becomes the active credential). */
  onSignedIn(session: AuthSession): Promise<void>;
}

/**
 * VS Code's face of the OAuth core: `vscode.authentication.getSession('gemini', …)` from any extension, the
 * Accounts menu and our own commands all land here. The core owns tokens, refresh and storage; this class
 * owns the UI of a sign-in (browser, progress, the paste-URL fallback) and the user-facing messages.
 */
export class GeminiAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly disposables = new DisposableStore();
  private readonly tokenRedactions = new Map<string, { token: string; registration: CoreDisposable }>();
  private readonly fallback: SignInFallback;

  constructor(
    private readonly auth: AuthService,
    private readonly deps: AuthProviderDeps,
  ) {
    this.fallback = this.disposables.add(new SignInFallback(deps.log));
    this.disposables.add(
      auth.onDidChangeSessions((e) => {
        for (const s of e.removed) this.forgetToken(s.id);
        this.changed.fire(e);
      }),
    );
    this.disposables.add(auth.onDidLoseSession((e) => void this.tellSessionLost(e.account.label, e.reason)));
    // Where SecretStorage does not reach other windows (the browser host), a focused window catches up on sign-outs.
    this.disposables.add(vscode.window.onDidChangeWindowState((state) => state.focused && void auth.applySignOutsElsewhere()));
    this.disposables.add(
      vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, PROVIDER_LABEL, this, { supportsMultipleAccounts: true }),
    );
    this.disposables.add(this.changed);
  }

  async getSessions(scopes: readonly string[] | undefined, options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    const sessions = await this.auth.getSessions(scopes, options?.account?.id);
    for (const s of sessions) this.rememberToken(s);
    return sessions;
  }

  /** VS Code asks (another extension, or re-authentication of `options.account`, whose label is the login hint). */
  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    try {
      return await this.signInAndUse(scopes, options?.account?.label);
    } catch (err) {
      void this.reportSignInFailure(err);
      // VS Code passes this on to whoever asked for the session; we already told the user what to do.
      throw isCancelled(err) ? new vscode.CancellationError() : err;
    }
  }

  /** Sign-out, from VS Code's Accounts menu or our own command: says what Google confirmed. */
  async removeSession(sessionId: string): Promise<void> {
    const result = await this.auth.removeSession(sessionId);
    this.forgetToken(sessionId);
    if (result) await this.reportSignOut(result);
  }

  private async reportSignOut(result: SignOutResult): Promise<void> {
    if (result.revocation === 'confirmed') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out {0}. Google confirmed that the sign-in is revoked.', plainText(result.account.label, 200)));
      return;
    }
    const retry = vscode.l10n.t('Retry');
    const permissions = vscode.l10n.t('Open Google Account permissions');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Signed out {0} on this computer, but Google did not confirm that the sign-in is revoked ({1}). Until it is, the sign-in may still work elsewhere: retry, or remove the app in your Google Account.',
        plainText(result.account.label, 200),
        plainText(result.reason ?? vscode.l10n.t('no answer'), 200),
      ),
      retry,
      permissions,
    );
    if (picked === retry && result.retry) await this.reportSignOut(await result.retry());
    else if (picked === permissions) await vscode.env.openExternal(vscode.Uri.parse(GOOGLE_ACCOUNT_PERMISSIONS));
  }

  /**
   * The browser sign-in in one cancellable progress notification. Its message links the fallback for a browser that
   * cannot reach VS Code (copy the sign-in link, paste the redirect URL): it lives and ends with the sign-in.
   */
  private async signIn(scopes: readonly string[], loginHint?: string): Promise<AuthSession> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Signing in to Google'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const ui = new DisposableStore();
        ui.add(token.onCancellationRequested(() => controller.abort()));
        let resolvePasted!: (url: string) => void;
        const pasted = new Promise<string | undefined>((resolve) => (resolvePasted = resolve));
        const signInUi: SignInUi = {
          openBrowser: async (url, request) => {
            const fallback = ui.add(
              this.fallback.offer({
                authorizationUrl: request.authorizationUrl,
                state: request.state,
                onPasted: resolvePasted,
                onCopied: () => progress.report({ message: fallbackMessage('copied', fallback.links) }),
              }),
            );
            progress.report({ message: fallbackMessage('waiting', fallback.links) });
            const parsed = new URL(request.authorizationUrl);
            this.deps.log.info(`[signIn] opening the browser at ${parsed.origin}${parsed.pathname}`);
            return vscode.env.openExternal(vscode.Uri.parse(url, true));
          },
          pastedRedirectUrl: pasted,
          signal: controller.signal,
        };
        try {
          return await this.auth.createSession(scopes, signInUi, loginHint ? { loginHint } : {});
        } finally {
          controller.abort();
          ui.dispose();
        }
      },
    );
  }

  /** A new sign-in from our own command (also used by "Add account…"); errors are reported here. */
  async signInInteractively(loginHint?: string): Promise<AuthSession | undefined> {
    try {
      const session = await this.signInAndUse([], loginHint);
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to Google as {0}.', plainText(session.account.label, 200)));
      return session;
    } catch (err) {
      await this.reportSignInFailure(err);
      return undefined;
    }
  }

  /** The one sign-in path: signs in, keeps the token for redaction, makes the account active. */
  private async signInAndUse(scopes: readonly string[], loginHint: string | undefined): Promise<AuthSession> {
    const session = await this.signIn(scopes, loginHint);
    this.rememberToken(session);
    await this.deps.onSignedIn(session);
    return session;
  }

  /** Without an OAuth client the setup offer says what to do; any other failure is reported. */
  private async reportSignInFailure(err: unknown): Promise<void> {
    if (err instanceof AuthError && err.code === 'clientNotConfigured') await offerSetup();
    else await reportError('signIn', err, this.deps.log);
  }

  private async tellSessionLost(label: string, reason: string): Promise<void> {
    this.deps.log.warn(`[session] ${label} was signed out by Google (${reason})`);
    const signIn = vscode.l10n.t('Sign In');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t('Google ended the session of {0} (the sign-in was revoked or expired, e.g. after a password change). Sign in again to keep using it.', plainText(label, 200)),
      signIn,
    );
    if (picked === signIn) await this.signInInteractively(label);
  }

  private rememberToken(session: AuthSession): void {
    const known = this.tokenRedactions.get(session.id);
    if (known?.token === session.accessToken) return;
    known?.registration.dispose();
    this.tokenRedactions.set(session.id, { token: session.accessToken, registration: this.deps.redactor.add(session.accessToken) });
  }

  private forgetToken(sessionId: string): void {
    this.tokenRedactions.get(sessionId)?.registration.dispose();
    this.tokenRedactions.delete(sessionId);
  }

  dispose(): void {
    for (const id of [...this.tokenRedactions.keys()]) this.forgetToken(id);
    this.disposables.dispose();
  }
}

/** The progress notification's message: where the sign-in stands, with the fallback's commands as links. */
function fallbackMessage(stage: 'waiting' | 'copied', links: { copy: string; paste: string }): string {
  const paste = `[${vscode.l10n.t('Paste Redirect URL…')}](${links.paste})`;
  if (stage === 'copied') {
    return vscode.l10n.t('the sign-in link is on the clipboard. Open it in any browser, choose "Allow", then {0}', paste);
  }
  const copy = `[${vscode.l10n.t('Copy sign-in link')}](${links.copy})`;
  return vscode.l10n.t('finish in your browser. Browser on another machine? {0} · {1}', copy, paste);
}
