// Streaming Markdown in time linear in the answer's length, whatever its shape.
//
// The text seen so far is split into a committed prefix, rendered once and handed out to append, and a volatile
// rest that is parsed and rendered again on each update as the tail (it replaces the previous tail).
//   - Whole top-level blocks are committed once no later text can change them: the block after has started and
//     either the block is an ATX/setext heading, a closed code fence or a thematic break, or a blank line
//     separates the two and the next block's first line is complete (after a blank line only list items, indented
//     lines and fenced-code content could continue a block, and the parser has decided this line does not).
//   - One long block is not left whole in the tail (re-rendering and re-laying out a 1 MB paragraph on every
//     update is what made long answers slow): a long paragraph or code fence is *opened*. Its element goes on the
//     page once, its final content is appended piece by piece, and only the unfinished rest of it is replaced.
//     A paragraph is cut after a line or after a space, where its inline parse is known to be closed: no open
//     code span, link or emphasis delimiter before the cut that later text could pair with (checked by parsing
//     the piece between two markers). Its rest is then parsed behind a marker standing for the text before
//     it ("x\n" before a new line, "`x`" in the middle of one), so the block rules see the same context. If the
//     block turns into something else after all (a setext underline makes a heading of the whole paragraph),
//     the update says `reopen`: the open block leaves the page and its text is rendered again. A list, table or
//     quote that runs to the end is opened too: its items, rows or blocks go on the page as they complete.
//
// Updates carry markdown-it tokens, which ./markdown.ts turns into page nodes.
// Invariant (tested): at every step, what is committed so far + the open block's tail (inside it) + the tail renders
// as all the text so far rendered at once, and after `finish()` what is committed renders as a full render.
// Reference definitions, the one construct that reaches backwards, are disabled in ./markdown.ts.

import type MarkdownIt from 'markdown-it';
import { defaultMarkdown, textToken, type MdToken } from './markdown';

type Token = MarkdownIt.Token;

/** Final content, in order. */
export type CommittedPart =
  /** Whole blocks: append after everything before. */
  | { readonly kind: 'blocks'; readonly tokens: readonly MdToken[] }
  /** An empty block to fill; its innermost element takes the `inline` parts. */
  | { readonly kind: 'open'; readonly tokens: readonly MdToken[] }
  /** Final content of the open block (inline tokens, rows, items or code text). */
  | { readonly kind: 'inline'; readonly tokens: readonly MdToken[] }
  /** The open block is complete. */
  | { readonly kind: 'close' };

export interface IncrementalUpdate {
  /** The open block of earlier updates became another kind of block: remove it first; its text is rendered again. */
  readonly reopen: boolean;
  readonly committed: readonly CommittedPart[];
  /** The unfinished end of the open block (content inside it), when one is open after this update. */
  readonly openTail: readonly MdToken[];
  /** The unfinished blocks: replace the previous tail. */
  readonly tail: readonly MdToken[];
}

/** Work counters, for tests and diagnostics. */
export interface IncrementalStats {
  /** Characters handed to the Markdown parser, summed over all updates. */
  parsedChars: number;
  /** Characters of source committed so far. */
  committedChars: number;
}

export interface IncrementalOptions {
  /** An unfinished paragraph or code fence this long is opened and committed piece by piece. */
  readonly openChars?: number;
}

type Tails = Pick<IncrementalUpdate, 'openTail' | 'tail'>;

interface TopBlock {
  readonly tokenIndex: number;
  readonly startLine: number;
  readonly type: string;
}

interface OpenBlock {
  readonly kind: 'paragraph' | 'fence' | 'table' | 'list' | 'quote';
  /** Stands for the committed text before `rest` when `rest` is parsed (see the header). */
  prefix: string;
  /** The block's committed source, given back to the parser on `reopen`. */
  source: string;
}

const EMPTY: IncrementalUpdate = { reopen: false, committed: [], openTail: [], tail: [] };
const SELF_CLOSING = new Set(['heading_open', 'hr', 'fence']);
const LINE_MARKER = 'x\n';
const MID_MARKER = '`x`';
const BLANK_LINE = /^[ \t]*\n?$/;
/** A blank line inside a quote. */
const QUOTED_BLANK_LINE = /^ {0,3}>[ \t]*\n?$/;
/** A line the table or setext rules could read as an underline. */
const UNDERLINE_LIKE = /^[ \t]*[-=|: \t]*$/;

