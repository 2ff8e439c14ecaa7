import * as assert from 'node:assert/strict';
import { GeminiError } from '../../../src/core/gemini/errors';
import { promptTsxText, toGeminiRequest } from '../../../src/core/lm/request';
import { SKIP_SIGNATURE, ToolCallMemory, requiresThoughtSignatures } from '../../../src/core/lm/toolCalls';
import type { LmMessage, LmPart, LmRequestOptions } from '../../../src/core/lm/types';
import { checkToolRequest } from '../../fakes/gemini/tools';

const user = (...parts: (string | LmPart)[]): LmMessage => ({ role: 'user', parts: parts.map((p) => (typeof p === 'string' ? { kind: 'text', value: p } : p)) });
const assistant = (...parts: (string | LmPart)[]): LmMessage => ({ ...user(...parts), role: 'assistant' });
const system = (text: string): LmMessage => ({ role: 'system', parts: [{ kind: 'text', value: text }] });
const call = (callId: string, name: string, input: unknown = {}): LmPart => ({ kind: 'toolCall', callId, name, input });
const result = (callId: string, text: string): LmPart => ({ kind: 'toolResult', callId, content: [{ kind: 'text', value: text }] });
const auto: LmRequestOptions = { toolMode: 'auto' };
const WEATHER = { name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

describe('lm: chat messages → Gemini request', () => {
  const cases: { name: string; messages: LmMessage[]; options?: LmRequestOptions; model?: string; expected: Record<string, unknown> }[] = [
    {
      name: 'user and assistant text become user and model contents',
      messages: [user('Hi'), assistant('Hello!'), user('Tell me more')],
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'Hi' }] },
          { role: 'model', parts: [{ text: 'Hello!' }] },
          { role: 'user', parts: [{ text: 'Tell me more' }] },
        ],
      },
    },
    {
      name: 'system messages become the systemInstruction; consecutive user messages merge; empty text is dropped',
      messages: [system('Be brief.'), system('Use Markdown.'), user('One', ''), user('Two'), assistant('')],
      expected: {
        systemInstruction: { parts: [{ text: 'Be brief.\n\nUse Markdown.' }] },
        contents: [{ role: 'user', parts: [{ text: 'One' }, { text: 'Two' }] }],
      },
    },
    {
      name: 'tools become functionDeclarations; Required tool mode is ANY',
      messages: [user('Weather in Paris?')],
      options: { toolMode: 'required', tools: [WEATHER, { name: 'no input', description: 'Takes nothing' }] },
      expected: {
        contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }] }],
        tools: [
          {
            functionDeclarations: [
              { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } },
              { name: 'no_input_9e132652', description: 'Takes nothing' },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: 'ANY' } },
      },
    },
    {
      name: 'a tool call and its result become functionCall and functionResponse with the tool name; text after the results follows them',
      messages: [user('Weather?'), assistant('Checking.', call('c1', 'get_weather', { city: 'Paris' })), user('(extra)', result('c1', '18 °C'))],
      options: { toolMode: 'auto', tools: [WEATHER] },
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'Weather?' }] },
          { role: 'model', parts: [{ text: 'Checking.' }, { functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { output: '18 °C' } } }, { text: '(extra)' }] },
        ],
        tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] } }] }],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      },
    },
    {
      name: 'parallel calls stay in one model turn and their results in one user turn, in order',
      messages: [user('Two cities'), assistant(call('a', 'get_weather', { city: 'Oslo' }), call('b', 'get_weather', { city: 'Rome' })), user(result('a', 'cold')), user(result('b', 'warm'))],
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'Two cities' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }, { functionCall: { name: 'get_weather', args: { city: 'Rome' } } }] },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_weather', response: { output: 'cold' } } },
              { functionResponse: { name: 'get_weather', response: { output: 'warm' } } },
            ],
          },
        ],
      },
    },
    {
      name: 'tool names Gemini refuses are renamed the same way in declarations, calls and results',
      messages: [user('x'), assistant(call('c', 'my tool')), user(result('c', 'ok'))],
      options: { toolMode: 'auto', tools: [{ name: 'my tool', description: 'd' }] },
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'x' }] },
          { role: 'model', parts: [{ functionCall: { name: 'my_tool_3314e3db', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'my_tool_3314e3db', response: { output: 'ok' } } }] },
        ],
        tools: [{ functionDeclarations: [{ name: 'my_tool_3314e3db', description: 'd' }] }],
        toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
      },
    },
    {
      name: 'Gemini 3 without a remembered signature: the documented skip value on the first call of each turn',
      model: 'gemini-3.5-flash',
      messages: [user('x'), assistant(call('a', 't'), call('b', 't')), user(result('a', '1'), result('b', '2'))],
      expected: {
        contents: [
          { role: 'user', parts: [{ text: 'x' }] },
          { role: 'model', parts: [{ functionCall: { name: 't', args: {} }, thoughtSignature: SKIP_SIGNATURE }, { functionCall: { name: 't', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 't', response: { output: '1' } } }, { functionResponse: { name: 't', response: { output: '2' } } }] },
        ],
      },
    },
    {
      name: 'images go inline, text data becomes text, unknown markers are dropped; tool-result data is described',
      messages: [
        user(
          { kind: 'data', mimeType: 'image/png', data: new Uint8Array([1, 2, 3]) },
          { kind: 'data', mimeType: 'text/plain', data: new TextEncoder().encode('plain') },
          { kind: 'data', mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') },
        ),
        assistant(call('c', 'shot')),
        user({ kind: 'toolResult', callId: 'c', content: [{ kind: 'text', value: 'see ' }, { kind: 'data', mimeType: 'image/png', data: new Uint8Array(4) }] }),
      ],
      expected: {
        contents: [
          { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'AQID' } }, { text: 'plain' }] },
          { role: 'model', parts: [{ functionCall: { name: 'shot', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'shot', response: { output: 'see [image/png content, 4 bytes, not shown]' } } }] },
        ],
      },
    },
    {
      name: 'known model options go into generationConfig, others are ignored',
      messages: [user('x')],
      options: { toolMode: 'auto', modelOptions: { temperature: 0.2, max_tokens: 100.7, topP: 'high', stop: ['END'], vendorThing: true } },
      expected: { contents: [{ role: 'user', parts: [{ text: 'x' }] }], generationConfig: { temperature: 0.2, maxOutputTokens: 100, stopSequences: ['END'] } },
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const model = c.model ?? 'gemini-2.5-flash';
      const { request } = toGeminiRequest(model, c.messages, c.options ?? auto, new ToolCallMemory());
      assert.deepEqual(JSON.parse(JSON.stringify(request)), c.expected);
      assert.equal(checkToolRequest(request, model, new Set()), undefined, 'the fake Gemini accepts the request');
    });
  }

  it('sends back what Gemini said about a call: its signature and its own id, on the call and the result', () => {
    const memory = new ToolCallMemory();
    memory.remember('c1', { name: 'get_weather', wireId: 'google-id-1', signature: 'U0lH' });
    const { request } = toGeminiRequest('gemini-3.5-flash', [user('x'), assistant(call('c1', 'get_weather', { city: 'Oslo' })), user(result('c1', 'cold'))], auto, memory);
    assert.deepEqual(request.contents[1].parts, [{ functionCall: { id: 'google-id-1', name: 'get_weather', args: { city: 'Oslo' } }, thoughtSignature: 'U0lH' }]);
    assert.deepEqual(request.contents[2].parts, [{ functionResponse: { id: 'google-id-1', name: 'get_weather', response: { output: 'cold' } } }]);
  });

  it('a result whose call is only remembered (not in the messages) still gets its name', () => {
    const memory = new ToolCallMemory();
    memory.remember('c9', { name: 'lookup' });
    const { request } = toGeminiRequest('gemini-2.5-flash', [user(result('c9', 'found'))], auto, memory);
    assert.deepEqual(request.contents[0].parts, [{ functionResponse: { name: 'lookup', response: { output: 'found' } } }]);
  });

  it('maps Gemini function names back to the tool names', () => {
    const { toolNames } = toGeminiRequest('gemini-2.5-flash', [user('x')], { toolMode: 'auto', tools: [{ name: 'my tool', description: '' }, WEATHER] }, new ToolCallMemory());
    assert.deepEqual([...toolNames], [
      ['my_tool_3314e3db', 'my tool'],
      ['get_weather', 'get_weather'],
    ]);
  });

  const failures: [string, LmMessage[], RegExp][] = [
    ['a result for an unknown call', [user(result('nope', 'x'))], /no tool call with that id/],
    ['nothing to send', [system('only a system prompt'), user('')], /no user or assistant message/],
  ];
  for (const [name, messages, message] of failures) {
    it(`refuses ${name} with a clear message`, () => {
      assert.throws(() => toGeminiRequest('gemini-2.5-flash', messages, auto, new ToolCallMemory()), (err: unknown) => err instanceof GeminiError && err.kind === 'badRequest' && message.test(err.message));
    });
  }

  it('Gemini 3 and later need thought signatures; 2.x does not', () => {
    const table: [string, boolean][] = [
      ['gemini-2.5-flash', false],
      ['gemini-2.0-flash', false],
      ['gemini-3-pro-preview', true],
      ['gemini-3.5-flash', true],
      ['models/gemini-4-flash', true],
      ['gemma-3-27b-it', false],
    ];
    for (const [model, expected] of table) assert.equal(requiresThoughtSignatures(model), expected, model);
  });

  it('reads the text of a prompt-tsx tool result', () => {
    const json = { node: { type: 1, ctor: 2, ctorName: 'ToolResult', children: [{ type: 2, text: 'line one', priority: 1 }, { type: 2, text: 'line two', lineBreakBefore: true }], props: { text: 'not content' } } };
    assert.equal(promptTsxText(json), 'line one\nline two');
  });
});

