import * as vscode from 'vscode';
import type { DisposableStore } from '../../core/common/events';
import type { CredentialProvider } from '../../core/gemini/credentials';
import { isThinkingModel, type ThinkingLevelSetting } from '../../core/gemini/thinking';
import { generateFromSelection, summarizeSelection, type AiCommandDeps } from '../commands/ai';
import { reportError } from '../errorReporter';
import type { Services } from '../services';
import { TEST_BUILD } from '../testHooks';
import { RESULT_VIEW_TYPE, ResultsPanelManager } from './panel';
import { errorName } from '../../core/common/values';

/** Registers the results panel (and its serializer) and the Summarize / Generate commands. */
export function registerResults(services: Services, disposables: DisposableStore): ResultsPanelManager {
  const results = disposables.add(
    new ResultsPanelManager({
      extensionUri: services.context.extensionUri,
      gemini: services.gemini,
      log: services.log,
      thinkingFor: (model, credential, signal) => thinkingFor(services, model, credential, signal),
    }),
  );
  disposables.add(
    vscode.window.registerWebviewPanelSerializer(RESULT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => results.revive(panel, state),
    }),
  );

  const deps: AiCommandDeps = { services, results };
  const command = (id: string, run: () => Promise<void>) =>
    disposables.add(
      vscode.commands.registerCommand(id, async () => {
        try {
          await run();
        } catch (err) {
          await reportError(id.replace(/^gemini\./, ''), err, services.log);
        }
      }),
    );
  command('gemini.summarizeSelection', () => summarizeSelection(deps));
  command('gemini.generate', () => generateFromSelection(deps));

  // See testHooks.ts.
  if (TEST_BUILD && process.env.GEMINI_VSCODE_TESTING === '1') {
    disposables.add(vscode.commands.registerCommand('gemini.results.testState', () => results.testState()));
    disposables.add(vscode.commands.registerCommand('gemini.results.testMessage', (message: unknown) => results.onMessage(message)));
  }
  return results;
}

/** How long the model lookup for the thinking decision may take (it is usually cached by then). */
const THINKING_LOOKUP_TIMEOUT_MS = 5000;

/** `gemini.thinkingLevel` when `model` thinks (per its models.list entry), else undefined. */
async function thinkingFor(services: Services, model: string, credential: CredentialProvider, signal: AbortSignal): Promise<ThinkingLevelSetting | undefined> {
  let entry;
  try {
    const lookup = AbortSignal.any([signal, AbortSignal.timeout(THINKING_LOOKUP_TIMEOUT_MS)]);
    entry = await services.catalog.find(credential, model, lookup);
  } catch (err) {
    services.log.debug(`[results] model lookup failed (${errorName(err)}); deciding about thinking from the model id`);
  }
  return isThinkingModel(model, entry) ? services.settings.get('thinkingLevel') : undefined;
}
