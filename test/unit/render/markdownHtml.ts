// Test helper: the HTML of what webview/render/markdown.ts builds, serialised by a real DOM implementation, so
// renders can be compared as strings. Needs `before(loadHappyDom)` in the suite.

import { appendTokens, defaultMarkdown, type MdToken } from '../../../webview/render/markdown';
import { newWindow, type HappyWindow } from './happyDom';

let window: HappyWindow | undefined;

function container(): HTMLElement {
  window ??= newWindow();
  return window.document.createElement('div') as unknown as HTMLElement;
}

/** The HTML the page gets for these tokens. */
export function tokensHtml(tokens: readonly MdToken[]): string {
  const div = container();
  appendTokens(div, tokens);
  return div.innerHTML;
}

/** A full render of `text` into `parent`, as the page builds it all at once: what incremental renders must equal. */
export function renderMarkdown(parent: Node, text: string): void {
  appendTokens(parent, defaultMarkdown().parse(text, {}));
}

/** The HTML of a full render of `text`. */
export function markdownHtml(text: string): string {
  const div = container();
  renderMarkdown(div, text);
  return div.innerHTML;
}
