// Markdown → HTML for untrusted model output. The answer is rendered by markdown-it with raw HTML off (it is
// escaped, never rendered), a strict link policy (see src/shared/links.ts), images demoted to links, inert
// links (`data-href`, no `href`), sanitised code-block languages, table alignment as classes (CSP forbids
// inline styles) and a final pass that holds every token to the allowlist in ./allowlist.ts.
//
// Reference-style link definitions (`[x]: https://…`) are switched off on purpose: they are the one
// Markdown construct where later text changes how earlier text renders, which would break incremental
// rendering (./incremental.ts). They appear as plain text instead.

import MarkdownIt from 'markdown-it';
import { isAllowedLinkHref } from '../../src/shared/links';
import { ALLOWED_ELEMENTS, RENDER_CLASSES } from './allowlist';

export type Markdown = MarkdownIt.MarkdownIt;
type Token = MarkdownIt.Token;

const MAX_LANGUAGE_LENGTH = 32;

/** Keeps `[A-Za-z0-9_+-]` of a fence's first info word; returns '' when nothing usable is left. */
export function sanitizeLanguage(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return word.replace(/[^A-Za-z0-9_+-]/g, '').slice(0, MAX_LANGUAGE_LENGTH);
}

/** A markdown-it instance configured for untrusted text. Each call builds a fresh, independent instance. */
export function createMarkdown(): Markdown {
  const md = new MarkdownIt('default', {
    html: false,
    xhtmlOut: false,
    breaks: false,
    linkify: true,
    typographer: false,
    langPrefix: 'language-',
  });
  md.disable('reference');
  md.validateLink = (url: string) => isAllowedLinkHref(url);

  const escape = md.utils.escapeHtml;

  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx]!;
    const language = sanitizeLanguage(md.utils.unescapeAll(token.info));
    const cls = language ? ` class="language-${language}"` : '';
    return `<pre><code${cls}>${escape(token.content)}</code></pre>\n`;
  };

  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
    const src = token.attrGet('src') ?? '';
    if (isAllowedLinkHref(src)) {
      const label = alt ? `Image: ${alt}` : 'Image';
      return `<a class="${RENDER_CLASSES.link} ${RENDER_CLASSES.image}" data-href="${escape(src)}" role="link" tabindex="0" title="${escape(src)}">${escape(label)}</a>`;
    }
    return alt ? `<span class="${RENDER_CLASSES.imageAlt}">${escape(alt)}</span>` : '';
  };

  md.core.ruler.push('gemini_safe_tokens', (state) => {
    for (const token of state.tokens) {
      sanitizeToken(token);
      if (token.children) sanitizeInline(token.children);
    }
  });

  return md;
}

function sanitizeInline(children: Token[]): void {
  const openLinks: Token[] = [];
  for (const token of children) {
    if (token.type === 'link_open') {
      const href = token.attrGet('href') ?? '';
      const title = token.attrGet('title');
      if (isAllowedLinkHref(href)) {
        token.attrs = [
          ['class', RENDER_CLASSES.link],
          ['data-href', href],
          ['role', 'link'],
          ['tabindex', '0'],
        ];
        token.attrs.push(['title', title ? title : href]);
      } else {
        token.tag = 'span';
        token.attrs = [['class', RENDER_CLASSES.blockedLink]];
      }
      openLinks.push(token);
      continue;
    }
    if (token.type === 'link_close') {
      token.tag = openLinks.pop()?.tag ?? 'span';
      continue;
    }
    sanitizeToken(token);
  }
}

/** Holds one token to the allowlist; `image` and `fence` have their own renderers above. */
function sanitizeToken(token: Token): void {
  if (token.type === 'html_block' || token.type === 'html_inline') {
    // Unreachable with `html: false`; if a rule ever produced one, show it as text.
    token.type = 'text';
    return;
  }
  if ((token.type === 'th_open' || token.type === 'td_open') && token.attrs) {
    const align = /^text-align:(left|center|right)$/.exec(String(token.attrGet('style') ?? ''))?.[1];
    token.attrs = null;
    if (align === 'left') token.attrSet('class', RENDER_CLASSES.alignLeft);
    else if (align === 'center') token.attrSet('class', RENDER_CLASSES.alignCenter);
    else if (align === 'right') token.attrSet('class', RENDER_CLASSES.alignRight);
    return;
  }
  if (token.type === 'image' || token.type === 'fence' || !token.tag || token.type === 'link_open' || token.type === 'link_close') return;
  const allowed = ALLOWED_ELEMENTS.get(token.tag);
  if (!allowed) {
    token.tag = 'span';
    token.attrs = null;
    return;
  }
  if (token.attrs) token.attrs = token.attrs.filter(([name]) => allowed.has(String(name)));
  if (token.attrs?.length === 0) token.attrs = null;
}

let shared: Markdown | undefined;

/** The default instance; configured once and never changed afterwards. */
export function defaultMarkdown(): Markdown {
  shared ??= createMarkdown();
  return shared;
}

/** Renders a whole answer at once. */
export function renderMarkdown(text: string, md: Markdown = defaultMarkdown()): string {
  return md.render(text);
}
