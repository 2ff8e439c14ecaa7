import * as assert from 'node:assert/strict';
import { TestGeminiClient } from '../../support/geminiClient';
import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../../../src/core/gemini/credentials';
import { GeminiError } from '../../../src/core/gemini/errors';
import type { Model } from '../../../src/core/gemini/types';
import { ModelCatalog, generativeModels, type ModelInfo } from '../../../src/core/models/modelCatalog';
import { AUTOMATIC_MODEL_TTL_MS, ModelChooser, flashVersion, pickAutomaticModel } from '../../../src/core/models/modelChooser';
import { compareVersions } from '../../../src/core/models/versions';
import { FAKE_API_KEY, MODELS_2025, MODELS_LATE_2026, startFakeGemini, type FakeGemini, type FakeModel } from '../../fakes/gemini';
import { RecordingLogger } from '../../support/helpers';

const text = (id: string, methods = ['generateContent', 'countTokens']): Model => ({ name: `models/${id}`, displayName: id, supportedGenerationMethods: methods });
const choose = (models: readonly (Model | FakeModel)[], exclude?: string) => pickAutomaticModel(generativeModels(models), exclude);

describe('automatic model choice: the newest generally-available Flash model', () => {
  const table: { name: string; models: readonly (Model | FakeModel)[]; expected: string | undefined; exclude?: string }[] = [
    { name: "Google's late-2026 list", models: MODELS_LATE_2026, expected: 'gemini-3.8-flash' },
    { name: "Google's 2025 list (the resolver knows no family by name)", models: MODELS_2025, expected: 'gemini-2.5-flash' },
    { name: 'versions compare as numbers, not text: 3.10 > 3.8 > 3.5 > 3', models: ['gemini-3-flash', 'gemini-3.10-flash', 'gemini-3.5-flash', 'gemini-3.8-flash'].map((id) => text(id)), expected: 'gemini-3.10-flash' },
    { name: '3.5 > 3.0', models: ['gemini-3.0-flash', 'gemini-3.5-flash', 'gemini-3-flash'].map((id) => text(id)), expected: 'gemini-3.5-flash' },
    { name: 'a tie (3 = 3.0) does not depend on the list order', models: ['gemini-3.0-flash', 'gemini-3-flash'].map((id) => text(id)), expected: 'gemini-3.0-flash' },
    { name: 'a tie in the other order', models: ['gemini-3-flash', 'gemini-3.0-flash'].map((id) => text(id)), expected: 'gemini-3.0-flash' },
    { name: 'a new major version wins over every minor one', models: ['gemini-3.9-flash', 'gemini-4-flash'].map((id) => text(id)), expected: 'gemini-4-flash' },
    {
      name: 'newer but not generally available variants are passed over',
      models: [
        'gemini-3.5-flash',
        'gemini-3.8-flash-preview-11-2026',
        'gemini-3.9-flash-exp',
        'gemini-3.8-flash-lite',
        'gemini-3.8-flash-image',
        'gemini-3.8-flash-live',
        'gemini-3.8-flash-preview-tts',
        'gemini-3.8-flash-native-audio',
        'gemini-3.8-flash-001',
        'gemini-3.8-flash-09-2026',
        'gemini-flash-latest',
        'gemini-3.8-pro',
        'gemma-4-flash',
        'models-gemini-3.8-flash',
      ].map((id) => text(id)),
      expected: 'gemini-3.5-flash',
    },
    { name: 'a Flash model without generateContent (live-only) is not offered', models: [text('gemini-3.5-flash'), text('gemini-3.8-flash', ['bidiGenerateContent'])], expected: 'gemini-3.5-flash' },
    { name: 'embedding models never qualify', models: [text('gemini-embedding-001', ['embedContent']), text('gemini-3-flash-embedding')], expected: undefined },
    { name: 'only previews and lite models → nothing', models: [text('gemini-3.8-flash-preview-11-2026'), text('gemini-3.5-flash-lite')], expected: undefined },
    { name: 'an empty list → nothing', models: [], expected: undefined },
    { name: 'the model that just failed is left out', models: MODELS_LATE_2026, exclude: 'gemini-3.8-flash', expected: 'gemini-3.5-flash' },
  ];
  for (const row of table) {
    it(`${row.name} → ${row.expected ?? 'none'}`, () => {
      assert.equal(choose(row.models, row.exclude), row.expected);
    });
  }

  it('reads versions from plain Flash ids only, and compares them part by part', () => {
    assert.deepEqual(flashVersion('gemini-3.8-flash'), [3, 8]);
    assert.deepEqual(flashVersion('gemini-4-flash'), [4]);
    assert.equal(flashVersion('gemini-3.8-flash-001'), undefined);
    assert.ok(compareVersions([3, 10], [3, 8]) > 0);
    assert.equal(compareVersions([3], [3, 0]), 0);
    assert.ok(compareVersions([3, 5], [3, 8]) < 0);
  });

  it('the picker lists newest versions first (numerically), a version\'s models by id, aliases and other families last', () => {
    const ids = generativeModels(['gemini-flash-latest', 'gemini-3.5-pro', 'gemini-3-flash', 'gemini-3.10-flash', 'gemma-3-27b-it', 'gemini-3.8-flash-lite', 'gemini-3.8-flash'].map((id) => text(id))).map((m) => m.id);
    assert.deepEqual(ids, ['gemini-3.10-flash', 'gemini-3.8-flash', 'gemini-3.8-flash-lite', 'gemini-3.5-pro', 'gemini-3-flash', 'gemini-flash-latest', 'gemma-3-27b-it']);
  });
});

