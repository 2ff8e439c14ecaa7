// Where a Google account's access token may go (SPEC "Where credentials may go"). The token usually carries the
// cloud-platform scope, so it goes only to Google's API hosts over https, or to the loopback emulator. Every
// other `gemini.api.baseUrl` gets API keys only: a server there could otherwise collect the token, and with a 401
// make us refresh and send it a fresh one.

import { isLoopbackHost } from '../common/url';
import { GeminiError, actions } from './errors';

// Hostnames as the WHATWG URL parser leaves them: lower-case, IDN in punycode, `127.1` and `2130706433` already
// `127.0.0.1`, any spelling of ::1 already `[::1]`. A trailing dot is kept by the parser and is not accepted.
const GOOGLE_API_SUFFIX = '.googleapis.com';

/** Whether a request to `url` may carry `Authorization: Bearer` and `x-goog-user-project`. */
export function mayReceiveBearer(url: URL | string): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname;
  if (isLoopbackHost(host)) return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  return parsed.protocol === 'https:' && host.endsWith(GOOGLE_API_SUFFIX) && host.length > GOOGLE_API_SUFFIX.length;
}

/** The refusal when a Google account is active and `gemini.api.baseUrl` names another host. */
export function bearerRefusedError(url: URL): GeminiError {
  return new GeminiError({
    kind: 'invalidBaseUrl',
    message:
      `Your Google sign-in is sent only to Google (*.googleapis.com) or a local emulator, but 'gemini.api.baseUrl' points to ${url.host}. ` +
      `Nothing was sent. To use that server, set an API key with 'Gemini: Set API Key'; to use Google, reset 'gemini.api.baseUrl'.`,
    action: actions.baseUrl,
  });
}
