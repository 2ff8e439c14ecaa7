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
import { appendTokens, type MdToken } from './markdown';

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
  /** Paragraphs and code blocks get runs; lists and tables get continuations. */
  readonly runs: boolean;
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
    const doc = this.root.ownerDocument;
    const nodes = (tokens: readonly MdToken[]) => {
      const fragment = doc.createDocumentFragment();
      appendTokens(fragment, tokens);
      return fragment;
    };
    if (update.reopen) {
      for (const part of this.open?.parts ?? []) part.remove();
      this.open = undefined;
    }
    for (const part of update.committed) {
      if (part.kind === 'blocks') {
        const fragment = nodes(part.tokens);
        while (fragment.firstChild) this.commitWhole(fragment.firstChild);
      } else if (part.kind === 'open') {
        const block = nodes(part.tokens).firstElementChild!;
        let container = block;
        while (container.lastElementChild) container = container.lastElementChild;
        this.open = this.openBlock(block, container);
      } else if (part.kind === 'inline') {
        this.appendInline(this.open!, nodes(part.tokens));
      } else {
        this.replaceOpenTail(this.open!, undefined);
        this.open = undefined;
      }
    }
    if (this.open) this.replaceOpenTail(this.open, nodes(update.openTail));
    this.tail.replaceChildren(nodes(update.tail));
  }

  clear(): void {
    this.open = undefined;
    this.segment = undefined;
    this.tail.replaceChildren();
    this.root.replaceChildren(this.tail);
  }

  /** Puts `block` on the page, ready to take content into `container` (its innermost element). */
  private openBlock(block: Element, container: Element): OpenBlock {
    this.commit(block);
    const open: OpenBlock = { parts: [block], container, runs: container.localName === 'p' || container.localName === 'code', runChars: 0, tail: [] };
    if (container.localName === 'ul' || container.localName === 'ol') open.nextItem = Number(container.getAttribute('start') ?? 1);
    if (container.localName === 'tbody') open.rows = 0;
    if (open.runs) this.startRun(open);
    return open;
  }

  /** A whole top-level node (a restored answer, a block complete at once): a long one is cut as an open one is. */
  private commitWhole(node: ChildNode): void {
    const chars = node.textContent?.length ?? 0;
    const long = isElement(node) && chars > (node.localName === 'p' || node.localName === 'pre' ? RUN_CHARS : SEGMENT_CHARS);
    const container = long ? contentElement(node) : undefined;
    if (!container) return this.commit(node, chars);
    // One native move of all its content (a spread of a huge table's rows would overflow the call stack).
    const range = node.ownerDocument!.createRange();
    range.selectNodeContents(container);
    const content = range.extractContents();
    this.appendInline(this.openBlock(node as Element, container), content);
  }

  /** Appends a committed top-level node to the current segment, starting a new one when it is full. */
  private commit(node: Node, chars = node.textContent?.length ?? 0): void {
    if (!this.segment || this.segmentChars >= SEGMENT_CHARS) {
      this.segment = this.root.ownerDocument.createElement('div');
      this.segment.className = LAYOUT_CLASSES.segment;
      this.segmentChars = 0;
      this.tail.before(this.segment);
    }
    this.segment.append(node);
    this.segmentChars += chars;
  }

  /** Appends committed content of the open block: in runs of about RUN_CHARS, or continuations, one per segment. */
  private appendInline(open: OpenBlock, content: DocumentFragment): void {
    // Nodes go on the page together, once per run or part: a long paragraph has tens of thousands of them.
    const batch = this.root.ownerDocument.createDocumentFragment();
    const flush = () => (open.tail[0] ? open.tail[0].before(batch) : open.container.append(batch));
    const place = (node: ChildNode) => {
      if (open.runs && open.runChars >= RUN_CHARS) {
        flush();
        this.startRun(open);
      } else if (!open.runs && isElement(node) && this.segmentChars >= SEGMENT_CHARS && (open.rows ?? 0) % 2 === 0) {
        // A list or table goes on in a new segment before an item or row (after an even number of rows: stripes).
        flush();
        this.continueBlock(open);
      }
      batch.appendChild(node);
      const chars = isText(node) ? node.length : (node.textContent?.length ?? 0);
      open.runChars += chars;
      // The segment holding an open block grows with it; the next block starts a new one.
      this.segmentChars += chars;
      if (isElement(node) && node.localName === 'li' && open.nextItem !== undefined) open.nextItem++;
      if (isElement(node) && node.localName === 'tr' && open.rows !== undefined) open.rows++;
    };
    for (let node of Array.from(content.childNodes)) {
      // Long text is cut where a new run starts unseen: after a line of code, after a space in a paragraph.
      while (open.runs && isText(node) && open.runChars + node.length > RUN_CHARS) {
        const cut = node.data.lastIndexOf(open.container.closest('code') ? '\n' : ' ', RUN_CHARS - open.runChars - 1) + 1;
        if (cut > 0) {
          const rest = node.splitText(cut);
          place(node);
          node = rest;
        } else if (open.runChars === 0) break; // nowhere to cut within a whole run: one longer run
        flush();
        this.startRun(open);
      }
      place(node);
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
    this.segment = undefined;
    this.commit(next);
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

/** Where a long block's content goes: a paragraph's inline content, a code block's code, a list's items, a table's body rows. */
function contentElement(block: Element): Element | undefined {
  switch (block.localName) {
    case 'p':
    case 'ul':
    case 'ol':
      return block;
    case 'pre':
      return block.firstElementChild?.localName === 'code' ? block.firstElementChild : undefined;
    case 'table':
      return block.lastElementChild?.localName === 'tbody' ? block.lastElementChild : undefined;
    default:
      return undefined;
  }
}

// Node types by number: the page's globals (Text, Element) are not those of a test's DOM.
const isText = (node: Node): node is Text => node.nodeType === 3;
const isElement = (node: Node): node is Element => node.nodeType === 1;
