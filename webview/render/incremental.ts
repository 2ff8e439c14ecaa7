// Streaming Markdown without re-rendering the whole answer on every update.
//
// The text seen so far is split into a committed prefix (whole top-level blocks that no later text can
// change), rendered once and handed out as `committedHtml` to append, and a volatile rest that is parsed and
// rendered again on each update as `tailHtml` (it replaces the previous tail). Each update parses only the
// uncommitted rest, so an answer made of ordinary blocks costs time linear in its length however finely it
// is chunked. One very long block (a huge code fence, a list with no blank line after it) stays in the tail
// until it ends; that costs more but stays correct.
//
// Invariant (tested): at every step, the committed HTML so far + the current tail equals rendering all the
// text so far at once, and after `finish()` the committed HTML equals `renderMarkdown(all text)`.
//
// When is a block boundary final? markdown-it parses the rest; a top-level block may be committed once the
// block after it has started and either
//   - it is an ATX/setext heading, a closed code fence or a thematic break (nothing after can extend them), or
//   - a blank line separates the two and the first line of the next block is complete: after a blank line
//     only list items, indented lines and fenced-code content could continue a block, and the parser has
//     already decided that this complete line does not.
// Reference definitions, the one construct that reaches backwards, are disabled in ./markdown.ts.

import type MarkdownIt from 'markdown-it';
import { defaultMarkdown, type Markdown } from './markdown';

type Token = MarkdownIt.Token;

export interface IncrementalUpdate {
  /** HTML of newly completed blocks: append it after everything committed before. */
  readonly committedHtml: string;
  /** HTML of the unfinished end of the answer: replaces the previous tail. */
  readonly tailHtml: string;
}

/** Work counters, for tests and diagnostics. */
export interface IncrementalStats {
  /** Characters handed to the Markdown parser, summed over all updates. */
  parsedChars: number;
  /** Number of parses. */
  parses: number;
  /** Characters of source committed so far. */
  committedChars: number;
}

interface TopBlock {
  readonly tokenIndex: number;
  readonly startLine: number;
  readonly type: string;
  readonly markup: string;
}

const SELF_CLOSING = new Set(['heading_open', 'hr', 'fence']);

export class IncrementalMarkdown {
  /** Uncommitted source, newlines normalised to `\n`. */
  private rest = '';
  /** The last chunk ended in `\r`, already stored as `\n`: a `\n` opening the next chunk belongs to it. */
  private pendingCr = false;
  private finished = false;
  private readonly counters: IncrementalStats = { parsedChars: 0, parses: 0, committedChars: 0 };

  constructor(private readonly md: Markdown = defaultMarkdown()) {}

  /** Characters not yet committed: what the next update re-parses. */
  get unfinishedChars(): number {
    return this.rest.length;
  }

  get stats(): Readonly<IncrementalStats> {
    return { ...this.counters };
  }

  /** Adds a chunk of the answer and returns what changed. */
  append(chunk: string): IncrementalUpdate {
    if (this.finished) throw new Error('IncrementalMarkdown: append after finish');
    this.rest += this.normalise(chunk);
    return this.update(false);
  }

  /** Ends the answer: everything left is committed and the tail becomes empty. */
  finish(): IncrementalUpdate {
    if (this.finished) return { committedHtml: '', tailHtml: '' };
    this.finished = true;
    return this.update(true);
  }

  private normalise(chunk: string): string {
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = chunk.endsWith('\r');
    return chunk.replace(/\r\n?/g, '\n');
  }

  private update(final: boolean): IncrementalUpdate {
    if (this.rest.length === 0) return { committedHtml: '', tailHtml: '' };
    this.counters.parsedChars += this.rest.length;
    this.counters.parses++;
    const tokens = this.md.parse(this.rest, {});
    const render = (from: number, to: number) => (from < to ? this.md.renderer.render(tokens.slice(from, to), this.md.options, {}) : '');

    if (final) {
      const html = render(0, tokens.length);
      this.counters.committedChars += this.rest.length;
      this.rest = '';
      return { committedHtml: html, tailHtml: '' };
    }

    const lineStarts = computeLineStarts(this.rest);
    const blocks = topLevelBlocks(tokens);
    let commitAt = -1; // index into blocks of the first block that stays in the tail
    for (let k = blocks.length - 1; k >= 1; k--) {
      if (this.isFinalBoundary(blocks[k - 1]!, blocks[k]!, lineStarts)) {
        commitAt = k;
        break;
      }
    }
    if (commitAt < 0) return { committedHtml: '', tailHtml: render(0, tokens.length) };

    const boundary = blocks[commitAt]!;
    const committedHtml = render(0, boundary.tokenIndex);
    const tailHtml = render(boundary.tokenIndex, tokens.length);
    const offset = lineStarts[boundary.startLine]!;
    this.counters.committedChars += offset;
    this.rest = this.rest.slice(offset);
    return { committedHtml, tailHtml };
  }

