import * as assert from 'node:assert/strict';
import { RESOURCE_MANAGER_URL, listProjects, resourceManagerUrl, vertexBackend, type VertexSettings } from '../../../src/core/backends';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';
import { responseText } from '../../../src/core/gemini/response';
import { generativeModels } from '../../../src/core/models/modelCatalog';
import { FAKE_API_KEY, startFakeGemini, type FakeGemini } from '../../fakes/gemini';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google';
import { startFakeVertex, type FakeVertex } from '../../fakes/vertex';
import { RecordingLogger } from '../../support/helpers';

const request = { contents: [{ role: 'user' as const, parts: [{ text: 'Summarize: VERTEX-PROMPT the quick brown fox.' }] }] };

async function rejects(promise: Promise<unknown>, kind: string): Promise<GeminiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GeminiError, String(err));
    assert.equal(err.kind, kind, err.message);
    return err;
  }
  assert.fail(`expected ${kind}`);
}

describe('TestGeminiClient on Vertex AI (fake Vertex → fake Gemini, tokens from the fake Google)', function () {
  let google: FakeGoogle;
  let gemini: FakeGemini;
  let vertex: FakeVertex;
  let log: RecordingLogger;
  let sleeps: number[];
  let settings: VertexSettings;
  let credential: CredentialProvider;

  before(async () => {
    google = await startFakeGoogle();
    gemini = await startFakeGemini({ acceptBearer: (t) => google.isValidAccessToken(t) });
    vertex = await startFakeVertex({ gemini, tokenInfo: (t) => google.accessTokenInfo(t) });
  });
  after(async () => {
    await Promise.all([vertex.close(), gemini.close(), google.close()]);
  });
  beforeEach(async () => {
    gemini.reset();
    vertex.reset();
    log = new RecordingLogger();
    sleeps = [];
    settings = { project: 'gemini-vertex-test', location: 'global', baseUrl: vertex.baseUrl };
    const refreshToken = google.issueRefreshToken('alice@example.com');
    credential = await signedIn(refreshToken);
  });

  /** A Google-account credential whose token comes from the fake Google's refresh grant. */
  async function signedIn(refreshToken: string): Promise<CredentialProvider> {
    const res = await fetch(google.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: google.client.clientId, client_secret: google.client.clientSecret }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    return oauthCredential({ id: 'alice', getAccessToken: async () => token, quotaProject: () => 'some-other-quota-project' });
  }

  function client(): TestGeminiClient {
    return new TestGeminiClient({
      baseUrl: gemini.baseUrl,
      backend: () => vertexBackend(settings),
      credential: () => credential,
      log,
      retry: { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    });
  }

  it('streams an answer from the Vertex path with Bearer and x-goog-user-project = the project', async () => {
    const parts: string[] = [];
    for await (const r of client().streamGenerateContent('gemini-3.8-flash', request)) parts.push(responseText(r));
    assert.match(parts.join(''), /answered by `gemini-3\.8-flash`/);
    const sent = vertex.requests.at(-1);
    assert.equal(sent?.path, '/v1/projects/gemini-vertex-test/locations/global/publishers/google/models/gemini-3.8-flash:streamGenerateContent');
    assert.equal(sent?.operation, 'streamGenerateContent');
    assert.equal(sent?.headers['x-goog-user-project'], 'gemini-vertex-test', 'the project, not gemini.quotaProject');
    assert.match(String(sent?.headers.authorization), /^Bearer ya29\./);
    assert.equal(sent?.headers['x-goog-api-key'], undefined);
  });

  it('generates and counts tokens (with a system instruction) in Vertex shape', async () => {
    const answer = await client().generateContent('gemini-3.8-flash', request);
    assert.match(responseText(answer), /fake Gemini server/);
    const counted = await client().countTokens('gemini-3.8-flash', { ...request, systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    assert.ok(counted.totalTokens > 10);
  });

  it('never sends an API key to Vertex: refused before any request', async () => {
    credential = apiKeyCredential(FAKE_API_KEY);
    const err = await rejects(client().generateContent('gemini-3.8-flash', request), 'noCredential');
    assert.match(err.message, /never an API key/);
    assert.equal(vertex.requests.length, 0);
  });

  it('lists the publisher models page by page, offering only gemini-* models to the picker', async () => {
    const models = generativeModels(await client().listModels());
    const ids = models.map((m) => m.id);
    assert.ok(ids.includes('gemini-3.5-flash') && ids.includes('gemini-3.8-flash'), ids.join());
    assert.ok(ids.every((id) => id.startsWith('gemini-') && !/embedding|-live/.test(id)), ids.join());
    assert.ok(vertex.requests.filter((r) => r.operation === 'listModels').length > 1, 'paged');
  });

  it('SERVICE_DISABLED: offers the enable page of the project', async () => {
    settings = { ...settings, project: 'api-off-project' };
    const err = await rejects(client().generateContent('gemini-3.8-flash', request), 'apiNotEnabled');
    assert.match(err.message, /aiplatform\.googleapis\.com/);
    assert.match(err.message, /api-off-project/);
    assert.deepEqual(err.action, { kind: 'openUrl', page: 'enableVertexApi', url: 'https://console.cloud.google.com/apis/library/aiplatform.googleapis.com?project=api-off-project' });
  });

  it('IAM_PERMISSION_DENIED: names roles/aiplatform.user', async () => {
    settings = { ...settings, project: 'billing-only-project' };
    const err = await rejects(client().streamGenerateContent('gemini-3.8-flash', request).next(), 'permissionDenied');
    assert.match(err.message, /roles\/aiplatform\.user/);
    assert.match(err.message, /billing-only-project/);
    assert.equal(err.reason, 'IAM_PERMISSION_DENIED');
  });

  it('404 for a Gemini 3 model in a region: suggests the global location', async () => {
    settings = { ...settings, location: 'us-central1' };
    const err = await rejects(client().generateContent('gemini-3.5-flash', request), 'modelNotFound');
    assert.match(err.message, /'gemini-3\.5-flash' is not served in project gemini-vertex-test, location us-central1/);
    assert.match(err.message, /global/);
    assert.deepEqual(err.action, { kind: 'openSettings', setting: 'gemini.vertex.location' });
    settings = { ...settings, location: 'global' };
    await client().generateContent('gemini-3.5-flash', request);
  });

  it('429 without RetryInfo: backs off and retries, then suggests global', async () => {
    settings = { ...settings, location: 'europe-west4' };
    vertex.enqueue('quotaNoRetryInfo', 4);
    const err = await rejects(client().generateContent('gemini-3.8-flash', request), 'quotaExhausted');
    assert.equal(sleeps.length, 3, 'three backoff waits');
    assert.ok(sleeps[1] > sleeps[0] && sleeps[2] > sleeps[1], `growing backoff ${sleeps.join()}`);
    assert.match(err.message, /europe-west4/);
    assert.match(err.message, /"global" location/);
    assert.deepEqual(err.action, { kind: 'openSettings', setting: 'gemini.vertex.location' });
  });

  it('429 once without RetryInfo: the retry answers', async () => {
    vertex.enqueue('quotaNoRetryInfo');
    const answer = await client().generateContent('gemini-3.8-flash', request);
    assert.match(responseText(answer), /fake Gemini/);
    assert.equal(sleeps.length, 1);
  });

  it('a token without the cloud-platform scope is refused by Vertex, and the message says so', async () => {
    credential = await signedIn(google.issueRefreshToken('bob@example.com', ['openid', 'email']));
    const err = await rejects(client().generateContent('gemini-3.8-flash', request), 'permissionDenied');
    assert.match(err.message, /cloud-platform/);
  });

  it('answers from the fake Gemini keep their scripting (a stream that breaks mid-way)', async () => {
    gemini.enqueue({ frames: 4, dieAfterFrames: 2 });
    const parts: string[] = [];
    const err = await rejects(
      (async () => {
        for await (const r of client().streamGenerateContent('gemini-3.8-flash', request)) parts.push(responseText(r));
      })(),
      'streamInterrupted',
    );
    assert.equal(parts.length, 2);
    assert.match(err.message, /partial answer is kept/);
  });

  it('projects.list: every page, sorted, from the emulator only when Vertex itself is on loopback', async () => {
    assert.equal(resourceManagerUrl({ location: 'global', baseUrl: '' }).href, `${RESOURCE_MANAGER_URL}/`);
    assert.equal(resourceManagerUrl({ location: 'global', baseUrl: 'https://eu-aiplatform.googleapis.com' }).href, `${RESOURCE_MANAGER_URL}/`);
    const base = resourceManagerUrl({ location: 'global', baseUrl: vertex.baseUrl });
    assert.equal(base.origin, vertex.baseUrl);
    const projects = await listProjects(base, credential);
    assert.deepEqual(
      projects.map((p) => p.projectId),
      ['api-off-project', 'billing-only-project', 'gemini-vertex-test', 'team-sandbox-42'],
    );
    assert.equal(projects.find((p) => p.projectId === 'gemini-vertex-test')?.name, 'Gemini Vertex Test');
    assert.ok(vertex.requests.filter((r) => r.operation === 'listProjects').length > 1, 'paged');
    await assert.rejects(listProjects(base, apiKeyCredential(FAKE_API_KEY)), (err: GeminiError) => err.status === 401);
  });
});
