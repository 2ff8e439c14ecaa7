// Vertex AI (Gemini Enterprise Agent Platform): the same generateContent wire format under a project and a
// location, reached only with a Google identity (a signed-in account or imported Application Default
// Credentials) and billed to the project named in `x-goog-user-project`. An API key is never sent here.

import { mayReceiveBearer } from '../gemini/credentialPolicy';
import { parseBaseUrl } from '../gemini/client';
import { GeminiError, actions, type GeminiErrorAction } from '../gemini/errors';
import { SERVER_FIELD_LIMITS, serverId } from '../gemini/serverFields';
import type { Model } from '../gemini/types';
import type { Backend, ModelPage } from './backend';

export interface VertexSettings {
  /** `gemini.vertex.project`: a project id (or number). */
  readonly project: string;
  /** `gemini.vertex.location`: `global` or a region such as `us-central1`. */
  readonly location: string;
  /** `gemini.vertex.baseUrl`: `""` for Google's endpoint of the location. */
  readonly baseUrl: string;
}

export const VERTEX_DEFAULT_LOCATION = 'global';

/** `global` first (Gemini 3 models are served only there), then the regions most projects use. */
export const VERTEX_LOCATIONS: readonly string[] = [
  'global',
  'us-central1',
  'us-east1',
  'us-east4',
  'us-east5',
  'us-south1',
  'us-west1',
  'us-west4',
  'northamerica-northeast1',
  'southamerica-east1',
  'europe-west1',
  'europe-west2',
  'europe-west3',
  'europe-west4',
  'europe-west8',
  'europe-west9',
  'europe-north1',
  'europe-central2',
  'europe-southwest1',
  'asia-northeast1',
  'asia-northeast3',
  'asia-south1',
  'asia-southeast1',
  'australia-southeast1',
  'me-central1',
];

