// Text we did not write — a server's error message, a model name, a workspace file name, an account label —
// shown in VS Code's notifications, input boxes and quick picks must stay text. Those renderers turn
// `[label](command:…)` (also `https:` and `file:`) into a link that runs when clicked, and `$(name)` into an icon
// (VS Code's `parseLinkedText` and `renderLabelWithIcons`). `plainText` breaks both forms and Markdown's, so that
// nothing untrusted can become a link or a `command:` URI, and keeps the text readable: one line, bounded.

import { truncate } from './text';

/** Default length for one untrusted value inside a message. */
export const PLAIN_TEXT_MAX = 500;

// Control characters, bidi controls (which can reorder what the user reads) and line/paragraph separators.
const UNSAFE_CHARS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]+/gu;

/**
 * `text` made inert for VS Code's message renderers: a space after every `]` that a `(`, `[` or `:` follows (no
 * Markdown or linked-text link can form), after every `$` before `(` (no icon), and after `<` before a URI
 * scheme (no autolink); controls become spaces, runs of spaces one; cut to `max` characters. Idempotent.
 */
export function plainText(text: string, max: number = PLAIN_TEXT_MAX): string {
  const result = String(text)
    .replace(UNSAFE_CHARS, ' ')
    .replace(/\](?=[([:])/g, '] ')
    .replace(/\$(?=\()/g, '$ ')
    .replace(/<(?=[A-Za-z][A-Za-z0-9+.-]*:)/g, '< ')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(result, max);
}
