// The only way HTML enters the results page. The HTML comes from the Markdown renderer, which already emits
// nothing outside its allowlist; this parses it in an inert <template> and checks it against the same
// allowlist once more, so a renderer bug cannot put a live element or attribute on the page.

import { isAllowedAttribute, isAllowedElement } from './allowlist';
import { isAllowedLinkHref } from '../../src/shared/links';

export function parseSafeHtml(doc: Document, html: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  scrub(doc, template.content);
  return template.content;
}

function scrub(doc: Document, root: DocumentFragment): void {
  // Snapshot first: replacing elements while walking a live list would skip some.
  for (const element of Array.from(root.querySelectorAll('*'))) {
    const tag = element.localName;
    if (!isAllowedElement(tag)) {
      element.replaceWith(doc.createTextNode(element.textContent ?? ''));
      continue;
    }
    for (const { name } of Array.from(element.attributes)) {
      if (!isAllowedAttribute(tag, name)) element.removeAttribute(name);
    }
    const href = element.getAttribute('data-href');
    if (href !== null && !isAllowedLinkHref(href)) element.removeAttribute('data-href');
    if (element.id) element.removeAttribute('id');
  }
}
