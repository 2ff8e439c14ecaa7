import { serviceUrlProblem } from '../common/url';
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

/** Validates all endpoints; throws one AuthError listing every problem. Returns trimmed, normalised URLs. */
export function validateEndpoints(endpoints: OAuthEndpoints): OAuthEndpoints {
  const keys = Object.keys(ENDPOINT_SETTINGS) as (keyof OAuthEndpoints)[];
  const problems = keys.flatMap((key) => serviceUrlProblem(endpoints[key], ENDPOINT_SETTINGS[key]) ?? []);
  if (problems.length) throw new AuthError('invalidEndpoint', problems.join(' '));
  return Object.freeze(Object.fromEntries(keys.map((key) => [key, new URL(endpoints[key].trim()).toString()])) as Record<keyof OAuthEndpoints, string>);
}
