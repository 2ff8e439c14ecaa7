import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ResultsTestState } from '../../src/vscode/results/manager';
import type { Emulator } from '../fakes/emulator';
import { signOutEverything, withEmulator, type Services } from './support';

const SAMPLE = ['# Sample', '', 'The loopback redirect now works on remote hosts.', 'Tokens are refreshed before they expire.', '', 'UNSELECTED TAIL LINE', ''].join('\n');
const INSTRUCTION = 'Summarize for the integration test in two bullets.';
const ANSWER = '## Summary\n\n- Redirects work remotely.\n- Tokens refresh early.\n\n```ts\nconst ok = true;\n```\n';

async function state(): Promise<ResultsTestState> {
  return (await vscode.commands.executeCommand<ResultsTestState>('gemini.results.testState'))!;
}

async function message(msg: unknown): Promise<void> {
  await vscode.commands.executeCommand('gemini.results.testMessage', msg);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function latest() {
  const s = await state();
  return s.results.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
}

/** Opens SAMPLE in an editor and selects lines 3–4 (the two sentences). */
async function openSample(content = SAMPLE): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'markdown' });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  editor.selection = new vscode.Selection(2, 0, 4, 0);
  return editor;
}

describe('Summarize / Generate and the results panel (extension host)', function () {
  this.timeout(60_000);
  const env = withEmulator();
  let emulator: Emulator;
  let s: Services;

  before(async () => {
    ({ emulator, services: s } = env);
    await vscode.workspace.getConfiguration().update('gemini.summarize.instruction', INSTRUCTION, vscode.ConfigurationTarget.Global);
    await s.apiKeys.set(emulator.apiKey);
    await s.credentials.choose({ kind: 'apiKey' });
  });
  beforeEach(() => {
    emulator.gemini.reset();
  });
  after(async () => {
    await vscode.workspace.getConfiguration().update('gemini.summarize.instruction', undefined, vscode.ConfigurationTarget.Global);
    for (let i = 0; i < 20 && vscode.window.visibleTextEditors.length + vscode.window.tabGroups.all.flatMap((g) => g.tabs).length > 0; i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('sends the selection with the configured instruction and streams the answer into the gemini.result panel', async () => {
    emulator.gemini.setScenario({ text: ANSWER, frames: 12, frameDelayMs: 20 });
    await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');

    const request = emulator.gemini.modelRequests('streamGenerateContent').at(-1);
    assert.ok(request, 'a streamGenerateContent request reached the fake');
    assert.equal(request.query.alt, 'sse');
    assert.equal(request.headers['x-goog-api-key'], emulator.apiKey);
    const body = request.json as { systemInstruction?: { parts: { text: string }[] }; contents: { parts: { text: string }[] }[] };
    assert.equal(body.systemInstruction?.parts[0].text, INSTRUCTION);
    const userText = body.contents[0].parts[0].text;
    assert.match(userText, /The loopback redirect now works on remote hosts\.\nTokens are refreshed before they expire\./);
    assert.doesNotMatch(userText, /UNSELECTED TAIL LINE/, 'only the selection is sent');

    const result = await latest();
    assert.equal(result.status, 'done');
    assert.equal(result.text, ANSWER);
    assert.equal(result.model, 'gemini-3.8-flash', 'the model (chosen automatically) is shown');
    assert.equal(result.title, `Summary of ${vscode.window.activeTextEditor?.document.uri.path}, lines 3–4`);
    assert.ok(result.usage && result.usage.totalTokenCount > 0, 'token usage recorded');
    assert.equal((await state()).panelOpen, true);
    // The tab model reaches the extension host a moment after the panel exists; give it that moment under load.
    const findTab = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('gemini.result'));
    for (let i = 0; i < 50 && !findTab(); i++) await new Promise((r) => setTimeout(r, 100));
    const tab = findTab();
    assert.ok(tab, 'a gemini.result webview tab is open');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), SAMPLE, 'focus stayed on the editor');
  });

  it('the webview receives the answer as batched append messages, then done', async () => {
    await until('the webview to be ready', async () => (await state()).ready);
    const before = await state();
    emulator.gemini.setScenario({ text: ANSWER.repeat(20), frames: 40, frameDelayMs: 15 });
    await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const after = await state();
    const appends = (after.posted.append ?? 0) - (before.posted.append ?? 0);
    assert.ok(appends >= 1, `append messages: ${appends}`);
    assert.ok(appends < 40, `appends are batched (${appends} for 40 frames)`);
    assert.equal(after.appendedChars - before.appendedChars, ANSWER.length * 20, 'every character was sent exactly once');
    assert.equal((after.posted.done ?? 0) - (before.posted.done ?? 0), 1);
    assert.equal(after.shownId, (await latest()).id);
  });

  it('a thinking model: asks for thoughts at gemini.thinkingLevel, keeps them apart, Insert puts only the answer', async () => {
    const THOUGHTS = '**Reading the notes**\n\nTwo sentences about redirects and tokens.\n\n**Planning**\n\nTwo bullets.\n';
    await vscode.workspace.getConfiguration().update('gemini.thinkingLevel', 'low', vscode.ConfigurationTarget.Global);
    try {
      await until('the webview to be ready', async () => (await state()).ready);
      const before = await state();
      emulator.gemini.setScenario({ text: ANSWER, thoughts: THOUGHTS, thoughtFrames: 3, frames: 4, frameDelayMs: 20 });
      const editor = await openSample();
      await vscode.commands.executeCommand('gemini.summarizeSelection');

      const request = emulator.gemini.modelRequests('streamGenerateContent').at(-1)!;
      const body = request.json as { generationConfig?: unknown };
      assert.deepEqual(body.generationConfig, { thinkingConfig: { includeThoughts: true, thinkingLevel: 'low' } });
      const result = await latest();
      assert.equal(result.status, 'done');
      assert.equal(result.text, ANSWER, 'the answer holds no thought');
      assert.equal(result.thoughts, THOUGHTS);
      assert.ok(typeof result.thinkingMs === 'number' && result.thinkingMs >= 0, `thinkingMs ${result.thinkingMs}`);
      assert.equal(result.usage?.thoughtsTokenCount, Math.ceil(THOUGHTS.length / 4));
      assert.equal(result.usage?.candidatesTokenCount, Math.ceil(ANSWER.length / 4), 'the answer count leaves thinking out');
      const after = await state();
      assert.equal(after.appendedThoughtChars - before.appendedThoughtChars, THOUGHTS.length, 'the webview got the thoughts once');
      assert.equal(after.appendedChars - before.appendedChars, ANSWER.length);

      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await message({ type: 'insert', id: result.id });
      const text = editor.document.getText();
      assert.ok(text.startsWith(ANSWER), text.slice(0, 60));
      assert.doesNotMatch(text, /Reading the notes|Planning/);
    } finally {
      await vscode.workspace.getConfiguration().update('gemini.thinkingLevel', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a model that refuses the thinking options is asked again without them and answers', async () => {
    emulator.gemini.enqueue({ rejectThinking: true });
    emulator.gemini.setScenario({ text: ANSWER, frames: 3 });
    await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const requests = emulator.gemini.modelRequests('streamGenerateContent');
    assert.deepEqual(requests.map((r) => r.status), [400, 200]);
    assert.ok((requests[0]!.json as { generationConfig?: unknown }).generationConfig, 'first with the thinking options');
    assert.equal((requests[1]!.json as { generationConfig?: unknown }).generationConfig, undefined, 'then without them');
    const result = await latest();
    assert.equal(result.status, 'done');
    assert.equal(result.text, ANSWER);
    assert.equal(result.thoughts, undefined);
  });

  it('Replace writes to the original document and range even after focus moved', async () => {
    emulator.gemini.setScenario({ text: 'REPLACED', frames: 2 });
    const editor = await openSample();
    const original = editor.document;
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const { id } = await latest();
    const other = await vscode.workspace.openTextDocument({ content: 'other document', language: 'plaintext' });
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    await message({ type: 'replace', id });
    assert.equal(original.getText(), SAMPLE.replace('The loopback redirect now works on remote hosts.\nTokens are refreshed before they expire.\n', 'REPLACED'));
    assert.equal(other.getText(), 'other document');
  });

  it('Replace refuses when the document changed since the request', async () => {
    emulator.gemini.setScenario({ text: 'SHOULD NOT APPEAR', frames: 2 });
    const editor = await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const { id } = await latest();
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'edited '));
    const changed = editor.document.getText();
    await message({ type: 'replace', id });
    assert.equal(editor.document.getText(), changed);
    assert.doesNotMatch(editor.document.getText(), /SHOULD NOT APPEAR/);
  });

  it('Insert goes to the cursor of the original editor', async () => {
    emulator.gemini.setScenario({ text: 'INSERTED ', frames: 2 });
    const editor = await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const { id } = await latest();
    editor.selection = new vscode.Selection(0, 2, 0, 2);
    await message({ type: 'insert', id });
    assert.ok(editor.document.getText().startsWith('# INSERTED Sample'), editor.document.getText().slice(0, 40));
  });

  it('Stop aborts the request at once and keeps the partial answer', async () => {
    emulator.gemini.setScenario({ text: 'word '.repeat(400), frames: 100, frameDelayMs: 100 });
    await openSample();
    const command = vscode.commands.executeCommand('gemini.summarizeSelection');
    const streaming = await until('some streamed text', async () => {
      const r = (await state()).results.find((x) => x.status === 'streaming' && x.text.length > 0);
      return r;
    });
    const request = emulator.gemini.modelRequests('streamGenerateContent').at(-1)!;
    const stopAt = Date.now();
    await message({ type: 'stop', id: streaming.id });
    await command;
    const closed = await emulator.gemini.whenClosed(request.id);
    assert.ok(Date.now() - stopAt < 2000, 'the connection closed promptly');
    assert.equal(closed.outcome, 'clientClosed');
    assert.ok(closed.framesSent < 100, `frames sent: ${closed.framesSent}`);
    const result = (await state()).results.find((x) => x.id === streaming.id)!;
    assert.equal(result.status, 'stopped');
    assert.ok(result.text.length > 0 && 'word '.repeat(400).startsWith(result.text), 'the partial answer is kept');
  });

  it('an interrupted stream keeps the partial answer and reports a clear error', async () => {
    emulator.gemini.setScenario({ text: 'partial answer that will break '.repeat(10), frames: 10, dieAfterFrames: 4 });
    await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const result = await latest();
    assert.equal(result.status, 'error');
    assert.ok(result.text.length > 0, 'partial text kept');
    assert.ok(result.error?.message && result.error.message.length > 10, result.error?.message);
  });

  it('an error with a fix carries its action (invalid key → Set API Key)', async () => {
    emulator.gemini.setScenario({ error: 'invalidApiKey' });
    await openSample();
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    const result = await latest();
    assert.equal(result.status, 'error');
    assert.equal(result.text, '');
    assert.deepEqual(result.error?.action, { label: 'Set API Key' });
  });

  it("a server's modelVersion that is too long or not a string does not reach the panel", async () => {
    for (const modelVersion of ['gemini-2.5-flash-' + 'x'.repeat(300), 42, { name: 'x' }]) {
      emulator.gemini.setScenario({ modelVersion });
      await openSample();
      await vscode.commands.executeCommand('gemini.summarizeSelection');
      const result = await latest();
      assert.equal(result.status, 'done', JSON.stringify(result.error));
      assert.match(result.model, /^gemini-[\w.-]{1,60}$/, 'the requested model is shown instead');
    }
  });

  it('a standard key Google refuses → its message with "Create Key" and "Set API Key"', async () => {
    await s.apiKeys.set(emulator.standardApiKey);
    emulator.gemini.setRefuseStandardKeys(true);
    // Pinned, so the refusal comes from the answer's own request (with the automatic choice, the model lookup is
    // refused first, and that error is a notification carrying the same two actions).
    await vscode.workspace.getConfiguration().update('gemini.model', 'gemini-3.8-flash', vscode.ConfigurationTarget.Global);
    try {
      await openSample();
      await vscode.commands.executeCommand('gemini.summarizeSelection');
      const result = await latest();
      assert.equal(result.status, 'error');
      assert.match(result.error?.message ?? '', /type Google no longer accepts.*Google AI Studio/);
      assert.deepEqual(result.error?.action, { label: 'Create Key' });
      assert.deepEqual(result.error?.secondaryAction, { label: 'Set API Key' });
    } finally {
      await vscode.workspace.getConfiguration().update('gemini.model', undefined, vscode.ConfigurationTarget.Global);
      await s.apiKeys.set(emulator.apiKey);
    }
  });

  it('drops unknown and malformed webview messages without acting on them', async () => {
    const before = await state();
    await message({ type: 'evil', id: 'x' });
    await message({ type: 'openLink', href: 'javascript:alert(1)' });
    await message({ type: 'replace', id: '../../etc', extra: true });
    await message('not even an object');
    const after = await state();
    assert.deepEqual(after.results.map((r) => r.id), before.results.map((r) => r.id));
  });

  it('an empty document gets a message, not a request', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: '   \n', language: 'markdown' });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const n = emulator.gemini.modelRequests().length;
    await vscode.commands.executeCommand('gemini.summarizeSelection');
    assert.equal(emulator.gemini.modelRequests().length, n);
  });

  describe('the panel opens while the request is prepared', () => {
    const resultTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('gemini.result'));
    beforeEach(async () => {
      // A fresh window: no panel, and the model not chosen yet (models.list is asked again). The tab reaches the
      // extension host's tab model a moment after the panel exists: close it once it is there.
      await until('the panel to close', async () => {
        const tab = resultTab();
        if (tab) await vscode.window.tabGroups.close(tab);
        return !(await state()).panelOpen;
      });
      s.catalog.clear();
      s.models.clear();
    });

    it('its webview starts loading before models.list has answered', async () => {
      emulator.gemini.enqueue({ match: 'listModels', headerDelayMs: 1500 });
      await openSample();
      const command = vscode.commands.executeCommand('gemini.summarizeSelection');
      const list = await until('the panel to open and models.list to be asked', async () => (await state()).panelOpen && emulator.gemini.modelRequests('listModels').at(-1));
      assert.equal(list.status, undefined, 'the panel was open before models.list answered');
      await command;
      assert.equal((await latest()).status, 'done');
    });

    it('closes again when no request is sent', async () => {
      emulator.gemini.enqueue({ match: 'listModels', headerDelayMs: 1000, error: 'apiNotEnabled' });
      await openSample();
      const n = emulator.gemini.modelRequests('streamGenerateContent').length;
      const command = vscode.commands.executeCommand('gemini.summarizeSelection');
      await until('the panel to open', async () => (await state()).panelOpen);
      await until('the panel to close', async () => !(await state()).panelOpen);
      await vscode.commands.executeCommand('notifications.clearAll');
      await command;
      assert.equal(emulator.gemini.modelRequests('streamGenerateContent').length, n);
    });
  });

  it('with no credential it offers the sign-in choice instead of sending', async () => {
    await signOutEverything(s);
    try {
      await openSample();
      const n = emulator.gemini.modelRequests('streamGenerateContent').length;
      const command = vscode.commands.executeCommand('gemini.summarizeSelection');
      await new Promise((r) => setTimeout(r, 1000));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await command;
      assert.equal(emulator.gemini.modelRequests('streamGenerateContent').length, n);
    } finally {
      await vscode.workspace.getConfiguration().update('gemini.model', undefined, vscode.ConfigurationTarget.Global);
      await s.apiKeys.set(emulator.apiKey);
      await s.credentials.choose({ kind: 'apiKey' });
    }
  });
});
