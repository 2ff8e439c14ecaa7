import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import { explainVertexError } from '../../src/core/backends/vertex';
import { GeminiError } from '../../src/core/gemini/errors';
import { toUserError } from '../../src/vscode/errorReporter';
import type { ResultsTestState } from '../../src/vscode/results/manager';
import { startEmulator, type Emulator } from '../fakes/emulator';
import { EXTENSION_ID } from '../support/helpers';
import { resetSettings, signOutEverything, useEmulator, type Services } from './support';

const scopes = ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'];
const VERTEX_SETTINGS = ['gemini.backend', 'gemini.vertex.project', 'gemini.vertex.location'];

async function latest() {
  const state = (await vscode.commands.executeCommand<ResultsTestState>('gemini.results.testState'))!;
  return state.results.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
}

async function summarizeSample(text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ content: `# Notes\n\n${text}\n`, language: 'markdown' });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  editor.selection = new vscode.Selection(2, 0, 3, 0);
  await vscode.commands.executeCommand('gemini.summarizeSelection');
}

describe('Vertex AI in the extension host', function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let s: Services;
  let api: TestingApi;
  let dir: string;

  before(async () => {
    emulator = await startEmulator();
    s = await useEmulator(emulator);
    api = (await vscode.extensions.getExtension<TestingApi>(EXTENSION_ID)!.activate())!;
    dir = mkdtempSync(path.join(os.tmpdir(), 'gemini-adc-'));
  });
  beforeEach(() => {
    emulator.vertex.reset();
    emulator.gemini.reset();
  });
  after(async () => {
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    rmSync(dir, { recursive: true, force: true });
    await s.adc.remove();
    await signOutEverything(s);
    const config = vscode.workspace.getConfiguration();
    for (const key of VERTEX_SETTINGS) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await resetSettings(emulator);
    await emulator.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Select Backend (Vertex, a project, global), then Summarize: the Vertex route with the project header, the footer names project and location', async () => {
    const session = await s.auth.createSession(scopes, { openBrowser: async (url) => (await emulator.google.consentAndFollow(url, { email: 'alice@example.com' })) === 200 });
    await s.credentials.choose({ kind: 'oauth', accountId: session.account.id });
    assert.equal(await vscode.commands.executeCommand('gemini.selectBackend', { backend: 'vertex', project: 'gemini-vertex-test', location: 'global' }), true);
    assert.equal(s.settings.get('backend'), 'vertex');
    assert.equal(vscode.workspace.getConfiguration().inspect('gemini.vertex.project')?.globalValue, 'gemini-vertex-test', 'saved to user settings');

    await summarizeSample('Vertex answers come from a project and a location.');
    const result = await latest();
    assert.equal(result.status, 'done', JSON.stringify(result.error));
    assert.match(result.sourceLabel, /^Vertex AI · gemini-vertex-test · global \(alice@example\.com\)$/);
    assert.match(result.text, /fake Gemini server/);

    const streamed = emulator.vertex.requests.filter((r) => r.operation === 'streamGenerateContent');
    assert.equal(streamed.length, 1);
    assert.equal(streamed[0].project, 'gemini-vertex-test');
    assert.equal(streamed[0].location, 'global');
    assert.equal(streamed[0].headers['x-goog-user-project'], 'gemini-vertex-test');
    assert.equal(streamed[0].headers['x-goog-api-key'], undefined);
    assert.equal(emulator.gemini.requests.filter((r) => r.headers['x-goog-api-key'] !== undefined).length, 0, 'no API key anywhere');
  });

  it('imports a temporary authorized_user ADC file only when confirmed, then summarizes with it', async () => {
    const file = path.join(dir, 'application_default_credentials.json');
    const refreshToken = emulator.google.issueRefreshToken('bob@example.com');
    writeFileSync(
      file,
      JSON.stringify({ type: 'authorized_user', client_id: emulator.google.client.clientId, client_secret: emulator.google.client.clientSecret, refresh_token: refreshToken, quota_project_id: 'team-sandbox-42' }),
    );
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;

    assert.equal(await api.importAdc(false), false, 'declined');
    assert.equal(await s.adc.get(), undefined, 'nothing stored when declined');

    assert.equal(await api.importAdc(true), true);
    const active = await s.credentials.current();
    assert.equal(active?.kind, 'adc');
    assert.equal(active?.label, 'ADC: bob@example.com', 'the email comes from the ID token of the check');
    const stored = await s.context.secrets.get('gemini.adc');
    assert.ok(stored?.includes(refreshToken), 'the copy is in SecretStorage');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('gemini')).includes(refreshToken));

    await summarizeSample('Application Default Credentials reach Vertex too.');
    const result = await latest();
    assert.equal(result.status, 'done', JSON.stringify(result.error));
    assert.match(result.sourceLabel, /^Vertex AI · gemini-vertex-test · global \(ADC: bob@example\.com\)$/);
    const streamed = emulator.vertex.requests.filter((r) => r.operation === 'streamGenerateContent').at(-1);
    const token = /^Bearer (.+)$/.exec(String(streamed?.headers.authorization))?.[1] ?? '';
    assert.equal(emulator.google.accessTokenInfo(token)?.email, 'bob@example.com');
    assert.equal(streamed?.headers['x-goog-user-project'], 'gemini-vertex-test', 'Vertex bills its project, not the file\'s quota project');
  });

  it('refuses a file of an unsupported type and stores nothing', async () => {
    await s.adc.remove();
    const file = path.join(dir, 'federation.json');
    writeFileSync(file, JSON.stringify({ type: 'external_account', audience: '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/x', credential_source: { file: '/tmp/t' } }));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    assert.equal(await api.importAdc(true), false);
    assert.equal(await s.adc.get(), undefined);
  });
});

describe('Vertex AI errors as buttons (errorReporter.userAction)', () => {
  const at = { project: 'my-project', location: 'europe-west4', model: 'gemini-3.8-flash' };
  const labels = (error: GeminiError) => toUserError(explainVertexError(error, at)).actions.map((a) => a.label);
  for (const [name, error, expected] of [
    ['API not enabled', new GeminiError({ kind: 'apiNotEnabled', message: 'x', status: 403 }), ['Enable Vertex AI API']],
    ['IAM denied', new GeminiError({ kind: 'permissionDenied', message: 'x', status: 403 }), ['Open IAM']],
    ['quota project refused', new GeminiError({ kind: 'quotaProjectMissing', message: 'x', status: 403 }), ['Set Project']],
    ['model not in the region', new GeminiError({ kind: 'modelNotFound', message: 'x', status: 404 }), ['Change Location']],
  ] as const) {
    it(`${name}: ${expected.join(', ')}`, () => assert.deepEqual(labels(error), expected));
  }

  it('regional quota is a location change; global quota opens the quotas page', () => {
    const error = new GeminiError({ kind: 'quotaExhausted', message: 'x', status: 429 });
    assert.deepEqual(labels(error), ['Change Location']);
    assert.deepEqual(toUserError(explainVertexError(error, { ...at, location: 'global' })).actions.map((a) => a.label), ['Open Quotas']);
  });
});
