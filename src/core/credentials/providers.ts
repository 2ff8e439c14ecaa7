import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../gemini/credentials';
import type { ActiveCredential } from './activeCredential';

export interface TokenSource {
  getAccessToken(sessionId: string, options?: { forceRefresh?: boolean }): Promise<string>;
}

/** The request credential for the active choice: the key in `x-goog-api-key`, or a self-refreshing Bearer token. */
export function credentialProviderFor(active: ActiveCredential, tokens: TokenSource, quotaProject: () => string | undefined): CredentialProvider {
  if (active.kind === 'apiKey') return apiKeyCredential(active.apiKey.key);
  return oauthCredential({
    id: active.accountId,
    getAccessToken: (forceRefresh) => tokens.getAccessToken(active.sessionId, { forceRefresh }),
    quotaProject,
  });
}