export class IncrementalMarkdown {
  /** Uncommitted source, newlines normalised to `\n`. */
  private rest = '';
  /** The last chunk ended in `\r`, already stored as `\n`: a `\n` opening the next chunk belongs to it. */
  private pendingCr = false;
  private finished = false;
  private open: OpenBlock | undefined;
  /** After a reopen, the block is left whole until it ends (so a block the markers misjudge costs no loop). */
  private keepWhole = false;
  private readonly openChars: number;
  private readonly counters: IncrementalStats = { parsedChars: 0, committedChars: 0 };
  private readonly md = defaultMarkdown();

  constructor(options: IncrementalOptions = {}) {
    this.openChars = options.openChars ?? 4096;
  }

  /** Characters the next update parses again: the uncommitted rest (an open block's committed text is not). */
  get growingChars(): number {
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

  /** Adds the last chunk and ends the answer: everything is committed and no tail is left. */
  finish(chunk = ''): IncrementalUpdate {
    if (this.finished) return EMPTY;
    this.rest += this.normalise(chunk);
    this.finished = true;
    return this.update(true);
  }

  private normalise(chunk: string): string {
    if (this.pendingCr && chunk.startsWith('\n')) {
      chunk = chunk.slice(1);
      this.pendingCr = false; // a chunk of that one `\n` leaves nothing to pair the next one with
    }
    if (chunk) this.pendingCr = chunk.endsWith('\r');
    return chunk.replace(/\r\n?/g, '\n');
  }

  private parse(src: string): Token[] {
    this.counters.parsedChars += src.length;
    return this.md.parse(src, {});
  }

  /** Block tokens only: `inline` tokens keep their text unparsed (the costly part of a parse). */
  private parseBlocks(src: string): Token[] {
    this.counters.parsedChars += src.length;
    const tokens: Token[] = [];
    this.md.block.parse(src, this.md, {}, tokens);
    return tokens;
  }

  private commitSource(chars: number): void {
    this.counters.committedChars += chars;
    this.rest = this.rest.slice(chars);
  }

  private update(final: boolean): IncrementalUpdate {
    const parts: CommittedPart[] = [];
    let reopen = false;
    for (;;) {
      if (this.open) {
        const tail = this.continueOpen(final, parts);
        if (tail === 'reopen') {
          // Opened in this very update: its parts are taken back; from an earlier one: the page must remove it.
          const at = openedAt(parts);
          if (at >= 0) parts.length = at;
          else reopen = true;
          this.counters.committedChars -= this.open.source.length;
          this.rest = this.open.source + this.rest;
          this.open = undefined;
          this.keepWhole = true;
        } else if (tail) {
          return { reopen, committed: parts, ...tail };
        }
      }
      if (this.rest.length === 0) return { reopen, committed: parts, openTail: [], tail: [] };

      if (final) {
        parts.push({ kind: 'blocks', tokens: this.parse(this.rest) });
        this.commitSource(this.rest.length);
        return { reopen, committed: parts, openTail: [], tail: [] };
      }
      // A short rest is parsed whole. A long one (it may hold a block to open) is read for its block structure first,
      // so that its inline content is parsed once, where it is rendered: an opened block's as it goes on.
      const whole = this.rest.length < this.openChars;
      const tokens = whole ? this.parse(this.rest) : this.parseBlocks(this.rest);
      const lineStarts = computeLineStarts(this.rest);
      const blocks = topLevelBlocks(tokens);
      const first = firstUnfinished(blocks, this.rest, lineStarts, BLANK_LINE); // the first block that stays in the tail
      const tailBlock = blocks[first];
      if (!tailBlock) return { reopen, committed: parts, openTail: [], tail: [] }; // blank lines so far
      const offset = lineStarts[tailBlock.startLine]!;
      if (first > 0) {
        // Final blocks parse alone as they do in context: the tail cannot reach back over a final boundary.
        parts.push({ kind: 'blocks', tokens: whole ? tokens.slice(0, tailBlock.tokenIndex) : this.parse(this.rest.slice(0, offset)) });
        this.keepWhole = false; // a block kept whole after a reopen has been committed
      }
      if (!whole && first > 0) {
        this.commitSource(offset);
        continue;
      }
      if (!whole && !this.keepWhole && this.rest.length - offset >= this.openChars && this.tryOpen(tokens, tailBlock, lineStarts, parts)) continue;
      this.commitSource(offset);
      return { reopen, committed: parts, openTail: [], tail: whole ? tokens.slice(tailBlock.tokenIndex) : this.parse(this.rest) };
    }
  }

  // ---- open blocks ----

  /** Opens the unfinished block at `block` (`tokens` are block tokens) when it is a long top-level block that can be. */
  private tryOpen(tokens: readonly Token[], block: TopBlock, lineStarts: readonly number[], parts: CommittedPart[]): boolean {
    const token = tokens[block.tokenIndex]!;
    const start = lineStarts[block.startLine]!;
    if (token.type === 'paragraph_open') {
      const cut = this.paragraphCut(this.rest, lineStarts, block.startLine, token.map![1], start, 'start');
      if (!cut) return false;
      parts.push({ kind: 'open', tokens: [token, tokens[block.tokenIndex + 2]!] }, { kind: 'inline', tokens: cut.tokens });
      this.open = { kind: 'paragraph', prefix: cut.prefix, source: this.rest.slice(start, cut.at) };
      this.commitSource(cut.at);
      return true;
    }
    // A table with body rows that runs to the end: rows render on their own, after its header and delimiter rows.
    const next = (type: string) => tokens.findIndex((t, i) => i > block.tokenIndex && t.type === type);
    const tbody = next('tbody_open');
    if (token.type === 'table_open' && next('table_close') === tokens.length - 1 && tbody > 0) {
      const head = this.rest.slice(start, lineStarts[block.startLine + 2]);
      // Its header row's cells, parsed (a table of header and delimiter rows alone is still a table).
      const header = this.parse(head).slice(0, -1);
      parts.push({ kind: 'open', tokens: [...header, tokens[tbody]!, ...tokens.slice(-2)] });
      this.open = { kind: 'table', prefix: head, source: head };
      this.commitSource(start + head.length);
      return true;
    }
    // A list that runs to the end: complete items render on their own, parsed behind a one-item list that stands
    // for the items before them (see `listMarker`).
    if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') {
      const close = tokens.findIndex((t, i) => i > block.tokenIndex && t.level === 0 && t.nesting === -1);
      const items = tokens.filter((t, i) => i > block.tokenIndex && i < close && t.type === 'list_item_open' && t.level === 1);
      // Not while its last item's first line is incomplete: `-` after a blank line makes the list loose until it
      // turns out to be `---`.
      if (items.length < 2 || items.at(-1)!.map![0] + 1 >= lineStarts.length) return false;
      const tight = tokens.find((t, i) => i > block.tokenIndex && i < close && t.type === 'paragraph_open' && t.level === 2)?.hidden ?? true;
      const indent = /^ */.exec(this.rest.slice(start))![0];
      parts.push({ kind: 'open', tokens: [token, tokens[close]!] });
      this.open = { kind: 'list', prefix: listMarker(token, indent, tight), source: '' };
      this.commitSource(start);
      return true;
    }
    // A quote of more than one block that runs to the end: its complete blocks render on their own, inside it. What
    // is left of it starts with a quoted line that starts a block, so it parses alone as it does in context. (A quote
    // of one paragraph has nothing to commit: opened, it only cost more layout.)
    if (token.type === 'blockquote_open') {
      const quote = tokens.slice(block.tokenIndex);
      const close = quote.findIndex((t, i) => i > 0 && t.level === 0 && t.nesting === -1);
      if (close !== quote.length - 1 || topLevelBlocks(quote, 1).length < 2) return false;
      parts.push({ kind: 'open', tokens: [token, quote[close]!] });
      this.open = { kind: 'quote', prefix: '', source: '' };
      this.commitSource(start);
      return true;
    }
    // A fence at column 0 (its content lines are then taken as they are) that runs to the end of the text so far.
    if (token.type === 'fence' && block.tokenIndex === tokens.length - 1 && this.rest[start] === token.markup[0] && block.startLine + 1 < lineStarts.length) {
      parts.push({ kind: 'open', tokens: [{ ...token, content: '' }] });
      const opening = this.rest.slice(start, lineStarts[block.startLine + 1]);
      this.open = { kind: 'fence', prefix: opening, source: opening };
      this.commitSource(start + opening.length);
      return true;
    }
    return false;
  }

