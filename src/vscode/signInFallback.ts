import * as vscode from 'vscode';
import { AuthError } from '../core/auth/errors';
import { parsePastedRedirectUrl } from '../core/auth/oauthFlow';
import { DisposableStore } from '../core/common/events';
import type { Logger } from '../core/common/logger';
import { ContextKeys } from './contextKeys';

const PASTE_REDIRECT_URL_COMMAND = 'gemini.pasteRedirectUrl';
const COPY_SIGN_IN_LINK_COMMAND = 'gemini.copySignInLink';

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

interface Entry {
  readonly id: string;
  readonly signIn: WaitingSignIn;
  /** What the fallback opened for this sign-in (the paste box), closed when it ends. */
  readonly ui: DisposableStore;
}

/**
 * For a browser that cannot reach VS Code's loopback listener (remote, SSH, a browser on another machine):
 * "Paste Redirect URL…" and "Copy Sign-In Link", commands that exist only while a sign-in waits (context key
 * `gemini.signInPending`) and are linked from that sign-in's progress notification. What they open is closed when
 * the sign-in ends, so nothing about an ended sign-in stays on screen (a plain notification could not be withdrawn).
 */
export class SignInFallback implements vscode.Disposable {
  private readonly waiting: Entry[] = [];
  private readonly disposables = new DisposableStore();
  private nextId = 1;

  constructor(private readonly log: Logger) {
    this.disposables.add(vscode.commands.registerCommand(PASTE_REDIRECT_URL_COMMAND, (id?: unknown) => this.askForRedirectUrl(this.find(id))));
    this.disposables.add(vscode.commands.registerCommand(COPY_SIGN_IN_LINK_COMMAND, (id?: unknown) => this.copyLink(this.find(id))));
  }

  /**
   * Offers the fallback for `signIn` until the returned disposable is disposed (when the sign-in ends). Its `links`
   * are command URIs for this sign-in (from the palette, the commands act on the newest one).
   */
  offer(signIn: WaitingSignIn): vscode.Disposable & { readonly links: { readonly copy: string; readonly paste: string } } {
    const entry: Entry = { id: String(this.nextId++), signIn, ui: new DisposableStore() };
    this.waiting.push(entry);
    void ContextKeys.setSignInPending(true);
    const link = (command: string) => `command:${command}?${encodeURIComponent(JSON.stringify([entry.id]))}`;
    return {
      links: { copy: link(COPY_SIGN_IN_LINK_COMMAND), paste: link(PASTE_REDIRECT_URL_COMMAND) },
      dispose: () => {
        const index = this.waiting.indexOf(entry);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        entry.ui.dispose();
        void ContextKeys.setSignInPending(this.waiting.length > 0);
      },
    };
  }

  /** The sign-in a link names; from the palette (no id), the newest one, whose progress notification is on top. */
  private find(id: unknown): Entry | undefined {
    return id === undefined ? this.waiting.at(-1) : this.waiting.find((e) => e.id === id);
  }

  private async copyLink(entry: Entry | undefined): Promise<void> {
    if (!entry) return;
    await vscode.env.clipboard.writeText(entry.signIn.authorizationUrl);
    this.log.info('[signIn] copied the sign-in link to the clipboard');
    entry.signIn.onCopied();
    this.askForRedirectUrl(
      entry,
      vscode.l10n.t('The sign-in link is on the clipboard. Open it in a browser on any machine, choose your account and "Allow", then paste here the address the browser ends on (http://127.0.0.1:…).'),
    );
  }

  private askForRedirectUrl(entry: Entry | undefined, prompt?: string): void {
    if (!entry) return;
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
