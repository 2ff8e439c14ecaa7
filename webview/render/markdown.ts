// Markdown → page nodes for untrusted model output, in one pass that is also the sanitizer. markdown-it parses
// (raw HTML off: it stays text) and `appendTokens` builds DOM nodes from its tokens through a closed table: each
// kind of token it knows becomes one fixed element with attributes it sets itself, and text only ever becomes text
// nodes. No HTML string is parsed, so there is nothing to sanitize afterwards: an element or attribute outside the
// table cannot be produced, whatever the tokens hold (test/unit/render/markdown.test.ts feeds it hostile ones).
//   - Links are inert (`data-href`, no `href`) and held to the one link policy of src/shared/links.ts.
//   - Images become links (or their alt text): the panel loads nothing.
//   - Code languages are sanitised into a class; table alignment is a class (the CSP forbids inline styles).
//
// Reference-style link definitions (`[x]: https://…`) are switched off on purpose: they are the one Markdown
// construct where later text changes how earlier text renders, which would break incremental rendering
// (./incremental.ts). They appear as plain text instead.

import MarkdownIt from 'markdown-it';
import { isAllowedLinkHref } from '../../src/shared/links';

type Markdown = MarkdownIt.MarkdownIt;

/** What the builder reads of a markdown-it token (incremental rendering also makes text tokens of its own). */
export interface MdToken {
  readonly type: string;
  readonly tag: string;
  readonly nesting: number;
  readonly content: string;
  readonly info: string;
  readonly hidden: boolean;
  readonly attrs: readonly (readonly [string, string | number])[] | null;
  readonly children: readonly MdToken[] | null;
}

/** Classes the builder sets, besides `language-<lang>` on code (media/results.css styles them). */
const CLASSES = { link: 'md-link', image: 'md-image', imageAlt: 'md-image-alt' } as const;
const ALIGN_CLASSES: Readonly<Record<string, string>> = { 'text-align:left': 'md-align-left', 'text-align:center': 'md-align-center', 'text-align:right': 'md-align-right' };
/** Token types that are a plain element (empty ones: `br`, `hr`); headings, lists, cells and links are built apart. */
const ELEMENTS: Readonly<Record<string, string>> = {
  blockquote_open: 'blockquote', bullet_list_open: 'ul', list_item_open: 'li', table_open: 'table', thead_open: 'thead',
  tbody_open: 'tbody', tr_open: 'tr', em_open: 'em', strong_open: 'strong', s_open: 's', hardbreak: 'br', hr: 'hr',
};
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const MAX_LANGUAGE_LENGTH = 32;

/** Keeps `[A-Za-z0-9_+-]` of a fence's first info word; returns '' when nothing usable is left. */
export function sanitizeLanguage(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return word.replace(/[^A-Za-z0-9_+-]/g, '').slice(0, MAX_LANGUAGE_LENGTH);
}

let shared: Markdown | undefined;

/** The markdown-it instance for untrusted text; configured once and never changed afterwards. */
export function defaultMarkdown(): Markdown {
  if (!shared) {
    shared = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: false });
    shared.disable('reference');
    shared.validateLink = (url: string) => isAllowedLinkHref(url);
    const normalizeLink = shared.normalizeLink.bind(shared);
    shared.normalizeLink = (url: string) => (NORMAL_WEB_URL.test(url) ? url : normalizeLink(url));
  }
  return shared;
}

/**
 * A web URL that markdown-it's normalizeLink gives back unchanged (a lower-case ASCII host of at most 255 characters,
 * no character it would percent-encode, no `%`): most links in answers. Its URL parse, punycode and encoding cost a
 * twentieth of a long answer's render (test/unit/render/markdown.test.ts checks the identity).
 */
