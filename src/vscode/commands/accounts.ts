import * as vscode from 'vscode';
import { adcLabel } from '../../core/adc/adcStore';
import { selectedBackend } from '../../core/backends';
import { plainText } from '../../core/common/plainText';
import { apiKeyAgeDays, apiKeyFromEnvironment } from '../../core/credentials/apiKeyStore';
import { setupOffer, type SetupChoice } from '../../core/credentials/setupOffer';
import type { Services } from '../services';

export type AccountCommandDeps = Pick<Services, 'provider' | 'credentials' | 'apiKeys' | 'adc' | 'settings' | 'hasOAuthClient'>;

/** "Gemini: Sign In": with no OAuth client yet, the setup offer (configure one, or use an API key). */
export async function signIn(deps: AccountCommandDeps): Promise<void> {
  if (!(await deps.hasOAuthClient())) {
    await offerSetup();
    return;
  }
  await deps.provider.signInInteractively();
}

/**
 * The setup offer for a user without a credential (Summarize, Generate, Sign In without a client, another
 * extension asking for a session). It runs as the internal command `gemini.offerSetup`, registered with its
 * dependencies at activation, so every caller gets the same offer without carrying them.
 */
export async function offerSetup(): Promise<void> {
  await vscode.commands.executeCommand('gemini.offerSetup');
}

export interface SetupOfferDeps {
  hasOAuthClient(): Promise<boolean>;
  /** The extension host's environment, where `GEMINI_API_KEY`/`GOOGLE_API_KEY` may hold a key. */
  env: Record<string, string | undefined>;
  /** What each choice does; resolves when it is done (the caller then looks for the new credential). */
  run: Record<SetupChoice['kind'], () => Promise<unknown>>;
}

/** The quick pick of `gemini.offerSetup`: the choices core/credentials/setupOffer decides, in its order. */
export async function showSetupOffer(deps: SetupOfferDeps): Promise<void> {
  const offer = setupOffer({ hasOAuthClient: await deps.hasOAuthClient(), environmentKey: apiKeyFromEnvironment(deps.env)?.name });
  type Pick = vscode.QuickPickItem & { choice: SetupChoice };
  const picked = await vscode.window.showQuickPick<Pick>(
    offer.choices.map((choice) => ({ choice, ...setupItem(choice) })),
    {
      title: vscode.l10n.t('Gemini: Sign In'),
      placeHolder:
        offer.situation === 'readyToSignIn'
          ? vscode.l10n.t('You are not signed in to Gemini yet. How do you want to sign in?')
          : vscode.l10n.t('No Google OAuth client is configured yet. How do you want to sign in?'),
      ignoreFocusOut: true,
    },
  );
  if (picked) await deps.run[picked.choice.kind]();
}

function setupItem(choice: SetupChoice): vscode.QuickPickItem {
  switch (choice.kind) {
    case 'signIn':
      return {
        label: `$(account) ${vscode.l10n.t('Sign in with Google…')}`,
        detail: vscode.l10n.t('Opens the browser to sign in with your OAuth client.'),
      };
    case 'configureOAuthClient':
      return {
        label: `$(account) ${vscode.l10n.t('Sign in with Google…')}`,
        detail: vscode.l10n.t('Configure your own Google Cloud OAuth client (Desktop app) first: paste its ID and secret or import its JSON.'),
      };
    case 'useEnvironmentKey':
      return {
        label: `$(key) ${vscode.l10n.t('Use the API key in {0}', choice.variable)}`,
        detail: vscode.l10n.t('Found in the environment: checked with Google, then kept in VS Code\'s secret storage.'),
      };
    case 'enterApiKey':
      return {
        label: `$(key) ${vscode.l10n.t('Use a Gemini API key…')}`,
        detail: vscode.l10n.t('Paste a key from Google AI Studio: checked with Google, then kept in VS Code\'s secret storage.'),
      };
  }
}

