// VS Code chat messages → one Gemini request. User and assistant messages become `user` and `model` contents
// (consecutive ones merged, as Gemini wants one content per turn); system text becomes `systemInstruction`;
// tool calls and results become functionCall / functionResponse parts with the names, ids and thought
// signatures Gemini needs to accept them; tool definitions become functionDeclarations.

import { isObject } from '../common/values';
import { GeminiError } from '../gemini/errors';
import type { GenerationConfig } from '../gemini/types';
import { geminiFunctionName, toGeminiParameters } from './schema';
import { SKIP_SIGNATURE, requiresThoughtSignatures, type ToolCallMemory } from './toolCalls';
import type { LmDataPart, LmMessage, LmRequestOptions, LmResultPart } from './types';
import type { FunctionDeclaration, ToolContent, ToolPart, ToolRequest } from './wire';

export interface MappedRequest {
  readonly request: ToolRequest;
  /** Gemini function name → the caller's tool name, for the calls in the answer. */
  readonly toolNames: ReadonlyMap<string, string>;
}

export function toGeminiRequest(modelId: string, messages: readonly LmMessage[], options: LmRequestOptions, memory: ToolCallMemory): MappedRequest {
  const toolNames = new Map<string, string>();
  const declarations: FunctionDeclaration[] = [];
  for (const tool of options.tools ?? []) {
    const name = geminiFunctionName(tool.name);
    if (toolNames.has(name)) continue;
    toolNames.set(name, tool.name);
    const parameters = toGeminiParameters(tool.inputSchema);
    declarations.push({ name, ...(tool.description ? { description: tool.description } : {}), ...(parameters ? { parameters } : {}) });
  }

  // A tool result carries only its call id; the name comes from the call earlier in the conversation.
  const callNames = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) if (part.kind === 'toolCall') callNames.set(part.callId, part.name);
  }

  const system: string[] = [];
  const contents: ToolContent[] = [];
  const add = (role: 'user' | 'model', part: ToolPart) => {
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(part);
    else contents.push({ role, parts: [part] });
  };

  for (const message of messages) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    for (const part of message.parts) {
      switch (part.kind) {
        case 'text':
          if (!part.value) break;
          if (message.role === 'system') system.push(part.value);
          else add(role, { text: part.value });
          break;
        case 'data': {
          const mapped = dataPart(part);
          if (mapped && message.role !== 'system') add(role, mapped);
          break;
        }
        case 'toolCall': {
          const remembered = memory.get(part.callId);
          add('model', {
            functionCall: {
              ...(remembered?.wireId ? { id: remembered.wireId } : {}),
              name: geminiFunctionName(part.name),
              args: isObject(part.input) ? part.input : {},
            },
            ...(remembered?.signature ? { thoughtSignature: remembered.signature } : {}),
          });
          break;
        }
        case 'toolResult': {
          const remembered = memory.get(part.callId);
          const name = callNames.get(part.callId) ?? remembered?.name;
          if (!name) {
            throw new GeminiError({
              kind: 'badRequest',
              message: `A tool result refers to call '${part.callId.slice(0, 80)}', but the conversation has no tool call with that id. Send the assistant message with the LanguageModelToolCallPart before its result.`,
            });
          }
          add('user', {
            functionResponse: {
              ...(remembered?.wireId ? { id: remembered.wireId } : {}),
              name: geminiFunctionName(name),
              response: { output: resultText(part.content) },
            },
          });
          break;
        }
      }
    }
  }

  for (const content of contents) {
    // Gemini pairs a function-call turn with the responses that follow it; other text in that turn goes after them.
    if (content.role === 'user') content.parts.sort((a, b) => Number(!a.functionResponse) - Number(!b.functionResponse));
  }
  if (requiresThoughtSignatures(modelId)) {
    for (const content of contents) {
      const first = content.parts.find((p) => p.functionCall);
      if (first && !first.thoughtSignature) first.thoughtSignature = SKIP_SIGNATURE;
    }
  }
  if (!contents.length) {
    throw new GeminiError({ kind: 'badRequest', message: 'The request has no user or assistant message with content to send to Gemini.' });
  }

  const request: ToolRequest = { contents };
  if (system.length) request.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  if (declarations.length) {
    request.tools = [{ functionDeclarations: declarations }];
    request.toolConfig = { functionCallingConfig: { mode: options.toolMode === 'required' ? 'ANY' : 'AUTO' } };
  }
  const generationConfig = generationConfigFrom(options.modelOptions);
  if (generationConfig) request.generationConfig = generationConfig;
  return { request, toolNames };
}

const TEXT_MIME = /^(text\/|application\/(json|xml|x-yaml|yaml)\b)/i;

/** Images (and PDFs, audio, video) go inline; text-like data becomes text; VS Code's own markers are dropped. */
function dataPart(part: LmDataPart): ToolPart | undefined {
  if (TEXT_MIME.test(part.mimeType)) return { text: new TextDecoder().decode(part.data) };
  if (/^(image|audio|video)\/|^application\/pdf$/i.test(part.mimeType)) {
    return { inlineData: { mimeType: part.mimeType, data: Buffer.from(part.data).toString('base64') } };
  }
  return undefined;
}

function resultText(content: readonly LmResultPart[]): string {
  return content
    .map((part) => {
      if (part.kind === 'text') return part.value;
      if (TEXT_MIME.test(part.mimeType)) return new TextDecoder().decode(part.data);
      return `[${part.mimeType} content, ${part.data.byteLength} bytes, not shown]`;
    })
    .join('');
}

function generationConfigFrom(options: LmRequestOptions['modelOptions']): GenerationConfig | undefined {
  if (!options) return undefined;
  const config: GenerationConfig = {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const temperature = num(options.temperature);
  const topP = num(options.topP ?? options.top_p);
  const topK = num(options.topK ?? options.top_k);
  const maxOutputTokens = num(options.maxOutputTokens ?? options.max_tokens ?? options.maxTokens);
  if (temperature !== undefined) config.temperature = temperature;
  if (topP !== undefined) config.topP = topP;
  if (topK !== undefined) config.topK = topK;
  if (maxOutputTokens !== undefined) config.maxOutputTokens = Math.floor(maxOutputTokens);
  const stop = options.stopSequences ?? options.stop;
  if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) config.stopSequences = stop as string[];
  return Object.keys(config).length ? config : undefined;
}

/**
 * The text inside a `@vscode/prompt-tsx` element (a LanguageModelPromptTsxPart in a tool result): its text
 * nodes in document order. Rendering it properly needs the caller's prompt-tsx; the text is what matters.
 */
export function promptTsxText(value: unknown, depth = 0): string {
  if (depth > 64 || value === null || typeof value !== 'object') return '';
  if (Array.isArray(value)) return value.map((v) => promptTsxText(v, depth + 1)).join('');
  const node = value as Record<string, unknown>;
  if (typeof node.text === 'string') return `${node.lineBreakBefore === true ? '\n' : ''}${node.text}`;
  return Object.entries(node)
    .filter(([key]) => key !== 'props' && key !== 'ctor')
    .map(([, v]) => promptTsxText(v, depth + 1))
    .join('');
}
