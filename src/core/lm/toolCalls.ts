// What Gemini said about each tool call that VS Code's message types cannot carry back to us: the thought
// signature (Gemini 3 rejects a function-call turn sent without it), Google's own call id, and the tool's name
// (a LanguageModelToolResultPart has only the call id, and functionResponse needs the name). Kept by call id, the
// one thing every caller sends back unchanged (the 1.104 API has no data part to ride on the message, and chat
// rebuilds its history itself); in-process and bounded, so a conversation without one gets `SKIP_SIGNATURE`.

export interface RememberedCall {
  readonly name: string;
  /** Google's `functionCall.id`, when it set one; sent back on the call and its response. */
  readonly wireId?: string;
  readonly signature?: string;
}

/**
 * Google documents this value for a function call whose real signature is not available (history from
 * another model or session): Gemini 3 then skips validation instead of refusing the request.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

const CAPACITY = 2000;

export class ToolCallMemory {
  private readonly calls = new Map<string, RememberedCall>();

  remember(callId: string, call: RememberedCall): void {
    this.calls.delete(callId);
    this.calls.set(callId, call);
    while (this.calls.size > CAPACITY) this.calls.delete(this.calls.keys().next().value as string);
  }

  get(callId: string): RememberedCall | undefined {
    return this.calls.get(callId);
  }
}

/** Gemini 3 and later refuse a function-call turn without its thought signature; earlier models accept it. */
export function requiresThoughtSignatures(modelId: string): boolean {
  const major = /^(?:models\/)?gemini-(\d+)/.exec(modelId)?.[1];
  return major !== undefined && Number(major) >= 3;
}
