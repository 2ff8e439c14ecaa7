// Which `LanguageModelError` code a failed Gemini request becomes. Callers switch on the code
// (NoPermissions / Blocked / NotFound); the message stays ours, with Google's reason in it.

import { CREDENTIAL_REFUSED, type GeminiError } from '../gemini/errors';

export type LmErrorCode = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Cancelled' | 'Unknown';

/** Finish reasons that mean Gemini refused on policy grounds, not a glitch worth retrying. */
const POLICY_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

export function lmErrorCode(error: GeminiError): LmErrorCode {
  if (CREDENTIAL_REFUSED.has(error.kind)) return 'NoPermissions';
  switch (error.kind) {
    case 'quotaExhausted':
    case 'blocked':
      return 'Blocked';
    case 'finishReason':
      return error.finishReason && POLICY_REASONS.has(error.finishReason) ? 'Blocked' : 'Unknown';
    case 'modelNotFound':
      return 'NotFound';
    case 'cancelled':
      return 'Cancelled';
    default:
      return 'Unknown';
  }
}
