// The one link policy of the results panel, shared by the Markdown renderer (which decides what becomes a
// link), the webview (which posts `openLink`) and the host (which re-checks before opening). Only web and
// mail links are ever followed: no `javascript:`, `data:`, `vbscript:`, `file:`, `command:`, `vscode:`,
// no relative links (they have no meaning inside a webview and `#copy` could aim at the toolbar).

/** Longest link the panel will follow; longer ones are shown as plain text. */
export const MAX_LINK_LENGTH = 2048;

// A scheme we allow, then for web links a non-empty authority (`https:///x` and `https:/x` are refused).
const ALLOWED = /^(?:https?:\/\/[^/?#\\]|mailto:.)/i;
// C0 controls, DEL, whitespace of any kind, and characters browsers silently drop or fold.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARS = /[\u0000-\u0020\u007f-\u009f\u00a0\u00ad\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/;

/**
 * True when `href` is an absolute `http:`, `https:` or `mailto:` URL with no whitespace or control characters.
 * Callers pass the URL as it will be opened (after Markdown entity decoding and normalisation), so
 * obfuscations such as `&#106;avascript:` or `java\tscript:` have already collapsed into what they mean.
 */
export function isAllowedLinkHref(href: unknown): href is string {
  if (typeof href !== 'string' || href.length === 0 || href.length > MAX_LINK_LENGTH) return false;
  if (FORBIDDEN_CHARS.test(href)) return false;
  return ALLOWED.test(href);
}
