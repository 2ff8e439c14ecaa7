// Every failure of a Gemini call ends as a GeminiError: a kind the UI can switch on, a message that says
// plainly what happened and what to do, and an action that does the fix (rarely a second one). Messages never contain
// a key, a token or prompt text; Google's own message is included (shortened, scrubbed) because it is
// often the most precise description of the problem.

import { plainText } from '../common/plainText';
import { formatDuration, truncate } from '../common/text';
import { scrubGenericSecrets } from '../log/redactor';
import { SERVER_FIELD_LIMITS, serverId, serverString } from './serverFields';
import type { GoogleErrorBody, GoogleErrorDetail } from './types';

export type GeminiErrorKind =
  | 'invalidApiKey'
  | 'apiKeyTypeUnsupported'
  | 'unauthenticated'
  | 'noCredential'
  | 'apiNotEnabled'
  | 'quotaProjectMissing'
  | 'permissionDenied'
  | 'modelNotFound'
  | 'modelRetired'
  | 'quotaExhausted'
  | 'badRequest'
  | 'promptTooLong'
  | 'server'
  | 'notJson'
  | 'invalidResponse'
  | 'invalidBaseUrl'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'blocked'
  | 'finishReason'
  | 'streamInterrupted';

/** Kinds that mean the credential was refused, not that the model or the network failed. */
export const CREDENTIAL_REFUSED: ReadonlySet<string> = new Set<GeminiErrorKind>([
  'invalidApiKey',
  'apiKeyTypeUnsupported',
  'unauthenticated',
  'permissionDenied',
  'quotaProjectMissing',
  'apiNotEnabled',
  'noCredential',
]);

/** What fixes the error. The adapter (vscode/errorReporter.ts) gives each its button label and runs it. */
export type GeminiErrorAction =
  | { readonly kind: 'setApiKey' | 'createApiKey' | 'signIn' | 'selectModel' | 'retry' }
  /** Reveals one setting. */
  | { readonly kind: 'openSettings'; readonly setting: string }
  /** Opens a Google page (https, on a Google domain): where to enable the API, the rate limits, or a Cloud console page for Vertex AI. */
  | { readonly kind: 'openUrl'; readonly url: string; readonly page: GooglePage };

/** Which Google page an `openUrl` action opens (the adapter names its button after it). */
export type GooglePage = 'enableApi' | 'rateLimits' | 'enableVertexApi' | 'iam' | 'quotas';

export interface GeminiErrorInit {
  kind: GeminiErrorKind;
  message: string;
  status?: number;
  /** Google's `error.status`, e.g. `RESOURCE_EXHAUSTED`. */
  googleStatus?: string;
  /** `google.rpc.ErrorInfo.reason`, e.g. `API_KEY_INVALID`. */
  reason?: string;
  action?: GeminiErrorAction;
  /** A second button, after `action` (e.g. "Set API Key" after "Create Key"). */
  secondaryAction?: GeminiErrorAction;
  retryable?: boolean;
  /** How long Google asked us to wait (RetryInfo or Retry-After). */
  retryAfterMs?: number;
  finishReason?: string;
  cause?: unknown;
}

const MAX_MESSAGE_CHARS = 1000;

export class GeminiError extends Error {
  override readonly name = 'GeminiError';
  declare readonly kind: GeminiErrorKind;
  declare readonly status?: number;
  declare readonly googleStatus?: string;
  declare readonly reason?: string;
  declare readonly action?: GeminiErrorAction;
  declare readonly secondaryAction?: GeminiErrorAction;
  declare readonly retryable: boolean;
  declare readonly retryAfterMs?: number;
  declare readonly finishReason?: string;

  constructor({ message, cause, retryable = false, ...fields }: GeminiErrorInit) {
    // Messages carry server text (Google's message, reasons, names) and are shown in notifications: plain text.
    super(plainText(message, MAX_MESSAGE_CHARS), cause === undefined ? undefined : { cause });
    Object.assign(this, { ...fields, retryable });
  }
}

export function isGeminiError(value: unknown, kind?: GeminiErrorKind): value is GeminiError {
  return value instanceof GeminiError && (kind === undefined || value.kind === kind);
}