describe('lm: the fake Gemini checks tool turns like Google', () => {
  const base = (contents: unknown[]) => ({ contents });
  const fc = (name: string, signature?: string) => ({ functionCall: { name, args: {} }, ...(signature ? { thoughtSignature: signature } : {}) });
  const fr = (name: string) => ({ functionResponse: { name, response: { output: 'x' } } });
  const table: [string, unknown, string, RegExp | undefined][] = [
    ['Gemini 3: a missing signature in the current turn', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t')] }, { role: 'user', parts: [fr('t')] }]), 'gemini-3.5-flash', /missing a thought_signature.*default_api:t/],
    ['Gemini 3: an old turn without a signature is not checked', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t')] }, { role: 'user', parts: [fr('t')] }, { role: 'model', parts: [{ text: 'a' }] }, { role: 'user', parts: [{ text: 'next' }] }]), 'gemini-3.5-flash', undefined],
    ['Gemini 3: a signature the fake never issued', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t', 'Zm9yZ2Vk')] }, { role: 'user', parts: [fr('t')] }]), 'gemini-3.5-flash', /Corrupted thought signature/],
    ['Gemini 2.5: no signature needed', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t')] }, { role: 'user', parts: [fr('t')] }]), 'gemini-2.5-flash', undefined],
    ['a missing function response', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t'), fc('u')] }, { role: 'user', parts: [fr('t')] }]), 'gemini-2.5-flash', /number of function response parts/],
    ['a response under the wrong name', base([{ role: 'user', parts: [{ text: 'q' }] }, { role: 'model', parts: [fc('t')] }, { role: 'user', parts: [fr('other')] }]), 'gemini-2.5-flash', /response names/],
    ['a response without its call turn', base([{ role: 'user', parts: [fr('t')] }]), 'gemini-2.5-flash', /immediately after a function call turn/],
  ];
  for (const [name, json, model, expected] of table) {
    it(name, () => {
      const said = checkToolRequest(json, model, new Set());
      if (expected) assert.match(said ?? '(accepted)', expected);
      else assert.equal(said, undefined);
    });
  }
});
