import * as vscode from 'vscode';
import { AuthError, parsePastedRedirectUrl } from '../core/auth';
import { DisposableStore } from '../core/common/events';
import type { Logger } from '../core/common/logger';
import { ContextKeys } from './contextKeys';

export const PASTE_REDIRECT_URL_COMMAND = 'gemini.pasteRedirectUrl';
export const COPY_SIGN_IN_LINK_COMMAND = 'gemini.copySignInLink';

/** A sign-in waiting for the browser, as the fallback sees it. */
export interface WaitingSignIn {
  /** The complete authorization request (state and PKCE challenge, never the verifier): it works from any browser. */
  readonly authorizationUrl: string;
  readonly state: string;
  /** A pasted redirect URL, already checked against `state`. */
  onPasted(url: string): void;
  /** The sign-in link is on the clipboard. */
  onCopied(): void;
}

/**
 * For a browser that cannot reach VS Code's loopback listener (remote, SSH, a browser on another machine):
 * "Paste Redirect URL…" and "Copy Sign-In Link", commands that exist only while a sign-in waits (context key
 * `gemini.signInPending`) and are linked from that sign-in's progress notification. What they open is closed when
 * the sign-in ends, so nothing about an ended sign-in stays on screen (a plain notification could not be withdrawn).
 */
export class SignInFallback implements vscode.Disposable {
  private readonly waiting: { signIn: WaitingSignIn; ui: DisposableStore }[] = [];
  private readonly disposables = new DisposableStore();

  constructor(private readonly log: Logger) {
    this.disposables.add(vscode.commands.registerCommand(PASTE_REDIRECT_URL_COMMAND, () => this.paste()));
    this.disposables.add(vscode.commands.registerCommand(COPY_SIGN_IN_LINK_COMMAND, () => this.copyLink()));
  }

  /** Offers the fallback for `signIn` until the returned disposable is disposed (when the sign-in ends). */
  offer(signIn: WaitingSignIn): vscode.Disposable {
    const entry = { signIn, ui: new DisposableStore() };
    this.waiting.push(entry);
    void ContextKeys.setSignInPending(true);
    return {
      dispose: () => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        entry.ui.dispose();
        void ContextKeys.setSignInPending(this.waiting.length > 0);
      },
    };
  }

  /** The newest waiting sign-in: the one whose progress notification is on top. */
  private latest() {
    return this.waiting.at(-1);
  }

  private async copyLink(): Promise<void> {
    const entry = this.latest();
    if (!entry) return;
    await vscode.env.clipboard.writeText(entry.signIn.authorizationUrl);
    this.log.info('[signIn] copied the sign-in link to the clipboard');
    entry.signIn.onCopied();
    this.askForRedirectUrl(
      entry,
      vscode.l10n.t('The sign-in link is on the clipboard. Open it in a browser on any machine, choose your account and "Allow", then paste here the address the browser ends on (http://127.0.0.1:…).'),
    );
  }

  private paste(): void {
    const entry = this.latest();
    if (entry) this.askForRedirectUrl(entry);
  }

  private askForRedirectUrl(entry: { signIn: WaitingSignIn; ui: DisposableStore }, prompt?: string): void {
    const { signIn } = entry;
    const endpoint = new URL(signIn.authorizationUrl);
    const problem = (text: string): string | undefined => {
      if (!text.trim()) return undefined;
      try {
        parsePastedRedirectUrl(text, signIn.state, `${endpoint.origin}${endpoint.pathname}`);
        return undefined;
      } catch (err) {
        return err instanceof AuthError ? err.userMessage : String(err);
      }
    };
    // An input box we own (not showInputBox), so the sign-in's end can close it.
    const box = entry.ui.add(vscode.window.createInputBox());
    box.title = vscode.l10n.t('Paste the redirect URL');
    box.prompt = prompt ?? vscode.l10n.t('The full address from the browser\'s address bar after you allowed access: http://127.0.0.1:<port>/…?code=…&state=…');
    box.placeholder = 'http://127.0.0.1:…/callback?code=…&state=…';
    box.ignoreFocusOut = true;
    box.onDidChangeValue((text) => (box.validationMessage = problem(text)));
    box.onDidAccept(() => {
      const text = box.value.trim();
      const invalid = problem(text);
      if (!text || invalid) {
        box.validationMessage = invalid;
        return;
      }
      box.hide();
      signIn.onPasted(text);
    });
    box.onDidHide(() => box.dispose());
    box.show();
  }

  dispose(): void {
    for (const entry of this.waiting.splice(0)) entry.ui.dispose();
    this.disposables.dispose();
  }
}
