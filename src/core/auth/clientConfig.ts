import type { Logger } from '../common/logger';
import { SecretEntry, type SecretStore } from '../common/secretStore';
import { AuthError } from './errors';
import { isObject } from '../common/values';

/** The user's own Google Cloud OAuth client (type "Desktop app"). */
export interface OAuthClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface ParsedClientSecret extends OAuthClientCredentials {
  /** Non-fatal remarks (e.g. an unusual client id) the adapter may show or log. Never contains the secret. */
  readonly warnings: readonly string[];
}

const DESKTOP_HELP =
  'In Google Cloud Console open "APIs & Services → Credentials", choose "Create credentials → OAuth client ID", ' +
  'pick the application type "Desktop app", and download its JSON.';

function fail(message: string): never {
  throw new AuthError('invalidClientSecretJson', message);
}

/** Checks a client id; returns a warning for ids that do not look like Google's (still accepted). */
export function clientIdWarning(clientId: string): string | undefined {
  return /^[\w.-]+\.apps\.googleusercontent\.com$/.test(clientId)
    ? undefined
    : `The client ID "${clientId}" does not end in ".apps.googleusercontent.com"; Google will reject it unless you use a different authorization server.`;
}

/**
 * Parses the `client_secret_….json` Google Cloud Console downloads for an OAuth client.
 * Only "Desktop app" clients (`installed`) are accepted: they allow the loopback redirect with any port.
 */
export function parseClientSecretJson(text: string): ParsedClientSecret {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    fail(`That file is not valid JSON. Choose the client_secret_….json file you downloaded from Google Cloud Console. ${DESKTOP_HELP}`);
  }
  if (!isObject(data)) fail(`That file does not contain an OAuth client (expected a JSON object with an "installed" entry). ${DESKTOP_HELP}`);
  const installed = data['installed'];
  if (installed === undefined) {
    if (isObject(data['web'])) {
      fail(
        'That is a "Web application" OAuth client. VS Code signs in like an installed app: it receives Google\'s answer on ' +
          'http://127.0.0.1 with a port chosen at sign-in time, which only a "Desktop app" client allows. ' +
          DESKTOP_HELP,
      );
    }
    if (typeof data['type'] === 'string') {
      fail(`That is a service-account or other credential file ("type": "${String(data['type']).slice(0, 40)}"), not an OAuth client. ${DESKTOP_HELP}`);
    }
    fail(`That file has no "installed" entry, so it is not a Desktop app OAuth client. ${DESKTOP_HELP}`);
  }
  if (!isObject(installed)) fail(`The "installed" entry of that file is not an object. ${DESKTOP_HELP}`);
  const clientId = typeof installed['client_id'] === 'string' ? installed['client_id'].trim() : '';
  const clientSecret = typeof installed['client_secret'] === 'string' ? installed['client_secret'].trim() : '';
  if (!clientId && !clientSecret) fail(`That file has neither "client_id" nor "client_secret" under "installed". Download the JSON again from Google Cloud Console.`);
  if (!clientId) fail('That file has no "client_id" under "installed". Download the JSON again from Google Cloud Console.');
  if (!clientSecret) fail('That file has no "client_secret" under "installed". Download the JSON again from Google Cloud Console (the secret is shown when the client is created or reset).');
  const warning = clientIdWarning(clientId);
  return { clientId, clientSecret, warnings: warning ? [warning] : [] };
}

// ---------------------------------------------------------------------------------------------------------
// Storage of the client secret (and the client id it belongs to) in the SecretStore.

export const CLIENT_SECRET_KEY = 'gemini.oauth.client';

export class OAuthClientStore extends SecretEntry<OAuthClientCredentials> {
  constructor(secrets: SecretStore, log: Logger) {
    super(secrets, log, {
      key: CLIENT_SECRET_KEY,
      name: 'oauthClient',
      parse: (o) =>
        isObject(o) && o['v'] === 1 && typeof o['clientId'] === 'string' && o['clientId'] && typeof o['clientSecret'] === 'string' && o['clientSecret']
          ? { clientId: o['clientId'], clientSecret: o['clientSecret'] }
          : undefined,
      damaged: 'the stored OAuth client entry is unreadable; ignoring it (configure the OAuth client again)',
      removed: 'removed the stored client secret',
    });
  }

  async store(client: OAuthClientCredentials): Promise<void> {
    const clientId = client.clientId.trim();
    const clientSecret = client.clientSecret.trim();
    if (!clientId || !clientSecret) throw new AuthError('clientNotConfigured', 'Both a client ID and a client secret are needed.');
    await this.write({ v: 1, clientId, clientSecret }, `stored the client secret for client ${clientId}`);
  }

  /**
   * The client to sign in with. `clientIdSetting` is `gemini.oauth.clientId` (may be empty: then the stored
   * client's id is used); `environmentSecret` is GEMINI_OAUTH_CLIENT_SECRET, passed in as data. A secret stored
   * for the same client id wins over the environment; a secret stored for another client id is not used.
   */
  async resolve(clientIdSetting: string | undefined, environmentSecret: string | undefined): Promise<OAuthClientCredentials | undefined> {
    const stored = await this.get();
    const clientId = clientIdSetting?.trim() || stored?.clientId;
    if (!clientId) return undefined;
    if (stored?.clientId === clientId) return stored;
    const envSecret = environmentSecret?.trim();
    return envSecret ? { clientId, clientSecret: envSecret } : undefined;
  }
}
