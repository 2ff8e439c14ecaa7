import * as assert from 'node:assert/strict';
import { describeFinishReason } from '../../../src/shared/finishReason';
import { isAllowedLinkHref } from '../../../src/shared/links';
import { LIMITS, parseWebviewMessage, parseWebviewState, type StoredResult } from '../../../src/shared/protocol';

const big = (n: number) => 'x'.repeat(n);

describe('protocol: parseWebviewMessage accepts exactly the closed set', () => {
  const valid: readonly (readonly [string, unknown])[] = [
    ['ready', { type: 'ready' }],
    ['ready with restoredId', { type: 'ready', restoredId: 'r-1_A' }],
    ['stop', { type: 'stop', id: 'abc' }],
    ['copy', { type: 'copy', id: 'abc' }],
    ['insert', { type: 'insert', id: 'abc' }],
    ['replace', { type: 'replace', id: 'abc' }],
    ['retry', { type: 'retry', id: 'abc' }],
    ['select', { type: 'select', id: 'abc' }],
    ['openLink https', { type: 'openLink', href: 'https://example.com/a?b=c#d' }],
    ['openLink mailto', { type: 'openLink', href: 'mailto:me@example.com' }],
    ['action', { type: 'action', id: 'abc', button: 'action' }],
    ['secondary action', { type: 'action', id: 'abc', button: 'secondaryAction' }],
    ['id of 64 chars', { type: 'copy', id: big(64) }],
    ['null-prototype object', Object.assign(Object.create(null) as object, { type: 'copy', id: 'abc' })],
  ];
  for (const [name, input] of valid) {
    it(`accepts ${name}`, () => {
      const parsed = parseWebviewMessage(input);
      assert.deepEqual(parsed && { ...parsed }, { ...(input as object) });
    });
  }

  // Messages arrive JSON-serialized: getters, symbols and class instances cannot, so none is tried here.
  const invalid: readonly (readonly [string, unknown])[] = [
    ['undefined', undefined],
    ['null', null],
    ['string', 'copy'],
    ['number', 1],
    ['array', [{ type: 'copy', id: 'a' }]],
    ['array pretending', Object.assign(['x'], { type: 'copy', id: 'a' })],
    ['empty object', {}],
    ['unknown type', { type: 'eval', id: 'a' }],
    ['type with different case', { type: 'Copy', id: 'a' }],
    ['type not a string', { type: ['copy'], id: 'a' }],
    ['prototype key type', { type: '__proto__', id: 'a' }],
    ['constructor type', { type: 'constructor', id: 'a' }],
    ['toString type', { type: 'toString' }],
    ['missing id', { type: 'copy' }],
    ['id number', { type: 'copy', id: 1 }],
    ['id empty', { type: 'copy', id: '' }],
    ['id too long', { type: 'copy', id: big(65) }],
    ['id with slash', { type: 'copy', id: '../etc' }],
    ['id with space', { type: 'copy', id: 'a b' }],
    ['id with newline', { type: 'copy', id: 'a\n' }],
    ['id huge', { type: 'copy', id: big(10_000_000) }],
    ['extra key', { type: 'copy', id: 'a', extra: 1 }],
    ['extra undefined key', { type: 'copy', id: 'a', extra: undefined }],
    ['__proto__ own key (JSON)', JSON.parse('{"type":"copy","id":"a","__proto__":{"polluted":true}}')],
    ['constructor key', { type: 'copy', id: 'a', constructor: { prototype: { polluted: true } } }],
    ['prototype key', JSON.parse('{"type":"stop","id":"a","prototype":{}}')],
    ['inherited fields', Object.create({ type: 'copy', id: 'a' })],
    ['ready restoredId bad', { type: 'ready', restoredId: 'no way' }],
    ['ready restoredId null', { type: 'ready', restoredId: null }],
    ['ready extra', { type: 'ready', id: 'a' }],
    ['openLink javascript', { type: 'openLink', href: 'javascript:alert(1)' }],
    ['openLink JavaScript', { type: 'openLink', href: 'JavaScript:alert(1)' }],
    ['openLink leading space', { type: 'openLink', href: ' javascript:alert(1)' }],
    ['openLink tab in scheme', { type: 'openLink', href: 'java\tscript:alert(1)' }],
    ['openLink data', { type: 'openLink', href: 'data:text/html,hi' }],
    ['openLink command', { type: 'openLink', href: 'command:workbench.action.reloadWindow' }],
    ['openLink vscode', { type: 'openLink', href: 'vscode://vscode.git/clone' }],
    ['openLink file', { type: 'openLink', href: 'file:///etc/passwd' }],
    ['openLink relative', { type: 'openLink', href: '#copy' }],
    ['openLink protocol-relative', { type: 'openLink', href: '//evil.example' }],
    ['openLink https without host', { type: 'openLink', href: 'https:///x' }],
    ['openLink huge', { type: 'openLink', href: 'https://e.example/' + big(5000) }],
    ['openLink not string', { type: 'openLink', href: { toString: () => 'https://x' } }],
    ['openLink with id', { type: 'openLink', href: 'https://x.example', id: 'a' }],
    ['action unknown button', { type: 'action', id: 'a', button: 'runCommand' }],
    ['action button __proto__', { type: 'action', id: 'a', button: '__proto__' }],
    ['action with a command kind', { type: 'action', id: 'a', button: 'action', kind: 'signIn' }],
    ['action missing button', { type: 'action', id: 'a' }],
    ['host message sent back', { type: 'append', id: 'a', text: 'x' }],
  ];
  for (const [name, input] of invalid) {
    it(`refuses ${name}`, () => assert.equal(parseWebviewMessage(input), undefined));
  }

  it('never pollutes Object.prototype', () => {
    for (const [, input] of invalid) parseWebviewMessage(input);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

const RESULT: StoredResult = {
  id: 'r1',
  title: 'Summary of a.ts',
  model: 'gemini-2.5-flash',
  sourceLabel: 'Google (API key)',
  emulator: false,
  createdAt: 1_700_000_000_000,
  status: 'done',
  text: '# Hi',
  usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 },
  finishReason: 'STOP',
};

describe('protocol: parseWebviewState', () => {
  it('round-trips a saved state', () => {
    const state = { version: 1, current: RESULT, history: [{ id: 'r1', title: 't', model: 'm', createdAt: 1, status: 'done' }] };
    assert.deepEqual(parseWebviewState(state), state);
    assert.deepEqual(parseWebviewState({ version: 1, history: [] }), { version: 1, history: [] });
    const failed = { version: 1, history: [], current: { ...RESULT, status: 'error', error: { message: 'New key', action: { label: 'Create Key' }, secondaryAction: { label: 'Set API Key' } } } };
    assert.deepEqual(parseWebviewState(failed), failed, 'an error keeps the labels of its two buttons, and only them');
  });
  for (const [name, input] of [
    ['undefined', undefined],
    ['other version', { version: 2, history: [] }],
    ['bad current', { version: 1, history: [], current: { id: 'r1' } }],
    ['bad history', { version: 1, history: 'x' }],
    ['bad history item', { version: 1, history: [{ id: 'r1', title: 't', model: 'm', createdAt: 1, status: 'gone' }] }],
    ['too much history', { version: 1, history: Array.from({ length: LIMITS.historyItems + 1 }, (_, i) => ({ id: `r${i}`, title: 't', model: 'm', createdAt: 1, status: 'done' })) }],
    ['answer too long', { version: 1, history: [], current: { ...RESULT, text: big(LIMITS.resultText + 1) } }],
    ['bad usage', { version: 1, history: [], current: { ...RESULT, usage: { promptTokenCount: -1, candidatesTokenCount: 2, totalTokenCount: 3 } } }],
    ['error action with a command kind', { version: 1, history: [], current: { ...RESULT, status: 'error', error: { message: 'm', action: { kind: 'runCommand', label: 'x' } } } }],
    ['error action empty label', { version: 1, history: [], current: { ...RESULT, status: 'error', error: { message: 'm', action: { label: '' } } } }],
    ['error secondary action with a command', { version: 1, history: [], current: { ...RESULT, status: 'error', error: { message: 'm', action: { label: 'Sign In' }, secondaryAction: { label: 'Run', command: 'workbench.action.terminal.new' } } } }],
    ['extra field', { version: 1, history: [], current: { ...RESULT, html: '<img src=x onerror=alert(1)>' } }],
  ] as const) {
    it(`refuses ${name}`, () => assert.equal(parseWebviewState(input), undefined));
  }
});

describe('links: isAllowedLinkHref', () => {
  const cases: readonly (readonly [unknown, boolean])[] = [
    ['https://example.com', true],
    ['HTTPS://EXAMPLE.COM/x', true],
    ['http://127.0.0.1:8080/', true],
    ['mailto:a@b.c', true],
    ['https://', false],
    ['https:example.com', false],
    ['mailto:', false],
    ['javascript:alert(1)', false],
    ['\u0000javascript:alert(1)', false],
    ['https://exa mple.com', false],
    ['https://example.com/\u2028', false],
    ['https://example.com/\u200b', false],
    ['ftp://example.com', false],
    ['ws://example.com', false],
    ['blob:https://example.com/x', false],
    ['about:blank', false],
    [42, false],
    [undefined, false],
  ];
  for (const [href, expected] of cases) {
    it(`${JSON.stringify(href)} → ${expected}`, () => assert.equal(isAllowedLinkHref(href), expected));
  }
});

describe('finishReason: describeFinishReason', () => {
  const cases: readonly (readonly [string | undefined, string | undefined])[] = [
    [undefined, undefined],
    ['', undefined],
    ['STOP', undefined],
    ['MAX_TOKENS', 'Stopped: the answer reached the maximum length (MAX_TOKENS).'],
    ['SAFETY', 'Stopped: the answer was blocked by safety filters (SAFETY).'],
    ['RECITATION', 'Stopped: the answer was blocked because it resembled existing content too closely (RECITATION).'],
    ['SOMETHING_NEW', 'Stopped: the model ended the answer early (SOMETHING_NEW).'],
    ['__proto__', 'Stopped: the model ended the answer early (__proto__).'],
    ['toString', 'Stopped: the model ended the answer early (toString).'],
  ];
  for (const [reason, expected] of cases) {
    it(String(reason), () => assert.equal(describeFinishReason(reason), expected));
  }
});
