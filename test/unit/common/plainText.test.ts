import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { PLAIN_TEXT_MAX, plainText } from '../../../src/core/common/plainText';
import { errorFromHttpResponse } from '../../../src/core/gemini/errors';

// The oracles: what VS Code's notification and quick-input renderers turn into links and icons (the patterns of
// `parseLinkedText` in vs/base/common/linkedText.ts and of `renderLabelWithIcons`, as in the pinned host's bundle),
// and a Markdown renderer with bare-URL linking on.
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
const VSCODE_ICON = /(\\)?\$\((\w[\w-]*(?:~[\w-]+)?)\)/g;
const markdown = new MarkdownIt({ linkify: true });

function assertInert(input: string): void {
  const out = plainText(input);
  assert.equal(out.match(VSCODE_LINK), null, `VS Code link in ${JSON.stringify(out)}`);
  assert.ok([...out.matchAll(VSCODE_ICON)].every((m) => m[1]), `VS Code icon in ${JSON.stringify(out)}`);
  const html = markdown.render(out);
  assert.doesNotMatch(html, /href="(?:command|file|vscode|javascript)/i, `Markdown link in ${html}`);
  assert.doesNotMatch(html, /<a href="[^"]*"[^>]*>(?!https?:\/\/)/, `Markdown link with a label in ${html}`);
  assert.equal(plainText(out), out, 'idempotent');
}

describe('common/plainText', () => {
  const hostile: [string, string][] = [
    ['a command link', 'Click [here](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%5Cn%22%7D) now'],
    ['an https link', 'see [docs](https://attacker.example/x)'],
    ['a file link', '[open](file:///etc/passwd)'],
    ['a link with a title', '[x](command:y "Trusted")'],
    ['nested brackets', '[[inner](command:a)](command:b)'],
    ['escaped brackets', '\\[x\\](command:y) and [x\\](command:y)'],
    ['a reference link', '[x][evil] [evil]: command:y'],
    ['a reference definition at the start', '[evil]: command:y [evil]'],
    ['an autolink', 'go to <command:workbench.action.reloadWindow> or <https://attacker.example>'],
    ['a link split by a newline', '[x]\n(command:y)'],
    ['a link split by a control character', '[x]\u0000(command:y)'],
    ['a bidi override', '[\u202Ex](command:y)'],
    ['an icon', '$(check) Verified by Google'],
    ['an animated icon', '$(loading~spin) working'],
    ['upper-case scheme', '[x](COMMAND:y)'],
    ['a file name', '[Fix encoding](command:workbench.action.terminal.sendSequence?%7B%7D).md'],
  ];
  for (const [what, input] of hostile) it(`makes ${what} inert`, () => assertInert(input));

  it('leaves unicode look-alike brackets alone: no renderer reads them as links', () => {
    const input = '［x］（command:y） ⟦x⟧⦅command:y⦆';
    assert.equal(plainText(input), input);
    assertInert(input);
  });

  it('keeps ordinary text as it is', () => {
    for (const text of [
      "The API key was rejected by Google (API_KEY_INVALID). Set a new key with 'Gemini: Set API Key'.",
      'models/gemini-2.5-flash',
      'Résumé — 日本語 😀',
      'array[0] (first) costs $5',
    ]) {
      assert.equal(plainText(text), text);
    }
  });

  it('makes one line without controls, and cuts long text', () => {
    assert.equal(plainText(' a\r\n\tb\u2028c\u0007 '), 'a b c');
    const long = plainText('x'.repeat(PLAIN_TEXT_MAX * 3));
    assert.equal(long.length, PLAIN_TEXT_MAX);
    assert.ok(long.endsWith('…'));
    assert.equal(plainText('abcdef', 4), 'abc…');
    assert.equal(plainText('ab😀cd', 4), 'ab…', 'never half a character');
  });

  it('applies to every Gemini error message, where server text enters', () => {
    const link = '[Click here to re-validate your key](command:workbench.action.terminal.sendSequence?%7B%7D)';
    const bodies = [
      { error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: `API_KEY_${link}` }] } },
      { error: { code: 500, message: `Backend overloaded. ${link}`, status: 'INTERNAL' } },
      { error: { code: 401, message: 'x', status: `UNAUTHENTICATED ${link}` } },
      { error: { code: 403, message: `has not been used in project ${link}`, status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'SERVICE_DISABLED', metadata: { consumer: `projects/${link}` } }] } },
      { error: { code: 429, message: 'x', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: link }] }] } },
      { error: { code: 400, message: `$(check) ${link}`, status: 'INVALID_ARGUMENT' } },
    ];
    for (const body of bodies) {
      const err = errorFromHttpResponse(body.error.code, 'application/json', JSON.stringify(body), {});
      assert.equal(err.message.match(VSCODE_LINK), null, err.message);
      assert.doesNotMatch(err.message, /\$\(/, err.message);
    }
  });
});
