import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID as extensionId } from '../support/helpers';
import { services } from './support';

describe('extension host', () => {
  it('finds and activates the extension without error', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is installed in the host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it("reads an empty or invalid user setting as the manifest's default (defaults live only in package.json)", async () => {
    const { settings } = await services();
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON.contributes.configuration.properties;
    const config = vscode.workspace.getConfiguration();
    try {
      await config.update('gemini.summarize.instruction', '  ', vscode.ConfigurationTarget.Global);
      await config.update('gemini.apiKey.rotationReminderDays', -3, vscode.ConfigurationTarget.Global);
      await config.update('gemini.oauth.tokenEndpoint', '', vscode.ConfigurationTarget.Global);
      assert.equal(settings.get('summarizeInstruction'), manifest['gemini.summarize.instruction'].default);
      assert.equal(settings.get('rotationReminderDays'), manifest['gemini.apiKey.rotationReminderDays'].default);
      assert.equal(settings.get('tokenEndpoint'), 'https://oauth2.googleapis.com/token');
      await config.update('gemini.summarize.instruction', ' Mine. ', vscode.ConfigurationTarget.Global);
      assert.equal(settings.get('summarizeInstruction'), 'Mine.');
    } finally {
      for (const key of ['gemini.summarize.instruction', 'gemini.apiKey.rotationReminderDays', 'gemini.oauth.tokenEndpoint']) {
        await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    }
  });
});