  private isFinalBoundary(previous: TopBlock, next: TopBlock, lineStarts: readonly number[]): boolean {
    if (SELF_CLOSING.has(previous.type)) return true;
    const line = next.startLine;
    if (line < 1 || !isBlank(this.rest, lineStarts, line - 1)) return false;
    // The next block's first line must be complete: its start decides whether it continues a list.
    return line + 1 < lineStarts.length;
  }
}

/** Offsets at which each line starts; a trailing entry marks the start of an (empty or partial) last line. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function isBlank(text: string, lineStarts: readonly number[], line: number): boolean {
  const start = lineStarts[line]!;
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! : text.length;
  return /^[ \t]*\n?$/.test(text.slice(start, end));
}

function topLevelBlocks(tokens: readonly Token[]): TopBlock[] {
  const blocks: TopBlock[] = [];
  tokens.forEach((token, tokenIndex) => {
    if (token.level === 0 && token.nesting !== -1 && token.map) {
      blocks.push({ tokenIndex, startLine: token.map[0], type: token.type, markup: token.markup });
    }
  });
  return blocks;
}

export type ResultStreamKind = 'thoughts' | 'answer';

export interface ResultRenderOptions {
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
}

interface PacedStream {
  readonly renderer: IncrementalMarkdown;
  pending: string;
  renderedAt: number;
  finished: boolean;
}

/**
 * A result's two Markdown streams, the thought summary and the answer, each rendered incrementally on its own.
 * Their parts arrive interleaved (thoughts, then answer, sometimes thoughts again), and one text must never
 * change how the other renders: a thought arriving inside the answer's open code fence stays out of it.
 *
 * It also paces renders. One unfinished block (a long paragraph, a huge code fence) is parsed again whole on
 * every render; while it is large, it is rendered again only once it has grown by a quarter, or `maxTailLagMs`
 * has passed: the total work then stays linear in the text's size instead of quadratic, and the text is never
 * more than that far behind.
 */
export class IncrementalResult {
  private readonly streams: Record<ResultStreamKind, PacedStream>;
  private readonly largeTailChars: number;
  private readonly maxTailLagMs: number;

  constructor(options: ResultRenderOptions = {}, md: Markdown = defaultMarkdown()) {
    const stream = (): PacedStream => ({ renderer: new IncrementalMarkdown(md), pending: '', renderedAt: 0, finished: false });
    this.streams = { thoughts: stream(), answer: stream() };
    this.largeTailChars = options.largeTailChars ?? 64 * 1024;
    this.maxTailLagMs = options.maxTailLagMs ?? 500;
  }

  /** Queues text for the next `render`. */
  push(kind: ResultStreamKind, text: string): void {
    this.streams[kind].pending += text;
  }

  /** Whether any text waits for `render`. */
  get pending(): boolean {
    return this.streams.thoughts.pending !== '' || this.streams.answer.pending !== '';
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
    const step = (stream: PacedStream): IncrementalUpdate | undefined => {
      let update: IncrementalUpdate | undefined;
      if (stream.pending && !final && !this.due(stream, now)) {
        deferred = true;
        return undefined;
      }
      if (stream.pending) {
        stream.renderedAt = now;
        update = stream.renderer.append(stream.pending);
        stream.pending = '';
      }
      if (final && !stream.finished) {
        stream.finished = true;
        const end = stream.renderer.finish();
        update = update ? { committedHtml: update.committedHtml + end.committedHtml, tailHtml: end.tailHtml } : end;
      }
      return update;
    };
    const thoughts = step(this.streams.thoughts);
    const answer = step(this.streams.answer);
    return { ...(thoughts && { thoughts }), ...(answer && { answer }), deferred };
  }

  private due(stream: PacedStream, now: number): boolean {
    const unfinished = stream.renderer.unfinishedChars;
    return unfinished < this.largeTailChars || stream.pending.length * 4 >= unfinished || now - stream.renderedAt >= this.maxTailLagMs;
  }
}
