// Real-shaped Google error bodies, as the Generative Language API sends them.

export type FakeErrorName =
  | 'invalidApiKey'
  | 'apiKeyExpired'
  | 'unauthenticated'
  | 'accessTokenTypeUnsupported'
  | 'credentialsMissing'
  | 'apiNotEnabled'
  | 'quotaProjectMissing'
  | 'userProjectDenied'
  | 'scopeInsufficient'
  | 'permissionDenied'
  | 'modelNotFound'
  | 'quotaExhausted'
  | 'quotaExhaustedDaily'
  | 'badRequest'
  | 'tokenLimit'
  | 'internal'
  | 'unavailable'
  | 'deadlineExceeded'
  | 'keyInUrl';

export const FAKE_PROJECT_NUMBER = '123456789012';
const SERVICE = 'generativelanguage.googleapis.com';

function errorInfo(reason: string, metadata: Record<string, string> = {}) {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: SERVICE, ...metadata } };
}
function localized(message: string) {
  return { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message };
}
function help(description: string, url: string) {
  return { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description, url }] };
}

export interface FakeErrorResponse {
  status: number;
  body: { error: { code: number; message: string; status: string; details?: unknown[] } };
}

function make(code: number, status: string, message: string, details?: unknown[]): FakeErrorResponse {
  return { status: code, body: { error: { code, message, status, ...(details ? { details } : {}) } } };
}

export function fakeError(name: FakeErrorName, opts: { model?: string; retryDelay?: string; quotaProject?: string } = {}): FakeErrorResponse {
  const model = opts.model ?? 'gemini-2.5-flash';
  switch (name) {
    case 'invalidApiKey': {
      const m = 'API key not valid. Please pass a valid API key.';
      return make(400, 'INVALID_ARGUMENT', m, [errorInfo('API_KEY_INVALID'), localized(m)]);
    }
    case 'apiKeyExpired': {
      const m = 'API key expired. Please renew the API key.';
      return make(400, 'INVALID_ARGUMENT', m, [errorInfo('API_KEY_EXPIRED'), localized(m)]);
    }
    case 'keyInUrl': {
      const m = 'fake-gemini: the API key must be sent in the x-goog-api-key header, never in the URL (?key=).';
      return make(400, 'INVALID_ARGUMENT', m, [errorInfo('FAKE_KEY_IN_URL')]);
    }
    case 'unauthenticated':
      return make(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [errorInfo('ACCESS_TOKEN_EXPIRED', { method: 'google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent' })],
      );
    case 'accessTokenTypeUnsupported':
      // What Google answers a standard (AIza…) key since it stopped accepting them for the Gemini API.
      return make(
        401,
        'UNAUTHENTICATED',
        'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', { method: 'google.ai.generativelanguage.v1beta.ModelService.ListModels' })],
      );
    case 'credentialsMissing':
      return make(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
    case 'apiNotEnabled': {
      const url = `https://console.developers.google.com/apis/api/${SERVICE}/overview?project=${FAKE_PROJECT_NUMBER}`;
      const m = `Generative Language API has not been used in project ${FAKE_PROJECT_NUMBER} before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
      return make(403, 'PERMISSION_DENIED', m, [
        errorInfo('SERVICE_DISABLED', {
          consumer: `projects/${FAKE_PROJECT_NUMBER}`,
          activationUrl: url,
          serviceTitle: 'Generative Language API',
          containerInfo: FAKE_PROJECT_NUMBER,
        }),
        localized(m),
        help('Google developers console API activation', url),
      ]);
    }
    case 'quotaProjectMissing':
      return make(
        403,
        'PERMISSION_DENIED',
        `Your application is authenticating by using local Application Default Credentials. The ${SERVICE} API requires a quota project, which is not set by default. To learn how to set your quota project, see https://cloud.google.com/docs/authentication/adc-troubleshooting/user-creds .`,
        [errorInfo('SERVICE_DISABLED', { consumer: 'projects/764086051850' })],
      );
    case 'userProjectDenied': {
      const project = opts.quotaProject ?? 'my-project';
      const url = `https://console.developers.google.com/iam-admin/iam/project?project=${project}`;
      return make(
        403,
        'PERMISSION_DENIED',
        `Caller does not have required permission to use project ${project}. Grant the caller the roles/serviceusage.serviceUsageConsumer role, or a custom role with the serviceusage.services.use permission, by visiting ${url} and then retry. Propagation of the new permission may take a few minutes.`,
        [errorInfo('USER_PROJECT_DENIED', { consumer: `projects/${project}` }), help('Google developer console IAM admin', url)],
      );
    }
    case 'scopeInsufficient':
      return make(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
        errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', { method: 'google.ai.generativelanguage.v1beta.GenerativeService.GenerateContent' }),
      ]);
    case 'permissionDenied':
      return make(403, 'PERMISSION_DENIED', 'The caller does not have permission');
    case 'modelNotFound':
      return make(
        404,
        'NOT_FOUND',
        `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      );
    case 'quotaExhausted':
    case 'quotaExhaustedDaily': {
      const daily = name === 'quotaExhaustedDaily';
      const details: unknown[] = [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [
            {
              quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
              quotaId: daily ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
              quotaDimensions: { location: 'global', model },
              quotaValue: daily ? '250' : '10',
            },
          ],
        },
        help('Learn more about Gemini API quotas', 'https://ai.google.dev/gemini-api/docs/rate-limits'),
      ];
      const delay = opts.retryDelay ?? (daily ? undefined : '22s');
      if (delay) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
      return make(
        429,
        'RESOURCE_EXHAUSTED',
        'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
        details,
      );
    }
    case 'badRequest':
      return make(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified\n');
    case 'tokenLimit':
      return make(400, 'INVALID_ARGUMENT', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).');
    case 'internal':
      return make(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting');
    case 'unavailable':
      return make(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
    case 'deadlineExceeded':
      return make(504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.');
  }
}

export const HTML_502_PAGE = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p>
<hr><address>corporate-proxy/1.0</address></body></html>
`;