  /**
   * Parses the open block's rest in context and commits what is final in it. Returns the tail while the block stays
   * open, `undefined` once it has closed (`rest` then starts after it), or `reopen`.
   */
  private continueOpen(final: boolean, parts: CommittedPart[]): Tails | 'reopen' | undefined {
    const open = this.open!;
    const src = open.prefix + this.rest;
    const lineStarts = computeLineStarts(src);
    if (open.kind === 'paragraph') return this.continueParagraph(open, src, lineStarts, final, parts);
    const tokens = this.parse(src);
    const first = tokens[0];
    const prefixLength = open.prefix.length;
    const toRest = (srcOffset: number) => srcOffset - prefixLength;

    if (open.kind === 'table') {
      if (first?.type !== 'table_open') return 'reopen';
      const end = first.map![1];
      const close = tokens.findIndex((t) => t.type === 'table_close');
      const body = tokens.findIndex((t) => t.type === 'tbody_open');
      // It was opened with a body (a row that was only `` ` `` may turn out to open a code fence): none left, none
      // committed, and its shell's empty body would stay.
      if (body < 0 && open.source === open.prefix) return 'reopen';
      const rows = body < 0 ? [] : tokens.slice(body + 1, close - 1);
      // Closed once the line after it is complete (or at the end); until then its complete rows are final.
      const closed = final || end < lineStarts.length - 1;
      const split = closed ? rows.length : rows.findIndex((t) => t.type === 'tr_open' && t.map![0] >= lineStarts.length - 1);
      const done = split < 0 ? rows.length : split;
      if (done > 0) parts.push({ kind: 'inline', tokens: rows.slice(0, done) });
      if (closed) return this.closeOpen(parts, toRest(end < lineStarts.length ? lineStarts[end]! : src.length));
      const consumed = split >= 0 ? lineStarts[rows[split]!.map![0]]! : lineStarts[Math.min(end, lineStarts.length - 1)]!;
      open.source += src.slice(prefixLength, consumed);
      this.commitSource(toRest(consumed));
      return { openTail: rows.slice(done), tail: tokens.slice(close + 1) };
    }

    if (open.kind === 'fence') {
      if (first?.type !== 'fence') return 'reopen';
      const end = first.map![1];
      const lastLine = lineStarts.length - 1; // where the last, partial (or empty) line starts
      const hasEnd = end - 1 >= 1 && isClosingFence(src, lineStarts, end - 1, first.markup);
      // markdown-it drops a last line of only spaces and tabs (it is no line yet).
      const partialEnd = /^[ \t]*$/.test(src.slice(lineStarts[lastLine])) ? lineStarts[lastLine]! : src.length;
      // Closed for good once its closing line is complete (`~~~` could still become `~~~x`), or at the end.
      if (final || (hasEnd && end - 1 < lastLine)) {
        const content = src.slice(lineStarts[1], hasEnd ? lineStarts[end - 1] : partialEnd);
        if (content) parts.push({ kind: 'inline', tokens: [textToken(content)] });
        return this.closeOpen(parts, toRest(hasEnd && end < lineStarts.length ? lineStarts[end]! : src.length));
      }
      // Complete content lines are final; the partial last line is the tail (nothing, if it closes the fence).
      const content = src.slice(lineStarts[1], lineStarts[lastLine]);
      if (content) parts.push({ kind: 'inline', tokens: [textToken(content)] });
      open.source += content;
      this.commitSource(toRest(lineStarts[lastLine]!));
      const partial = src.slice(lineStarts[lastLine], partialEnd);
      return { openTail: hasEnd || !partial ? [] : [textToken(partial)], tail: [] };
    }

    if (open.kind === 'quote') return this.continueQuote(open, src, tokens, lineStarts, final, parts);
    return this.continueList(open, src, tokens, lineStarts, final, parts);
  }