// A project id (6–30 characters, optionally domain-scoped as `example.com:my-project`) or a project number.
const PROJECT_PATTERN = /^(?:(?:[a-z0-9-]+\.)+[a-z]{2,}:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[1-9]\d{0,19}$/;
const LOCATION_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
const SERVICE = 'aiplatform.googleapis.com';
export const VERTEX_USER_ROLE = 'roles/aiplatform.user';

/** Why `project` cannot be a Google Cloud project id; undefined when it can. */
export function projectIdProblem(project: string): string | undefined {
  const id = project.trim();
  if (!id) return 'Enter a Google Cloud project ID.';
  if (!PROJECT_PATTERN.test(id)) {
    return 'A project ID has 6 to 30 lower-case letters, digits or hyphens and starts with a letter (for example my-project-123); a project number has only digits.';
  }
  return undefined;
}

export function locationProblem(location: string): string | undefined {
  return LOCATION_PATTERN.test(location.trim()) ? undefined : 'A location is "global" or a region such as us-central1.';
}

function settingError(setting: string, message: string): GeminiError {
  return new GeminiError({ kind: 'invalidBaseUrl', message, action: actions.setting(setting) });
}

/**
 * The service URL: `gemini.vertex.baseUrl` when set (https, or http only on loopback), else Google's endpoint for
 * the location. Only Google identities go to Vertex, so any other host could only collect them: it is refused.
 */
export function vertexBaseUrl(settings: Pick<VertexSettings, 'location' | 'baseUrl'>): URL {
  const location = settings.location.trim() || VERTEX_DEFAULT_LOCATION;
  if (locationProblem(location)) throw settingError('gemini.vertex.location', `'gemini.vertex.location' is not a location (${location.slice(0, 40)}). Use "global" or a region such as us-central1.`);
  if (!settings.baseUrl.trim()) {
    return new URL(location === 'global' ? `https://${SERVICE}` : `https://${location}-${SERVICE}`);
  }
  const url = parseBaseUrl(settings.baseUrl, 'gemini.vertex.baseUrl');
  url.pathname = url.pathname.replace(/\/(?:v1|v1beta1)$/, '');
  if (!mayReceiveBearer(url)) {
    throw settingError(
      'gemini.vertex.baseUrl',
      `'gemini.vertex.baseUrl' points to ${url.host}, but Vertex AI is reached only with your Google sign-in, which is sent only to Google (*.googleapis.com) or a local emulator. Reset the setting to use Google's endpoint.`,
    );
  }
  return url;
}

/** Vertex AI for one project and location. Settings are checked when a request is built, so a typo is reported there. */
export function vertexBackend(settings: VertexSettings): Backend {
  const project = settings.project.trim();
  const location = settings.location.trim() || VERTEX_DEFAULT_LOCATION;
  const base = () => vertexBaseUrl({ location, baseUrl: settings.baseUrl }).href.replace(/\/$/, '');
  const checkedProject = () => {
    if (!project) {
      throw new GeminiError({
        kind: 'invalidBaseUrl',
        message: "Vertex AI needs a Google Cloud project. Choose one with 'Gemini: Select Backend', or set 'gemini.vertex.project'.",
        action: actions.setting('gemini.vertex.project'),
      });
    }
    const problem = projectIdProblem(project);
    if (problem) throw settingError('gemini.vertex.project', `'gemini.vertex.project' is not a project ID (${project.slice(0, 40)}). ${problem}`);
    return project;
  };
  return {
    kind: 'vertex',
    key: `vertex\u0000${settings.baseUrl}\u0000${project}\u0000${location}`,
    label: `Vertex AI · ${project || '(no project)'} · ${location}`,
    modelUrl: (operation, name) => {
      const id = /^models\/(.+)$/.exec(name)?.[1];
      if (!id) {
        throw new GeminiError({ kind: 'modelNotFound', message: `Tuned Gemini API models cannot be used on Vertex AI. Choose a model with 'Gemini: Select Model'.`, action: actions.selectModel });
      }
      const path = ['projects', checkedProject(), 'locations', location, 'publishers', 'google', 'models', id].map(encodeURIComponent).join('/');
      return new URL(`${base()}/v1/${path}:${operation}`);
    },
    listUrl: () => new URL(`${base()}/v1beta1/publishers/google/models`),
    admit: (credential) => {
      if (credential.kind !== 'apiKey') return;
      throw new GeminiError({
        kind: 'noCredential',
        message:
          "Vertex AI accepts only a Google identity, never an API key, so nothing was sent. Sign in with Google, use Application Default Credentials ('Gemini: Use Application Default Credentials'), or switch to the Gemini API with 'Gemini: Select Backend'.",
        action: actions.signIn,
      });
    },
    headers: () => ({ 'x-goog-user-project': checkedProject() }),
    parseModelPage,
    // Vertex counts the request's own fields; it has no `generateContentRequest` wrapper.
    countTokensBody: (_name, request) => ({
      contents: request.contents,
      ...(request.systemInstruction && { systemInstruction: request.systemInstruction }),
      ...(request.generationConfig && { generationConfig: request.generationConfig }),
    }),
    explain: (error, model) => explainVertexError(error, { project, location, model }),
  };
}

/** `{publisherModels:[{name:"publishers/google/models/<id>", versionId, launchStage}], nextPageToken}`: only `gemini-*`. */
export function parseModelPage(json: unknown): ModelPage {
  const page = (json && typeof json === 'object' ? json : {}) as { publisherModels?: unknown; nextPageToken?: unknown };
  const models: Model[] = [];
  for (const entry of Array.isArray(page.publisherModels) ? page.publisherModels : []) {
    if (!entry || typeof entry !== 'object') continue;
    const m = entry as { name?: unknown; versionId?: unknown; launchStage?: unknown };
    const id = /^publishers\/google\/models\/(gemini-[A-Za-z0-9._-]+)$/.exec(serverId(m.name, SERVER_FIELD_LIMITS.modelId) ?? '')?.[1];
    // Embedding and Live (bidirectional streaming only) models cannot answer generateContent.
    if (!id || /embedding|-live\b/.test(id)) continue;
    const version = serverId(m.versionId, SERVER_FIELD_LIMITS.modelId);
    const stage = serverId(m.launchStage);
    models.push({
      name: `models/${id}`,
      displayName: id,
      ...(version && { version }),
      ...(stage && { description: `Vertex AI · ${stage.replace(/_/g, ' ').toLowerCase()}` }),
      supportedGenerationMethods: ['generateContent', 'countTokens'],
      ...(thinksOnVertex(id) && { thinking: true }),
    });
  }
  const next = page.nextPageToken;
  return { models, ...(typeof next === 'string' && next ? { nextPageToken: next } : {}) };
}

/**
 * Vertex's list says nothing about thinking: Gemini 2.5 and later text models think. A wrong guess costs one
 * refused request that the client retries without the thinking options.
 */
function thinksOnVertex(id: string): boolean {
  const m = /^gemini-(\d+)(?:\.(\d+))?-/.exec(id);
  if (!m || /-(?:tts|live|image|audio)\b/.test(id)) return false;
  const major = Number(m[1]);
  return major > 2 || (major === 2 && Number(m[2] ?? 0) >= 5);
}

const consoleUrl = (path: string, project: string) => `https://console.cloud.google.com/${path}?project=${encodeURIComponent(project)}`;

/** Vertex's failure modes in its own words: the project, the location, the IAM role, the `global` location. */
export function explainVertexError(error: GeminiError, at: { project: string; location: string; model?: string }): GeminiError {
  const { project, location } = at;
  const where = `project ${project}, location ${location}`;
  const useGlobal: GeminiErrorAction | undefined = location === 'global' ? undefined : actions.setting('gemini.vertex.location');
  const { kind, status, googleStatus, reason, retryable, retryAfterMs } = error;
  const said = (prefix: string, message: string, action: GeminiErrorAction) =>
    new GeminiError({ kind, status, googleStatus, reason, retryable, retryAfterMs, message: `${prefix} ${message}`, action, cause: error });
  const code = `${error.status ?? ''} ${error.reason ?? error.googleStatus ?? ''}`.trim();
  switch (error.kind) {
    case 'apiNotEnabled':
      return said(
        `The Vertex AI API (${SERVICE}) is not enabled in ${where} (${code}).`,
        'Enable it, wait a few minutes, then try again.',
        actions.googlePage('enableVertexApi', consoleUrl(`apis/library/${SERVICE}`, project)),
      );
    case 'permissionDenied':
      if (error.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT') {
        return said('Your Google sign-in lacks the cloud-platform scope that Vertex AI needs (ACCESS_TOKEN_SCOPE_INSUFFICIENT).', "Sign in again and allow access, or check 'gemini.oauth.scopes'.", actions.signIn);
      }
      return said(
        `Google denied access to Vertex AI in ${where} (${code}).`,
        `The identity you use needs the IAM role "Vertex AI User" (${VERTEX_USER_ROLE}) on that project: ask a project owner to grant it, or choose another project with 'Gemini: Select Backend'.`,
        actions.googlePage('iam', consoleUrl('iam-admin/iam', project)),
      );
    case 'quotaProjectMissing':
      return said(
        `Google refused to bill ${where} for this request (${code}).`,
        `Your identity needs permission to use that project (the "Service Usage Consumer" role), or choose another project with 'Gemini: Select Backend'.`,
        actions.setting('gemini.vertex.project'),
      );
    case 'modelNotFound':
      if (error.status !== 404) return error;
      return said(
        `The model ${at.model ? `'${at.model}' ` : ''}is not served in ${where} (404).`,
        location === 'global'
          ? "Choose another model with 'Gemini: Select Model'."
          : `Gemini 3 models are served only in the "global" location: set 'gemini.vertex.location' to global, or choose another model with 'Gemini: Select Model'.`,
        useGlobal ?? actions.selectModel,
      );
    case 'quotaExhausted':
      return said(
        `Vertex AI quota is exhausted in ${where} (${code}).`,
        error.retryAfterMs === undefined
          ? location === 'global'
            ? 'Google gave no time to wait; the request was retried with backoff. Wait a minute and try again, or ask for more quota in the Cloud console.'
            : 'Google gave no time to wait; the request was retried with backoff. Regional quota runs out first: the "global" location spreads requests across regions.'
          : 'Wait a moment and try again.',
        useGlobal ?? actions.googlePage('quotas', consoleUrl('iam-admin/quotas', project)),
      );
    default:
      return error;
  }
}
