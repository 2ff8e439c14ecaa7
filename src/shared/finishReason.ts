// Plain-language explanations of Gemini's finishReason values, shown under an answer that ended for any
// reason other than STOP. The one table: the host uses the same words in its errors (core/gemini/response.ts).

const EXPLANATIONS: Readonly<Record<string, string>> = {
  MAX_TOKENS: 'the answer reached the maximum length',
  SAFETY: 'the answer was blocked by safety filters',
  RECITATION: 'the answer was blocked because it resembled existing content too closely',
  LANGUAGE: 'the answer used a language that is not supported',
  BLOCKLIST: 'the answer contained blocked terms',
  PROHIBITED_CONTENT: 'the answer was blocked for prohibited content',
  SPII: 'the answer was blocked because it may contain sensitive personal information',
  MALFORMED_FUNCTION_CALL: 'the model produced an invalid function call',
  IMAGE_SAFETY: 'the answer was blocked by image safety filters',
  UNEXPECTED_TOOL_CALL: 'the model called a tool that was not offered',
  TOO_MANY_TOOL_CALLS: 'the model made too many tool calls',
  OTHER: 'the model stopped for an unspecified reason',
  FINISH_REASON_UNSPECIFIED: 'the model stopped for an unspecified reason',
};

export function isKnownFinishReason(reason: string): boolean {
  return Object.prototype.hasOwnProperty.call(EXPLANATIONS, reason);
}

/**
 * A sentence for the user, e.g. "Stopped: the answer reached the maximum length (MAX_TOKENS)."; undefined for
 * a normal end (STOP, or no reason given).
 */
export function describeFinishReason(reason: string | undefined): string | undefined {
  if (reason === undefined || reason === '' || reason === 'STOP') return undefined;
  const explanation = isKnownFinishReason(reason) ? EXPLANATIONS[reason] : undefined;
  return `Stopped: ${explanation ?? 'the model ended the answer early'} (${reason}).`;
}
