import * as assert from 'node:assert/strict';
import { GeminiError } from '../../../src/core/gemini/errors';
import type { GenerateContentResponse } from '../../../src/core/gemini/types';
import { lmErrorCode } from '../../../src/core/lm/errors';
import { chatInformation, modelFamily } from '../../../src/core/lm/models';
import { ResponseReader } from '../../../src/core/lm/response';
import { ToolCallMemory } from '../../../src/core/lm/toolCalls';

const chunk = (parts: unknown[], extra: Partial<GenerateContentResponse> & { finishReason?: string } = {}): GenerateContentResponse => {
  const { finishReason, ...rest } = extra;
  return { candidates: [{ content: { role: 'model', parts: parts as never }, ...(finishReason ? { finishReason } : {}) }], ...rest };
};

describe('lm: streamed Gemini responses → VS Code response parts', () => {
  it('streams answer text as it arrives and never the thought summary', () => {
    const reader = new ResponseReader(new ToolCallMemory(), new Map(), 'x');
    assert.deepEqual(reader.read(chunk([{ text: 'Planning the answer…', thought: true }])), []);
    assert.deepEqual(reader.read(chunk([{ text: 'Hello' }])), [{ kind: 'text', value: 'Hello' }]);
    assert.deepEqual(reader.read(chunk([{ text: ', world', thoughtSignature: 'c2ln' }], { finishReason: 'STOP', usageMetadata: { totalTokenCount: 9 } })), [{ kind: 'text', value: ', world' }]);
    assert.equal(reader.textChars, 12);
    assert.deepEqual(reader.usage, { totalTokenCount: 9 });
    assert.equal(reader.problem(), undefined);
  });

  it('turns function calls into tool calls under the caller’s tool name and remembers their signature and id', () => {
    const memory = new ToolCallMemory();
    const reader = new ResponseReader(memory, new Map([['my_tool_3314e3db', 'my tool']]), 'fallback');
    const parts = reader.read(
      chunk(
        [
          { text: 'Let me look.' },
          { functionCall: { name: 'my_tool_3314e3db', args: { q: 1 } }, thoughtSignature: 'U0lHMQ==' },
          { functionCall: { id: 'g-7', name: 'other', args: ['not', 'an', 'object'] } },
        ],
        { responseId: 'resp1', finishReason: 'STOP' },
      ),
    );
    assert.deepEqual(parts, [
      { kind: 'text', value: 'Let me look.' },
      { kind: 'toolCall', callId: 'gemini-resp1-0', name: 'my tool', input: { q: 1 } },
      { kind: 'toolCall', callId: 'g-7', name: 'other', input: {} },
    ]);
    assert.deepEqual(memory.get('gemini-resp1-0'), { name: 'my tool', signature: 'U0lHMQ==' });
    assert.deepEqual(memory.get('g-7'), { name: 'other', wireId: 'g-7' });
    assert.equal(reader.toolCalls, 2);
  });

  it('call ids stay unique across the chunks of a response without a response id', () => {
    const reader = new ResponseReader(new ToolCallMemory(), new Map(), 'req-42');
    const a = reader.read(chunk([{ functionCall: { name: 't' } }]));
    const b = reader.read(chunk([{ functionCall: { name: 't' } }]));
    assert.deepEqual([...a, ...b].map((p) => (p.kind === 'toolCall' ? p.callId : '')), ['gemini-req-42-0', 'gemini-req-42-1']);
  });

  const problems: [string, GenerateContentResponse[], string | undefined, RegExp | undefined][] = [
    ['a blocked prompt', [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' } }], 'Blocked', /blocked the prompt.*PROHIBITED_CONTENT/],
    ['a safety stop', [chunk([{ text: 'par' }], { finishReason: 'SAFETY' })], 'Blocked', /safety.*partial answer is kept/],
    ['the output limit', [chunk([{ text: 'long' }], { finishReason: 'MAX_TOKENS' })], 'Unknown', /MAX_TOKENS/],
    ['a malformed function call', [chunk([], { finishReason: 'MALFORMED_FUNCTION_CALL' })], 'Unknown', /MALFORMED_FUNCTION_CALL/],
    ['a normal end', [chunk([{ text: 'ok' }], { finishReason: 'STOP' })], undefined, undefined],
  ];
  for (const [name, responses, code, message] of problems) {
    it(`reports ${name}`, () => {
      const reader = new ResponseReader(new ToolCallMemory(), new Map(), 'x');
      for (const r of responses) reader.read(r);
      const problem = reader.problem();
      if (!code) return assert.equal(problem, undefined);
      assert.ok(problem);
      assert.equal(lmErrorCode(problem), code);
      assert.match(problem.message, message!);
    });
  }
});

describe('lm: GeminiError → LanguageModelError code', () => {
  const table: [GeminiError['kind'], string][] = [
    ['noCredential', 'NoPermissions'],
    ['invalidApiKey', 'NoPermissions'],
    ['unauthenticated', 'NoPermissions'],
    ['permissionDenied', 'NoPermissions'],
    ['apiNotEnabled', 'NoPermissions'],
    ['quotaProjectMissing', 'NoPermissions'],
    ['quotaExhausted', 'Blocked'],
    ['blocked', 'Blocked'],
    ['modelNotFound', 'NotFound'],
    ['cancelled', 'Cancelled'],
    ['network', 'Unknown'],
    ['server', 'Unknown'],
    ['badRequest', 'Unknown'],
  ];
  for (const [kind, code] of table) {
    it(`${kind} → ${code}`, () => assert.equal(lmErrorCode(new GeminiError({ kind, message: 'm' })), code));
  }
});

describe('lm: model information for the picker', () => {
  const model = { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', inputTokenLimit: 1_048_576, outputTokenLimit: 65_536 };

  it('names the model, its limits and who pays', () => {
    const info = chatInformation(model, { kind: 'oauth', label: 'ada@example.com' });
    assert.equal(info.id, 'gemini-2.5-flash');
    assert.equal(info.name, 'Gemini 2.5 Flash');
    assert.equal(info.family, 'gemini-2.5-flash');
    assert.equal(info.version, 'gemini-2.5-flash');
    assert.equal(info.maxInputTokens, 1_048_576);
    assert.equal(info.maxOutputTokens, 65_536);
    assert.equal(info.detail, 'ada@example.com');
    assert.match(info.tooltip, /your Google account ada@example\.com.*quota/);
    assert.match(info.tooltip, /1M tokens.*64K/);
    assert.deepEqual(info.capabilities, { toolCalling: true, imageInput: true });
  });

  it('says when the API key pays, and falls back to safe limits', () => {
    const info = chatInformation({ id: 'gemini-x', displayName: 'X' }, { kind: 'apiKey', label: 'API key' });
    assert.match(info.tooltip, /your Gemini API key/);
    assert.equal(info.maxInputTokens, 32_768);
    assert.equal(info.maxOutputTokens, 8192);
  });

  it('offers tools only where Gemini supports them', () => {
    for (const [id, tools] of [['gemma-3-27b-it', false], ['gemini-2.5-flash-preview-tts', false], ['gemini-2.5-flash-image', false], ['gemini-3.5-pro', true]] as const) {
      assert.equal(chatInformation({ id, displayName: id }, { kind: 'apiKey', label: 'API key' }).capabilities.toolCalling, tools, id);
    }
  });

  it('families group versions and previews', () => {
    const table: [string, string][] = [
      ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
      ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
      ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
      ['gemini-3-pro-preview', 'gemini-3-pro'],
      ['gemini-exp-1206', 'gemini-exp-1206'],
    ];
    for (const [id, family] of table) assert.equal(modelFamily(id), family, id);
  });
});
