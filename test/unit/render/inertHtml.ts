// Test helper: parses renderer output with a real DOM implementation and lists everything that could be live
// or could impersonate the panel's own controls. Deliberately independent of webview/render/markdown.ts (its own
// deny rules, scheme check and allowlist), so a mistake in the builder's table cannot hide itself.

import { newWindow } from './happyDom';

/** Every element and attribute the results page may get from an answer: tag → attributes it may carry. */
export const ALLOWED_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'hr', 'pre', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'em', 'strong', 's', 'br'].map((tag) => [tag, new Set<string>()] as const),
  ['code', new Set(['class'])],
  ['span', new Set(['class'])],
  ['ol', new Set(['start'])],
  ['th', new Set(['class'])],
  ['td', new Set(['class'])],
  // Links are inert: the destination sits in data-href and the webview posts `openLink` on activation.
  ['a', new Set(['class', 'data-href', 'title', 'role', 'tabindex'])],
]);

const DANGEROUS_ELEMENTS = new Set([
  'script', 'iframe', 'frame', 'frameset', 'img', 'image', 'picture', 'source', 'video', 'audio', 'track', 'object', 'embed',
  'applet', 'style', 'link', 'meta', 'base', 'form', 'input', 'button', 'textarea', 'select', 'option', 'svg', 'math',
  'template', 'slot', 'portal', 'noscript', 'dialog', 'details', 'marquee', 'xmp', 'plaintext', 'noembed', 'title',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'srcset', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'data', 'codebase', 'cite', 'ping', 'lowsrc', 'dynsrc']);
const TOOLBAR_IDS = ['app', 'title', 'model', 'emulator-badge', 'toolbar', 'stop', 'copy', 'insert', 'replace', 'retry', 'action', 'status', 'answer', 'answer-tail', 'notice', 'usage', 'error', 'error-message', 'history', 'history-list'];

export function liveProblems(html: string): string[] {
  const window = newWindow();
  try {
    const template = window.document.createElement('template');
    template.innerHTML = html;
    const problems: string[] = [];
    for (const element of Array.from(template.content.querySelectorAll('*'))) {
      const tag = element.localName;
      if (DANGEROUS_ELEMENTS.has(tag)) problems.push(`element <${tag}>`);
      for (const attribute of Array.from(element.attributes)) {
        const name = attribute.name;
        const value = attribute.value ?? '';
        const lower = name.toLowerCase();
        if (lower.startsWith('on')) problems.push(`handler ${name} on <${tag}>`);
        if (lower === 'style') problems.push(`inline style on <${tag}>`);
        if (lower === 'id' || lower === 'name' || lower === 'for' || lower === 'form') problems.push(`${name}="${value}" on <${tag}>`);
        if (URL_ATTRIBUTES.has(lower)) problems.push(`${name}="${value}" on <${tag}>`);
        if (lower === 'data-href' && !/^(?:https?:\/\/[a-z0-9[]|mailto:)/i.test(value)) problems.push(`data-href="${value}"`);
        if (lower === 'class' && value.split(/\s+/).some((c) => TOOLBAR_IDS.includes(c) || c === 'button')) problems.push(`class="${value}"`);
      }
    }
    return problems;
  } finally {
    void window.happyDOM.close();
  }
}

/** Element names, in document order, for feature assertions. */
export function elementNames(html: string): string[] {
  const window = newWindow();
  try {
    const template = window.document.createElement('template');
    template.innerHTML = html;
    return Array.from(template.content.querySelectorAll('*')).map((e) => e.localName);
  } finally {
    void window.happyDOM.close();
  }
}
