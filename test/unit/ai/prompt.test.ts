import * as assert from 'node:assert/strict';
import { buildRequest, fenced, needsTokenCount, resultTitle, type SourceText } from '../../../src/core/ai/prompt';
import { MAX_RECENT_INSTRUCTIONS, parseRecentInstructions, rememberInstruction } from '../../../src/core/ai/recentInstructions';

const selection: SourceText = { text: 'const a = 1;\nconst b = 2;', fileName: 'app.ts', languageId: 'typescript', startLine: 3, endLine: 4, wholeDocument: false };

describe('prompt building', () => {
  it('summarize: the instruction is the system instruction, the selection the user turn, fenced with its language', () => {
    const req = buildRequest({ kind: 'summarize', instruction: '  Summarize it.  ' }, selection);
    assert.deepEqual(req.systemInstruction, { parts: [{ text: 'Summarize it.' }] });
    assert.equal(req.contents.length, 1);
    assert.equal(req.contents[0].role, 'user');
    const text = req.contents[0].parts[0].text ?? '';
    assert.match(text, /^Lines 3–4 of app\.ts:\n\n```typescript\nconst a = 1;\nconst b = 2;\n```$/);
  });

  it('generate: the instruction comes first in the user turn, with the selection as context', () => {
    const req = buildRequest({ kind: 'generate', instruction: 'Write tests' }, selection);
    const text = req.contents[0].parts[0].text ?? '';
    assert.ok(text.startsWith('Write tests\n\nLines 3–4 of app.ts:'), text);
    assert.ok(req.systemInstruction);
  });

  it('generate without context sends only the instruction', () => {
    const req = buildRequest({ kind: 'generate', instruction: 'Write a haiku' }, { ...selection, text: '', wholeDocument: true });
    assert.equal(req.contents[0].parts[0].text, 'Write a haiku');
  });

  it('the fence is longer than any backtick run in the text, so the text cannot close it', () => {
    const out = fenced({ ...selection, text: 'a ```` b', languageId: 'bad lang!' });
    assert.match(out, /\n`````\na ```` b\n`````$/);
  });

  it('says when the whole document is sent', () => {
    assert.match(fenced({ ...selection, wholeDocument: true }), /^The whole file app\.ts:/);
  });

  it('titles name the file and lines, and shorten long instructions', () => {
    assert.equal(resultTitle({ kind: 'summarize', instruction: 'x' }, selection), 'Summary of app.ts, lines 3–4');
    assert.equal(resultTitle({ kind: 'summarize', instruction: 'x' }, { ...selection, endLine: 3 }), 'Summary of app.ts, line 3');
    assert.equal(resultTitle({ kind: 'summarize', instruction: 'x' }, { ...selection, wholeDocument: true }), 'Summary of app.ts');
    const long = resultTitle({ kind: 'generate', instruction: 'word '.repeat(50) }, selection);
    assert.ok(long.length < 110, long);
    assert.match(long, /… \(app\.ts, lines 3–4\)$/);
  });

  it('counts tokens only when the prompt could be over the limit', () => {
    assert.equal(needsTokenCount(100, undefined), false);
    assert.equal(needsTokenCount(100, 1_048_576), false);
    assert.equal(needsTokenCount(100, 64), true);
    assert.equal(needsTokenCount(64, 64), true);
  });
});

describe('recent instructions', () => {
  it('moves the used instruction to the front, without duplicates (whitespace-insensitive)', () => {
    let list = rememberInstruction([], 'Write tests');
    list = rememberInstruction(list, 'Explain');
    list = rememberInstruction(list, '  Write   tests ');
    assert.deepEqual(list, ['Write tests', 'Explain']);
  });

  it('is bounded', () => {
    let list: string[] = [];
    for (let i = 0; i < 50; i++) list = rememberInstruction(list, `i${i}`);
    assert.equal(list.length, MAX_RECENT_INSTRUCTIONS);
    assert.equal(list[0], 'i49');
  });

  it('reads stored values defensively', () => {
    assert.deepEqual(parseRecentInstructions(undefined), []);
    assert.deepEqual(parseRecentInstructions('x'), []);
    assert.deepEqual(parseRecentInstructions(['a', 3, '', 'a', ' b ']), ['a', 'b']);
  });
});
