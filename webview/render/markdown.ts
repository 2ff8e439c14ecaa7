// Markdown → HTML for untrusted model output: markdown-it with raw HTML off (it is escaped, never rendered) and
// renderer rules that emit only what ./allowlist.ts allows: inert links (`data-href`, no `href`) under the one
// link policy of src/shared/links.ts, images demoted to links, sanitised code-block languages, and table
// alignment as classes (CSP forbids inline styles). The page admits this HTML only through ./safeHtml.ts, the
// one sanitizing pass.
//
// Reference-style link definitions (`[x]: https://…`) are switched off on purpose: they are the one
// Markdown construct where later text changes how earlier text renders, which would break incremental
// rendering (./incremental.ts). They appear as plain text instead.

import MarkdownIt from 'markdown-it';
import { isAllowedLinkHref } from '../../src/shared/links';
import { RENDER_CLASSES } from './allowlist';

export type Markdown = MarkdownIt.MarkdownIt;

const MAX_LANGUAGE_LENGTH = 32;
const ALIGN_CLASSES: Readonly<Record<string, string>> = {
  'text-align:left': RENDER_CLASSES.alignLeft,
  'text-align:center': RENDER_CLASSES.alignCenter,
  'text-align:right': RENDER_CLASSES.alignRight,
};

/** Keeps `[A-Za-z0-9_+-]` of a fence's first info word; returns '' when nothing usable is left. */
export function sanitizeLanguage(info: string): string {
  const word = info.trim().split(/\s+/, 1)[0] ?? '';
  return word.replace(/[^A-Za-z0-9_+-]/g, '').slice(0, MAX_LANGUAGE_LENGTH);
}

/** The HTML around a code block's escaped content. */
export function fenceTags(md: Markdown, info: string): { before: string; after: string } {
  const language = sanitizeLanguage(md.utils.unescapeAll(info));
  return { before: `<pre><code${language ? ` class="language-${language}"` : ''}>`, after: '</code></pre>\n' };
}

/** A markdown-it instance configured for untrusted text. Each call builds a fresh, independent instance. */
export function createMarkdown(): Markdown {
  const md = new MarkdownIt('default', { html: false, linkify: true, typographer: false, breaks: false });
  md.disable('reference');
  md.validateLink = (url: string) => isAllowedLinkHref(url);
  const escape = md.utils.escapeHtml;
  const rules = md.renderer.rules;

  rules.fence = (tokens, idx) => {
    const { before, after } = fenceTags(md, tokens[idx]!.info);
    return before + escape(tokens[idx]!.content) + after;
  };

  // validateLink has refused every other destination, so a link_open here always carries an allowed href.
  rules.link_open = (tokens, idx) => {
    const href = String(tokens[idx]!.attrGet('href') ?? '');
    const title = String(tokens[idx]!.attrGet('title') || href);
    return `<a class="${RENDER_CLASSES.link}" data-href="${escape(href)}" role="link" tabindex="0" title="${escape(title)}">`;
  };

  rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx]!;
    const alt = self.renderInlineAsText(token.children ?? [], options, env).trim();
    const src = String(token.attrGet('src') ?? '');
    if (isAllowedLinkHref(src)) {
      const label = alt ? `Image: ${alt}` : 'Image';
      return `<a class="${RENDER_CLASSES.link} ${RENDER_CLASSES.image}" data-href="${escape(src)}" role="link" tabindex="0" title="${escape(src)}">${escape(label)}</a>`;
    }
    return alt ? `<span class="${RENDER_CLASSES.imageAlt}">${escape(alt)}</span>` : '';
  };

  for (const cell of ['th', 'td'] as const) {
    rules[`${cell}_open`] = (tokens, idx) => {
      const align = ALIGN_CLASSES[String(tokens[idx]!.attrGet('style'))];
      return align ? `<${cell} class="${align}">` : `<${cell}>`;
    };
  }

  return md;
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