// ---- actions ---------------------------------------------------------------------------------------

export const actions = {
  setApiKey: { kind: 'setApiKey' },
  createApiKey: { kind: 'createApiKey' },
  signIn: { kind: 'signIn' },
  selectModel: { kind: 'selectModel' },
  retry: { kind: 'retry' },
  quotaProject: { kind: 'openSettings', setting: 'gemini.quotaProject' },
  baseUrl: { kind: 'openSettings', setting: 'gemini.api.baseUrl' },
  googlePage: (page: GooglePage, url: string): GeminiErrorAction => ({ kind: 'openUrl', url, page }),
  setting: (setting: string): GeminiErrorAction => ({ kind: 'openSettings', setting }),
} as const satisfies Record<string, GeminiErrorAction | ((...args: never[]) => GeminiErrorAction)>;

const ENABLE_API_URL = 'https://console.cloud.google.com/apis/library/generativelanguage.googleapis.com';

/** Links from a response are only offered if they point at Google over https. */
export function isTrustedGoogleUrl(raw: string | undefined): raw is string {
  if (!raw) return false;
  try {
    const url = new URL(raw);
    const host = url.hostname.toLowerCase();
    return (
      url.protocol === 'https:' &&
      !url.username &&
      !url.password &&
      ['google.com', 'google.dev', 'googleapis.com', 'developers.google.com'].some(
        (d) => host === d || host.endsWith(`.${d}`),
      )
    );
  } catch {
    return false;
  }
}

// ---- parsing Google's error body -------------------------------------------------------------------

export interface ParsedGoogleError {
  code?: number;
  message: string;
  status?: string;
  reason?: string;
  metadata: Record<string, string>;
  helpLinks: { description?: string; url: string }[];
  retryDelayMs?: number;
  quotaIds: string[];
}

function typeOf(detail: GoogleErrorDetail): string {
  return (detail['@type'] ?? '').replace(/^type\.googleapis\.com\//, '');
}

/** Parses `{error:{code,message,status,details}}` (or Gemini's `[{error:…}]`); undefined if not that shape. */
export function parseGoogleError(json: unknown): ParsedGoogleError | undefined {
  const body = (Array.isArray(json) ? json[0] : json) as Partial<GoogleErrorBody> | undefined;
  const error = body && typeof body === 'object' ? body.error : undefined;
  if (!error || typeof error !== 'object') return undefined;
  const parsed: ParsedGoogleError = {
    code: typeof error.code === 'number' ? error.code : undefined,
    message: serverString(error.message, SERVER_FIELD_LIMITS.message) ?? '',
    status: serverId(error.status),
    metadata: {},
    helpLinks: [],
    quotaIds: [],
  };
  for (const detail of Array.isArray(error.details) ? error.details : []) {
    if (!detail || typeof detail !== 'object') continue;
    switch (typeOf(detail)) {
      case 'google.rpc.ErrorInfo':
        parsed.reason ??= serverId(detail.reason);
        for (const [key, value] of Object.entries(detail.metadata && typeof detail.metadata === 'object' ? detail.metadata : {})) {
          const text = serverString(value, SERVER_FIELD_LIMITS.url);
          if (text !== undefined) parsed.metadata[key] = text;
        }
        break;
      case 'google.rpc.Help':
        for (const link of Array.isArray(detail.links) ? detail.links : []) {
          const url = serverString(link?.url, SERVER_FIELD_LIMITS.url);
          if (url) parsed.helpLinks.push({ description: serverString(link.description, SERVER_FIELD_LIMITS.description), url });
        }
        break;
      case 'google.rpc.RetryInfo':
        parsed.retryDelayMs = parseDuration(detail.retryDelay);
        break;
      case 'google.rpc.QuotaFailure':
        for (const v of Array.isArray(detail.violations) ? detail.violations : []) {
          const quotaId = serverId(v?.quotaId, SERVER_FIELD_LIMITS.detailId);
          if (quotaId) parsed.quotaIds.push(quotaId);
        }
        break;
    }
  }
  return parsed;
}

/** Parses a protobuf Duration in JSON form ("22s", "1.5s", "0.250s"); undefined if malformed. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)s\s*$/.exec(value);
  return m ? Math.round(parseFloat(m[1]) * 1000) : undefined;
}

/** Parses a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return parseInt(trimmed, 10) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// ---- building errors -------------------------------------------------------------------------------

export interface ErrorContext {
  credentialKind?: 'apiKey' | 'oauth';
  /** Short model id, for the 404 message. */
  model?: string;
  /** Host of the base URL, for network and non-JSON messages. */
  host?: string;
  retryAfterHeader?: string;
  now?: number;
}

