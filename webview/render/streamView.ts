// Puts one stream's updates (./incremental.ts) on the page: committed content is appended once and never touched
// again; only the unfinished end is replaced. An open block's element stays on the page while its content is
// appended piece by piece.
//
// The browser's work must stay proportional to what changes, not to the answer: laying out a 1 MB answer once
// takes Chromium longer than the whole stream may (measured per answer shape, scripts/bench/shapes.ts). So what is
// committed goes into small segments (`.md-seg`) styled `content-visibility: auto` (media/results.css): the
// browser lays out and paints only the segments near the viewport (and each new one once). A long block is cut to
// fit: a paragraph or code block into runs (`.md-run`, block boxes, so a change at the end dirties only the last
// run, not one line-breaking context of a megabyte); a list or table goes on in the next segment as a list
// numbered on or a table whose columns are at least as wide as its first part's. A code block is cut after a
// line, so it looks the same; in a paragraph a new run starts a new line, one short line among hundreds.
// Undoing all of it leaves a full render of the text (test/unit/render/frontend.test.ts).

import type { IncrementalUpdate } from './incremental';
import { appendTokens, textToken, type MdToken } from './markdown';

/** Text per segment: small, since the browser lays out every segment near the viewport, and new ones at least once. */
const SEGMENT_CHARS = 2048;
/** Text per run: a new run starts a new line, so only a paragraph much longer than any usual one gets a second. */
const RUN_CHARS = 8192;
const LAYOUT_CLASSES = { segment: 'md-seg', run: 'md-run', split: 'md-split', continued: 'md-cont' } as const;

interface OpenBlock {
  /** The block's element; a long list or table goes on in continuations, one per segment. */
  readonly parts: Element[];
  /** Where content goes: the block's innermost element (a paragraph, code, list or table body) or its last run. */
  container: Element;
  /** Paragraphs and code blocks get runs (cut after a space or a line); lists and tables get continuations. */
  readonly runs: ' ' | '\n' | undefined;
  /** Text in the current run. */
  runChars: number;
  /** A list: the number of the next item (for an `<ol>` continuation's `start`). */
  nextItem?: number;
  /** A table: rows in its current part (a part ends after an even count, so the stripes go on). */
  rows?: number;
  /** A table: its first part's column widths, the minimum widths of its continuations (so the columns line up). */
  columnWidths?: number[];
  /** The unfinished rest: the last children of `container`. */
  tail: ChildNode[];
}

export class StreamView {
  private open: OpenBlock | undefined;
  private segment: Element | undefined;
  private segmentChars = 0;

  /** `tail` is the last child of `root`: committed blocks go before it, the unfinished ones into it. */
  constructor(
    private readonly root: HTMLElement,
    private readonly tail: HTMLElement,
  ) {}

  apply(update: IncrementalUpdate): void {
    if (update.reopen) {
      for (const part of this.open?.parts ?? []) {
        const segment = part.parentElement!;
        part.remove();
        // A segment left empty would hold its placeholder height until it is scrolled to.
        if (!segment.firstChild) {
          segment.remove();
          if (segment === this.segment) this.segment = undefined;
        }
      }
      this.open = undefined;
    }
    for (const part of update.committed) {
      if (part.kind === 'blocks') this.commitBlocks(part.tokens);
      else if (part.kind === 'open') this.open = this.openBlock(part.tokens);
      else if (part.kind === 'inline') this.appendInline(this.open!, part.tokens);
      else {
        this.replaceOpenTail(this.open!, undefined);
        this.open = undefined;
      }
    }
    if (this.open) this.replaceOpenTail(this.open, this.nodes(update.openTail));
    this.tail.replaceChildren(this.nodes(update.tail));
  }

  clear(): void {
    this.open = undefined;
    this.segment = undefined;
    this.tail.replaceChildren();
    this.root.replaceChildren(this.tail);
  }

  private nodes(tokens: readonly MdToken[]): DocumentFragment {
    const fragment = this.root.ownerDocument.createDocumentFragment();
    appendTokens(fragment, tokens);
    return fragment;
  }

