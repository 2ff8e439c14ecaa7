// The closed set of elements and attributes the results page admits from the Markdown renderer. ./safeHtml.ts
// enforces it on every fragment before it enters the page (the one sanitizing pass); the renderer's own rules
// (./markdown.ts) emit nothing else, which the tests check on real output. Anything outside this table is a bug,
// never a feature.

const BLOCK = ['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'hr', 'pre', 'ul', 'li', 'table', 'thead', 'tbody', 'tr'];
const INLINE = ['em', 'strong', 's', 'br', 'code', 'span'];

/** tag → attributes it may carry. */
export const ALLOWED_ELEMENTS: ReadonlyMap<string, ReadonlySet<string>> = new Map<string, ReadonlySet<string>>([
  ...BLOCK.map((tag) => [tag, new Set<string>()] as const),
  ...INLINE.map((tag) => [tag, new Set<string>(['class'])] as const),
  ['ol', new Set(['start'])],
  ['th', new Set(['class'])],
  ['td', new Set(['class'])],
  // Links are inert: the destination sits in data-href and the webview posts `openLink` on activation.
  ['a', new Set(['class', 'data-href', 'title', 'role', 'tabindex'])],
]);

/** Classes the renderer itself produces, besides `language-<lang>` on code. */
export const RENDER_CLASSES = {
  link: 'md-link',
  image: 'md-image',
  imageAlt: 'md-image-alt',
  alignLeft: 'md-align-left',
  alignCenter: 'md-align-center',
  alignRight: 'md-align-right',
} as const;