export const NORMAL_WEB_URL = /^https?:\/\/(?=[a-z0-9.-]{1,255}(?![a-z0-9.-]))[a-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][A-Za-z0-9;/?:@&=+$,\-_.!~*'()#]*)?$/;

/** A text token, for text that is not parsed (a code block's content). */
export function textToken(content: string): MdToken {
  return { type: 'text', tag: '', nesting: 0, content, info: '', hidden: false, attrs: null, children: null };
}

/**
 * Appends the nodes for `tokens` (block or inline tokens, balanced) to `parent`. Tokens it does not know add their
 * text content only; an element it refuses (a hidden paragraph of a tight list, a link to a refused destination)
 * leaves its content in place, as text of the enclosing element.
 */
export function appendTokens(parent: Node, tokens: readonly MdToken[]): void {
  const doc = parent.ownerDocument!;
  const stack: Node[] = [];
  let at = parent;
  // Adjacent text (a paragraph's lines and the breaks between them) becomes one text node: far fewer nodes to
  // place, and the same nodes a browser makes of the same text.
  let text = '';
  for (const token of tokens) {
    if (token.type === 'text' || token.type === 'softbreak') {
      text += token.type === 'text' ? token.content : '\n';
      continue;
    }
    if (text) at.appendChild(doc.createTextNode(text));
    text = '';
    if (token.nesting === 1) {
      stack.push(at);
      const element = openElement(doc, token);
      if (element) at = at.appendChild(element);
    } else if (token.nesting === -1) {
      at = stack.pop() ?? parent;
    } else {
      appendLeaf(doc, at, token);
    }
  }
  if (text) at.appendChild(doc.createTextNode(text));
}

function openElement(doc: Document, token: MdToken): Element | undefined {
  switch (token.type) {
    case 'paragraph_open':
      return token.hidden ? undefined : doc.createElement('p');
    case 'heading_open':
      return doc.createElement(HEADINGS.has(token.tag) ? token.tag : 'p');
    case 'ordered_list_open': {
      const list = doc.createElement('ol');
      const start = Number(attr(token, 'start') ?? 1);
      if (Number.isSafeInteger(start) && start !== 1) list.setAttribute('start', String(start));
      return list;
    }
    case 'th_open':
    case 'td_open': {
      const cell = doc.createElement(token.type === 'th_open' ? 'th' : 'td');
      const align = ALIGN_CLASSES[attr(token, 'style') ?? ''];
      if (align) cell.className = align;
      return cell;
    }
    case 'link_open': {
      // markdown-it's validateLink has already refused other destinations; checked again where the element is made.
      const href = attr(token, 'href') ?? '';
      return isAllowedLinkHref(href) ? link(doc, href, attr(token, 'title') || href, CLASSES.link) : undefined;
    }
    default: {
      const tag = ELEMENTS[token.type];
      return tag ? doc.createElement(tag) : undefined;
    }
  }
}

function appendLeaf(doc: Document, at: Node, token: MdToken): void {
  switch (token.type) {
    case 'inline':
      return appendTokens(at, token.children ?? []);
    case 'hardbreak':
    case 'hr':
      at.appendChild(doc.createElement(ELEMENTS[token.type]!));
      return;
    case 'code_inline':
      at.appendChild(doc.createElement('code')).textContent = token.content;
      return;
    case 'fence':
    case 'code_block': {
      const code = doc.createElement('code');
      const language = token.type === 'fence' ? sanitizeLanguage(defaultMarkdown().utils.unescapeAll(token.info)) : '';
      if (language) code.className = `language-${language}`;
      code.textContent = token.content;
      at.appendChild(doc.createElement('pre')).appendChild(code);
      return;
    }
    case 'image': {
      const alt = textOf(token.children ?? []).trim();
      const src = attr(token, 'src') ?? '';
      if (isAllowedLinkHref(src)) {
        at.appendChild(link(doc, src, src, `${CLASSES.link} ${CLASSES.image}`)).textContent = alt ? `Image: ${alt}` : 'Image';
      } else if (alt) {
        const span = at.appendChild(doc.createElement('span'));
        span.className = CLASSES.imageAlt;
        span.textContent = alt;
      }
      return;
    }
    default:
      // Anything else that carries text (raw HTML, were it ever on, would stay text here).
      if (token.content) at.appendChild(doc.createTextNode(token.content));
  }
}

/** An inert link: the webview posts `openLink` for `data-href` when it is activated (webview/app.ts). */
function link(doc: Document, href: string, title: string, className: string): Element {
  // A copy of one prototype per document: a long answer has thousands of links, and this is half the attributes.
  let prototype = linkPrototypes.get(doc);
  if (!prototype) {
    prototype = doc.createElement('a');
    prototype.setAttribute('role', 'link');
    prototype.setAttribute('tabindex', '0');
    linkPrototypes.set(doc, prototype);
  }
  const element = prototype.cloneNode(false) as Element;
  element.setAttribute('class', className);
  element.setAttribute('data-href', href);
  element.setAttribute('title', title);
  return element;
}
const linkPrototypes = new WeakMap<Document, Element>();

function attr(token: MdToken, name: string): string | undefined {
  const value = token.attrs?.find(([key]) => key === name)?.[1];
  return value === undefined ? undefined : String(value);
}

/** An image's alt text, as markdown-it reads it: its text, nested images' alt text, line breaks as newlines. */
function textOf(tokens: readonly MdToken[]): string {
  return tokens.map((t) => (t.type === 'image' ? textOf(t.children ?? []) : t.type === 'softbreak' || t.type === 'hardbreak' ? '\n' : t.type === 'text' ? t.content : '')).join('');
}
