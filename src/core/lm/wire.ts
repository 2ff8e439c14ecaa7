// The parts of the Gemini REST wire format that only the language-model provider speaks: function calling,
// thought signatures and inline data. They extend the shared request/response types (gemini/types.ts)
// rather than change them, so GeminiClient sends and streams them unchanged.

import type { Content, GenerateContentRequest, GenerateContentResponse, Part } from '../gemini/types';

export interface ToolPart extends Part {
  /** `id` is set by Google on some models; then the matching functionResponse must carry it back. */
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  /** Google expects `response` to be a JSON object; by convention the result goes under `output` (errors under `error`). */
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
  inlineData?: { mimeType: string; data: string };
  /** Opaque, base64; Gemini 3 rejects a follow-up request whose function-call turn lost it. */
  thoughtSignature?: string;
}

export interface ToolContent extends Content {
  parts: ToolPart[];
}

/** Gemini's OpenAPI-subset schema (`Schema` in the REST reference). */
export interface GeminiSchema {
  type?: 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  minProperties?: number;
  maxProperties?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: GeminiSchema[];
  propertyOrdering?: string[];
  default?: unknown;
  example?: unknown;
}

export interface FunctionDeclaration {
  name: string;
  description?: string;
  parameters?: GeminiSchema;
}

export interface ToolRequest extends GenerateContentRequest {
  contents: ToolContent[];
  tools?: { functionDeclarations: FunctionDeclaration[] }[];
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
}

/** Streamed responses, read with the tool fields visible. */
export function partsOf(response: GenerateContentResponse): ToolPart[] {
  const parts = response.candidates?.[0]?.content?.parts;
  return Array.isArray(parts) ? (parts as ToolPart[]).filter((p) => p && typeof p === 'object') : [];
}