  /** Puts the empty block of `tokens` on the page, ready to take content into its innermost element. */
  private openBlock(tokens: readonly MdToken[]): OpenBlock {
    const block = this.nodes(tokens).firstElementChild!;
    let container = block;
    while (container.lastElementChild) container = container.lastElementChild;
    if (this.segmentFull) this.startSegment();
    this.segment!.append(block);
    const runs = container.localName === 'p' ? ' ' : container.localName === 'code' ? '\n' : undefined;
    const open: OpenBlock = { parts: [block], container, runs, runChars: 0, tail: [] };
    if (container.localName === 'ul' || container.localName === 'ol') open.nextItem = Number(container.getAttribute('start') ?? 1);
    if (container.localName === 'tbody') open.rows = 0;
    if (open.runs) this.startRun(open);
    return open;
  }

  /**
   * Whole top-level blocks (a restored answer, blocks complete at once), built straight into segments. A long one is
   * cut as an open one is: opened empty, then filled.
   */
  private commitBlocks(tokens: readonly MdToken[]): void {
    let from = 0; // the first token not on the page yet
    const flush = (to: number) => {
      if (to > from) this.segment!.append(this.nodes(tokens.slice(from, to)));
      from = to;
    };
    let start = 0;
    let chars = 0;
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
      chars += textLength(tokens[i]!);
      depth += tokens[i]!.nesting;
      if (depth > 0) continue;
      const end = i + 1;
      // No block of a segment's size or less is cut (runs are longer than segments): most blocks need no slice.
      const long = chars > SEGMENT_CHARS ? splitLongBlock(tokens.slice(start, end), chars) : undefined;
      if (long) {
        flush(start);
        this.appendInline(this.openBlock(long.shell), long.content);
        from = end;
      } else {
        if (this.segmentFull) {
          flush(start);
          this.startSegment();
        }
        this.segmentChars += chars;
      }
      start = end;
      chars = 0;
    }
    flush(tokens.length);
  }

  private get segmentFull(): boolean {
    return !this.segment || this.segmentChars >= SEGMENT_CHARS;
  }

  private startSegment(): void {
    this.segment = this.root.ownerDocument.createElement('div');
    this.segment.className = LAYOUT_CLASSES.segment;
    this.segmentChars = 0;
    this.tail.before(this.segment);
  }

  /**
   * Appends committed content of the open block (inline tokens, items or rows): in runs of about RUN_CHARS, or
   * continuations, one per segment. The cuts are chosen on the tokens, so each node is built where it stays: a long
   * paragraph has tens of thousands of them, and moving each again cost as much as building it.
   */
  private appendInline(open: OpenBlock, tokens: readonly MdToken[]): void {
    let batch: MdToken[] = [];
    const flush = () => {
      if (!batch.length) return;
      const nodes = this.nodes(batch);
      if (open.tail[0]) open.tail[0].before(nodes);
      else open.container.append(nodes);
      batch = [];
    };
    const add = (token: MdToken) => {
      batch.push(token);
      const chars = textLength(token);
      open.runChars += chars;
      // The segment holding an open block grows with it; the next block starts a new one.
      this.segmentChars += chars;
    };
    let depth = 0;
    for (let token of tokens) {
      if (depth === 0 && open.runs) {
        // Long text is cut where a new run starts unseen: after a line of code, after a space in a paragraph.
        while (token.type === 'text' && open.runChars + token.content.length > RUN_CHARS) {
          // After the last line or word that fits; in an empty run, after the first one (a longer run).
          let cut = token.content.lastIndexOf(open.runs, RUN_CHARS - open.runChars - 1) + 1;
          if (cut === 0 && open.runChars === 0) cut = token.content.indexOf(open.runs, RUN_CHARS) + 1;
          if (cut === 0 && open.runChars === 0) break; // no cut left in it: one longer run
          if (cut > 0) {
            add(textToken(token.content.slice(0, cut)));
            token = textToken(token.content.slice(cut));
          }
          if (!token.content) break; // cut at its end: the next token, if any, starts the next run
          flush();
          this.startRun(open);
        }
        if (token.type === 'text' && !token.content) continue;
        if (open.runChars >= RUN_CHARS) {
          flush();
          this.startRun(open);
        }
      } else if (depth === 0 && token.nesting === 1) {
        // A list or table goes on in a new segment before an item or row (after an even number of rows: stripes).
        if (this.segmentChars >= SEGMENT_CHARS && (open.rows ?? 0) % 2 === 0) {
          flush();
          this.continueBlock(open);
        }
        if (token.tag === 'li' && open.nextItem !== undefined) open.nextItem++;
        if (token.tag === 'tr' && open.rows !== undefined) open.rows++;
      }
      depth += token.nesting;
      add(token);
    }
    flush();
  }

  private replaceOpenTail(open: OpenBlock, content: DocumentFragment | undefined): void {
    for (const node of open.tail) node.remove();
    open.tail = content ? Array.from(content.childNodes) : [];
    if (content) open.container.append(content);
  }

  /**
   * Goes on with a long list or table in a new segment, in a list or table of the same kind, styled to look like
   * one: a list numbered on; a table whose columns are at least as wide as its first part's.
   */
  private continueBlock(open: OpenBlock): void {
    const doc = this.root.ownerDocument;
    const previous = open.parts.at(-1)!;
    const next = previous.cloneNode(false) as Element;
    previous.classList.add(LAYOUT_CLASSES.split);
    next.classList.add(LAYOUT_CLASSES.continued);
    let container = next;
    if (next.localName === 'ol') next.setAttribute('start', String(open.nextItem));
    if (next.localName === 'table') {
      // Measured once, on the first part only: a forced layout of a few kilobytes of table.
      open.columnWidths ??= Array.from(open.parts[0]!.querySelectorAll('thead th'), (cell) => cell.getBoundingClientRect().width);
      const columns = doc.createElement('colgroup');
      for (const width of open.columnWidths) {
        const column = columns.appendChild(doc.createElement('col'));
        if (width > 0) column.style.width = `${width}px`;
      }
      container = doc.createElement('tbody');
      next.append(columns, container);
      open.rows = 0;
    }
    this.startSegment();
    this.segment!.append(next);
    container.append(...open.tail);
    open.container = container;
    open.parts.push(next);
  }

  private startRun(open: OpenBlock): void {
    const run = this.root.ownerDocument.createElement('span');
    run.className = LAYOUT_CLASSES.run;
    (open.container.classList.contains(LAYOUT_CLASSES.run) ? open.container.parentElement! : open.container).append(run);
    run.append(...open.tail);
    open.container = run;
    open.runChars = 0;
  }
}

