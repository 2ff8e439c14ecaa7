// How a request proves who it is. The client asks the active credential for headers on every attempt,
// so a refreshed OAuth token is picked up without rebuilding anything. One client serves both kinds.

export interface CredentialProvider {
  readonly kind: 'apiKey' | 'oauth';
  /** Stable id for logs and UI (`apiKey`, or the Google account id); never the secret itself. */
  readonly id: string;
  getHeaders(signal?: AbortSignal): Promise<Record<string, string>>;
  /** OAuth only: force one refresh after a 401; false if it cannot. */
  refreshAfterUnauthorized?(): Promise<boolean>;
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
    getHeaders: async (signal) => headers(await options.getAccessToken(false, signal)),
    refreshAfterUnauthorized: async () => Boolean(await options.getAccessToken(true)),
  };
}
