import * as vscode from 'vscode';
import { clientIdWarning, parseClientSecretJson } from '../../core/auth/clientConfig';
import { isAuthError } from '../../core/auth/errors';
import type { Logger } from '../../core/common/logger';
import { plainText } from '../../core/common/plainText';
import type { Services } from '../services';

type Choice = 'type' | 'import' | 'remove';

/**
 * "Gemini: Configure OAuth Client": the user's own Desktop-app client, typed in or imported from the
 * client_secret.json Google Cloud Console downloads. The id goes to user settings, the secret to SecretStorage.
 * Resolves true when a client was configured.
 */
export async function configureOAuthClient(deps: Pick<Services, 'oauthClients' | 'settings' | 'log'>): Promise<boolean> {
  const stored = await deps.oauthClients.get();
  const items: Array<vscode.QuickPickItem & { choice: Choice }> = [
    {
      choice: 'import',
      label: `$(file) ${vscode.l10n.t('Import client_secret.json…')}`,
      detail: vscode.l10n.t('The JSON file Google Cloud Console downloads for an OAuth client of type "Desktop app".'),
    },
    { choice: 'type', label: `$(edit) ${vscode.l10n.t('Enter Client ID and Secret…')}`, detail: vscode.l10n.t('Paste them from Google Cloud Console → APIs & Services → Credentials.') },
  ];
  if (stored) {
    items.push({ choice: 'remove', label: `$(trash) ${vscode.l10n.t('Remove Stored Client Secret')}`, description: stored.clientId });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Configure the Google OAuth Client'),
    placeHolder: stored ? vscode.l10n.t('Currently configured: {0}', stored.clientId) : vscode.l10n.t('Bring your own Google Cloud OAuth client (Desktop app)'),
    ignoreFocusOut: true,
  });
  if (!picked) return false;
  if (picked.choice === 'remove') {
    await deps.oauthClients.remove();
    void vscode.window.showInformationMessage(vscode.l10n.t('The stored OAuth client secret was removed. Accounts already signed in stay signed in until they sign out.'));
    return false;
  }
  const client = picked.choice === 'import' ? await importFile(deps.log) : await typeIn(deps.settings.get('oauthClientId') || stored?.clientId);
  if (!client) return false;
  await deps.oauthClients.store(client);
  await deps.settings.update('oauthClientId', client.clientId);
  deps.log.info(`[configureOAuthClient] configured client ${client.clientId} (${picked.choice === 'import' ? 'imported' : 'typed'})`);
  const signIn = vscode.l10n.t('Sign In');
  void vscode.window.showInformationMessage(vscode.l10n.t('OAuth client configured. Sign in with Google now?'), signIn).then((a) => {
    if (a === signIn) void vscode.commands.executeCommand('gemini.signIn');
  });
  return true;
}

async function importFile(log: Logger): Promise<{ clientId: string; clientSecret: string } | undefined> {
  for (;;) {
    const uris = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import the OAuth client JSON from Google Cloud Console'),
      canSelectMany: false,
      filters: { [vscode.l10n.t('OAuth client JSON')]: ['json'] },
      openLabel: vscode.l10n.t('Import'),
    });
    if (!uris?.[0]) return undefined;
    try {
      const bytes = await vscode.workspace.fs.readFile(uris[0]);
      if (bytes.byteLength > 64 * 1024) throw new Error(vscode.l10n.t('That file is too large to be an OAuth client JSON.'));
      const parsed = parseClientSecretJson(new TextDecoder().decode(bytes));
      for (const w of parsed.warnings) log.warn(`[configureOAuthClient] ${w}`);
      return { clientId: parsed.clientId, clientSecret: parsed.clientSecret };
    } catch (err) {
      const message = plainText(isAuthError(err) ? err.userMessage : err instanceof Error ? err.message : String(err), 1000);
      const again = vscode.l10n.t('Choose Another File');
      const help = vscode.l10n.t('Open Google Cloud Console');
      const action = await vscode.window.showErrorMessage(message, again, help);
      if (action === help) void vscode.env.openExternal(vscode.Uri.parse('https://console.cloud.google.com/apis/credentials'));
      if (action !== again) return undefined;
    }
  }
}

async function typeIn(currentId: string | undefined): Promise<{ clientId: string; clientSecret: string } | undefined> {
  const clientId = await vscode.window.showInputBox({
    title: vscode.l10n.t('OAuth Client ID (1/2)'),
    prompt: vscode.l10n.t('The client ID of your Google Cloud OAuth client of type "Desktop app".'),
    value: currentId ?? '',
    placeHolder: '1234567890-abc123.apps.googleusercontent.com',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const id = v.trim();
      if (!id) return vscode.l10n.t('Enter the client ID.');
      if (/\s/.test(id)) return vscode.l10n.t('A client ID has no spaces.');
      const warning = clientIdWarning(id);
      return warning ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  if (!clientId) return undefined;
  const clientSecret = await vscode.window.showInputBox({
    title: vscode.l10n.t('OAuth Client Secret (2/2)'),
    prompt: vscode.l10n.t('The client secret of that client. It is kept in VS Code\'s secret storage only.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? (/\s/.test(v.trim()) ? vscode.l10n.t('A client secret has no spaces.') : undefined) : vscode.l10n.t('Enter the client secret.')),
  });
  if (!clientSecret) return undefined;
  return { clientId: clientId.trim(), clientSecret: clientSecret.trim() };
}
