// The Google Cloud projects the signed-in identity can see (Cloud Resource Manager `projects.list`), for the
// backend picker. Cloud Resource Manager lives at Google; only when Vertex itself is the local emulator does the
// emulator answer this too, so tests reach it through the same setting that points Vertex there.

import { isLoopbackHost } from '../common/url';
import type { CredentialProvider } from '../gemini/credentials';
import { cancelledError, errorFromHttpResponse, isGeminiError, networkError, notJsonError } from '../gemini/errors';
import { sendHttpRequest } from '../gemini/http';
import { SERVER_FIELD_LIMITS, serverString } from '../gemini/serverFields';
import { projectIdProblem, vertexBaseUrl, type VertexSettings } from './vertex';

export const RESOURCE_MANAGER_URL = 'https://cloudresourcemanager.googleapis.com';
const MAX_PAGES = 20;
const TIMEOUT_MS = 15_000;

export interface CloudProject {
  readonly projectId: string;
  readonly name?: string;
}

/** Google's Cloud Resource Manager, or the emulator when `gemini.vertex.baseUrl` is on loopback. */
export function resourceManagerUrl(settings: Pick<VertexSettings, 'location' | 'baseUrl'>): URL {
  if (settings.baseUrl.trim()) {
    const vertex = vertexBaseUrl(settings);
    if (isLoopbackHost(vertex.hostname)) return new URL(vertex.origin);
  }
  return new URL(RESOURCE_MANAGER_URL);
}

/** Active projects, sorted by id, following `nextPageToken`. Throws a GeminiError when Google refuses. */
export async function listProjects(base: URL, credential: CredentialProvider, signal?: AbortSignal): Promise<CloudProject[]> {
  const projects: CloudProject[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL('/v1/projects', base);
    url.searchParams.set('filter', 'lifecycleState:ACTIVE');
    url.searchParams.set('pageSize', '500');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    let status: number;
    let text: string;
    try {
      const res = await sendHttpRequest({
        method: 'GET',
        url,
        headers: { accept: 'application/json', 'user-agent': 'gemini-vscode', ...(await credential.getHeaders(url, signal)) },
        signal,
        connectTimeoutMs: TIMEOUT_MS,
        idleTimeoutMs: TIMEOUT_MS,
      });
      status = res.status;
      text = await res.text(4 * 1024 * 1024);
      if (status < 200 || status >= 300) throw errorFromHttpResponse(status, String(res.headers['content-type'] ?? ''), text, { credentialKind: credential.kind, host: url.host });
    } catch (err) {
      if (isGeminiError(err)) throw err;
      throw signal?.aborted ? cancelledError() : networkError(err, url.host);
    }
    let json: { projects?: unknown; nextPageToken?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw notJsonError(status, 'text', { host: url.host });
    }
    for (const p of Array.isArray(json.projects) ? (json.projects as Record<string, unknown>[]) : []) {
      const projectId = typeof p?.projectId === 'string' ? p.projectId : '';
      if (projectIdProblem(projectId)) continue;
      const name = serverString(p.name, SERVER_FIELD_LIMITS.displayName);
      projects.push({ projectId, ...(name && { name }) });
    }
    pageToken = typeof json.nextPageToken === 'string' && json.nextPageToken ? json.nextPageToken : undefined;
    if (!pageToken) break;
  }
  return projects.sort((a, b) => a.projectId.localeCompare(b.projectId));
}