/** "Gemini: Sign Out": pick an account (or the API key) to remove; Google is asked to revoke the account's sign-in. */
export async function signOut(deps: AccountCommandDeps): Promise<void> {
  const overview = await deps.credentials.overview();
  type Pick = vscode.QuickPickItem & { remove: () => Promise<void> };
  const items: Pick[] = overview.accounts.map((a) => ({
    label: `$(account) ${plainText(a.label, 200)}`,
    description: overview.active?.kind === 'oauth' && overview.active.accountId === a.accountId ? vscode.l10n.t('active') : undefined,
    detail: vscode.l10n.t('Deletes its tokens from this computer and asks Google to revoke the sign-in.'),
    // The provider says whether Google confirmed the revocation.
    remove: () => deps.provider.removeSession(a.sessionId),
  }));
  if (overview.apiKey) {
    items.push({
      label: `$(key) ${vscode.l10n.t('API key')}`,
      description: overview.active?.kind === 'apiKey' ? vscode.l10n.t('active') : undefined,
      detail: vscode.l10n.t('Deletes the key from VS Code\'s secret storage.'),
      remove: async () => {
        await deps.apiKeys.remove();
        void vscode.window.showInformationMessage(vscode.l10n.t('The Gemini API key was removed from VS Code. To revoke it for good, delete it in Google AI Studio.'));
      },
    });
  }
  if (overview.adc) {
    items.push({
      label: `$(cloud) ${plainText(overview.active?.kind === 'adc' ? overview.active.label : vscode.l10n.t('Application Default Credentials'), 200)}`,
      description: overview.active?.kind === 'adc' ? vscode.l10n.t('active') : undefined,
      detail: vscode.l10n.t('Deletes the imported copy from VS Code\'s secret storage (the file itself is not touched).'),
      remove: async () => {
        await deps.adc.remove();
        void vscode.window.showInformationMessage(vscode.l10n.t('The Application Default Credentials were removed from VS Code.'));
      },
    });
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Gemini: nothing to sign out of. No Google account or API key is stored.'));
    return;
  }
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Gemini: Sign Out'), placeHolder: vscode.l10n.t('Choose what to sign out of') });
  await picked?.remove();
}

type SwitchItem = vscode.QuickPickItem & { run?: () => Thenable<unknown> };

/** "Gemini: Switch Account" (the status bar click): every credential, the active one marked, plus actions. */
export async function switchAccount(deps: AccountCommandDeps): Promise<void> {
  const overview = await deps.credentials.overview();
  const active = overview.active;
  const items: SwitchItem[] = [];
  if (overview.accounts.length || overview.apiKey || overview.adc) items.push({ label: vscode.l10n.t('Use'), kind: vscode.QuickPickItemKind.Separator });
  for (const a of overview.accounts) {
    const isActive = active?.kind === 'oauth' && active.accountId === a.accountId;
    items.push({
      label: `${isActive ? '$(check)' : '$(account)'} ${plainText(a.label, 200)}`,
      description: isActive ? vscode.l10n.t('active · Google account') : vscode.l10n.t('Google account'),
      run: () => deps.credentials.choose({ kind: 'oauth', accountId: a.accountId }),
    });
  }
  if (overview.apiKey) {
    const isActive = active?.kind === 'apiKey';
    const days = apiKeyAgeDays(overview.apiKey, Date.now());
    items.push({
      label: `${isActive ? '$(check)' : '$(key)'} ${vscode.l10n.t('API key')}`,
      description: `${isActive ? vscode.l10n.t('active · ') : ''}${vscode.l10n.t('set {0} days ago', days)}`,
      run: () => deps.credentials.choose({ kind: 'apiKey' }),
    });
  }
  if (overview.adc) {
    const isActive = active?.kind === 'adc';
    const label = isActive ? active.label : adcLabel(overview.adc);
    items.push({
      label: `${isActive ? '$(check)' : '$(cloud)'} ${plainText(label, 200)}`,
      description: isActive ? vscode.l10n.t('active · Application Default Credentials') : vscode.l10n.t('Application Default Credentials'),
      run: () => deps.credentials.choose({ kind: 'adc' }),
    });
  }
  const command = (label: string, id: string, description?: string): SwitchItem => ({ label, description, run: () => vscode.commands.executeCommand(id) });
  const offered = deps.settings.get('languageModelsEnabled');
  items.push(
    { label: vscode.l10n.t('Manage'), kind: vscode.QuickPickItemKind.Separator },
    command(`$(add) ${vscode.l10n.t('Add Google account…')}`, 'gemini.signIn'),
    command(`$(key) ${vscode.l10n.t(overview.apiKey ? 'Replace API key…' : 'Use API key…')}`, 'gemini.setApiKey'),
    command(`$(cloud) ${vscode.l10n.t('Use Application Default Credentials…')}`, 'gemini.useApplicationDefaultCredentials'),
    command(`$(server) ${vscode.l10n.t('Select backend…')}`, 'gemini.selectBackend', plainText(selectedBackend(deps.settings.all()).label, 200)),
    command(`$(symbol-misc) ${vscode.l10n.t('Select model…')}`, 'gemini.selectModel', deps.settings.get('model') || vscode.l10n.t('automatic')),
    command(
      `$(comment-discussion) ${offered ? vscode.l10n.t('Stop offering Gemini to VS Code chat') : vscode.l10n.t('Offer Gemini to VS Code chat and extensions…')}`,
      'gemini.languageModels.toggle',
      offered ? vscode.l10n.t('on · any extension can use this credential') : undefined,
    ),
  );
  if (overview.accounts.length || overview.apiKey || overview.adc) items.push(command(`$(sign-out) ${vscode.l10n.t('Sign out…')}`, 'gemini.signOut'));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Gemini: Switch Account'),
    placeHolder: active ? vscode.l10n.t('Active: {0}', plainText(active.label, 200)) : vscode.l10n.t('Not signed in'),
  });
  await picked?.run?.();
}
