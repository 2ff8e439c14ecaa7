import { AppendBatcher } from '../../core/ai/batcher';
import { toTokenUsage, type ResultRecord } from '../../core/ai/results';
import type { Logger } from '../../core/common/logger';
import { shortModelId } from '../../core/gemini/client';
import { isGeminiError } from '../../core/gemini/errors';
import { ResponseAccumulator } from '../../core/gemini/response';
import type { GenerateContentResponse } from '../../core/gemini/types';
import { streamReplacingGoneModel } from '../../core/models/goneModel';
import { LIMITS } from '../../shared/protocol';
import type { UserAction } from '../errorReporter';
import type { EditTarget } from './edits';

/** One request to stream into the panel. The prompt stays in host memory (for Retry) and is never logged. */
export interface ResultJob {
  readonly title: string;
  readonly model: string;
  /** With the automatic model: another one to try, once, if Google answers that `model` is gone. */
  readonly replaceGoneModel?: (gone: string) => Promise<string | undefined>;
  /** Streams the answer from `model` (the request and its credential stay with the command that built it). */
  readonly open: (model: string, signal: AbortSignal) => AsyncIterable<GenerateContentResponse>;
  readonly sourceLabel: string;
  readonly emulator: boolean;
  /** Where Replace writes and Insert prefers. */
  readonly target?: EditTarget;
  /** Runs the same request again (fresh credential); set by the command that built it. */
  readonly retry?: () => Promise<void>;
  /** Operation name for log lines, e.g. `summarize`. */
  readonly operation: string;
}

/** A result and what the host keeps with it, in one place: it all leaves the store together. */
export interface ResultSession extends ResultRecord {
  /** Undefined for a result restored after a reload: its request is gone. */
  job?: ResultJob;
  /** While it streams. */
  controller?: AbortController;
  /** Stop was pressed or the panel closed: the end is "stopped", not an error. */
  stopRequested?: boolean;
  /** The error's buttons, in the order the webview shows them. */
  actions?: readonly UserAction[];
}

/** How the stream reaches the webview (the panel manager). */
export interface ResultView {
  /** Posts the answer and thought text the webview has not seen yet. */
  sendPending(session: ResultSession): void;
  finish(session: ResultSession, stopped: boolean): void;
  fail(session: ResultSession, err: unknown): void;
}

/** Streams `session.job` into `session`, in batches to `view`; resolves when the answer has ended. */
export async function streamInto(session: ResultSession, job: ResultJob, view: ResultView, log: Logger): Promise<void> {
  const controller = (session.controller = new AbortController());
  const tag = `[${job.operation}] ${session.id.slice(0, 8)}`;
  const batcher = new AppendBatcher(() => view.sendPending(session));
  const acc = new ResponseAccumulator();
  const started = Date.now();
  let truncated = false;
  const thinkingDone = () => {
    if (session.thoughts && session.thinkingMs === undefined) session.thinkingMs = Date.now() - started;
  };
  const settle = () => {
    thinkingDone();
    batcher.flush();
    session.model = shortModelId(acc.modelVersion ?? session.model);
    session.usage = toTokenUsage(acc.usage);
  };
  try {
    const open = (model: string) => job.open(model, controller.signal);
    for await (const response of streamReplacingGoneModel(open, job.model, job.replaceGoneModel, (model) => (session.model = shortModelId(model)))) {
      const { answer, thoughts } = acc.add(response);
      if (thoughts && session.thoughts.length < LIMITS.thoughtsText) {
        const kept = thoughts.slice(0, LIMITS.thoughtsText - session.thoughts.length);
        session.thoughts += kept;
        batcher.push(kept);
      }
      if (!answer) continue;
      thinkingDone();
      if (session.text.length + answer.length > LIMITS.resultText) {
        session.text += answer.slice(0, LIMITS.resultText - session.text.length);
        truncated = true;
        controller.abort();
        break;
      }
      session.text += answer;
      batcher.push(answer);
    }
    settle();
    const problem = acc.problem();
    if (problem?.kind === 'blocked' && !session.text) {
      view.fail(session, problem);
    } else {
      session.finishReason = acc.finishReason && acc.finishReason !== 'STOP' && acc.finishReason !== 'FINISH_REASON_UNSPECIFIED' ? acc.finishReason : undefined;
      if (problem?.kind === 'blocked') session.notice = problem.message;
      if (truncated) session.notice = `The answer was longer than ${LIMITS.resultText.toLocaleString('en-US')} characters; the rest was not kept.`;
      view.finish(session, truncated);
    }
  } catch (err) {
    settle();
    if (session.stopRequested || (isGeminiError(err, 'cancelled') && controller.signal.aborted)) view.finish(session, true);
    else view.fail(session, err);
  } finally {
    batcher.dispose();
    session.controller = undefined;
    const thinking = session.thoughts ? ` and ${session.thoughts.length} chars of thoughts (${session.thinkingMs} ms thinking)` : '';
    log.info(`${tag} ${session.status}: ${session.text.length} chars${thinking} in ${acc.chunks} events, ${batcher.flushes} webview updates, ${Date.now() - started} ms`);
  }
}
