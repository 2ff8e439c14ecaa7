// A result's two Markdown streams, the thought summary and the answer, each rendered incrementally on its own
// (./incremental.ts). Their parts arrive interleaved (thoughts, then answer, sometimes thoughts again), and one
// text must never change how the other renders: a thought arriving inside the answer's open code fence stays out
// of it.
//
// It also paces renders. A large block that cannot be opened (./incremental.ts opens long paragraphs, code
// blocks, lists, tables and quotes of several blocks; not, say, a quote of one long paragraph) is parsed again whole
// on every render, and the browser lays it out again whole. While such a block is large, it is rendered again only
// once it has grown by a quarter, or `maxTailLagMs` has passed: the total work then stays linear in the text's size
// instead of quadratic, and the text is never more than that far behind.
//
// Much pending text (an answer that arrived while the panel was starting, a result shown whole) is rendered in
// slices, one update each (`more`): markdown-it's tokens for a slice die young, while those of a whole megabyte
// outlive the young generation of the garbage collector (measured: half the time in Node, a quarter less for a long
// table in the webview; README › Performance).

import { IncrementalMarkdown, type IncrementalOptions, type IncrementalStats, type IncrementalUpdate } from './incremental';

export type ResultStreamKind = 'thoughts' | 'answer';

export interface ResultRenderOptions extends IncrementalOptions {
  /** An unfinished block this long is re-rendered only as it grows by a quarter (see `due`). */
  readonly largeTailChars?: number;
  /** …or once this much time has passed since its last render. */
  readonly maxTailLagMs?: number;
}

export interface ResultUpdate {
  /** Present for each stream that changed. */
  readonly thoughts?: IncrementalUpdate;
  readonly answer?: IncrementalUpdate;
  /** Text is held back (a large unfinished block): render again within `maxTailLagMs`. */
  readonly deferred: boolean;
  /** More pending text is ready to render at once: call `render` again. */
  readonly more?: boolean;
}

/** Text handed to a stream's renderer per update while its unfinished rest is small. */
const SLICE_CHARS = 8 * 1024;

interface PacedStream {
  readonly renderer: IncrementalMarkdown;
  pending: string;
  renderedAt: number;
  finished: boolean;
}

export class IncrementalResult {
  private readonly streams: Record<ResultStreamKind, PacedStream>;
  private readonly largeTailChars: number;
  private readonly maxTailLagMs: number;

  constructor(options: ResultRenderOptions = {}) {
    const stream = (): PacedStream => ({ renderer: new IncrementalMarkdown(options), pending: '', renderedAt: 0, finished: false });
    this.streams = { thoughts: stream(), answer: stream() };
    this.largeTailChars = options.largeTailChars ?? 16 * 1024;
    this.maxTailLagMs = options.maxTailLagMs ?? 500;
  }

  /** Queues text for the next `render`. */
  push(kind: ResultStreamKind, text: string): void {
    this.streams[kind].pending += text;
  }

  stats(kind: ResultStreamKind): Readonly<IncrementalStats> {
    return this.streams[kind].renderer.stats;
  }

  /**
   * Renders what is due at time `now`. With `final` (the result has settled) everything is rendered and both
   * streams are finished: no tail is left.
   */
  render(now: number, final: boolean): ResultUpdate {
    let deferred = false;
    let more = false;
    const take = (stream: PacedStream): string => {
      const text = stream.pending;
      let cut = text.length;
      // Slices only while the rest is small: a block that is parsed again whole on each update gets the rest at once.
      if (cut > SLICE_CHARS && stream.renderer.growingChars < this.largeTailChars) {
        const line = text.lastIndexOf('\n', SLICE_CHARS);
        cut = line > SLICE_CHARS / 2 ? line + 1 : SLICE_CHARS;
        if (isHighSurrogate(text.charCodeAt(cut - 1))) cut++;
      }
      stream.pending = text.slice(cut);
      more ||= stream.pending.length > 0;
      return text.slice(0, cut);
    };
    const step = (stream: PacedStream): IncrementalUpdate | undefined => {
      if (final) {
        if (stream.finished) return undefined;
        const text = take(stream);
        if (stream.pending) return stream.renderer.append(text);
        stream.finished = true;
        return stream.renderer.finish(text);
      }
      if (!stream.pending) return undefined;
      if (!this.due(stream, now)) {
        deferred = true;
        return undefined;
      }
      stream.renderedAt = now;
      return stream.renderer.append(take(stream));
    };
    const thoughts = step(this.streams.thoughts);
    const answer = step(this.streams.answer);
    return { ...(thoughts && { thoughts }), ...(answer && { answer }), deferred, ...(more ? { more } : {}) };
  }

  private due(stream: PacedStream, now: number): boolean {
    const growing = stream.renderer.growingChars;
    return growing < this.largeTailChars || stream.pending.length * 4 >= growing || now - stream.renderedAt >= this.maxTailLagMs;
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
