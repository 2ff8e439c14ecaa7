import { AuthError } from './errors';

export interface OAuthEndpoints {
  readonly authorization: string;
  readonly token: string;
  readonly revocation: string;
  readonly userinfo: string;
}

export const GOOGLE_ENDPOINTS: OAuthEndpoints = Object.freeze({
  authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  revocation: 'https://oauth2.googleapis.com/revoke',
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
});

/** Setting names, so messages point at the exact thing to fix. */
export const ENDPOINT_SETTINGS: Readonly<Record<keyof OAuthEndpoints, string>> = Object.freeze({
  authorization: 'gemini.oauth.authorizationEndpoint',
  token: 'gemini.oauth.tokenEndpoint',
  revocation: 'gemini.oauth.revocationEndpoint',
  userinfo: 'gemini.oauth.userinfoEndpoint',
});

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/**
 * Checks one endpoint URL. Returns undefined when it is acceptable, else a precise message naming the setting.
 * HTTPS is required, except for loopback hosts (local emulators and tests).
 */
export function checkEndpointUrl(value: string, settingName: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return `${settingName} is empty. Set it to an https:// URL, or reset it to use Google's default.`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `${settingName} is not a valid URL ("${truncate(trimmed)}"). Use a full URL such as https://oauth2.googleapis.com/token.`;
  }
  if (url.username || url.password) {
    return `${settingName} must not contain a user name or password.`;
  }
  if (url.hash) return `${settingName} must not contain a #fragment.`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return `${settingName} uses http:// for ${url.host}. Tokens must travel over HTTPS: use https://, or http:// only for 127.0.0.1, localhost or [::1].`;
  }
  return `${settingName} uses the unsupported scheme "${url.protocol}". Use https://.`;
}

/** Validates all endpoints; throws one AuthError listing every problem. Returns trimmed, normalised URLs. */
export function validateEndpoints(endpoints: OAuthEndpoints): OAuthEndpoints {
  const problems: string[] = [];
  for (const key of Object.keys(ENDPOINT_SETTINGS) as (keyof OAuthEndpoints)[]) {
    const problem = checkEndpointUrl(endpoints[key] ?? '', ENDPOINT_SETTINGS[key]);
    if (problem) problems.push(problem);
  }
  if (problems.length) throw new AuthError('invalidEndpoint', problems.join(' '));
  return Object.freeze({
    authorization: new URL(endpoints.authorization.trim()).toString(),
    token: new URL(endpoints.token.trim()).toString(),
    revocation: new URL(endpoints.revocation.trim()).toString(),
    userinfo: new URL(endpoints.userinfo.trim()).toString(),
  });
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
