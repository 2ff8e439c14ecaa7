import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/core/common/events';
import { nullLogger } from '../../../src/core/common/logger';
import type { SecretStore } from '../../../src/core/common/secretStore';
import {
  ActiveCredentialService,
  type AccountDirectory,
  type ActiveChoice,
  type ActiveCredential,
} from '../../../src/core/credentials/activeCredential';
import { API_KEY_SECRET, ApiKeyStore, apiKeyFromEnvironment, apiKeyShapeProblem, isRotationDue } from '../../../src/core/credentials/apiKeyStore';
import { delay } from '../../support/helpers';
import { AdcStore } from '../../../src/core/adc/adcStore';

class Secrets implements SecretStore {
  readonly map = new Map<string, string>();
  private readonly changed = new Emitter<string>();
  readonly onDidChange = this.changed.event;
  async get(key: string) {
    return this.map.get(key);
  }
  async store(key: string, value: string) {
    this.map.set(key, value);
    this.changed.fire(key);
  }
  async delete(key: string) {
    this.map.delete(key);
    this.changed.fire(key);
  }
}

class Accounts implements AccountDirectory {
  sessions: Array<{ id: string; account: { id: string; label: string } }> = [];
  private readonly changed = new Emitter<unknown>();
  readonly onDidChangeSessions = this.changed.event;
  async signedIn() {
    return this.sessions;
  }
  set(list: Array<[string, string]>) {
    this.sessions = list.map(([id, label]) => ({ id: `s-${id}`, account: { id, label } }));
    this.changed.fire(undefined);
  }
}

const goodKey = 'AIzaSyD-test-key-0123456789abcdefghijk';

describe('API key store', () => {
  it('stores the key with the date it was set, only in the secret store', async () => {
    const secrets = new Secrets();
    const store = new ApiKeyStore(secrets, nullLogger, () => 1_000);
    await store.set(`  ${goodKey}\n`);
    assert.deepEqual(await store.get(), { key: goodKey, setAt: 1_000 });
    assert.deepEqual([...secrets.map.keys()], [API_KEY_SECRET]);
    assert.equal(await store.remove(), true);
    assert.equal(await store.get(), undefined);
    assert.equal(await store.remove(), false);
  });

  it('ignores a damaged entry instead of failing', async () => {
    const secrets = new Secrets();
    const warnings: string[] = [];
    const store = new ApiKeyStore(secrets, { ...nullLogger, warn: (m: string) => warnings.push(m) });
    for (const raw of ['not json', '{"key": 5}', JSON.stringify({ key: 'has space in it 0123456789', setAt: 1 }), 'null']) {
      await secrets.store(API_KEY_SECRET, raw);
      assert.equal(await store.get(), undefined, raw);
    }
    assert.equal(warnings.length, 4);
    assert.ok(warnings.every((w) => !w.includes('space in it')), 'the damaged value is not logged');
  });

  it('reads the secret store once until the value changes, here or in another window', async () => {
    const secrets = new Secrets();
    let reads = 0;
    const get = secrets.get.bind(secrets);
    secrets.get = (key: string) => (reads++, get(key));
    const store = new ApiKeyStore(secrets, nullLogger, () => 1);
    await store.set(goodKey);
    assert.equal((await store.get())?.key, goodKey);
    assert.equal((await store.get())?.key, goodKey);
    assert.equal(reads, 1, 'one read for two gets');
    secrets.map.set(API_KEY_SECRET, JSON.stringify({ key: `${goodKey}X`, setAt: 2 })); // another window, before its event
    assert.equal((await store.get())?.key, goodKey);
    await secrets.store(API_KEY_SECRET, JSON.stringify({ key: `${goodKey}Y`, setAt: 3 })); // …and its event
    assert.equal((await store.get())?.key, `${goodKey}Y`);
    await store.remove();
    assert.equal(await store.get(), undefined);
  });

  it('fires onDidChange for its own key only (another window setting it included)', async () => {
    const secrets = new Secrets();
    const store = new ApiKeyStore(secrets, nullLogger);
    let fired = 0;
    store.onDidChange(() => fired++);
    await secrets.store('other', 'x');
    await secrets.store(API_KEY_SECRET, JSON.stringify({ key: goodKey, setAt: 1 }));
    assert.equal(fired, 1);
  });

  const shapes: Array<[string, RegExp | undefined]> = [
    [goodKey, undefined],
    ['', /Enter an API key/],
    ['AIza with spaces 0123456789abc', /no spaces/],
    ['short', /too short/],
    ['AIzaé0123456789012345678901234', /only letters/],
  ];
  for (const [input, problem] of shapes) {
    it(`shape check: ${JSON.stringify(input.slice(0, 12))} → ${problem ?? 'ok'}`, () => {
      const got = apiKeyShapeProblem(input);
      if (problem) assert.match(got ?? '', problem);
      else assert.equal(got, undefined);
    });
  }

  it('is due for rotation only past the configured age, and never with 0', () => {
    const day = 86_400_000;
    const stored = { key: goodKey, setAt: 0 };
    assert.equal(isRotationDue(stored, 90, 89 * day), false);
    assert.equal(isRotationDue(stored, 90, 90 * day), true);
    assert.equal(isRotationDue(stored, 0, 1000 * day), false);
  });

  it('offers GEMINI_API_KEY before GOOGLE_API_KEY, skipping blanks and junk', () => {
    assert.deepEqual(apiKeyFromEnvironment({ GOOGLE_API_KEY: goodKey, GEMINI_API_KEY: ' ' }), { name: 'GOOGLE_API_KEY', key: goodKey });
    assert.deepEqual(apiKeyFromEnvironment({ GOOGLE_API_KEY: 'x', GEMINI_API_KEY: goodKey }), { name: 'GEMINI_API_KEY', key: goodKey });
    assert.equal(apiKeyFromEnvironment({ GEMINI_API_KEY: 'not a key' }), undefined);
  });
});