/** A model source like the ModelCatalog, answering from a list the test changes, counting what it is asked. */
class ListSource implements Pick<ModelCatalog, 'key' | 'list' | 'forget'> {
  lists = 0;
  forgotten = 0;
  failWith: Error | undefined;
  backend = 'geminiApi';
  constructor(public models: ModelInfo[]) {}
  key(credential: CredentialProvider): string {
    return `${this.backend}\u0000${credential.id}`;
  }
  async list(): Promise<ModelInfo[]> {
    this.lists++;
    if (this.failWith) throw this.failWith;
    return this.models;
  }
  forget(): void {
    this.forgotten++;
  }
}

describe('ModelChooser', () => {
  const key = apiKeyCredential(FAKE_API_KEY);
  const account = oauthCredential({ id: 'account-1', getAccessToken: async () => 'ya29.token' });
  let now: number;
  let pinned: string;
  let source: ListSource;
  let log: RecordingLogger;
  let chooser: ModelChooser;

  beforeEach(() => {
    now = Date.parse('2026-12-01T09:00:00Z');
    pinned = '';
    source = new ListSource(generativeModels(MODELS_LATE_2026));
    log = new RecordingLogger();
    chooser = new ModelChooser({ source, log, pinned: () => pinned, now: () => now });
  });

  it('a pinned model is used as it is, without listing', async () => {
    pinned = 'gemini-2.5-flash';
    assert.deepEqual(await chooser.choose(key), { id: 'gemini-2.5-flash', automatic: false });
    assert.deepEqual(chooser.peek(), { id: 'gemini-2.5-flash', automatic: false });
    assert.equal(source.lists, 0);
  });

  it('empty means automatic: listed once per credential, then kept for up to a day', async () => {
    assert.equal(chooser.peek(), undefined, 'nothing is known before the first use');
    assert.deepEqual(await chooser.choose(key), { id: 'gemini-3.8-flash', automatic: true });
    assert.deepEqual(chooser.peek(), { id: 'gemini-3.8-flash', automatic: true });
    source.models = generativeModels([text('gemini-3.9-flash'), ...MODELS_LATE_2026]);
    now += AUTOMATIC_MODEL_TTL_MS - 1;
    assert.equal((await chooser.choose(key)).id, 'gemini-3.8-flash', 'still cached a moment before a day has passed');
    assert.equal(source.lists, 1);

    now += 1;
    assert.equal(chooser.peek(), undefined, 'a day-old choice is not shown as current');
    assert.equal((await chooser.choose(account)).id, 'gemini-3.9-flash', 'another credential gets its own choice');
    assert.equal(source.lists, 2);
    assert.equal((await chooser.choose(key)).id, 'gemini-3.9-flash', 'chosen again after a day');
    assert.equal(source.lists, 3);
  });

  it('another backend gets its own choice: a list from one backend never answers for another', async () => {
    assert.equal((await chooser.choose(account)).id, 'gemini-3.8-flash');
    source.backend = 'vertex';
    source.models = generativeModels([text('gemini-3.5-flash')]);
    assert.equal((await chooser.choose(account)).id, 'gemini-3.5-flash', 'the same account on Vertex lists again');
    assert.equal(source.lists, 2);
    source.backend = 'geminiApi';
    assert.equal((await chooser.choose(account)).id, 'gemini-3.8-flash', 'back on the Gemini API, its own choice is still cached');
    assert.equal(source.lists, 2);
  });

  it('concurrent first uses share one listing', async () => {
    const [a, b] = await Promise.all([chooser.choose(key), chooser.choose(key)]);
    assert.equal(a.id, b.id);
    assert.equal(source.lists, 1);
  });

  it('no candidate → a clear error with Select Model; nothing is cached, so the next use tries again', async () => {
    source.models = generativeModels([text('gemini-3.8-flash-preview-11-2026'), text('gemini-3.5-pro')]);
    await assert.rejects(chooser.choose(key), (err: unknown) => {
      assert.ok(err instanceof GeminiError);
      assert.equal(err.action?.kind, 'selectModel');
      assert.match(err.message, /No model can be chosen automatically: .*generally-available Flash.*'Gemini: Select Model'/);
      return true;
    });
    source.models = generativeModels([text('gemini-3.5-flash')]);
    assert.equal((await chooser.choose(key)).id, 'gemini-3.5-flash');
    assert.equal(source.lists, 2);
  });

  it('a failed listing is not cached either', async () => {
    source.failWith = new GeminiError({ kind: 'network', message: 'offline' });
    await assert.rejects(chooser.choose(key), /offline/);
    source.failWith = undefined;
    assert.equal((await chooser.choose(key)).id, 'gemini-3.8-flash');
  });

  it('replaceGone forgets the list and the choice, chooses again without the gone model, and logs it', async () => {
    await chooser.choose(key);
    let changes = 0;
    chooser.onDidChange(() => changes++);
    assert.equal(await chooser.replaceGone('gemini-3.8-flash', key), 'gemini-3.5-flash', 'even while the list still shows the gone model');
    assert.equal(source.forgotten, 1);
    assert.equal(source.lists, 2);
    assert.deepEqual(chooser.peek(), { id: 'gemini-3.5-flash', automatic: true });
    assert.equal((await chooser.choose(key)).id, 'gemini-3.5-flash', 'the new choice is cached');
    assert.equal(source.lists, 2);
    assert.ok(changes >= 1, 'the status bar hears about it');
    assert.ok(log.lines.some((l) => l === '[models] gemini-3.8-flash is gone: retrying once with the new automatic choice, gemini-3.5-flash'), log.lines.join('\n'));
  });

  it('replaceGone → undefined when nothing else qualifies or the list cannot be had', async () => {
    source.models = generativeModels([text('gemini-3.8-flash')]);
    assert.equal(await chooser.replaceGone('gemini-3.8-flash', key), undefined);
    source.failWith = new GeminiError({ kind: 'network', message: 'offline' });
    assert.equal(await chooser.replaceGone('gemini-3.8-flash', key), undefined);
    assert.ok(log.entries.some((e) => e.level === 'warn' && /no other model could be chosen/.test(e.message)));
  });

  it('clear forgets every choice and says so', async () => {
    await chooser.choose(key);
    let changes = 0;
    chooser.onDidChange(() => changes++);
    chooser.clear();
    assert.equal(chooser.peek(), undefined);
    assert.equal(changes, 1);
    await chooser.choose(key);
    assert.equal(source.lists, 2);
  });
});