  /**
   * An open quote: its blocks are final as top-level blocks are (see `firstUnfinished`), with a quoted blank line
   * (`>`) between them; the last one or two stay in the tail, inside it.
   */
  private continueQuote(open: OpenBlock, src: string, tokens: Token[], lineStarts: readonly number[], final: boolean, parts: CommittedPart[]): Tails | 'reopen' | undefined {
    const first = tokens[0];
    const close = tokens.findIndex((t) => t.level === 0 && t.nesting === -1);
    if (first?.type !== 'blockquote_open' || close < 0) return 'reopen';
    const next = tokens[close + 1];
    // The quote has ended once the block after it starts on a complete line (or the answer has ended).
    if (final || (next?.map && next.map[0] + 1 < lineStarts.length)) {
      parts.push({ kind: 'inline', tokens: tokens.slice(1, close) });
      const end = first.map![1];
      return this.closeOpen(parts, end < lineStarts.length ? lineStarts[end]! : src.length);
    }
    const blocks = topLevelBlocks(tokens.slice(0, close), 1);
    const done = firstUnfinished(blocks, src, lineStarts, QUOTED_BLANK_LINE);
    const from = done > 0 ? blocks[done]!.tokenIndex : 1;
    if (done > 0) {
      parts.push({ kind: 'inline', tokens: tokens.slice(1, from) });
      const cut = lineStarts[blocks[done]!.startLine]!;
      open.source += src.slice(0, cut);
      this.commitSource(cut);
    }
    return { openTail: tokens.slice(from, close), tail: tokens.slice(close + 1) };
  }

