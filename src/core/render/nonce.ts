// Host-only (Node): the per-render CSP nonce for the results panel. Kept apart from ./panelHtml.ts, which is
// pure, and excluded from the webview's tsconfig because the browser bundle never needs it.

import { randomBytes } from 'node:crypto';

/** 128 bits from the OS CSPRNG, base64url (valid in a CSP `nonce-` source). */
export function createNonce(): string {
  return randomBytes(16).toString('base64url');
}
