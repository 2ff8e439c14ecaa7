// Streamed Gemini responses → the parts VS Code receives: answer text as it arrives (never thought summaries)
// and one tool call per functionCall part, under the caller's own tool name, with a call id that stays the
// same for that call and lets the next request find its thought signature again.

import { isObject } from '../common/values';
import { responseProblem } from '../gemini/response';
import type { GeminiError } from '../gemini/errors';
import type { GenerateContentResponse, UsageMetadata } from '../gemini/types';
import type { ToolCallMemory } from './toolCalls';
import type { LmOutputPart } from './types';
import { partsOf } from './wire';

export class ResponseReader {
  usage: UsageMetadata | undefined;
  textChars = 0;
  toolCalls = 0;
  private finishReason: string | undefined;
  private blockReason: string | undefined;

  constructor(
    private readonly memory: ToolCallMemory,
    private readonly toolNames: ReadonlyMap<string, string>,
    /** Makes generated call ids unique when Google sends neither a call id nor a response id. */
    private readonly fallbackId: string,
  ) {}

  read(response: GenerateContentResponse): LmOutputPart[] {
    this.usage = response.usageMetadata ?? this.usage;
    this.finishReason = response.candidates?.[0]?.finishReason ?? this.finishReason;
    this.blockReason = response.promptFeedback?.blockReason ?? this.blockReason;
    const out: LmOutputPart[] = [];
    for (const part of partsOf(response)) {
      if (part.thought) continue;
      const call = part.functionCall;
      if (call && typeof call.name === 'string') {
        const wireId = typeof call.id === 'string' && call.id ? call.id : undefined;
        const callId = wireId ?? `gemini-${response.responseId || this.fallbackId}-${this.toolCalls}`;
        const name = this.toolNames.get(call.name) ?? call.name;
        const signature = typeof part.thoughtSignature === 'string' && part.thoughtSignature ? part.thoughtSignature : undefined;
        this.memory.remember(callId, { name, ...(wireId ? { wireId } : {}), ...(signature ? { signature } : {}) });
        this.toolCalls++;
        out.push({ kind: 'toolCall', callId, name, input: isObject(call.args) ? call.args : {} });
      } else if (typeof part.text === 'string' && part.text) {
        this.textChars += part.text.length;
        out.push({ kind: 'text', value: part.text });
      }
    }
    return out;
  }

  /** Why the finished answer is refused or incomplete, if it is. */
  problem(): GeminiError | undefined {
    const ended = { promptFeedback: { blockReason: this.blockReason }, candidates: [{ finishReason: this.finishReason }] };
    return responseProblem(ended, this.textChars + this.toolCalls > 0);
  }
}