  /**
   * An open paragraph. Its block structure is read first (cheap); its inline content is then parsed once: in the
   * piece that is committed (see `paragraphCut`), and in context for what is left of it.
   */
  private continueParagraph(open: OpenBlock, src: string, lineStarts: readonly number[], final: boolean, parts: CommittedPart[]): Tails | 'reopen' | undefined {
    const prefixLength = open.prefix.length;
    const blocks = this.parseBlocks(src);
    const first = blocks[0];
    if (first?.type !== 'paragraph_open') return 'reopen';
    const end = first.map![1];
    const endOffset = end < lineStarts.length ? lineStarts[end]! : src.length;
    const next = blocks[3];
    // The paragraph has ended once the block after it starts on a complete line (or the answer has ended).
    const ended = final || (next?.map && next.map[0] + 1 < lineStarts.length);
    if (!ended && !this.keepWhole) {
      const cut = this.paragraphCut(src, lineStarts, 0, end, prefixLength, open.prefix === LINE_MARKER ? 'line' : 'mid');
      if (cut) {
        parts.push({ kind: 'inline', tokens: cut.tokens });
        open.source += src.slice(prefixLength, cut.at);
        open.prefix = cut.prefix;
        this.commitSource(cut.at - prefixLength);
        return this.continueOpen(false, parts);
      }
    }
    // Once it has ended, only the paragraph: what follows is parsed as the rest.
    const tokens = this.parse(ended ? src.slice(0, endOffset) : src);
    const children = tokens[0]?.type === 'paragraph_open' ? (tokens[1]?.children ?? []) : [];
    const markerTokens = markerLength(open.prefix, children);
    if (markerTokens === undefined) return 'reopen';
    if (!ended) return { openTail: children.slice(markerTokens), tail: tokens.slice(3) };
    parts.push({ kind: 'inline', tokens: children.slice(markerTokens) });
    return this.closeOpen(parts, endOffset - prefixLength);
  }

  /**
   * An open list: its items before the last are final once the last one's first line is complete (a later item
   * cannot change them, except by making a tight list loose: then it is rendered again whole).
   */
  private continueList(open: OpenBlock, src: string, tokens: Token[], lineStarts: readonly number[], final: boolean, parts: CommittedPart[]): Tails | 'reopen' | undefined {
    const first = tokens[0];
    const close = tokens.findIndex((t) => t.level === 0 && t.nesting === -1);
    const items = tokens.flatMap((t, i) => (i < close && t.type === 'list_item_open' && t.level === 1 ? [i] : []));
    const markerLines = open.prefix.split('\n').length - 1;
    const marker = tokens[(items[0] ?? 0) + 1];
    // The marker must parse as the list's first item, of the same tightness, with the rest's first item right after.
    const listType = /^ *\d/.test(open.prefix) ? 'ordered_list_open' : 'bullet_list_open';
    if (first?.type !== listType || close < 0 || items.length < 2) return 'reopen';
    if (marker?.type !== 'paragraph_open' || marker.hidden !== isTightMarker(open.prefix) || tokens[items[1]!]!.map![0] !== markerLines) return 'reopen';
    const prefixLength = open.prefix.length;
    const next = tokens[close + 1];
    // The list has ended once the block after it starts on a complete line (or the answer has ended).
    if (final || (next?.map && next.map[0] + 1 < lineStarts.length)) {
      parts.push({ kind: 'inline', tokens: tokens.slice(items[1], close) });
      const end = first.map![1];
      return this.closeOpen(parts, (end < lineStarts.length ? lineStarts[end]! : src.length) - prefixLength);
    }
    // Items before the last are final when the last one's first line is complete.
    let done = items.length - 1;
    if (tokens[items[done]!]!.map![0] + 1 >= lineStarts.length) done--;
    if (done > 1) {
      parts.push({ kind: 'inline', tokens: tokens.slice(items[1], items[done]) });
      const cut = lineStarts[tokens[items[done]!]!.map![0]]!;
      open.source += src.slice(prefixLength, cut);
      this.commitSource(cut - prefixLength);
    }
    return { openTail: tokens.slice(items[done], close), tail: tokens.slice(close + 1) };
  }