/**
 * A top-level block of more than a segment's text (`chars`), too long to lay out whole, as the empty block and its
 * content: a paragraph's inline content, a code block's code, a list's items or a quote's blocks, a table's body
 * rows. Undefined for a block that is not cut.
 */
function splitLongBlock(block: readonly MdToken[], chars: number): { shell: MdToken[]; content: readonly MdToken[] } | undefined {
  const first = block[0]!;
  const last = block.at(-1)!;
  if (first.type === 'paragraph_open' && chars > RUN_CHARS) return { shell: [first, last], content: block[1]?.children ?? [] };
  if ((first.type === 'fence' || first.type === 'code_block') && chars > RUN_CHARS) return { shell: [{ ...first, content: '' }], content: [textToken(first.content)] };
  if (first.type === 'bullet_list_open' || first.type === 'ordered_list_open' || first.type === 'blockquote_open') return { shell: [first, last], content: block.slice(1, -1) };
  const body = block.findIndex((t) => t.type === 'tbody_open');
  const bodyEnd = block.findIndex((t) => t.type === 'tbody_close');
  if (first.type === 'table_open' && body > 0 && bodyEnd > body) return { shell: [...block.slice(0, body + 1), ...block.slice(bodyEnd)], content: block.slice(body + 1, bodyEnd) };
  return undefined;
}

/** About how much text a token adds (its inline source for an inline token): what segments and runs are sized by. */
function textLength(token: MdToken): number {
  switch (token.type) {
    case 'softbreak':
    case 'hardbreak':
      return 1;
    case 'image':
      return token.content.length + 'Image: '.length; // shown as a link "Image: <alt>" (./markdown.ts)
    case 'text':
    case 'code_inline':
    case 'inline':
    case 'fence':
    case 'code_block':
      return token.content.length;
    default:
      return 0;
  }
}