describe('active credential', () => {
  function setup() {
    const secrets = new Secrets();
    const keys = new ApiKeyStore(secrets, nullLogger, () => 5);
    const accounts = new Accounts();
    let saved: ActiveChoice | undefined;
    const service = new ActiveCredentialService(accounts, keys, { get: () => saved, set: async (c) => void (saved = c) }, new AdcStore(secrets, nullLogger));
    const events: Array<ActiveCredential | undefined> = [];
    service.onDidChange((e) => events.push(e));
    return { secrets, keys, accounts, service, events };
  }

  it('is nothing when signed out, then the key, then the chosen account', async () => {
    const { keys, accounts, service, events } = setup();
    assert.equal(await service.current(), undefined);
    await keys.set(goodKey);
    await delay(5);
    assert.equal((await service.current())?.kind, 'apiKey');
    // An account without an explicit choice wins over the key: signing in means "use this account".
    accounts.set([['b', 'bob@example.com'], ['a', 'alice@example.com']]);
    await delay(5);
    assert.deepEqual(await service.current(), { kind: 'oauth', sessionId: 's-a', accountId: 'a', label: 'alice@example.com' });
    await service.choose({ kind: 'oauth', accountId: 'b' });
    assert.equal((await service.current())?.label, 'bob@example.com');
    await service.choose({ kind: 'apiKey' });
    assert.equal((await service.current())?.kind, 'apiKey');
    assert.deepEqual(
      events.map((e) => e?.label),
      ['API key', 'alice@example.com', 'bob@example.com', 'API key'],
    );
  });

  it('falls back when the chosen account signs out, and fires once', async () => {
    const { accounts, service, events } = setup();
    accounts.set([['a', 'alice@example.com'], ['b', 'bob@example.com']]);
    await service.choose({ kind: 'oauth', accountId: 'b' });
    events.length = 0;
    accounts.set([['a', 'alice@example.com']]);
    await delay(5);
    assert.deepEqual(events.map((e) => e?.label), ['alice@example.com']);
    accounts.set([]);
    await delay(5);
    assert.deepEqual(events.map((e) => e?.label), ['alice@example.com', undefined]);
  });

  it('lists accounts sorted with the key for the switcher', async () => {
    const { keys, accounts, service } = setup();
    await keys.set(goodKey);
    accounts.set([['z', 'zed@example.com'], ['a', 'amy@example.com']]);
    const overview = await service.overview();
    assert.deepEqual(overview.accounts.map((a) => a.label), ['amy@example.com', 'zed@example.com']);
    assert.equal(overview.apiKey?.key, goodKey);
  });
});