  private closeOpen(parts: CommittedPart[], restOffset: number): undefined {
    parts.push({ kind: 'close' });
    this.commitSource(restOffset);
    this.open = undefined;
    this.keepWhole = false;
    return undefined;
  }

  /**
   * Where a paragraph (lines `startLine`..`endLine` of `src`, its uncommitted text from `from`) can be cut: after its
   * last line that is followed by a complete line of it, else after a space in its last line. Returns the cut, the
   * tokens of the piece before it and the marker that stands for the piece when the rest is parsed; `undefined` when
   * no cut is known to be safe.
   */
  private paragraphCut(src: string, lineStarts: readonly number[], startLine: number, endLine: number, from: number, mode: 'start' | 'line' | 'mid'): { at: number; tokens: readonly Token[]; prefix: string } | undefined {
    const lines = lineStarts.length; // the last one is partial (or empty)
    // After line j - 1: line j must be in the paragraph and followed by a complete line, so that it is known to
    // stay in it (not a table's header row, not the paragraph's last line whose break would be trimmed).
    const j = Math.min(endLine - 1, lines - 3);
    if (j > startLine && lineStarts[j]! > from && !UNDERLINE_LIKE.test(lineText(src, lineStarts, j))) {
      const tokens = this.safePiece(src.slice(from, lineStarts[j]), mode);
      if (tokens) return { at: lineStarts[j]!, tokens, prefix: LINE_MARKER };
    }
    // After a space, before a letter or digit, in the paragraph's last line: no link, entity or block rule spans
    // that. The line must hold no `|` (a table header row is read as a whole line).
    const line = Math.min(endLine, lines) - 1;
    const lineStart = Math.max(lineStarts[line]!, from);
    const lineEnd = line + 1 < lines ? lineStarts[line + 1]! - 1 : src.length;
    if (src.slice(lineStart, lineEnd).includes('|')) return undefined;
    for (let space = src.lastIndexOf(' ', lineEnd - 2); space >= lineStart && space + 1 < lineEnd; space = space > 0 ? src.lastIndexOf(' ', space - 1) : -1) {
      const at = space + 1;
      if (!/[\p{L}\p{N}]/u.test(src[at]!)) continue;
      const tokens = this.safePiece(src.slice(from, at), mode);
      return tokens && { at, tokens, prefix: MID_MARKER };
    }
    return undefined;
  }

  /** The piece's inline tokens, if no later text can change how it renders. */
  private safePiece(piece: string, mode: 'start' | 'line' | 'mid'): readonly Token[] | undefined {
    const before = mode === 'line' ? LINE_MARKER : mode === 'mid' ? MID_MARKER : '';
    // A paragraph's text is trimmed at its start (then a new line's leading spaces are skipped by the parser).
    const body = mode === 'start' ? piece.replace(/^\s+/, '') : piece;
    const src = before + body + MID_MARKER;
    this.counters.parsedChars += src.length;
    const children = this.md.parseInline(src, {})[0]?.children ?? [];
    const skip = markerLength(before, children);
    const last = children.at(-1);
    if (skip === undefined || !isMidMarker(last) || last.level !== 0) return undefined;
    const inner = children.slice(skip, -1);
    return closedInline(inner) ? inner : undefined;
  }
}

