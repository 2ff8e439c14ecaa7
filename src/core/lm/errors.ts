// Which `LanguageModelError` code a failed Gemini request becomes. Callers switch on the code
// (NoPermissions / Blocked / NotFound); the message stays ours, with Google's reason in it.

import type { GeminiError } from '../gemini/errors';

export type LmErrorCode = 'NoPermissions' | 'Blocked' | 'NotFound' | 'Cancelled' | 'Unknown';

/** Finish reasons that mean Gemini refused on policy grounds, not a glitch worth retrying. */
const POLICY_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

export function lmErrorCode(error: GeminiError): LmErrorCode {
  switch (error.kind) {
    case 'noCredential':
    case 'invalidApiKey':
    case 'unauthenticated':
    case 'apiNotEnabled':
    case 'quotaProjectMissing':
    case 'permissionDenied':
      return 'NoPermissions';
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
