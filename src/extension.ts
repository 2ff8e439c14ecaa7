import * as vscode from 'vscode';
import { DisposableStore } from './core/common/events';
import { generateFromSelection, summarizeSelection, type AiCommandDeps } from './vscode/commands/ai';
import { showSetupOffer, signIn, signOut, switchAccount } from './vscode/commands/accounts';
import { ApiKeyReminders, removeApiKey, setApiKey, useEnvironmentApiKey } from './vscode/commands/apiKey';
import { useApplicationDefaultCredentials } from './vscode/commands/adc';
import { selectBackend } from './vscode/commands/backend';
import { selectModel } from './vscode/commands/model';
import { configureOAuthClient } from './vscode/commands/oauthClient';
import { registerCommand } from './vscode/commands/register';
import { ContextKeys } from './vscode/contextKeys';
import { registerLanguageModels, TOGGLE_COMMAND, type GeminiLanguageModels } from './vscode/languageModels';
import { createLog } from './vscode/log';
import { registerActivityView } from './vscode/activity/panel';
import { registerResults } from './vscode/results';
import { createServices, type Services } from './vscode/services';
import { SettingsReader } from './vscode/settings';
import { AccountStatusBar } from './vscode/statusBar';
import { TEST_BUILD } from './vscode/testHooks';

/** Wiring only: build the services, hand them to the commands, status bar and panel, register everything. */
export function activate(context: vscode.ExtensionContext): TestingApi | undefined {
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);
  const { channel, log, redactor } = createLog();
  disposables.add(channel);
  const settings = disposables.add(new SettingsReader());
  const services = createServices(context, settings, log, redactor, disposables);

  const command = (id: string, run: (...args: unknown[]) => Promise<unknown>) => disposables.add(registerCommand(id, log, run));
  command('gemini.signIn', () => signIn(services));
  command('gemini.signOut', () => signOut(services));
  command('gemini.switchAccount', () => switchAccount(services));
  const configureClient = () => configureOAuthClient(services);
  command('gemini.configureOAuthClient', configureClient);
  const apiKeyDeps = {
    ...services,
    env: process.env,
    validate: async (key: string, signal: AbortSignal) => {
      const registration = redactor.add(key);
      try {
        await services.gemini.validateApiKey(key, { signal });
        services.activity.keyChecked(key);
      } catch (err) {
        services.activity.keyChecked(key, err);
        registration.dispose();
        throw err;
      }
    },
  };
  command('gemini.setApiKey', () => setApiKey(apiKeyDeps));
  command('gemini.removeApiKey', () => removeApiKey(apiKeyDeps));
  command('gemini.selectModel', () => selectModel(services));
  command('gemini.showLog', async () => channel.show());
  command('gemini.selectBackend', (arg) => selectBackend(services, arg));
  const adcDeps = { ...services, env: process.env };
  command('gemini.useApplicationDefaultCredentials', () => useApplicationDefaultCredentials(adcDeps));
  command('gemini.offerSetup', () =>
    showSetupOffer({
      hasOAuthClient: services.hasOAuthClient,
      env: process.env,
      run: {
        signIn: () => services.provider.signInInteractively(),
        configureOAuthClient: configureClient,
        useEnvironmentKey: () => useEnvironmentApiKey(apiKeyDeps),
        enterApiKey: () => setApiKey(apiKeyDeps, { offerEnvironmentKey: false }),
      },
    }),
  );

  const ai: AiCommandDeps = { ...services, results: registerResults(context.extensionUri, log, disposables), globalState: context.globalState };
  command('gemini.summarizeSelection', () => summarizeSelection(ai));
  command('gemini.generate', () => generateFromSelection(ai));
  const languageModels = registerLanguageModels({ ...services, globalState: context.globalState }, disposables);
  command(TOGGLE_COMMAND, () => languageModels.toggle());
  registerActivityView({ ...services, extensionUri: context.extensionUri }, disposables);
  disposables.add(new ContextKeys(services));
  disposables.add(new AccountStatusBar(services.credentials, settings, services.isEmulator, services.models));
  const reminder = new ApiKeyReminders(services.apiKeys, () => settings.get('rotationReminderDays'));
  disposables.add(services.credentials.onDidChange((active) => active?.kind === 'apiKey' && void reminder.check()));
  void services.credentials.refresh();
  log.info(`[activate] ready${services.isEmulator() ? ' (using the local emulator endpoints)' : ''}`);

  // See testHooks.ts.
  return TEST_BUILD && process.env.GEMINI_VSCODE_TESTING === '1'
    ? { services: { ...services, context }, languageModels, importAdc: (confirm) => useApplicationDefaultCredentials(adcDeps, async () => confirm) }
    : undefined;
}

export interface TestingApi {
  services: Services & { readonly context: vscode.ExtensionContext };
  languageModels: GeminiLanguageModels;
  /** "Use Application Default Credentials" with the modal answered `confirm`. */
  importAdc(confirm: boolean): Promise<boolean>;
}

export function deactivate(): void {}
