import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoredResult } from '../../src/shared/protocol';
import type { ResultsTestState } from '../../src/vscode/results/manager';
import { startEmulator, type Emulator } from '../fakes/emulator';
import { resetSettings, signOutEverything, useEmulator, type Services } from './support';

async function latest(): Promise<StoredResult> {
  const { results } = (await vscode.commands.executeCommand<ResultsTestState>('gemini.results.testState'))!;
  return results.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
}

async function summarize(): Promise<StoredResult> {
  const doc = await vscode.workspace.openTextDocument({ content: '# Notes\n\nModels retire on announced dates.\nThe extension keeps up.\n', language: 'markdown' });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  editor.selection = new vscode.Selection(2, 0, 4, 0);
  await vscode.commands.executeCommand('gemini.summarizeSelection');
  return latest();
}

const setModel = (value: string | undefined) => vscode.workspace.getConfiguration().update('gemini.model', value, vscode.ConfigurationTarget.Global);

describe('no hard-coded model: automatic choice and retired models (extension host)', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let s: Services;
  /** The models the fake was asked to stream from, in order. */
  const streamedModels = () => emulator.gemini.modelRequests('streamGenerateContent').map((r) => r.model);

  before(async () => {
    emulator = await startEmulator();
    s = await useEmulator(emulator);
    await s.apiKeys.set(emulator.apiKey);
    await s.credentials.choose({ kind: 'apiKey' });
  });
  beforeEach(() => {
    emulator.gemini.reset();
    s.catalog.clear();
    s.models.clear();
  });
  afterEach(async () => setModel(undefined));
  after(async () => {
    await signOutEverything(s);
    await resetSettings(emulator);
    await emulator.close();
    for (let i = 0; i < 20 && vscode.window.tabGroups.all.flatMap((g) => g.tabs).length > 0; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('gemini.model defaults to empty: the request goes to the newest GA Flash model that models.list offers', async () => {
    assert.equal(vscode.workspace.getConfiguration().inspect('gemini.model')?.defaultValue, '');
    assert.equal(s.models.peek(), undefined, 'not chosen before the first use');
    const result = await summarize();
    assert.equal(result.status, 'done', result.error?.message);
    assert.deepEqual(streamedModels(), ['gemini-3.8-flash'], 'the fake was asked for the chosen model');
    assert.equal(result.model, 'gemini-3.8-flash', 'the answer names the resolved model');
    assert.deepEqual(s.models.peek(), { id: 'gemini-3.8-flash', automatic: true }, 'what the status bar shows');

    const lists = emulator.gemini.modelRequests('listModels').length;
    await summarize();
    assert.equal(emulator.gemini.modelRequests('listModels').length, lists, 'the choice (and the list) are kept, not asked for again');
  });

  it('the old default gemini-2.5-flash pinned in settings: one request, then a message naming it with Select Model', async () => {
    await setModel('gemini-2.5-flash');
    const result = await summarize();
    assert.equal(result.status, 'error');
    assert.match(result.error?.message ?? '', /'gemini-2\.5-flash'.*(not found|retired).*Select Model/);
    assert.equal(result.error?.action?.label, 'Select Model');
    assert.deepEqual(streamedModels(), ['gemini-2.5-flash'], 'a pinned model is not replaced behind the user\'s back, nor sent twice');
  });

  it('automatic, and Google retires the chosen model mid-session: chosen again and retried once without asking', async () => {
    assert.equal((await summarize()).model, 'gemini-3.8-flash');
    emulator.gemini.reset();
    emulator.gemini.retireModels('gemini-3.8-flash');

    const result = await summarize();
    assert.equal(result.status, 'done', result.error?.message);
    assert.deepEqual(streamedModels(), ['gemini-3.8-flash', 'gemini-3.5-flash'], 'the cached choice failed once, the new one answered');
    assert.equal(result.model, 'gemini-3.5-flash', 'the answer names the model that answered');
    assert.ok(emulator.gemini.modelRequests('listModels').length >= 1, 'the model list was asked for again');
    assert.deepEqual(s.models.peek(), { id: 'gemini-3.5-flash', automatic: true });

    await summarize();
    assert.deepEqual(streamedModels().slice(2), ['gemini-3.5-flash'], 'later requests go straight to the new choice');
  });

  it('automatic, and no model qualifies: a clear error with Select Model, and nothing is sent', async () => {
    emulator.gemini.retireModels('gemini-3.8-flash', 'gemini-3.5-flash', 'gemini-3-flash');
    const credential = (await s.activeCredential())?.provider;
    assert.ok(credential);
    await assert.rejects(s.models.choose(credential), (err: { message?: string; action?: { kind?: string } }) => {
      assert.match(err.message ?? '', /No model can be chosen automatically.*'Gemini: Select Model'/);
      assert.equal(err.action?.kind, 'selectModel');
      return true;
    });

    const results = (await vscode.commands.executeCommand<ResultsTestState>('gemini.results.testState'))!.results.length;
    const doc = await vscode.workspace.openTextDocument({ content: 'text\nmore\n', language: 'markdown' });
    (await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One })).selection = new vscode.Selection(0, 0, 1, 0);
    // The command ends when its error notification is closed: close it as a user would.
    let finished = false;
    const command = Promise.resolve(vscode.commands.executeCommand('gemini.summarizeSelection')).finally(() => (finished = true));
    for (let i = 0; i < 150 && !finished; i++) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await new Promise((r) => setTimeout(r, 100));
    }
    await command;
    assert.deepEqual(streamedModels(), []);
    assert.equal((await vscode.commands.executeCommand<ResultsTestState>('gemini.results.testState'))!.results.length, results, 'no result was started');
  });
});
