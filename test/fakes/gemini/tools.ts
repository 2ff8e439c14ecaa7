// Function calling in the fake Gemini: checks a request's tools and tool turns as strictly as Google does
// (unknown schema fields, enum outside STRING, bad function names, function-call and function-response turns
// that do not pair up, and Gemini 3's thought signatures), and builds functionCall answers that carry a
// thought signature the way Gemini 3 sends them (on the first call of each response only).

/** One function call the fake answers with. */
export interface FakeFunctionCall {
  name: string;
  args?: Record<string, unknown>;
  /** `functionCall.id`, as some Google models set it. */
  id?: string;
}

/** The value Google documents for history whose real signature is not available. */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

type Json = Record<string, unknown>;
interface WirePart {
  text?: unknown;
  functionCall?: { name?: unknown; id?: unknown; args?: unknown };
  functionResponse?: { name?: unknown; id?: unknown; response?: unknown };
  thoughtSignature?: unknown;
}
interface WireContent {
  role?: unknown;
  parts?: WirePart[];
}

const SCHEMA_FIELDS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering',
  'default', 'items', 'minimum', 'maximum',
]);
const TYPES = new Set(['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL']);
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;
const MODES = new Set(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Gemini 3 and later refuse a function-call turn whose first call lost its thought signature. */
export function requiresSignatures(modelId: string): boolean {
  const major = /^gemini-(\d+)/.exec(modelId)?.[1];
  return major !== undefined && Number(major) >= 3;
}

/** Google's message for a request the fake refuses with 400 INVALID_ARGUMENT, or undefined if it is fine. */
export function checkToolRequest(json: unknown, modelId: string, issuedSignatures: ReadonlySet<string>): string | undefined {
  if (!isObject(json)) return undefined;
  const tools = Array.isArray(json.tools) ? json.tools : [];
  for (const [t, tool] of tools.entries()) {
    const declarations = isObject(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const [d, decl] of declarations.entries()) {
      const at = `tools[${t}].function_declarations[${d}]`;
      if (!isObject(decl) || typeof decl.name !== 'string' || !FUNCTION_NAME.test(decl.name)) {
        return `* GenerateContentRequest.${at}.name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:), or dashes (-), with a maximum length of 64.\n`;
      }
      if (decl.parameters !== undefined) {
        const problem = checkSchema(decl.parameters, `${at}.parameters`);
        if (problem) return problem;
      }
    }
  }
  const mode = isObject(json.toolConfig) && isObject(json.toolConfig.functionCallingConfig) ? json.toolConfig.functionCallingConfig.mode : undefined;
  if (mode !== undefined && (typeof mode !== 'string' || !MODES.has(mode))) {
    return `Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), ${JSON.stringify(mode)}`;
  }
  const contents = (Array.isArray(json.contents) ? json.contents : []) as WireContent[];
  return checkTurns(contents) ?? (requiresSignatures(modelId) ? checkSignatures(contents, issuedSignatures) : undefined);
}

function checkSchema(schema: unknown, at: string, depth = 0): string | undefined {
  if (!isObject(schema)) return `Invalid JSON payload received. Expected an object at '${at}'.`;
  if (depth > 32) return `* GenerateContentRequest.${at}: schema nesting is too deep.\n`;
  for (const key of Object.keys(schema)) {
    if (!SCHEMA_FIELDS.has(key)) return `Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`;
  }
  if (schema.type !== undefined && (typeof schema.type !== 'string' || !TYPES.has(schema.type.toUpperCase()))) {
    return `Invalid value at '${at}.type' (type.googleapis.com/google.ai.generativelanguage.v1beta.Type), ${JSON.stringify(schema.type)}`;
  }
  const type = typeof schema.type === 'string' ? schema.type.toUpperCase() : undefined;
  if (schema.enum !== undefined && type !== 'STRING') return `* GenerateContentRequest.${at}.enum: only allowed for STRING type\n`;
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.some((v) => typeof v !== 'string'))) {
    return `Invalid value at '${at}.enum' (TYPE_STRING)`;
  }
  if (type === 'ARRAY' && schema.items === undefined) return `* GenerateContentRequest.${at}.items: missing field.\n`;
  if (schema.items !== undefined) {
    const problem = checkSchema(schema.items, `${at}.items`, depth + 1);
    if (problem) return problem;
  }
  if (schema.properties !== undefined) {
    if (!isObject(schema.properties)) return `Invalid JSON payload received. Expected an object at '${at}.properties'.`;
    for (const [name, value] of Object.entries(schema.properties)) {
      const problem = checkSchema(value, `${at}.properties[${JSON.stringify(name)}].value`, depth + 1);
      if (problem) return problem;
    }
  }
  if (Array.isArray(schema.required)) {
    const missing = schema.required.find((r) => typeof r !== 'string' || !isObject(schema.properties) || !(r in schema.properties));
    if (missing !== undefined) return `* GenerateContentRequest.${at}.required[0]: property is not defined\n`;
  }
  for (const [i, variant] of (Array.isArray(schema.anyOf) ? schema.anyOf : []).entries()) {
    const problem = checkSchema(variant, `${at}.any_of[${i}]`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** A function-call turn must be answered by exactly its function responses, by name, in the next (user) turn. */
function checkTurns(contents: WireContent[]): string | undefined {
  for (const [i, content] of contents.entries()) {
    const parts = Array.isArray(content.parts) ? content.parts : [];
    const responses = parts.filter((p) => p?.functionResponse);
    if (responses.length && content.role === 'model') return 'Please use a valid role: user, model. A function response belongs in a user turn.';
    for (const r of responses) {
      if (!isObject(r.functionResponse?.response)) return `Invalid JSON payload received. Expected an object at 'contents[${i}].parts.function_response.response'.`;
    }
    const calls = parts.filter((p) => p?.functionCall);
    if (calls.length && content.role !== 'model') return 'Please ensure that function call turns come from the model role.';
    if (!calls.length) {
      const previous = contents[i - 1];
      if (responses.length && !(previous?.role === 'model' && previous.parts?.some((p) => p?.functionCall))) {
        return 'Please ensure that function response turn comes immediately after a function call turn.';
      }
      continue;
    }
    const next = contents[i + 1];
    if (!next) continue; // the model's own last turn (e.g. in countTokens) needs no answer yet
    const answers = (Array.isArray(next.parts) ? next.parts : []).filter((p) => p?.functionResponse);
    if (answers.length !== calls.length) {
      return 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.';
    }
    const names = calls.map((c) => c.functionCall?.name).sort();
    const answered = answers.map((a) => a.functionResponse?.name).sort();
    if (JSON.stringify(names) !== JSON.stringify(answered)) {
      return `Please ensure that the function response names (${answered.join(', ')}) match the function call names of the function call turn (${names.join(', ')}).`;
    }
  }
  return undefined;
}

/** Gemini 3: in the current turn (since the last user text), each function-call turn's first call needs its signature. */
function checkSignatures(contents: WireContent[], issued: ReadonlySet<string>): string | undefined {
  let start = 0;
  contents.forEach((c, i) => {
    if (c.role === 'user' && (c.parts ?? []).some((p) => typeof p?.text === 'string')) start = i;
  });
  for (let i = start; i < contents.length; i++) {
    const parts = contents[i].parts ?? [];
    const position = parts.findIndex((p) => p?.functionCall);
    if (contents[i].role !== 'model' || position < 0) continue;
    const first = parts[position];
    const signature = first.thoughtSignature;
    if (signature === undefined) {
      return (
        'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, ' +
        'and missing thought_signature may lead to degraded model performance. Additional data, function call ' +
        `\`default_api:${String(first.functionCall?.name)}\` , position ${position + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`
      );
    }
    if (typeof signature !== 'string' || (signature !== SKIP_SIGNATURE && !issued.has(signature))) return 'Corrupted thought signature.';
  }
  return undefined;
}

/** The parts of a functionCall answer: the first call carries a fresh signature, which is added to `issued`. */
export function functionCallParts(calls: FakeFunctionCall[], responseId: string, issued: Set<string>): unknown[] {
  return calls.map((call, i) => {
    const part: Json = { functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args ?? {} } };
    if (i === 0) {
      const signature = Buffer.from(`fake-thought-signature:${responseId}`).toString('base64');
      issued.add(signature);
      part.thoughtSignature = signature;
    }
    return part;
  });
}

/** After tool results the fake "uses" them: it answers with what each tool returned. */
export function toolResultAnswer(json: unknown): string | undefined {
  const contents = (isObject(json) && Array.isArray(json.contents) ? json.contents : []) as WireContent[];
  const responses = (contents.at(-1)?.parts ?? []).map((p) => p?.functionResponse).filter((r) => r !== undefined);
  if (!responses.length) return undefined;
  return responses.map((r) => `The tool ${String(r.name)} returned ${JSON.stringify(r.response)}.`).join('\n');
}
