import * as vscode from 'vscode';
import type { DisposableStore } from '../../core/common/events';
import type { Logger } from '../../core/common/logger';
import { TEST_BUILD } from '../testHooks';
import { ResultsPanelManager } from './manager';
import { RESULT_VIEW_TYPE } from './panel';

/** The results panel and its serializer (registered during activation, so VS Code can restore the panel). */
export function registerResults(extensionUri: vscode.Uri, log: Logger, disposables: DisposableStore): ResultsPanelManager {
  const results = disposables.add(new ResultsPanelManager({ extensionUri, log }));
  disposables.add(
    vscode.window.registerWebviewPanelSerializer(RESULT_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => results.revive(panel, state),
    }),
  );
  // See testHooks.ts.
  if (TEST_BUILD && process.env.GEMINI_VSCODE_TESTING === '1') {
    disposables.add(vscode.commands.registerCommand('gemini.results.testState', () => results.testState()));
    disposables.add(vscode.commands.registerCommand('gemini.results.testMessage', (message: unknown) => results.onMessage(message)));
  }
  return results;
}