/** Google's message, one line, scrubbed, at most ~160 characters. */
export function shortGoogleMessage(message: string, max = 160): string {
  return truncate(scrubGenericSecrets(message).replace(/\s+/g, ' ').trim(), max).replace(/[.\s]+$/, '');
}

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Builds the error for a non-2xx HTTP response from its status, content type and body text. */
export function errorFromHttpResponse(
  status: number,
  contentType: string | undefined,
  body: string,
  ctx: ErrorContext = {},
): GeminiError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return notJsonError(status, contentType, ctx);
  }
  const parsed = parseGoogleError(json);
  if (!parsed) return notJsonError(status, contentType, ctx, 'an unrecognised JSON body');
  return errorFromGoogleError(status, parsed, ctx);
}

export function notJsonError(
  status: number,
  contentType: string | undefined,
  ctx: ErrorContext,
  what?: string,
): GeminiError {
  const type = contentType?.split(';')[0].trim() || 'no content type';
  const where = ctx.host ? `The server at ${ctx.host}` : 'The server';
  return new GeminiError({
    kind: 'notJson',
    status,
    message:
      `${where} answered HTTP ${status} with ${what ?? type} instead of Gemini's JSON. ` +
      `A proxy, firewall or captive portal may be in the way, or 'gemini.api.baseUrl' is wrong.`,
    action: actions.baseUrl,
    retryable: RETRYABLE_STATUSES.has(status) && status !== 429,
  });
}

/** What every per-status rule below reads from Google's error. */
function factsOf(status: number, e: ParsedGoogleError, ctx: ErrorContext) {
  const code = status || e.code || 0;
  const google = shortGoogleMessage(e.message);
  const retryAfterMs = e.retryDelayMs ?? parseRetryAfter(ctx.retryAfterHeader, ctx.now ?? Date.now());
  return {
    e,
    ctx,
    code,
    /** `403 PERMISSION_DENIED`, for messages. */
    label: [code, e.status].filter(Boolean).join(' '),
    /** `: <Google's message>`, or nothing. */
    said: google ? `: ${google}` : '',
    lower: e.message.toLowerCase(),
    oauth: ctx.credentialKind === 'oauth',
    base: { status: code, googleStatus: e.status, reason: e.reason, retryAfterMs },
  };
}
type GoogleErrorFacts = ReturnType<typeof factsOf>;

/** The error for Google's error body: one rule per status, in order; the first that applies decides. */
export function errorFromGoogleError(status: number, e: ParsedGoogleError, ctx: ErrorContext = {}): GeminiError {
  const f = factsOf(status, e, ctx);
  const { code } = f;
  return (
    (code === 400 && invalidApiKey(f)) ||
    (code === 401 && unauthenticated(f)) ||
    (code === 403 && permissionDenied(f)) ||
    retiredModel(f) ||
    (code === 404 && modelNotFound(f)) ||
    (code === 429 && quotaExhausted(f)) ||
    (code >= 500 && serverError(f)) ||
    new GeminiError({ ...f.base, kind: 'badRequest', message: `Gemini rejected the request (${f.label}${f.e.reason ? `, ${f.e.reason}` : ''}${f.said}).` })
  );
}

function invalidApiKey({ e, base }: GoogleErrorFacts): GeminiError | undefined {
  if (!e.reason?.startsWith('API_KEY_')) return undefined;
  return new GeminiError({
    ...base,
    kind: 'invalidApiKey',
    message: `The API key was rejected by Google (${e.reason}). Set a new key with 'Gemini: Set API Key'.`,
    action: actions.setApiKey,
  });
}

