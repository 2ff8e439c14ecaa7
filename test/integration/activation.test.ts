import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

import { EXTENSION_ID as extensionId } from '../support/helpers';

describe('extension host', () => {
  it('finds and activates the extension without error', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is installed in the host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
