// The one policy for settings that choose a server (the Gemini base URL, the OAuth endpoints, a stored issuer):
// keys and tokens travel over HTTPS, plain HTTP only to this machine (the local emulator), and the URL itself
// carries no credentials.
import { truncate } from './text';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Undefined when `value` is an acceptable server URL for `setting`, else a message naming the setting. */
export function serviceUrlProblem(value: string, setting: string): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) return `'${setting}' is empty. Set it to an https:// URL, or reset it to use Google's default.`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `'${setting}' is not a valid URL ("${truncate(trimmed, 80)}"). Use a full https:// URL.`;
  }
  if (url.username || url.password) return `'${setting}' must not contain a user name or password.`;
  if (url.hash) return `'${setting}' must not contain a #fragment.`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return undefined;
    return `'${setting}' uses http:// for ${url.host}: it must use https:// (plain http:// is allowed only for 127.0.0.1, localhost and [::1]).`;
  }
  return `'${setting}' uses the unsupported scheme "${url.protocol}". Use https://.`;
}

/** The host of `url` for a message, or `unknown host`. */
export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown host';
  }
}
