// What a user with no credential yet is offered, decided from what is already configured. The VS Code adapter
// (commands/accounts.ts) only turns these choices into quick-pick items and runs the one picked.

/** What is configured when there is no credential to use (only whether things exist, never a secret). */
export interface SetupState {
  /** An OAuth client (ID and secret) is configured, so a Google sign-in can start at once. */
  readonly hasOAuthClient: boolean;
  /** The environment variable holding a usable API key (`GEMINI_API_KEY`, else `GOOGLE_API_KEY`), if any. */
  readonly environmentKey?: string;
}

export type SetupChoice =
  /** Start the Google sign-in in the browser. */
  | { readonly kind: 'signIn' }
  /** Configure an OAuth client first (the way to a Google sign-in when there is none). */
  | { readonly kind: 'configureOAuthClient' }
  /** Check the key from this environment variable and store it, without asking again. */
  | { readonly kind: 'useEnvironmentKey'; readonly variable: string }
  /** Type or paste a key. */
  | { readonly kind: 'enterApiKey' };

export interface SetupOffer {
  /** What the user is told above the choices. */
  readonly situation: 'readyToSignIn' | 'noOAuthClient';
  /** In the order shown; the first one is the suggested one. */
  readonly choices: readonly SetupChoice[];
}

/**
 * A configured client means the user set up Google sign-in on purpose: that comes first. Without one, a key that
 * is already in the environment is the quickest working start, ahead of creating a client in Google Cloud.
 */
export function setupOffer(state: SetupState): SetupOffer {
  const environmentKey: SetupChoice[] = state.environmentKey ? [{ kind: 'useEnvironmentKey', variable: state.environmentKey }] : [];
  const enterApiKey: SetupChoice = { kind: 'enterApiKey' };
  if (state.hasOAuthClient) {
    return { situation: 'readyToSignIn', choices: [{ kind: 'signIn' }, ...environmentKey, enterApiKey] };
  }
  return { situation: 'noOAuthClient', choices: [...environmentKey, { kind: 'configureOAuthClient' }, enterApiKey] };
}
