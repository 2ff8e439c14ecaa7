import * as assert from 'node:assert/strict';
import { geminiFunctionName, toGeminiParameters } from '../../../src/core/lm/schema';
import { checkToolRequest } from '../../fakes/gemini/tools';

/** What the fake Gemini (as strict as Google) says about a request declaring one tool with these parameters. */
function googleSays(parameters: unknown): string | undefined {
  const json = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], tools: [{ functionDeclarations: [{ name: 'tool', ...(parameters ? { parameters } : {}) }] }] };
  return checkToolRequest(json, 'gemini-2.5-flash', new Set());
}

describe('lm: JSON Schema → Gemini parameters', () => {
  const cases: { name: string; input: unknown; expected: unknown }[] = [
    { name: 'no schema: no parameters', input: undefined, expected: undefined },
    { name: 'an object without properties: no parameters', input: { type: 'object', properties: {} }, expected: undefined },
    {
      name: 'types upper-cased, required kept, $schema and additionalProperties dropped',
      input: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        additionalProperties: false,
        properties: { path: { type: 'string', description: 'File path' }, line: { type: 'integer', minimum: 1 } },
        required: ['path', 'missing'],
      },
      expected: {
        type: 'OBJECT',
        properties: { path: { type: 'STRING', description: 'File path' }, line: { type: 'INTEGER', minimum: 1 } },
        required: ['path'],
      },
    },
    {
      name: 'nullable type arrays',
      input: { type: 'object', properties: { a: { type: ['string', 'null'] } } },
      expected: { type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true } } },
    },
    {
      name: 'several types become anyOf',
      input: { type: 'object', properties: { a: { type: ['string', 'number'], description: 'x' } } },
      expected: { type: 'OBJECT', properties: { a: { description: 'x', anyOf: [{ type: 'STRING', description: 'x' }, { type: 'NUMBER', description: 'x' }] } } },
    },
    {
      name: 'string enums kept; numeric enums named in the description',
      input: { type: 'object', properties: { s: { type: 'string', enum: ['a', 'b'] }, n: { type: 'integer', enum: [1, 2], description: 'Level.' } } },
      expected: { type: 'OBJECT', properties: { s: { type: 'STRING', enum: ['a', 'b'] }, n: { type: 'INTEGER', description: 'Level. Allowed values: 1, 2.' } } },
    },
    {
      name: 'const is a one-value enum',
      input: { type: 'object', properties: { kind: { type: 'string', const: 'file' } } },
      expected: { type: 'OBJECT', properties: { kind: { type: 'STRING', enum: ['file'] } } },
    },
    {
      name: 'formats Gemini does not know are dropped',
      input: { type: 'object', properties: { u: { type: 'string', format: 'uri' }, d: { type: 'string', format: 'date-time' } } },
      expected: { type: 'OBJECT', properties: { u: { type: 'STRING' }, d: { type: 'STRING', format: 'date-time' } } },
    },
    {
      name: '$ref into $defs resolved; recursion stops',
      input: {
        type: 'object',
        properties: { node: { $ref: '#/$defs/Node' } },
        $defs: { Node: { type: 'object', properties: { name: { type: 'string' }, child: { $ref: '#/$defs/Node' } } } },
      },
      expected: { type: 'OBJECT', properties: { node: { type: 'OBJECT', properties: { name: { type: 'STRING' }, child: { type: 'OBJECT' } } } } },
    },
    {
      name: 'oneOf with null: the one variant, nullable',
      input: { type: 'object', properties: { a: { oneOf: [{ type: 'string' }, { type: 'null' }] } } },
      expected: { type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true } } },
    },
    {
      name: 'allOf merged',
      input: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } } }] },
      expected: { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } }, required: ['a'] },
    },
    {
      name: 'arrays without items get string items; untyped values are strings',
      input: { type: 'object', properties: { list: { type: 'array' }, any: { description: 'Anything' } } },
      expected: { type: 'OBJECT', properties: { list: { type: 'ARRAY', items: { type: 'STRING' } }, any: { type: 'STRING', description: 'Anything' } } },
    },
    {
      name: 'examples become example; exclusiveMinimum and patternProperties dropped',
      input: { type: 'object', properties: { n: { type: 'number', exclusiveMinimum: 0, examples: [3] } }, patternProperties: { '^x': {} } },
      expected: { type: 'OBJECT', properties: { n: { type: 'NUMBER', example: 3 } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = toGeminiParameters(c.input);
      assert.deepEqual(out, c.expected);
      assert.equal(googleSays(out), undefined, 'the fake Gemini accepts it');
    });
  }

  it('the fake refuses what the sanitiser removes (so the table above can fail)', () => {
    assert.match(googleSays({ type: 'OBJECT', additionalProperties: false, properties: { a: { type: 'STRING' } } }) ?? '', /Unknown name "additionalProperties"/);
    assert.match(googleSays({ type: 'OBJECT', properties: { n: { type: 'INTEGER', enum: ['1'] } } }) ?? '', /only allowed for STRING type/);
    assert.match(googleSays({ type: 'OBJECT', properties: { l: { type: 'ARRAY' } } }) ?? '', /items: missing field/);
  });

  it('VS Code-style tool schemas of real tools pass', () => {
    const readFile = {
      type: 'object',
      properties: {
        filePath: { type: 'string', description: 'The absolute path of the file to read.' },
        startLine: { type: 'number' },
        options: { type: 'object', properties: { encoding: { type: 'string', enum: ['utf8', 'latin1'], default: 'utf8' } }, additionalProperties: false },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
      },
      required: ['filePath'],
    };
    assert.equal(googleSays(toGeminiParameters(readFile)), undefined);
  });
});

describe('lm: function names Gemini accepts', () => {
  const table: [string, RegExp | string][] = [
    ['copilot_readFile', 'copilot_readFile'],
    ['mcp_github.create-issue:v2', 'mcp_github.create-issue:v2'],
    ['read file', /^read_file_[0-9a-f]{8}$/],
    ['9lives', /^_9lives_[0-9a-f]{8}$/],
    ['x'.repeat(80), /^x{55}_[0-9a-f]{8}$/],
  ];
  for (const [name, expected] of table) {
    it(`${name.slice(0, 20)} → ${String(expected).slice(0, 30)}`, () => {
      const out = geminiFunctionName(name);
      if (typeof expected === 'string') assert.equal(out, expected);
      else assert.match(out, expected);
      assert.match(out, /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/);
      assert.equal(geminiFunctionName(name), out, 'the same every time');
    });
  }
  it('names that differ only in forbidden characters stay apart', () => {
    assert.notEqual(geminiFunctionName('a b'), geminiFunctionName('a/b'));
    assert.notEqual(geminiFunctionName('a b'), 'a_b');
  });
});
