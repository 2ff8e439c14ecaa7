// Whether a prompt fits a model's input window: countTokens when it works, else a chars/4 estimate.

import { GeminiError, actions } from './errors';
import type { GenerateContentRequest } from './types';

/** Characters of text in the request (contents and system instruction) — the size we log. */
export function promptChars(request: GenerateContentRequest): number {
  let n = 0;
  for (const content of request.contents) for (const part of content.parts) n += part.text?.length ?? 0;
  for (const part of request.systemInstruction?.parts ?? []) n += part.text?.length ?? 0;
  return n;
}

/** Gemini averages about four characters per token for English and code. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export interface TokenLimitCheck {
  tokens: number;
  /** True when `tokens` is the chars/4 estimate because countTokens failed. */
  estimated: boolean;
  inputTokenLimit?: number;
  overLimit: boolean;
}

/** Against the model's `inputTokenLimit` (unknown: never over): the counted tokens, else the estimate from `chars`. */
export function checkTokenLimit(inputTokenLimit: number | undefined, countedTokens: number | undefined, chars: number): TokenLimitCheck {
  const estimated = countedTokens === undefined;
  const tokens = countedTokens ?? estimateTokens(chars);
  const limit = inputTokenLimit && inputTokenLimit > 0 ? inputTokenLimit : undefined;
  return { tokens, estimated, inputTokenLimit: limit, overLimit: limit !== undefined && tokens > limit };
}

export function promptTooLongError(check: TokenLimitCheck, model: string): GeminiError {
  const about = check.estimated ? 'about ' : '';
  return new GeminiError({
    kind: 'promptTooLong',
    message:
      `The prompt is ${about}${check.tokens} tokens, more than the ${check.inputTokenLimit} that ${model} accepts. ` +
      'Select less text, or choose a model with a larger input limit.',
    action: actions.selectModel,
  });
}
