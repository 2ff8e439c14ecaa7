import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ActivityDoc } from '../../src/core/activity/model';
import { ACTIVITY_STATE_KEY } from '../../src/core/activity/store';
import type { Emulator } from '../fakes/emulator';
import { nextEvent } from '../support/helpers';
import { withEmulator, type Services } from './support';

describe('credential activity in the extension host', () => {
  const env = withEmulator();
  let emulator: Emulator;
  let s: Services;

  before(() => ({ emulator, services: s } = env));
  after(async () => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('counts a request in globalState, in a batch written after it, with the usage Google sent and no secret', async () => {
    await s.activity.store.clear();
    const changed = nextEvent(s.apiKeys.onDidChange, 10_000);
    await s.apiKeys.set(emulator.apiKey);
    await changed;
    await new Promise((resolve) => setTimeout(resolve, 200)); // the recorder reads the new key's date
    const credential = (await s.activeCredential())?.provider;
    assert.ok(credential);
    emulator.gemini.reset();
    for await (const _ of s.gemini.streamGenerateContent('gemini-3.5-flash', { contents: [{ role: 'user', parts: [{ text: 'Count me, do not keep me: zebra-prompt' }] }] }, { credential }));
    const sent = emulator.gemini.modelRequests('streamGenerateContent').at(-1)?.usage;
    assert.ok(sent);
    await s.activity.store.flush();
    const stored = s.context.globalState.get<ActivityDoc>(ACTIVITY_STATE_KEY);
    assert.ok(stored);
    const row = stored.usage.find((r) => r.credential.startsWith('apiKey:'));
    assert.equal(row?.prompt, sent.promptTokenCount);
    assert.equal(row?.answer, sent.candidatesTokenCount);
    assert.equal(row?.origin, 'extension');
    const raw = JSON.stringify(stored);
    assert.ok(!raw.includes(emulator.apiKey) && !raw.includes('zebra-prompt'), raw);
  });

  it('"Gemini: Show Credential Activity" opens one view, and opening it again reveals the same one', async () => {
    await vscode.commands.executeCommand('gemini.showActivity');
    await vscode.commands.executeCommand('gemini.showActivity');
    const activityTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('gemini.activity'));
    // The tab model reaches the extension host a moment after the panel is created.
    for (let i = 0; i < 50 && activityTabs().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const tabs = activityTabs();
    const all = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label}:${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input}`);
    assert.equal(tabs.length, 1, all.join(', '));
    assert.equal(tabs[0]?.label, 'Gemini Credential Activity');
  });
});
