// Application Default Credentials as gcloud and Cloud Console write them. The extension reads the file only
// when the user runs "Gemini: Use Application Default Credentials", shows what it found, and keeps a copy in
// SecretStorage only after the user confirms. Two types carry everything needed to get a token on our own
// transport; the others (workload identity federation, impersonation, …) need Google's SDK and are refused
// with a message saying what to do instead.

import * as path from 'node:path';

export type AdcCredentials =
  | {
      readonly type: 'authorized_user';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
      readonly quotaProject?: string;
      /** gcloud writes the account's email here when it knows it. */
      readonly account?: string;
    }
  | {
      readonly type: 'service_account';
      readonly clientEmail: string;
      readonly privateKey: string;
      readonly privateKeyId?: string;
      readonly tokenUri: string;
      readonly projectId?: string;
      readonly quotaProject?: string;
    };

export type AdcParseResult = { ok: true; credentials: AdcCredentials } | { ok: false; problem: string };

const UNSUPPORTED: Record<string, string> = {
  external_account: 'workload identity federation (external_account)',
  external_account_authorized_user: 'workforce identity federation (external_account_authorized_user)',
  impersonated_service_account: 'service account impersonation (impersonated_service_account)',
  gdch_service_account: 'Google Distributed Cloud (gdch_service_account)',
};
const MAX_FILE_CHARS = 64 * 1024;
const DEFAULT_SERVICE_ACCOUNT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** Where to look, in gcloud's order: `GOOGLE_APPLICATION_CREDENTIALS`, then gcloud's own file. */
export function adcFileCandidates(env: Record<string, string | undefined>, platform: NodeJS.Platform, home: string): { path: string; source: 'environment' | 'gcloud' }[] {
  const candidates: { path: string; source: 'environment' | 'gcloud' }[] = [];
  const fromEnv = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (fromEnv) candidates.push({ path: fromEnv, source: 'environment' });
  const configDir =
    env.CLOUDSDK_CONFIG?.trim() ||
    (platform === 'win32' ? path.win32.join(env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming'), 'gcloud') : path.posix.join(home, '.config', 'gcloud'));
  candidates.push({ path: (platform === 'win32' ? path.win32 : path.posix).join(configDir, 'application_default_credentials.json'), source: 'gcloud' });
  return candidates;
}

/** Parses the file's text. Problems are said without quoting the file (it holds secrets). */
export function parseAdcFile(text: string): AdcParseResult {
  if (text.length > MAX_FILE_CHARS) return { ok: false, problem: 'The file is too large to be an Application Default Credentials file.' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'The file is not valid JSON. Create it again with "gcloud auth application-default login".' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, problem: 'The file does not hold a JSON object.' };
  const o = json as Record<string, unknown>;
  const str = (key: string) => (typeof o[key] === 'string' && (o[key] as string).trim() ? (o[key] as string).trim() : undefined);
  const type = str('type');
  const quotaProject = str('quota_project_id');
  const missing = (keys: string[]) => keys.filter((k) => !str(k));
  if (type === 'authorized_user') {
    const absent = missing(['client_id', 'client_secret', 'refresh_token']);
    if (absent.length) return { ok: false, problem: `The authorized_user file lacks ${absent.join(', ')}. Run "gcloud auth application-default login" again.` };
    const account = str('account');
    return {
      ok: true,
      credentials: {
        type,
        clientId: str('client_id') as string,
        clientSecret: str('client_secret') as string,
        refreshToken: str('refresh_token') as string,
        ...(quotaProject && { quotaProject }),
        ...(account && isEmail(account) && { account }),
      },
    };
  }
  if (type === 'service_account') {
    const absent = missing(['client_email', 'private_key']);
    if (absent.length) return { ok: false, problem: `The service account key file lacks ${absent.join(', ')}. Download a new key in the Cloud console.` };
    const privateKey = o.private_key as string;
    if (!/-----BEGIN (?:RSA )?PRIVATE KEY-----/.test(privateKey)) return { ok: false, problem: 'The service account key file has no PEM private key.' };
    const privateKeyId = str('private_key_id');
    const projectId = str('project_id');
    return {
      ok: true,
      credentials: {
        type,
        clientEmail: str('client_email') as string,
        privateKey,
        tokenUri: str('token_uri') ?? DEFAULT_SERVICE_ACCOUNT_TOKEN_URI,
        ...(privateKeyId && { privateKeyId }),
        ...(projectId && { projectId }),
        ...(quotaProject && { quotaProject }),
      },
    };
  }
  if (type && UNSUPPORTED[type]) {
    return {
      ok: false,
      problem: `These credentials use ${UNSUPPORTED[type]}, which this extension cannot use. Sign in with Google instead, or use "gcloud auth application-default login" or a service account key.`,
    };
  }
  return {
    ok: false,
    problem: type
      ? `Credentials of type "${type.slice(0, 40)}" are not supported. Use "gcloud auth application-default login" or a service account key.`
      : 'The file has no "type": it is not an Application Default Credentials file.',
  };
}

/** An email as labels show it: nothing that could read as a link or an icon (`$(…)`) in the status bar. */
export function isEmail(value: string): boolean {
  return /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/.test(value);
}

/** What the redactor must know of the credentials. */
export function adcSecrets(credentials: AdcCredentials): string[] {
  return credentials.type === 'service_account' ? [credentials.privateKey] : [credentials.refreshToken, credentials.clientSecret];
}

/** Who the credentials act as, for the switcher and the confirmation: never a secret. */
export function adcIdentity(credentials: AdcCredentials): string | undefined {
  return credentials.type === 'service_account' ? credentials.clientEmail : credentials.account;
}

/** The project to bill when the backend does not name one: the file's quota project (or a key's own project). */
export function adcQuotaProject(credentials: AdcCredentials): string | undefined {
  return credentials.quotaProject ?? (credentials.type === 'service_account' ? credentials.projectId : undefined);
}
