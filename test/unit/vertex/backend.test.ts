import * as assert from 'node:assert/strict';
import { geminiApiBackend, parseModelPage, selectedBackend, vertexBackend, vertexBaseUrl } from '../../../src/core/backends';
import { apiKeyCredential } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';

const vertex = (project = 'my-project', location = 'global', baseUrl = '') => vertexBackend({ project, location, baseUrl });

function throwsKind(fn: () => unknown, kind: string, message?: RegExp): GeminiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GeminiError, String(err));
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail('expected a GeminiError');
}

describe('Vertex AI backend: URLs', () => {
  const hosts: [string, string][] = [
    ['global', 'https://aiplatform.googleapis.com/'],
    ['us-central1', 'https://us-central1-aiplatform.googleapis.com/'],
    ['europe-west4', 'https://europe-west4-aiplatform.googleapis.com/'],
  ];
  for (const [location, host] of hosts) {
    it(`uses ${host} for ${location} when gemini.vertex.baseUrl is empty`, () => {
      assert.equal(vertexBaseUrl({ location, baseUrl: '' }).href, host);
    });
  }

  it('builds the SPEC paths for generate, stream and countTokens, and the publisher model list', () => {
    const b = vertex('my-project', 'us-central1');
    assert.equal(
      b.modelUrl('streamGenerateContent', 'models/gemini-2.5-flash').href,
      'https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent',
    );
    assert.match(b.modelUrl('streamGenerateContent', 'models/gemini-2.5-flash').pathname, /\/models\/gemini-2\.5-flash:streamGenerateContent$/);
    assert.match(b.modelUrl('countTokens', 'models/gemini-2.5-flash').pathname, /:countTokens$/);
    assert.equal(b.listUrl().href, 'https://us-central1-aiplatform.googleapis.com/v1beta1/publishers/google/models');
  });

  it('escapes a domain-scoped project id and accepts a project number', () => {
    assert.match(vertex('example.com:my-project').modelUrl('streamGenerateContent', 'models/gemini-2.5-flash').pathname, /^\/v1\/projects\/example\.com%3Amy-project\/locations\/global\//);
    assert.match(vertex('123456789012').modelUrl('streamGenerateContent', 'models/gemini-2.5-flash').pathname, /^\/v1\/projects\/123456789012\//);
  });

  const badProjects = ['', '../other', 'My_Project', 'a/b', 'abc', 'x'.repeat(31), 'proj%2F..', 'my-project?x=1'];
  for (const project of badProjects) {
    it(`refuses project ${JSON.stringify(project)} before sending anything`, () => {
      const err = throwsKind(() => vertex(project).modelUrl('streamGenerateContent', 'models/gemini-2.5-flash'), 'invalidBaseUrl', /gemini\.vertex\.project|Select Backend/);
      assert.equal(err.action?.kind, 'openSettings');
      assert.equal(err.action?.setting, 'gemini.vertex.project');
    });
  }

  for (const location of ['US-CENTRAL1', 'us central1', '../x', 'us-central1/evil']) {
    it(`refuses location ${JSON.stringify(location)}`, () => {
      throwsKind(() => vertex('my-project', location).modelUrl('streamGenerateContent', 'models/gemini-2.5-flash'), 'invalidBaseUrl', /gemini\.vertex\.location/);
    });
  }

  it('takes gemini.vertex.baseUrl on loopback (the emulator), tolerating a version suffix', () => {
    assert.equal(vertexBaseUrl({ location: 'global', baseUrl: 'http://127.0.0.1:8123/v1/' }).href, 'http://127.0.0.1:8123/');
    assert.equal(vertexBaseUrl({ location: 'us-east4', baseUrl: 'https://us-east4-aiplatform.googleapis.com' }).host, 'us-east4-aiplatform.googleapis.com');
  });

  for (const baseUrl of ['http://vertex.example.com', 'https://vertex.example.com', 'https://aiplatform.googleapis.com.evil.io', 'https://user:pw@aiplatform.googleapis.com', 'ftp://127.0.0.1']) {
    it(`refuses gemini.vertex.baseUrl ${baseUrl}: only Google or loopback may receive the sign-in`, () => {
      const err = throwsKind(() => vertexBaseUrl({ location: 'global', baseUrl }), 'invalidBaseUrl', /gemini\.vertex\.baseUrl/);
      assert.deepEqual(err.action, { kind: 'openSettings', setting: 'gemini.vertex.baseUrl' });
    });
  }

  it('refuses tuned Gemini API models, which do not exist on Vertex', () => {
    throwsKind(() => vertex().modelUrl('streamGenerateContent', 'tunedModels/my-tune'), 'modelNotFound');
  });

  it('never admits an API key, and names the project in x-goog-user-project', () => {
    const err = throwsKind(() => vertex().admit(apiKeyCredential('AIza' + 'x'.repeat(35))), 'noCredential', /never an API key/);
    assert.match(err.message, /Use Application Default Credentials/);
    assert.match(err.message, /Select Backend/);
    assert.deepEqual(vertex('team-sandbox-42').headers(apiKeyCredential('AIza' + 'x'.repeat(35))), { 'x-goog-user-project': 'team-sandbox-42' });
  });

  it('labels and keys differ per project and location', () => {
    assert.equal(vertex('p-123456', 'us-central1').label, 'Vertex AI · p-123456 · us-central1');
    assert.notEqual(vertex('p-123456', 'us-central1').key, vertex('p-123456', 'global').key);
    assert.notEqual(vertex().key, geminiApiBackend('https://generativelanguage.googleapis.com').key);
    assert.equal(selectedBackend({ backend: 'vertex', apiBaseUrl: '', vertexProject: 'p-123456', vertexLocation: 'global', vertexBaseUrl: '' }).kind, 'vertex');
    assert.equal(selectedBackend({ backend: 'geminiApi', apiBaseUrl: 'https://generativelanguage.googleapis.com', vertexProject: 'p', vertexLocation: 'global', vertexBaseUrl: '' }).label, 'Gemini API');
  });

  it('counts tokens with the request fields themselves (no generateContentRequest wrapper)', () => {
    const request = { contents: [{ role: 'user' as const, parts: [{ text: 'hi' }] }], systemInstruction: { parts: [{ text: 'be brief' }] } };
    assert.deepEqual(vertex().countTokensBody('models/gemini-2.5-flash', request), request);
    assert.ok('generateContentRequest' in (geminiApiBackend('https://generativelanguage.googleapis.com').countTokensBody('models/x', request) as object));
  });
});

describe('Vertex AI backend: publisher model list', () => {
  it('offers only gemini-* text models, as Model entries the picker reads, with the page token', () => {
    const page = parseModelPage({
      publisherModels: [
        { name: 'publishers/google/models/gemini-3.5-flash', versionId: '001', launchStage: 'GA' },
        { name: 'publishers/google/models/gemini-2.0-flash', versionId: '001', launchStage: 'GA' },
        { name: 'publishers/google/models/gemini-3.6-pro-preview', launchStage: 'PUBLIC_PREVIEW' },
        { name: 'publishers/google/models/gemini-embedding-001', launchStage: 'GA' },
        { name: 'publishers/google/models/gemini-3.5-flash-live', launchStage: 'GA' },
        { name: 'publishers/google/models/imagen-4.0-generate-001', launchStage: 'GA' },
        { name: 'publishers/google/models/text-embedding-005' },
        { name: 'publishers/other/models/gemini-3.5-flash' },
        { name: 'publishers/google/models/gemini-<script>' },
        { name: 42 },
        null,
      ],
      nextPageToken: 'next-1',
    });
    assert.deepEqual(
      page.models.map((m) => m.name),
      ['models/gemini-3.5-flash', 'models/gemini-2.0-flash', 'models/gemini-3.6-pro-preview'],
    );
    assert.equal(page.nextPageToken, 'next-1');
    const [flash, old, preview] = page.models;
    assert.deepEqual(flash.supportedGenerationMethods, ['generateContent', 'countTokens']);
    assert.equal(flash.thinking, true);
    assert.equal(old.thinking, undefined);
    assert.match(preview.description ?? '', /public preview/);
  });

  it('survives a body that is not the expected shape', () => {
    assert.deepEqual(parseModelPage({ publisherModels: 'nope', nextPageToken: 7 }), { models: [] });
    assert.deepEqual(parseModelPage(null), { models: [] });
  });
});
