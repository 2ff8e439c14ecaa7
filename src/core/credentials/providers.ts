import { apiKeyCredential, oauthCredential, type CredentialProvider } from '../gemini/credentials';
import { adcQuotaProject } from '../adc/adcFile';
import type { AdcTokenSource } from '../adc/adcTokens';
import type { AuthService } from '../auth/authService';
import type { ActiveCredential } from './activeCredential';

/** The request credential for the active choice: the key in `x-goog-api-key`, or a self-refreshing Bearer token. */
export function credentialProviderFor(
  active: ActiveCredential,
  tokens: Pick<AuthService, 'getAccessToken'>,
  quotaProject: () => string | undefined,
  adcTokens?: (active: Extract<ActiveCredential, { kind: 'adc' }>) => Pick<AdcTokenSource, 'getAccessToken'>,
): CredentialProvider {
  if (active.kind === 'apiKey') return apiKeyCredential(active.apiKey.key);
  if (active.kind === 'adc') {
    if (!adcTokens) throw new Error('Application Default Credentials are not available here');
    const source = adcTokens(active);
    // ADC bills the file's quota project when the user has not set one (Vertex always names its project).
    return oauthCredential({ id: 'adc', getAccessToken: (force, signal) => source.getAccessToken(force, signal), quotaProject: () => quotaProject() || adcQuotaProject(active.adc.credentials) });
  }
  return oauthCredential({
    id: active.accountId,
    getAccessToken: (forceRefresh) => tokens.getAccessToken(active.sessionId, { forceRefresh }),
    quotaProject,
  });
}
