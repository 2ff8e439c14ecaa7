// Puts one stream's updates (./incremental.ts) on the page: committed HTML is appended once and never touched
// again; only the unfinished end is replaced. An open block's element stays on the page while its content is
// appended piece by piece, so the browser lays out (and shapes) only the new text, not the whole block again.

import type { IncrementalUpdate } from './incremental';
import { parseSafeHtml } from './safeHtml';

export class StreamView {
  private open: { readonly block: Element; readonly container: Element; readonly tail: HTMLElement } | undefined;

  /** `tail` is the last child of `root`: committed blocks go before it, the unfinished ones into it. */
  constructor(
    private readonly root: HTMLElement,
    private readonly tail: HTMLElement,
  ) {}

  apply(update: IncrementalUpdate): void {
    const doc = this.root.ownerDocument;
    if (update.reopen) {
      this.open?.block.remove();
      this.open = undefined;
    }
    for (const part of update.committed) {
      if (part.kind === 'blocks') this.tail.before(parseSafeHtml(doc, part.html));
      else if (part.kind === 'open') {
        const block = parseSafeHtml(doc, part.before + part.after).firstElementChild!;
        let container = block;
        while (container.lastElementChild) container = container.lastElementChild;
        // The unfinished rest sits at the end of the block: in a table, as a second <tbody> of its rows.
        const tail = doc.createElement(container.localName === 'tbody' ? 'tbody' : 'span');
        if (tail.localName === 'tbody') container.after(tail);
        else container.append(tail);
        this.tail.before(block);
        this.open = { block, container, tail };
      } else if (part.kind === 'inline') {
        const open = this.open!;
        if (open.tail.parentNode === open.container) open.tail.before(parseSafeHtml(doc, part.html));
        else open.container.append(parseSafeHtml(doc, part.html));
      } else {
        this.open!.tail.remove();
        this.open!.block.after('\n');
        this.open = undefined;
      }
    }
    this.open?.tail.replaceChildren(parseSafeHtml(doc, update.openTailHtml));
    this.tail.replaceChildren(parseSafeHtml(doc, update.tailHtml));
  }

  clear(): void {
    this.open = undefined;
    this.tail.replaceChildren();
    this.root.replaceChildren(this.tail);
  }
}
