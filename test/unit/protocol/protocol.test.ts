import * as assert from 'node:assert/strict';
import { describeFinishReason } from '../../../src/shared/finishReason';
import { isAllowedLinkHref } from '../../../src/shared/links';
import { LIMITS, parseHostMessage, parseWebviewMessage, parseWebviewState, type StoredResult } from '../../../src/shared/protocol';

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
      assert.notEqual(parsed, input, 'returns a fresh object');
      assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    });
  }

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
    ['class instance', new (class { type = 'copy'; id = 'a'; })()],
    ['getter field', Object.defineProperty({ type: 'copy' }, 'id', { get: () => 'a', enumerable: true })],
    ['symbol key', { type: 'copy', id: 'a', [Symbol('x')]: 1 }],
    ['Date', Object.assign(new Date(), { type: 'copy', id: 'a' })],
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

describe('protocol: parseHostMessage', () => {
  const valid: readonly (readonly [string, unknown])[] = [
    ['start', { type: 'start', id: 'r1', title: 't', model: 'm', sourceLabel: 's', emulator: true }],
    ['start with createdAt', { type: 'start', id: 'r1', title: 't', model: 'm', sourceLabel: 's', emulator: false, createdAt: 5 }],
    ['append', { type: 'append', id: 'r1', text: 'hello' }],
    ['append empty', { type: 'append', id: 'r1', text: '' }],
    ['append thoughts only', { type: 'append', id: 'r1', text: '', thoughts: '**Planning**' }],
    ['append answer with thinkingMs', { type: 'append', id: 'r1', text: 'Answer', thoughts: 'last thought', thinkingMs: 4200 }],
    ['done with thinking', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 815, thoughtsTokenCount: 812 }, thinkingMs: 4000 }],
    ['done minimal', { type: 'done', id: 'r1', model: 'm' }],
    ['done full', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 }, finishReason: 'MAX_TOKENS', notice: 'n', stopped: true }],
    ['error', { type: 'error', id: 'r1', message: 'Quota exceeded' }],
    ['error with action', { type: 'error', id: 'r1', message: 'Sign in', action: { label: 'Sign In' } }],
    ['error with two actions', { type: 'error', id: 'r1', message: 'New key', action: { label: 'Create Key' }, secondaryAction: { label: 'Set API Key' } }],
    ['history', { type: 'history', items: [{ id: 'r1', title: 't', model: 'm', createdAt: 1, status: 'error' }] }],
    ['history empty', { type: 'history', items: [] }],
    ['show', { type: 'show', result: RESULT }],
    ['show with thoughts', { type: 'show', result: { ...RESULT, thoughts: '**Reading**\n\nthe text', thinkingMs: 0 } }],
    ['show with error', { type: 'show', result: { ...RESULT, status: 'error', error: { message: 'x', action: { label: 'Open Settings' } } } }],
  ];
  for (const [name, input] of valid) {
    it(`accepts ${name}`, () => assert.deepEqual(parseHostMessage(input), input));
  }

  const invalid: readonly (readonly [string, unknown])[] = [
    ['not an object', 'start'],
    ['unknown type', { type: 'eval', code: '1' }],
    ['start without emulator', { type: 'start', id: 'r1', title: 't', model: 'm', sourceLabel: 's' }],
    ['start emulator string', { type: 'start', id: 'r1', title: 't', model: 'm', sourceLabel: 's', emulator: 'true' }],
    ['start huge title', { type: 'start', id: 'r1', title: big(LIMITS.title + 1), model: 'm', sourceLabel: 's', emulator: false }],
    ['start bad createdAt', { type: 'start', id: 'r1', title: 't', model: 'm', sourceLabel: 's', emulator: false, createdAt: Number.NaN }],
    ['append text number', { type: 'append', id: 'r1', text: 5 }],
    ['append too large', { type: 'append', id: 'r1', text: big(LIMITS.appendText + 1) }],
    ['append extra', { type: 'append', id: 'r1', text: 'a', html: '<b>' }],
    ['append thoughts number', { type: 'append', id: 'r1', text: '', thoughts: 5 }],
    ['append thoughts too large', { type: 'append', id: 'r1', text: '', thoughts: big(LIMITS.appendText + 1) }],
    ['append thinkingMs negative', { type: 'append', id: 'r1', text: 'a', thinkingMs: -1 }],
    ['append thinkingMs string', { type: 'append', id: 'r1', text: 'a', thinkingMs: '4 s' }],
    ['done usage thoughts float', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3, thoughtsTokenCount: 0.5 } }],
    ['done thinkingMs infinite', { type: 'done', id: 'r1', model: 'm', thinkingMs: Number.POSITIVE_INFINITY }],
    ['show thoughts too long', { type: 'show', result: { ...RESULT, thoughts: big(LIMITS.thoughtsText + 1) } }],
    ['show thoughts not text', { type: 'show', result: { ...RESULT, thoughts: ['a'] } }],
    ['done usage negative', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: -1, candidatesTokenCount: 2, totalTokenCount: 3 } }],
    ['done usage float', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1.5, candidatesTokenCount: 2, totalTokenCount: 3 } }],
    ['done usage string', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: '1', candidatesTokenCount: 2, totalTokenCount: 3 } }],
    ['done usage extra', { type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3, x: 1 } }],
    ['done finishReason object', { type: 'done', id: 'r1', model: 'm', finishReason: {} }],
    ['done stopped string', { type: 'done', id: 'r1', model: 'm', stopped: 'yes' }],
    ['error action with a command', { type: 'error', id: 'r1', message: 'x', action: { label: 'Run', kind: 'runCommand' } }],
    ['error action empty label', { type: 'error', id: 'r1', message: 'x', action: { label: '' } }],
    ['error secondary action with a command', { type: 'error', id: 'r1', message: 'x', action: { label: 'Sign In' }, secondaryAction: { label: 'Run', command: 'workbench.action.terminal.new' } }],
    ['error message huge', { type: 'error', id: 'r1', message: big(LIMITS.message + 1) }],
    ['history not array', { type: 'history', items: { 0: {} } }],
    ['history bad item', { type: 'history', items: [{ id: 'r1', title: 't', model: 'm', createdAt: 1, status: 'weird' }] }],
    ['history too many', { type: 'history', items: Array.from({ length: LIMITS.historyItems + 1 }, (_, i) => ({ id: `r${i}`, title: 't', model: 'm', createdAt: 1, status: 'done' })) }],
    ['history __proto__ item', { type: 'history', items: [JSON.parse('{"__proto__":{"x":1},"id":"r1","title":"t","model":"m","createdAt":1,"status":"done"}')] }],
    ['show missing text', { type: 'show', result: { ...RESULT, text: undefined } }],
    ['show bad id', { type: 'show', result: { ...RESULT, id: '<script>' } }],
    ['show html field', { type: 'show', result: { ...RESULT, html: '<script>' } }],
  ];
  for (const [name, input] of invalid) {
    it(`refuses ${name}`, () => assert.equal(parseHostMessage(input), undefined));
  }
});

describe('protocol: parseWebviewState', () => {
  it('round-trips a saved state', () => {
    const state = { version: 1, current: RESULT, history: [{ id: 'r1', title: 't', model: 'm', createdAt: 1, status: 'done' }] };
    assert.deepEqual(parseWebviewState(state), state);
    assert.deepEqual(parseWebviewState({ version: 1, history: [] }), { version: 1, history: [] });
  });
  for (const [name, input] of [
    ['undefined', undefined],
    ['other version', { version: 2, history: [] }],
    ['bad current', { version: 1, history: [], current: { id: 'r1' } }],
    ['bad history', { version: 1, history: 'x' }],
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
