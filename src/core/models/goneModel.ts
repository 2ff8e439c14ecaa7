// A model can disappear between two requests: Google shuts ids down on announced dates and then answers 404
// NOT_FOUND (or says the model was retired). A pinned model is the user's to replace — the error names it and
// offers Select Model. The automatic choice is the extension's own, so it is made again and the request retried
// once, without asking.

import { isGeminiError, type GeminiError } from '../gemini/errors';

/** Google answered that the requested model does not exist (any more). Not a malformed name we refused to send. */
export function isModelGone(err: unknown): err is GeminiError {
  return isGeminiError(err) && err.status !== undefined && (err.kind === 'modelNotFound' || err.kind === 'modelRetired');
}

/**
 * Streams from `model`. If it is gone before anything arrived and `replace` names another model, streams once
 * from that one instead (telling `onReplaced`); otherwise the error stands. Nothing is ever sent a third time.
 */
export async function* streamReplacingGoneModel<T>(
  open: (model: string) => AsyncIterable<T>,
  model: string,
  replace: ((gone: string) => Promise<string | undefined>) | undefined,
  onReplaced: (model: string) => void,
): AsyncGenerator<T, void, undefined> {
  let received = false;
  let next: string | undefined;
  try {
    for await (const item of open(model)) {
      received = true;
      yield item;
    }
    return;
  } catch (err) {
    if (received || !replace || !isModelGone(err)) throw err;
    next = await replace(model).catch(() => undefined);
    if (!next || next === model) throw err;
  }
  onReplaced(next);
  yield* open(next);
}
