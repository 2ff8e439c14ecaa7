import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { adcFileCandidates, adcIdentity, adcQuotaProject, adcSecrets, isEmail, parseAdcFile, type AdcCredentials } from '../../core/adc/adcFile';
import { AdcTokenSource } from '../../core/adc/adcTokens';
import { GOOGLE_ENDPOINTS } from '../../core/auth/endpoints';
import { plainText } from '../../core/common/plainText';
import { safeHost } from '../../core/common/url';
import type { Services } from '../services';

export type AdcCommandDeps = Pick<Services, 'adc' | 'credentials' | 'settings' | 'redactor' | 'log'> & { readonly env: Record<string, string | undefined> };

/** What was found, as the confirmation shows it (no secret). */
export interface AdcFound {
  readonly path: string;
  readonly source: 'environment' | 'gcloud';
  readonly credentials: AdcCredentials;
}

/** Asks the user to import `found`; the command uses a modal dialog. */
export type ConfirmImport = (found: AdcFound) => Promise<boolean>;

/**
 * "Gemini: Use Application Default Credentials": reads the ADC file only now, shows what it holds, and on
 * confirmation checks it with one token request and keeps a copy in SecretStorage. Nothing is stored otherwise.
 */
export async function useApplicationDefaultCredentials(deps: AdcCommandDeps, confirm: ConfirmImport = confirmModal): Promise<boolean> {
  const candidates = adcFileCandidates(deps.env, process.platform, os.homedir());
  let found: { path: string; source: 'environment' | 'gcloud'; text: string } | undefined;
  for (const candidate of candidates) {
    try {
      found = { ...candidate, text: await readFile(candidate.path, 'utf8') };
      break;
    } catch (err) {
      // GOOGLE_APPLICATION_CREDENTIALS naming a missing file is the user's mistake to hear about, not to skip.
      if (candidate.source === 'environment') {
        const code = (err as { code?: unknown }).code;
        void vscode.window.showErrorMessage(
          vscode.l10n.t('GOOGLE_APPLICATION_CREDENTIALS names {0}, which cannot be read ({1}). Fix the variable or unset it to use gcloud\'s credentials.', plainText(candidate.path, 300), typeof code === 'string' ? code : 'error'),
        );
        return false;
      }
    }
  }
  if (!found) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No Application Default Credentials found. Run "gcloud auth application-default login", or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file, then run this command again.'),
    );
    return false;
  }
  const shownPath = plainText(found.path, 300);
  const parsed = parseAdcFile(found.text);
  if (!parsed.ok) {
    deps.log.warn(`[adc] ${found.source === 'environment' ? 'GOOGLE_APPLICATION_CREDENTIALS' : "gcloud's"} file was not imported: ${parsed.problem}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} was not imported: {1}', shownPath, parsed.problem));
    return false;
  }
  const { credentials } = parsed;
  const registrations = adcSecrets(credentials).map((s) => deps.redactor.add(s));
  if (!(await confirm({ path: found.path, source: found.source, credentials }))) {
    for (const r of registrations) r.dispose();
    deps.log.info('[adc] import declined; nothing stored');
    void vscode.window.showInformationMessage(vscode.l10n.t('The Application Default Credentials were not imported; nothing was stored.'));
    return false;
  }
  // Like an API key, credentials are checked before they are kept: one token request.
  const token = await new AdcTokenSource(credentials, () => deps.settings.get('tokenEndpoint') || GOOGLE_ENDPOINTS.token).fetchToken();
  deps.redactor.add(token.accessToken);
  const identity = adcIdentity(credentials) ?? emailFromIdToken(token.idToken);
  await deps.adc.set(found.text, { ...(identity && { identity }), path: found.path, importedAt: Date.now() });
  await deps.credentials.choose({ kind: 'adc' });
  deps.log.info(`[adc] imported ${credentials.type} credentials and made them active`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Gemini now uses Application Default Credentials ({0}).', plainText(identity ?? credentials.type, 200)));
  return true;
}

async function confirmModal(found: AdcFound): Promise<boolean> {
  const c = found.credentials;
  const lines = [
    vscode.l10n.t('Type: {0}', c.type === 'service_account' ? vscode.l10n.t('service account key (service_account)') : vscode.l10n.t('gcloud user credentials (authorized_user)')),
    vscode.l10n.t('Account: {0}', plainText(adcIdentity(c) ?? vscode.l10n.t('shown after import'), 200)),
    vscode.l10n.t('Quota project: {0}', plainText(adcQuotaProject(c) ?? vscode.l10n.t('none'), 200)),
    vscode.l10n.t('File: {0}', plainText(found.path, 300)),
  ];
  if (c.type === 'service_account') lines.push(vscode.l10n.t('Tokens from: {0}', plainText(safeHost(c.tokenUri), 200)));
  lines.push(
    '',
    c.type === 'service_account'
      ? vscode.l10n.t("A copy of this file, with its private key, is kept in VS Code's secret storage; the file is not read again. Remove it any time with 'Gemini: Sign Out'.")
      : vscode.l10n.t("A copy of this file, with its refresh token, is kept in VS Code's secret storage; the file is not read again. Remove it any time with 'Gemini: Sign Out'."),
  );
  const importLabel = vscode.l10n.t('Import');
  const picked = await vscode.window.showWarningMessage(vscode.l10n.t('Use these Application Default Credentials with Gemini?'), { modal: true, detail: lines.join('\n') }, importLabel);
  return picked === importLabel;
}

/** The email in an ID token's payload, for the label only (the token came straight from the token endpoint). */
function emailFromIdToken(idToken: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(idToken?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { email?: unknown };
    return typeof payload.email === 'string' && isEmail(payload.email) ? payload.email : undefined;
  } catch {
    return undefined;
  }
}