function unauthenticated({ e, oauth, base }: GoogleErrorFacts): GeminiError {
  const reason = e.reason ?? e.status ?? 'UNAUTHENTICATED';
  if (e.reason === 'ACCESS_TOKEN_TYPE_UNSUPPORTED' && !oauth) {
    return new GeminiError({
      ...base,
      kind: 'apiKeyTypeUnsupported',
      message:
        `This API key is of a type Google no longer accepts for the Gemini API (401 ${e.reason}). ` +
        `Create a new key in Google AI Studio, then set it with 'Gemini: Set API Key'.`,
      action: actions.createApiKey,
      secondaryAction: actions.setApiKey,
    });
  }
  return new GeminiError({
    ...base,
    kind: 'unauthenticated',
    message: oauth
      ? `Google no longer accepts your sign-in (401 ${reason}). Sign in again with 'Gemini: Sign In'.`
      : `Google did not accept the credentials (401 ${reason}). Set a new key with 'Gemini: Set API Key' or sign in.`,
    action: oauth ? actions.signIn : actions.setApiKey,
  });
}

function permissionDenied({ e, lower, oauth, label, said, base }: GoogleErrorFacts): GeminiError {
  const reason = e.reason;
  if (reason === 'USER_PROJECT_DENIED') {
    return new GeminiError({
      ...base,
      kind: 'quotaProjectMissing',
      message:
        `Your Google account may not use the configured quota project (USER_PROJECT_DENIED). ` +
        `Grant it the "Service Usage Consumer" role in that project, or change 'gemini.quotaProject'.`,
      action: actions.quotaProject,
    });
  }
  if (/quota[ _-]?project|x-goog-user-project|end user credentials|application default credentials/.test(lower)) {
    return new GeminiError({
      ...base,
      kind: 'quotaProjectMissing',
      message:
        `Google needs a quota project for requests made with your Google account (403 ${reason ?? 'PERMISSION_DENIED'}). ` +
        `Set 'gemini.quotaProject' to a Google Cloud project ID that has the Generative Language API enabled.`,
      action: actions.quotaProject,
    });
  }
  if (reason === 'SERVICE_DISABLED' || e.metadata.activationUrl || /has not been used in project|is disabled/.test(lower)) {
    const url = [e.metadata.activationUrl, ...e.helpLinks.map((l) => l.url)].find(isTrustedGoogleUrl) ?? ENABLE_API_URL;
    const project = serverId(/^projects\/(.+)$/.exec(e.metadata.consumer ?? '')?.[1], SERVER_FIELD_LIMITS.detailId);
    return new GeminiError({
      ...base,
      kind: 'apiNotEnabled',
      message:
        `The Generative Language API is not enabled${project ? ` for Google Cloud project ${project}` : ''} (${reason ?? '403'}). ` +
        `Enable it, wait a few minutes, then try again.`,
      action: actions.googlePage('enableApi', url),
    });
  }
  if (reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || /insufficient authentication scopes/.test(lower)) {
    return new GeminiError({
      ...base,
      kind: 'permissionDenied',
      message: `Your Google sign-in lacks the permission Gemini needs (${reason ?? 'insufficient scopes'}). Sign in again and allow access.`,
      action: actions.signIn,
    });
  }
  return new GeminiError({
    ...base,
    kind: 'permissionDenied',
    message: `Google denied the request (${label}${reason ? `, ${reason}` : ''}${said}). Check that this ${oauth ? 'account' : 'API key'} may use the Gemini API.`,
    action: oauth ? actions.signIn : actions.setApiKey,
  });
}

/**
 * Google shuts model ids down on announced dates and says so (a 404, sometimes a 400 or 410). A 400 that calls a
 * *field* deprecated is a bad request, not a retired model.
 */
