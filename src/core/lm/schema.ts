// Tool input schemas come from any extension as full JSON Schema; Gemini's `functionDeclarations[].parameters`
// accepts only its OpenAPI subset and answers 400 ("Unknown name …", "only allowed for STRING type") to the
// rest. This turns one into the other, keeping every constraint Gemini can express and saying the others in
// the description, so a tool is never dropped for a schema detail.

import { isObject } from '../common/values';
import type { GeminiSchema } from './wire';

type Json = Record<string, unknown>;
type GeminiType = NonNullable<GeminiSchema['type']>;

const TYPES: Record<string, GeminiType> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};

/** The formats Gemini accepts, per type; others are dropped. */
const FORMATS: Partial<Record<GeminiType, string[]>> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

const MAX_DEPTH = 24;

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);

/**
 * The `parameters` for one tool: an OBJECT schema, or undefined when the tool takes no input (Gemini wants the
 * field left out rather than an object without properties).
 */
export function toGeminiParameters(inputSchema: unknown): GeminiSchema | undefined {
  if (!isObject(inputSchema)) return undefined;
  const schema = new Converter(inputSchema).convert(inputSchema, 0, []);
  if (schema.type !== 'OBJECT' || !schema.properties || !Object.keys(schema.properties).length) return undefined;
  return schema;
}

class Converter {
  constructor(private readonly root: Json) {}

  convert(input: Json, depth: number, refs: string[]): GeminiSchema {
    if (depth > MAX_DEPTH) return { type: 'OBJECT', description: 'Nested too deeply to describe.' };
    const ref = typeof input.$ref === 'string' ? input.$ref : undefined;
    if (ref) {
      const target = this.resolve(ref);
      if (!target || refs.includes(ref)) return withNote({ type: 'OBJECT' }, text(input.description));
      const { $ref: _ignored, ...rest } = input;
      return this.convert({ ...target, ...rest }, depth + 1, [...refs, ref]);
    }
    if (Array.isArray(input.allOf)) return this.convert(mergeAllOf(input), depth + 1, refs);

    const variants = (Array.isArray(input.anyOf) ? input.anyOf : Array.isArray(input.oneOf) ? input.oneOf : undefined)?.filter(isObject);
    if (variants) {
      const { anyOf: _a, oneOf: _o, ...rest } = input;
      const nonNull = variants.filter((v) => v.type !== 'null');
      const nullable = nonNull.length < variants.length || undefined;
      if (nonNull.length === 1) return this.convert({ ...rest, ...nonNull[0], ...(nullable ? { nullable } : {}) }, depth + 1, refs);
      const base = this.common(rest);
      return { ...base, ...(nullable ? { nullable } : {}), anyOf: nonNull.map((v) => this.convert(v, depth + 1, refs)) };
    }

    const declared = (Array.isArray(input.type) ? input.type : [input.type]).filter((t): t is string => typeof t === 'string');
    const nullable = declared.includes('null') || input.nullable === true || undefined;
    const types = declared.filter((t) => t !== 'null').map((t) => TYPES[t]).filter((t): t is GeminiType => Boolean(t));
    if (types.length > 1) {
      const { type: _t, ...rest } = input;
      return { ...this.common(rest), ...(nullable ? { nullable } : {}), anyOf: types.map((t) => this.convert({ ...rest, type: t.toLowerCase() }, depth + 1, refs)) };
    }
    const type = types[0] ?? inferType(input);
    const out: GeminiSchema = { type, ...this.common(input) };
    if (nullable) out.nullable = true;

    const values = Array.isArray(input.enum) ? input.enum : 'const' in input ? [input.const] : undefined;
    if (values) {
      if (values.includes(null)) out.nullable = true;
      const listed = values.filter((v) => v !== null);
      // Gemini allows `enum` on STRING only; other types keep their type and name the values instead.
      if (type === 'STRING') out.enum = listed.map(String);
      else if (listed.length) withNote(out, `Allowed values: ${listed.map((v) => JSON.stringify(v)).join(', ')}.`);
    }
    const format = text(input.format);
    if (format && FORMATS[type]?.includes(format)) out.format = format;

    if (type === 'STRING') {
      setIf(out, 'minLength', count(input.minLength));
      setIf(out, 'maxLength', count(input.maxLength));
      setIf(out, 'pattern', text(input.pattern));
    }
    if (type === 'NUMBER' || type === 'INTEGER') {
      setIf(out, 'minimum', finite(input.minimum));
      setIf(out, 'maximum', finite(input.maximum));
    }
    if (type === 'ARRAY') {
      out.items = isObject(input.items) ? this.convert(input.items, depth + 1, refs) : { type: 'STRING' };
      setIf(out, 'minItems', count(input.minItems));
      setIf(out, 'maxItems', count(input.maxItems));
    }
    if (type === 'OBJECT' && isObject(input.properties)) {
      const properties: Record<string, GeminiSchema> = {};
      for (const [name, value] of Object.entries(input.properties)) {
        if (isObject(value)) properties[name] = this.convert(value, depth + 1, refs);
      }
      if (Object.keys(properties).length) {
        out.properties = properties;
        const required = Array.isArray(input.required) ? input.required.filter((r): r is string => typeof r === 'string' && r in properties) : [];
        if (required.length) out.required = [...new Set(required)];
        const ordering = Array.isArray(input.propertyOrdering) ? input.propertyOrdering.filter((p): p is string => typeof p === 'string' && p in properties) : [];
        if (ordering.length) out.propertyOrdering = ordering;
      }
      setIf(out, 'minProperties', count(input.minProperties));
      setIf(out, 'maxProperties', count(input.maxProperties));
    }
    return out;
  }