describe('automatic choice over real models.list pages (TestGeminiClient → ModelCatalog → ModelChooser against the fake)', () => {
  let fake: FakeGemini;
  const credential: CredentialProvider = apiKeyCredential(FAKE_API_KEY);
  before(async () => {
    fake = await startFakeGemini({ maxPageSize: 4 });
  });
  after(async () => fake.close());
  beforeEach(() => fake.reset());

  const chooserFor = (client: TestGeminiClient) =>
    new ModelChooser({ source: new ModelCatalog(client, () => 'geminiApi'), log: new RecordingLogger(), pinned: () => '' });

  it('follows every page: the choice sits on the last one', async () => {
    const client = new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => credential, log: new RecordingLogger() });
    assert.equal((await chooserFor(client).choose(credential)).id, 'gemini-3.8-flash');
    const pages = fake.modelRequests('listModels');
    assert.equal(pages.length, Math.ceil(MODELS_LATE_2026.length / 4));
    assert.ok(pages.slice(1).every((p) => p.query.pageToken), 'later pages ask with nextPageToken');
  });

  it('the fake respects pageSize (and its own cap), and its last page has no nextPageToken', async () => {
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const url = new URL(`${fake.baseUrl}/v1beta/models`);
      url.searchParams.set('pageSize', '3');
      if (token) url.searchParams.set('pageToken', token);
      const page = (await (await fetch(url, { headers: { 'x-goog-api-key': FAKE_API_KEY } })).json()) as { models: FakeModel[]; nextPageToken?: string };
      seen.push(page.models.length);
      token = page.nextPageToken;
    } while (token);
    assert.equal(seen.reduce((a, b) => a + b), MODELS_LATE_2026.length);
    assert.ok(seen.slice(0, -1).every((n) => n === 3));
    const capped = (await (await fetch(`${fake.baseUrl}/v1beta/models?pageSize=100`, { headers: { 'x-goog-api-key': FAKE_API_KEY } })).json()) as { models: FakeModel[] };
    assert.equal(capped.models.length, 4, 'maxPageSize caps a larger pageSize');
  });

  it('a model the fake retired leaves the list, so the next choice skips it', async () => {
    const client = new TestGeminiClient({ baseUrl: fake.baseUrl, credential: () => credential, log: new RecordingLogger() });
    fake.retireModels('gemini-3.8-flash');
    assert.equal((await chooserFor(client).choose(credential)).id, 'gemini-3.5-flash');
  });
});
