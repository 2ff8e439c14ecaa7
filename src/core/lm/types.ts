// Plain mirrors of VS Code's language-model chat types, so the mapping to and from Gemini is testable in
// plain Node. The adapter (src/vscode/languageModels.ts) converts the real classes into these and back.

export type LmRole = 'user' | 'assistant' | 'system';

export type LmResultPart = { readonly kind: 'text'; readonly value: string } | LmDataPart;

export interface LmDataPart {
  readonly kind: 'data';
  readonly mimeType: string;
  readonly data: Uint8Array;
}

export type LmPart =
  | { readonly kind: 'text'; readonly value: string }
  | LmToolCall
  | { readonly kind: 'toolResult'; readonly callId: string; readonly content: readonly LmResultPart[] }
  | LmDataPart;

export interface LmToolCall {
  readonly kind: 'toolCall';
  readonly callId: string;
  readonly name: string;
  readonly input: unknown;
}

export interface LmMessage {
  readonly role: LmRole;
  readonly parts: readonly LmPart[];
}

export interface LmRequestOptions {
  readonly tools?: ReadonlyArray<{ readonly name: string; readonly description: string; readonly inputSchema?: unknown }>;
  /** VS Code's LanguageModelChatToolMode: Required means "call one of the tools". */
  readonly toolMode: 'auto' | 'required';
  /** Caller-chosen knobs; the ones Gemini's generationConfig knows are passed on. */
  readonly modelOptions?: { readonly [name: string]: unknown };
}

/** What the provider streams back to VS Code. */
export type LmOutputPart = { readonly kind: 'text'; readonly value: string } | LmToolCall;

/** `LanguageModelChatInformation` without the vscode types. */
export interface LmModelInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail: string;
  readonly tooltip: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly toolCalling: boolean; readonly imageInput: boolean };
}
