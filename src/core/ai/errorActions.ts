// Which button an error in the results panel offers. The webview knows a closed set of action kinds; a
// GeminiError's action maps onto the nearest one, and the host keeps the original action per result so the
// button does exactly what the error asked (e.g. open Google's console page) when it is pressed.

import type { GeminiActionKind } from '../gemini/errors';
import type { ErrorActionKind } from '../../shared/protocol';

/**
 * `retry` has no extra button (the panel's own Retry does it). `openUrl` travels as `openSettings`: both open
 * a place where the user fixes their setup, and the host runs the stored action, not the kind.
 */
export function panelActionKind(kind: GeminiActionKind): ErrorActionKind | undefined {
  switch (kind) {
    case 'setApiKey':
    case 'createApiKey':
    case 'signIn':
    case 'selectModel':
    case 'openSettings':
      return kind;
    case 'openUrl':
      return 'openSettings';
    case 'retry':
      return undefined;
  }
}
