import * as vscode from 'vscode';
import { AuthService, type AuthConfig } from '../core/auth/authService';
import { OAuthClientStore } from '../core/auth/clientConfig';
import { GOOGLE_ENDPOINTS } from '../core/auth/endpoints';
import { isLoopbackHost } from '../core/common/url';
import { loadAuthPages } from '../core/auth/pages';
import { adcSecrets } from '../core/adc/adcFile';
import { AdcStore } from '../core/adc/adcStore';
import { AdcTokenSource } from '../core/adc/adcTokens';
import { selectedBackend } from '../core/backends';
import { DisposableStore } from '../core/common/events';
import type { Logger } from '../core/common/logger';
import { ActiveCredentialService, type ActiveChoice, type ActiveCredential } from '../core/credentials/activeCredential';
import { ApiKeyStore } from '../core/credentials/apiKeyStore';
import { credentialProviderFor } from '../core/credentials/providers';
import { GeminiClient } from '../core/gemini/client';
import { LanguageModelService, type LmCredential } from '../core/lm/service';
import type { Redactor } from '../core/log/redactor';
import { ModelCatalog } from '../core/models/modelCatalog';
import { ModelChooser } from '../core/models/modelChooser';
import { Activity } from './activity';
import { GeminiAuthenticationProvider } from './authProvider';
import { vsCodeSecretStore } from './secretStorage';
import { SERVER_SETTINGS, type SettingsReader } from './settings';

const ACTIVE_CHOICE_KEY = 'gemini.activeCredential';

/** Everything the commands, the status bar and the panels share; built once at activation. */
export type Services = ReturnType<typeof createServices>;

export function createServices(
  context: vscode.ExtensionContext,
  settings: SettingsReader,
  log: Logger,
  redactor: Redactor,
  disposables: DisposableStore,
) {
  const secrets = vsCodeSecretStore(context.secrets);
  const oauthClients = disposables.add(new OAuthClientStore(secrets, log));
  const envSecret = () => process.env.GEMINI_OAUTH_CLIENT_SECRET;
  const resolveClient = async () => {
    const client = await oauthClients.resolve(settings.get('oauthClientId'), envSecret());
    if (client) redactor.add(client.clientSecret);
    return client;
  };
  const getConfig = async (): Promise<AuthConfig> => {
    const s = settings.all();
    const client = await resolveClient();
    return {
      clientId: client?.clientId ?? s.oauthClientId,
      clientSecret: client?.clientSecret,
      endpoints: { authorization: s.authorizationEndpoint, token: s.tokenEndpoint, revocation: s.revocationEndpoint, userinfo: s.userinfoEndpoint },
      scopes: s.oauthScopes,
    };
  };
  // Read while activation goes on; a sign-in waits for them (and reports it if they are missing).
  const pages = loadAuthPages(context.asAbsolutePath('media/auth'));
  pages.catch(() => undefined);
  const auth = disposables.add(AuthService.create({ secrets, shared: context.globalState, getConfig, log, pages }));
  const apiKeys = disposables.add(new ApiKeyStore(secrets, log));
  const choiceState = {
    get: () => context.globalState.get<ActiveChoice>(ACTIVE_CHOICE_KEY),
    set: async (choice: ActiveChoice | undefined) => context.globalState.update(ACTIVE_CHOICE_KEY, choice),
  };
  const adc = disposables.add(new AdcStore(secrets, log));
  const credentials = disposables.add(new ActiveCredentialService(auth, apiKeys, choiceState, adc));
  const provider = disposables.add(
    new GeminiAuthenticationProvider(auth, {
      log,
      redactor,
      onSignedIn: async (session) => {
        await credentials.choose({ kind: 'oauth', accountId: session.account.id });
      },
    }),
  );
  const activity = disposables.add(new Activity({ globalState: context.globalState, auth, apiKeys, settings, log, env: process.env }));
  const backend = () => selectedBackend(settings.all());
  const gemini = new GeminiClient({
    baseUrl: () => settings.get('apiBaseUrl'),
    backend,
    log,
    userAgent: `gemini-vscode/${context.extension.packageJSON.version ?? 'dev'} vscode/${vscode.version}`,
    onRequestFinished: activity.onRequestFinished,
  });
  const catalog = new ModelCatalog(gemini, () => backend().key);
  const models = disposables.add(new ModelChooser({ source: catalog, log, pinned: () => settings.get('model') }));
  const forgetModels = () => {
    catalog.clear();
    models.clear();
  };
  disposables.add(credentials.onDidChange(forgetModels));
  disposables.add(settings.onDidChange((keys) => keys.some((k) => SERVER_SETTINGS.includes(k)) && forgetModels()));

  // One token cache per import, so requests share the ADC access token until it nears expiry.
  let adcTokens: { importedAt: number; source: AdcTokenSource } | undefined;
  const adcTokenSource = (active: Extract<ActiveCredential, { kind: 'adc' }>) => {
    if (adcTokens?.importedAt !== active.adc.importedAt) {
      adcTokens = { importedAt: active.adc.importedAt, source: new AdcTokenSource(active.adc.credentials, () => settings.get('tokenEndpoint') || GOOGLE_ENDPOINTS.token) };
    }
    return adcTokens.source;
  };
  const activeCredential = async (): Promise<LmCredential | undefined> => {
    const active = await credentials.current();
    if (!active) return undefined;
    if (active.kind === 'apiKey') redactor.add(active.apiKey.key);
    if (active.kind === 'adc') for (const secret of adcSecrets(active.adc.credentials)) redactor.add(secret);
    const provider = credentialProviderFor(active, auth, () => settings.get('quotaProject'), adcTokenSource);
    return { kind: provider.kind, label: active.label, provider };
  };
  const languageModels = new LanguageModelService({
    client: gemini,
    listModels: (credential, signal) => catalog.list(credential, signal),
    credential: activeCredential,
    log,
  });
  const onLoopback = (url: () => URL) => {
    try {
      return isLoopbackHost(url().hostname);
    } catch {
      return false;
    }
  };
  const isEmulator = () => onLoopback(() => backend().listUrl()) || onLoopback(() => new URL(settings.get('authorizationEndpoint')));
  return {
    log,
    redactor,
    settings,
    auth,
    provider,
    oauthClients,
    apiKeys,
    adc,
    credentials,
    gemini,
    catalog,
    /** Requests made by VS Code's chat and other extensions (the `gemini-vscode` language models). */
    languageModels,
    /** Which model a request uses: the pinned `gemini.model`, or the automatic choice for its credential. */
    models,
    activity,
    /** The active credential, resolved once, with its label; undefined when signed out. */
    activeCredential,
    /** Where requests go now (`gemini.backend` and its settings); its `key` keys the model caches. */
    backend,
    /** True when the extension talks to servers on this machine (the local emulator), so the UI can say so. */
    isEmulator,
    hasOAuthClient: async () => Boolean(await resolveClient()),
  } as const;
}
