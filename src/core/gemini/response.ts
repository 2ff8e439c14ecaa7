// Helpers for reading responses: the answer text (kept apart from a thinking model's thought summary), and
// whether the answer is complete. A response that was blocked or stopped early is not an exception (partial
// output may exist), so the client returns it and the caller asks `responseProblem` /
// `ResponseAccumulator.problem()` what to tell the user.

import { describeFinishReason, isKnownFinishReason } from '../../shared/finishReason';
import { GeminiError, actions } from './errors';
import type { GenerateContentResponse, UsageMetadata } from './types';

/** The answer text of the first candidate (thought-summary parts excluded). */
export function responseText(response: GenerateContentResponse): string {
  return responseParts(response).answer;
}

/** What one response adds: answer text and thought-summary text (parts with `thought: true`), each in order. */
export interface ResponseDelta {
  readonly answer: string;
  readonly thoughts: string;
}

/** The first candidate's text parts, split into the answer and the thought summary. */
export function responseParts(response: GenerateContentResponse): ResponseDelta {
  const parts = response.candidates?.[0]?.content?.parts;
  let answer = '';
  let thoughts = '';
  for (const part of Array.isArray(parts) ? parts : []) {
    if (typeof part?.text !== 'string') continue;
    if (part.thought === true) thoughts += part.text;
    else answer += part.text;
  }
  return { answer, thoughts };
}

/** Reasons a new attempt may end differently; the others need a different request. */
const RETRY_HELPS = new Set(['OTHER', 'FINISH_REASON_UNSPECIFIED', 'MALFORMED_FUNCTION_CALL']);

/** The same words as under the answer in the panel (shared/finishReason.ts), with what to do about it. */
function finishReasonError(reason: string, hasPartial: boolean): GeminiError {
  const retry = RETRY_HELPS.has(reason) || !isKnownFinishReason(reason);
  const advice = reason === 'MAX_TOKENS' ? 'Ask for a shorter answer, or select less text.' : retry ? 'Try again.' : 'Rephrase the request and try again.';
  return new GeminiError({
    kind: 'finishReason',
    finishReason: reason,
    message: `${describeFinishReason(reason)} ${advice}${hasPartial ? ' The partial answer is kept.' : ''}`,
    action: retry ? actions.retry : undefined,
  });
}

/** A GeminiError describing why a (final) response is blocked or incomplete; undefined if it is fine. */
export function responseProblem(response: GenerateContentResponse, hasPartial = responseText(response).length > 0): GeminiError | undefined {
  const block = response.promptFeedback?.blockReason;
  if (block && block !== 'BLOCK_REASON_UNSPECIFIED') {
    return new GeminiError({ kind: 'blocked', message: `Gemini blocked the prompt and gave no answer (${block}). Rephrase the request or select different text, then try again.` });
  }
  const finish = response.candidates?.[0]?.finishReason;
  if (finish && finish !== 'STOP' && finish !== 'FINISH_REASON_UNSPECIFIED') return finishReasonError(finish, hasPartial);
  return undefined;
}

/** Collects a stream: the answer and the thought summary so far, the last usage, model version and how it ended. */
export class ResponseAccumulator {
  /** The answer: what Copy, Insert and Replace use. */
  text = '';
  /** The thought summary; never part of the answer. */
  thoughts = '';
  usage: UsageMetadata | undefined;
  modelVersion: string | undefined;
  finishReason: string | undefined;
  blockReason: string | undefined;
  chunks = 0;

  /** Adds one streamed response; returns the answer and thought text it added. */
  add(response: GenerateContentResponse): ResponseDelta {
    this.chunks++;
    const delta = responseParts(response);
    this.text += delta.answer;
    this.thoughts += delta.thoughts;
    this.usage = response.usageMetadata ?? this.usage;
    this.modelVersion = response.modelVersion ?? this.modelVersion;
    this.finishReason = response.candidates?.[0]?.finishReason ?? this.finishReason;
    this.blockReason = response.promptFeedback?.blockReason ?? this.blockReason;
    return delta;
  }

  /** Why the finished answer is blocked or incomplete, if it is. */
  problem(): GeminiError | undefined {
    return responseProblem({ promptFeedback: { blockReason: this.blockReason }, candidates: [{ finishReason: this.finishReason }] }, this.text.length > 0);
  }
}
