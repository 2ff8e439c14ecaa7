// How a request proves who it is. The client asks the active credential for headers on every attempt,
// so a refreshed OAuth token is picked up without rebuilding anything. One client serves both kinds.
// The request's URL comes with the ask, so a Google token is refused here, before anything is sent, when the
// URL is not Google's or the emulator's (see credentialPolicy.ts).

import { bearerRefusedError, mayReceiveBearer } from './credentialPolicy';

export interface CredentialProvider {
  readonly kind: 'apiKey' | 'oauth';
  /** Stable id for logs and UI (`apiKey`, or the Google account id); never the secret itself. */
  readonly id: string;
  /** The headers for a request to `target`; throws if this credential must not go there. */
  getHeaders(target: URL, signal?: AbortSignal): Promise<Record<string, string>>;
  /** OAuth only: force one refresh after a 401 from `target`; false if it cannot. */
  refreshAfterUnauthorized?(target: URL): Promise<boolean>;
}

function assertHeaderSafe(value: string, what: string): void {
  if (!value || /[\r\n\0]/.test(value) || value !== value.trim()) {
    throw new Error(`${what} is empty or contains invalid characters.`);
  }
}

/** The key goes only in the `x-goog-api-key` header — never in a URL. */
export function apiKeyCredential(key: string, id = 'apiKey'): CredentialProvider {
  assertHeaderSafe(key, 'The API key');
  return {
    kind: 'apiKey',
    id,
    getHeaders: async () => ({ 'x-goog-api-key': key }),
  };
}

export interface OAuthCredentialOptions {
  id: string;
  /** Returns a valid access token; with `forceRefresh` it must refresh even if the cached one looks valid. */
  getAccessToken(forceRefresh: boolean, signal?: AbortSignal): Promise<string>;
  /** Current `gemini.quotaProject`, read on every request. */
  quotaProject?: () => string | undefined;
}

export function oauthCredential(options: OAuthCredentialOptions): CredentialProvider {
  const headers = (token: string): Record<string, string> => {
    assertHeaderSafe(token, 'The access token');
    const result: Record<string, string> = { authorization: `Bearer ${token}` };
    const project = options.quotaProject?.()?.trim();
    if (project) {
      assertHeaderSafe(project, 'The quota project');
      result['x-goog-user-project'] = project;
    }
    return result;
  };
  return {
    kind: 'oauth',
    id: options.id,
    getHeaders: async (target, signal) => {
      if (!mayReceiveBearer(target)) throw bearerRefusedError(target);
      return headers(await options.getAccessToken(false, signal));
    },
    // Only a host that may receive the token can make us fetch a fresh one.
    refreshAfterUnauthorized: async (target) => mayReceiveBearer(target) && Boolean(await options.getAccessToken(true)),
  };
}