  /** Keywords every type may carry. */
  private common(input: Json): GeminiSchema {
    const out: GeminiSchema = {};
    setIf(out, 'title', text(input.title));
    setIf(out, 'description', text(input.description));
    if (input.default !== undefined) out.default = input.default;
    const example = input.example ?? (Array.isArray(input.examples) ? input.examples[0] : undefined);
    if (example !== undefined) out.example = example;
    return out;
  }

  private resolve(ref: string): Json | undefined {
    const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
    if (!m) return undefined;
    const defs = this.root[m[1]];
    const name = m[2].replace(/~1/g, '/').replace(/~0/g, '~');
    return isObject(defs) && isObject(defs[name]) ? defs[name] : undefined;
  }
}

function inferType(input: Json): GeminiType {
  if (isObject(input.properties)) return 'OBJECT';
  if (input.items !== undefined) return 'ARRAY';
  // An untyped value ("any"): a string is the one type every caller can produce and Gemini accepts.
  return 'STRING';
}

function mergeAllOf(input: Json): Json {
  const { allOf, ...rest } = input;
  const merged: Json = { ...rest };
  const properties: Json = isObject(rest.properties) ? { ...rest.properties } : {};
  const required = new Set<unknown>(Array.isArray(rest.required) ? rest.required : []);
  for (const part of (allOf as unknown[]).filter(isObject)) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isObject(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) value.forEach((r) => required.add(r));
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.size) merged.required = [...required];
  return merged;
}

function setIf<K extends keyof GeminiSchema>(out: GeminiSchema, key: K, value: GeminiSchema[K] | undefined): void {
  if (value !== undefined) out[key] = value;
}

function withNote(out: GeminiSchema, note: string | undefined): GeminiSchema {
  if (note) out.description = out.description ? `${out.description} ${note}` : note;
  return out;
}

// ---- function names -------------------------------------------------------------------------------

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

/**
 * A name Gemini accepts (starts with a letter or `_`; letters, digits, `_ . : -`; at most 64), the same for
 * the same input every time so history and the answer map back to the tool's own name.
 */
export function geminiFunctionName(name: string): string {
  if (VALID_NAME.test(name)) return name;
  let safe = name.replace(/[^A-Za-z0-9_.:-]/g, '_');
  if (!/^[A-Za-z_]/.test(safe)) safe = `_${safe}`;
  if (safe.length > 64 || safe !== name) safe = `${safe.slice(0, 55)}_${hash(name)}`;
  return safe;
}

/** FNV-1a, 8 hex digits: tells apart names that differ only in characters Gemini does not allow. */
function hash(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