/**
 * A one-item list that stands for a list's committed items when the rest is parsed: the same bullet or delimiter
 * and indentation, and a blank line after it when the list is loose (one blank line between items makes a list loose).
 */
function listMarker(listOpen: Token, indent: string, tight: boolean): string {
  const item = listOpen.type === 'bullet_list_open' ? listOpen.markup : `1${listOpen.markup}`;
  return `${indent}${item} x\n${tight ? '' : '\n'}`;
}

function isTightMarker(prefix: string): boolean {
  return !prefix.endsWith('\n\n');
}

/** How many leading inline tokens the marker `prefix` became, or `undefined` if it did not parse as itself. */
function markerLength(prefix: string, children: readonly Token[]): number | undefined {
  if (prefix === '') return 0;
  if (prefix === MID_MARKER) return isMidMarker(children[0]) ? 1 : undefined;
  return children[0]?.type === 'text' && children[0].content === 'x' && children[1]?.type === 'softbreak' ? 2 : undefined;
}

function isMidMarker(token: Token | undefined): token is Token {
  return token?.type === 'code_inline' && token.content === 'x';
}

/**
 * True when nothing in these inline tokens can pair with later text: no backtick left over (an open code span), no
 * unclosed `[` or `](` (a link), and no `*`, `_` or `~` that could open emphasis (CommonMark's flanking rules).
 */
function closedInline(tokens: readonly Token[]): boolean {
  const text = tokens.map((t) => (t.type === 'text' ? t.content : t.type === 'softbreak' || t.type === 'hardbreak' ? '\n' : '!')).join('');
  if (text.includes('`') || text.includes('](')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === '*' || c === '_' || c === '~') {
      const prev = i > 0 ? text[i - 1]! : ' ';
      const next = i + 1 < text.length ? text[i + 1]! : 'a'; // unknown: assume it could open
      const left = !isSpace(next) && (!isPunct(next) || isSpace(prev) || isPunct(prev));
      const right = !isSpace(prev) && (!isPunct(prev) || isSpace(next) || isPunct(next));
      if (left && (c !== '_' || !right || isPunct(prev))) return false;
    }
  }
  return depth === 0;
}

const isSpace = (c: string) => /\s/u.test(c);
const isPunct = (c: string) => /[\p{P}\p{S}]/u.test(c);

/** Whether `line` closes a fence opened with `markup` (the same character, at least as many, nothing after). */
function isClosingFence(src: string, lineStarts: readonly number[], line: number, markup: string): boolean {
  const run = /^ {0,3}(`+|~+)[ \t]*$/.exec(lineText(src, lineStarts, line))?.[1];
  return !!run && run[0] === markup[0] && run.length >= markup.length;
}

function lineText(src: string, lineStarts: readonly number[], line: number): string {
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! - 1 : src.length;
  return src.slice(lineStarts[line]!, end);
}

/** Offsets at which each line starts; a trailing entry marks the start of an (empty or partial) last line. */
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Where the block still open was opened among `parts`, or -1 if that was in an earlier update. */
function openedAt(parts: readonly CommittedPart[]): number {
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i]!.kind === 'close') return -1;
    if (parts[i]!.kind === 'open') return i;
  }
  return -1;
}

/**
 * Index into `blocks` (the blocks of `text` at one level) of the first one that stays in the tail: the one after the
 * last final boundary (see the header; `blank` matches a blank line at that level), or 0.
 */
function firstUnfinished(blocks: readonly TopBlock[], text: string, lineStarts: readonly number[], blank: RegExp): number {
  for (let k = blocks.length - 1; k >= 1; k--) {
    if (SELF_CLOSING.has(blocks[k - 1]!.type)) return k;
    const line = blocks[k]!.startLine;
    // The next block's first line must be complete: its start decides whether it continues a list.
    if (line >= 1 && blank.test(text.slice(lineStarts[line - 1], lineStarts[line])) && line + 1 < lineStarts.length) return k;
  }
  return 0;
}

/** The blocks at `level` (0: top level; 1: inside a top-level quote or list). */
function topLevelBlocks(tokens: readonly Token[], level = 0): TopBlock[] {
  const blocks: TopBlock[] = [];
  tokens.forEach((token, tokenIndex) => {
    if (token.level === level && token.nesting !== -1 && token.map) blocks.push({ tokenIndex, startLine: token.map[0], type: token.type });
  });
  return blocks;
}
