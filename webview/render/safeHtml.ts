// The one sanitizing pass: the only way HTML enters the results page. The Markdown renderer (markdown-it with raw
// HTML off, ./markdown.ts) should emit nothing outside ./allowlist.ts; this parses its output in an inert
// <template> and holds every element and attribute to that allowlist, and every link to the link policy, so a
// renderer or parser bug cannot put a live element or attribute on the page.

import { isAllowedLinkHref } from '../../src/shared/links';
import { ALLOWED_ELEMENTS } from './allowlist';

export function parseSafeHtml(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  // querySelectorAll's list is static: replacing an element while walking it skips none.
  for (const element of template.content.querySelectorAll('*')) {
    const allowed = ALLOWED_ELEMENTS.get(element.localName);
    if (!allowed) {
      element.replaceWith(doc.createTextNode(element.textContent ?? ''));
      continue;
    }
    // Most elements have no attribute at all: the cheap test first (a long answer has hundreds of thousands).
    if (!element.hasAttributes()) continue;
    for (const name of element.getAttributeNames()) {
      if (!allowed.has(name)) element.removeAttribute(name);
    }
    const href = element.getAttribute('data-href');
    if (href !== null && !isAllowedLinkHref(href)) element.removeAttribute('data-href');
  }
  return template.content;
}