function retiredModel({ code, lower, ctx, label, said, base }: GoogleErrorFacts): GeminiError | undefined {
  const retired = /\b(retired|shut ?down|discontinued|no longer available)\b/.test(lower) || (code !== 400 && /\b(deprecated|no longer supported)\b/.test(lower));
  if (![400, 404, 410].includes(code) || !/\bmodels?\b/.test(lower) || !retired) return undefined;
  return new GeminiError({
    ...base,
    kind: 'modelRetired',
    message: `The model ${ctx.model ? `'${ctx.model}' ` : ''}has been retired by Google and no longer answers (${label}${said}). Choose another, or Automatic, with 'Gemini: Select Model'.`,
    action: actions.selectModel,
  });
}

function modelNotFound({ ctx, label, base }: GoogleErrorFacts): GeminiError {
  return new GeminiError({
    ...base,
    kind: 'modelNotFound',
    message: `The model ${ctx.model ? `'${ctx.model}' ` : ''}was not found or does not support this request (${label}); Google may have retired it. Choose another, or Automatic, with 'Gemini: Select Model'.`,
    action: actions.selectModel,
  });
}

function quotaExhausted({ e, base }: GoogleErrorFacts): GeminiError {
  const quota = e.quotaIds[0];
  const daily = e.quotaIds.some((q) => /PerDay/i.test(q));
  const retryAfterMs = base.retryAfterMs;
  const wait =
    retryAfterMs !== undefined && !daily ? `Google asks to wait ${formatDuration(retryAfterMs)}; try again then` : daily ? 'The daily limit resets tomorrow' : 'Wait a moment and try again';
  const help = e.helpLinks.map((l) => l.url).find(isTrustedGoogleUrl);
  return new GeminiError({
    ...base,
    kind: 'quotaExhausted',
    message: `Gemini quota exhausted (429 ${e.status ?? 'RESOURCE_EXHAUSTED'}${quota ? `, ${quota}` : ''}). ${wait}, or check your plan and rate limits.`,
    action: help ? actions.googlePage('rateLimits', help) : actions.retry,
    retryable: !daily,
  });
}

function serverError({ code, label, said, base }: GoogleErrorFacts): GeminiError {
  return new GeminiError({
    ...base,
    kind: 'server',
    message: `Gemini had a server error (${label}${said}). Try again in a moment.`,
    action: actions.retry,
    retryable: RETRYABLE_STATUSES.has(code),
  });
}

// ---- transport-level errors ------------------------------------------------------------------------

export function cancelledError(): GeminiError {
  return new GeminiError({ kind: 'cancelled', message: 'The Gemini request was cancelled.' });
}

export function timeoutError(phase: 'connect' | 'idle', ms: number, host: string | undefined): GeminiError {
  const where = host ?? 'the Gemini server';
  return new GeminiError({
    kind: 'timeout',
    message:
      phase === 'connect'
        ? `Could not connect to ${where} within ${formatDuration(ms)}. Check your network and proxy settings, then try again.`
        : `${where} stopped responding (nothing received for ${formatDuration(ms)}). Try again.`,
    action: actions.retry,
  });
}

export function networkError(cause: unknown, host: string | undefined): GeminiError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const detail = typeof code === 'string' ? code : cause instanceof Error ? shortGoogleMessage(cause.message, 80) : 'network error';
  return new GeminiError({
    kind: 'network',
    message: `Could not reach ${host ?? 'the Gemini server'} (${detail}). Check your connection, proxy settings and 'gemini.api.baseUrl'.`,
    action: actions.retry,
    retryable: true,
    cause,
  });
}

export function streamInterruptedError(cause: unknown, partial: boolean): GeminiError {
  return new GeminiError({
    kind: 'streamInterrupted',
    message: partial
      ? 'The connection dropped while the answer was streaming; the partial answer is kept. Try again for a complete answer.'
      : 'The connection dropped before the answer arrived. Try again.',
    action: actions.retry,
    retryable: true,
    cause,
  });
}

export function noCredentialError(): GeminiError {
  return new GeminiError({
    kind: 'noCredential',
    message: "You are not signed in to Gemini. Sign in with 'Gemini: Sign In' or set an API key with 'Gemini: Set API Key'.",
    action: actions.signIn,
  });
}
