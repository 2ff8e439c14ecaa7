import * as assert from 'node:assert/strict';
import { renderActivityHtml, type ActivityHtmlOptions } from '../../../src/core/activity/html';
import type { ActivityDoc } from '../../../src/core/activity/model';
import { buildViewModel, keyKindOf, type ViewInputs } from '../../../src/core/activity/view';
import { isRotationDue } from '../../../src/core/credentials/apiKeyStore';
import { parseActivityMessage } from '../../../src/shared/activityProtocol';
import { loadHappyDom, newWindow } from '../render/happyDom';
import { fixedClock } from './helpers';

const NOW = Date.UTC(2026, 11, 1, 12);
const DAY = 86_400_000;
const HOSTILE = '<img src=x onerror="document.title=1">&"\'`';

const options: ActivityHtmlOptions = {
  cspSource: 'https://webview.test',
  nonce: 'bm9uY2Vub25jZW5vbmNlMTIz',
  scriptUri: 'https://webview.test/dist/webview/activity.js',
  styleUri: 'https://webview.test/media/activity.css',
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
  formatTime: (at) => new Date(at).toISOString(),
  formatNumber: (n) => String(n),
};

function inputs(over: Partial<ViewInputs> = {}): ViewInputs {
  const doc: ActivityDoc = {
    v: 1,
    events: [
      { id: 'e2', at: NOW - 1000, kind: 'requestRefused', detail: 'unauthenticated', model: 'gemini-3-flash', credential: { key: 'oauth:1001', kind: 'oauth', label: 'alice@example.com' } },
      { id: 'e1', at: NOW - 2000, kind: 'signIn', detail: 'oauth2.googleapis.com', credential: { key: 'oauth:1001', kind: 'oauth', label: 'alice@example.com' } },
    ],
    usage: [
      { day: '2026-12-01', model: 'gemini-3-flash', credential: 'oauth:1001', origin: 'extension', prompt: 120, answer: 30, thinking: 12, requests: 2, errors: { unauthenticated: 1 } },
      { day: '2026-11-20', model: 'gemini-3-flash', credential: `apiKey:${NOW - 100 * DAY}`, origin: 'languageModel', prompt: 50, answer: 5, thinking: 0, requests: 1, errors: {} },
    ],
    credentials: [{ key: 'oauth:1001', kind: 'oauth', label: 'alice@example.com', addedAt: NOW - 2000, lastUsedAt: NOW - 1000, issuer: 'oauth2.googleapis.com' }],
  };
  return {
    doc,
    accounts: [{ accountId: '1001', label: 'alice@example.com', scopes: ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'] }],
    apiKey: { type: 'standard', setAt: NOW - 100 * DAY },
    activeKey: 'oauth:1001',
    rotationReminderDays: 90,
    clock: fixedClock(NOW),
    ...over,
  };
}

function dom(html: string) {
  const window = newWindow();
  window.document.write(html);
  return window.document;
}

describe('activity view', () => {
  before(loadHappyDom);

  it('tells the key types apart', () => {
    assert.equal(keyKindOf(`AQ.${'Ab1_-'.repeat(11)}`), 'authorization');
    assert.equal(keyKindOf(`AIza${'x'.repeat(35)}`), 'standard');
    assert.equal(keyKindOf('something-else'), 'unknown');
  });

  it('flags a key past its rotation age exactly when the rotation reminder would', () => {
    for (const [age, days] of [
      [89, 90],
      [90, 90],
      [400, 0],
      [1, 1],
    ] as const) {
      const setAt = NOW - age * DAY;
      const model = buildViewModel(inputs({ apiKey: { type: 'authorization', setAt }, rotationReminderDays: days }));
      const key = model.credentials.find((c) => c.kind === 'apiKey');
      assert.ok(key?.kind === 'apiKey');
      assert.equal(key.rotationDue, isRotationDue({ key: '', setAt }, days, NOW), `age ${age}, reminder ${days}`);
    }
  });

  it('renders the three parts with the CSP of the results panel, one nonce\'d script and no inline code', () => {
    const html = renderActivityHtml(buildViewModel(inputs()), options);
    const doc = dom(html);
    const csp = doc.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content');
    assert.equal(csp, `default-src 'none'; script-src 'nonce-${options.nonce}'; style-src ${options.cspSource}; font-src ${options.cspSource}; img-src ${options.cspSource}`);
    const scripts = [...doc.querySelectorAll('script')];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.getAttribute('src'), options.scriptUri);
    assert.equal(scripts[0]?.textContent, '');
    assert.ok(!/ on[a-z]+=/i.test(html) && !/style=/.test(html), 'no inline handlers or styles');
    assert.deepEqual([...doc.querySelectorAll('h2')].map((h) => h.id), ['credentials-heading', 'events-heading', 'usage-heading']);
    // Credentials: account with scopes and issuer, the key flagged twice (standard type, past rotation age).
    const cards = [...doc.querySelectorAll('article.card')];
    assert.equal(cards.length, 2);
    assert.match(cards[0]!.textContent ?? '', /alice@example\.com[\s\S]*Active[\s\S]*cloud-platform[\s\S]*oauth2\.googleapis\.com/);
    const signals = [...cards[1]!.querySelectorAll('.signal')].map((s) => s.textContent ?? '');
    assert.equal(signals.length, 2);
    assert.match(signals[0]!, /standard \(AIza\) keys/);
    assert.match(signals[1]!, /100 days old, past the 90-day rotation reminder/);
    // Events newest first, filterable by data attributes.
    const rows = [...doc.querySelectorAll('table.events tbody tr')];
    assert.deepEqual(rows.map((r) => r.getAttribute('data-kind')), ['requestRefused', 'signIn']);
    assert.match(rows[0]!.textContent ?? '', /Request refused \(unauthenticated\) for gemini-3-flash/);
    // Usage: a bar per day, totals, language-model line.
    assert.equal(doc.querySelectorAll('svg g.day').length, 30);
    assert.equal(doc.querySelectorAll('svg rect.bar-prompt').length, 2);
    assert.match(doc.getElementById('usage-total')?.textContent ?? '', /^3 requests · 170 prompt tokens · 35 answer tokens · 12 thinking tokens$/);
    assert.match(html, /1 of these requests came from VS Code chat or another extension/);
  });

  it('escapes every label, model id and detail: untrusted text never becomes markup', () => {
    const base = inputs();
    const hostile: ViewInputs = {
      ...base,
      accounts: [{ accountId: '1001', label: HOSTILE, scopes: [HOSTILE] }],
      doc: {
        ...base.doc,
        events: [{ id: 'x', at: NOW, kind: 'settingChanged', detail: HOSTILE, credential: { key: 'oauth:1001', kind: 'oauth', label: HOSTILE } }],
        usage: [{ day: '2026-12-01', model: HOSTILE, credential: 'oauth:1001', origin: 'extension', prompt: 1, answer: 1, thinking: 0, requests: 1, errors: { [HOSTILE]: 1 } }],
        credentials: [{ key: 'oauth:1001', kind: 'oauth', label: HOSTILE, issuer: HOSTILE }],
      },
    };
    const html = renderActivityHtml(buildViewModel(hostile), { ...options, formatTime: () => HOSTILE });
    const doc = dom(html);
    assert.equal(doc.querySelectorAll('img').length, 0);
    assert.ok(!html.includes('<img'));
    assert.ok(doc.body.textContent?.includes(HOSTILE), 'shown as text');
    for (const el of doc.querySelectorAll('*')) for (const attr of el.getAttributeNames()) assert.ok(!attr.startsWith('on'), `${el.tagName} ${attr}`);
  });

  it('refuses a nonce or CSP source that could bend the policy', () => {
    assert.throws(() => renderActivityHtml(buildViewModel(inputs()), { ...options, nonce: "x' 'unsafe-inline" }));
    assert.throws(() => renderActivityHtml(buildViewModel(inputs()), { ...options, cspSource: "https://x; script-src *" }));
  });

  describe('messages from the view: a closed set', () => {
    const cases: Array<[string, unknown, unknown]> = [
      ['make active', { type: 'makeActive', credential: 'oauth:1001' }, { type: 'makeActive', credential: 'oauth:1001' }],
      ['sign out the key', { type: 'signOut', credential: 'apiKey:1796140800000' }, { type: 'signOut', credential: 'apiKey:1796140800000' }],
      ['set (rotate) the key', { type: 'setApiKey' }, { type: 'setApiKey' }],
      ['export', { type: 'export' }, { type: 'export' }],
      ['clear', { type: 'clear' }, { type: 'clear' }],
      ['refresh', { type: 'refresh' }, { type: 'refresh' }],
      ['sign in', { type: 'signIn' }, { type: 'signIn' }],
      ['unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }, undefined],
      ['extra field', { type: 'export', path: '/etc/passwd' }, undefined],
      ['credential missing', { type: 'makeActive' }, undefined],
      ['credential of another shape', { type: 'signOut', credential: 'oauth:1001"><script>' }, undefined],
      ['credential of an unknown kind', { type: 'signOut', credential: 'adc:1' }, undefined],
      ['credential on a type without one', { type: 'clear', credential: 'oauth:1' }, undefined],
      ['prototype key', { type: '__proto__' }, undefined],
      ['array', ['export'], undefined],
      ['string', 'export', undefined],
      ['null', null, undefined],
    ];
    for (const [name, raw, expected] of cases) {
      it(name, () => assert.deepEqual(parseActivityMessage(raw), expected));
    }
  });
});
