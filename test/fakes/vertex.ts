// A fake Vertex AI (and the Cloud Resource Manager `projects.list` the backend picker reads) on 127.0.0.1. It is
// as strict as Vertex where the extension could go wrong: only a Bearer token that the fake Google issued with the
// cloud-platform scope, never an API key; `x-goog-user-project` naming the project of the request; a `role` on
// every content; IAM per project; Gemini 3 models only in the `global` location. Answers are the fake Gemini's:
// a checked request is forwarded to it (as `models/<id>:<method>`), so its scripting (errors, stalls, broken
// streams) works here too. Vertex's own failures are scripted here with `enqueue`.

import * as http from 'node:http';
import { readBody, sendJson, serveLoopback } from './server';
import type { FakeGemini } from './gemini';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface FakeProject {
  readonly projectId: string;
  readonly name: string;
  readonly projectNumber: string;
  /** Who holds `roles/aiplatform.user` there (emails); undefined = everyone the fake Google knows. */
  readonly aiplatformUsers?: readonly string[];
  /** The Vertex AI API is disabled in this project. */
  readonly serviceDisabled?: boolean;
}

export const FAKE_VERTEX_PROJECTS: readonly FakeProject[] = [
  { projectId: 'gemini-vertex-test', name: 'Gemini Vertex Test', projectNumber: '210987654321' },
  { projectId: 'team-sandbox-42', name: 'Team Sandbox', projectNumber: '310987654321' },
  { projectId: 'billing-only-project', name: 'Billing Only', projectNumber: '410987654321', aiplatformUsers: [] },
  { projectId: 'api-off-project', name: 'API Off', projectNumber: '510987654321', serviceDisabled: true },
];

export type FakeVertexFailure = 'serviceDisabled' | 'iamDenied' | 'quotaNoRetryInfo' | 'modelNotInLocation';

export interface FakeVertexRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly project?: string;
  readonly location?: string;
  readonly model?: string;
  operation?: 'generateContent' | 'streamGenerateContent' | 'countTokens' | 'listModels' | 'listProjects';
  status?: number;
}

export interface FakeVertexOptions {
  readonly gemini: FakeGemini;
  /** The fake Google's view of an access token (undefined when it is not a live token). */
  readonly tokenInfo: (token: string) => { email: string; scopes: string[] } | undefined;
  readonly projects?: readonly FakeProject[];
  /** Largest page of `publishers/google/models` and `projects` (default 3, so paging is exercised). */
  readonly maxPageSize?: number;
  readonly port?: number;
}

export interface FakeVertex {
  readonly baseUrl: string;
  readonly requests: FakeVertexRequest[];
  /** The next `times` model requests (default 1) fail the Vertex way. */
  enqueue(failure: FakeVertexFailure, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

const MODEL_ROUTE = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

function googleError(code: number, status: string, message: string, details?: unknown[]) {
  return { code, body: { error: { code, message, status, ...(details && { details }) } } };
}

function errorInfo(reason: string, metadata: Record<string, string>) {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata };
}

export function vertexError(failure: FakeVertexFailure, at: { project: string; projectNumber: string; location: string; model: string }) {
  const resource = `projects/${at.project}/locations/${at.location}/publishers/google/models/${at.model}`;
  switch (failure) {
    case 'serviceDisabled': {
      const url = `https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project=${at.projectNumber}`;
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Vertex AI API has not been used in project ${at.projectNumber} before or it is disabled. Enable it by visiting ${url} then retry.`,
        [
          errorInfo('SERVICE_DISABLED', { service: 'aiplatform.googleapis.com', consumer: `projects/${at.projectNumber}`, activationUrl: url, serviceTitle: 'Vertex AI API' }),
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url }] },
        ],
      );
    }
    case 'iamDenied':
      return googleError(403, 'PERMISSION_DENIED', `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`, [
        errorInfo('IAM_PERMISSION_DENIED', { permission: 'aiplatform.endpoints.predict', resource }),
      ]);
    case 'quotaNoRetryInfo':
      return googleError(
        429,
        'RESOURCE_EXHAUSTED',
        `Resource exhausted, please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.`,
      );
    case 'modelNotInLocation':
      return googleError(404, 'NOT_FOUND', `Publisher Model \`${resource}\` was not found or your project does not have access to it. Please ensure you are using a valid model version.`);
  }
}

export async function startFakeVertex(options: FakeVertexOptions): Promise<FakeVertex> {
  const projects = options.projects ?? FAKE_VERTEX_PROJECTS;
  const maxPageSize = options.maxPageSize ?? 3;
  const requests: FakeVertexRequest[] = [];
  let queue: FakeVertexFailure[] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = MODEL_ROUTE.exec(url.pathname);
    const rec: FakeVertexRequest = {
      method: req.method ?? '',
      path: url.pathname,
      headers: req.headers,
      ...(route && { project: decodeURIComponent(route[1]), location: decodeURIComponent(route[2]), model: decodeURIComponent(route[3]), operation: route[4] as 'generateContent' }),
    };
    requests.push(rec);
    const fail = (e: { code: number; body: unknown }) => {
      rec.status = e.code;
      sendJson(res, e.code, e.body);
    };
    if (req.method === 'GET' && url.pathname === '/v1beta1/publishers/google/models') rec.operation = 'listModels';
    else if (req.method === 'GET' && url.pathname === '/v1/projects') rec.operation = 'listProjects';
    else if (!(route && req.method === 'POST')) return fail(googleError(404, 'NOT_FOUND', `fake-vertex: no route for ${req.method} ${url.pathname}`));

    // Identity: Vertex takes OAuth access tokens, never an API key.
    if (url.searchParams.has('key') || req.headers['x-goog-api-key'] !== undefined) {
      return fail(
        googleError(401, 'UNAUTHENTICATED', 'API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal.', [
          errorInfo('CREDENTIALS_MISSING', { service: 'aiplatform.googleapis.com' }),
        ]),
      );
    }
    const token = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1];
    const info = token ? options.tokenInfo(token) : undefined;
    if (!token || !info) {
      return fail(googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', [errorInfo('ACCESS_TOKEN_EXPIRED', { service: 'aiplatform.googleapis.com' })]));
    }
    if (!info.scopes.includes(CLOUD_PLATFORM_SCOPE)) {
      return fail(googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', { service: 'aiplatform.googleapis.com' })]));
    }

    if (rec.operation === 'listProjects') return listProjects(url, res, rec);

    const userProject = header(req, 'x-goog-user-project');
    if (!userProject) return fail(googleError(403, 'PERMISSION_DENIED', 'fake-vertex: requests must name the project to bill in x-goog-user-project.'));
    if (rec.operation === 'listModels') return listModels(url, token, userProject, res, rec);

    // Model requests: the project in the path and the header agree, the caller may use it, the API is on.
    const project = projects.find((p) => p.projectId === rec.project || p.projectNumber === rec.project);
    const at = { project: rec.project ?? '', projectNumber: project?.projectNumber ?? '0', location: rec.location ?? '', model: rec.model ?? '' };
    if (userProject !== rec.project) return fail(googleError(403, 'PERMISSION_DENIED', `fake-vertex: x-goog-user-project (${userProject}) is not the project of the request (${rec.project}).`));
    if (!project || (project.aiplatformUsers && !project.aiplatformUsers.includes(info.email))) return fail(vertexError('iamDenied', at));
    if (project.serviceDisabled) return fail(vertexError('serviceDisabled', at));
    const scripted = queue.shift();
    if (scripted) return fail(vertexError(scripted, at));
    if (rec.location !== 'global' && /^gemini-([3-9]|\d\d)/.test(at.model)) return fail(vertexError('modelNotInLocation', at));

    let json: { contents?: { role?: unknown }[]; systemInstruction?: unknown; generationConfig?: unknown };
    try {
      json = JSON.parse(body) as typeof json;
    } catch {
      return fail(googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.'));
    }
    if (!Array.isArray(json.contents) || json.contents.some((c) => c?.role !== 'user' && c?.role !== 'model')) {
      return fail(googleError(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.'));
    }
    if (rec.operation === 'countTokens' && 'generateContentRequest' in json) {
      return fail(googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "generateContentRequest": Cannot find field.'));
    }
    // The fake Gemini counts a system instruction only in its wrapped form.
    const forwarded = rec.operation === 'countTokens' ? { generateContentRequest: { model: `models/${at.model}`, ...json } } : json;
    forward(req, res, rec, `/v1beta/models/${encodeURIComponent(at.model)}:${rec.operation}${url.search}`, token, JSON.stringify(forwarded));
  }

  /** Pipes the fake Gemini's answer through as it arrives, so streaming, stalls and broken streams look the same. */
  function forward(req: http.IncomingMessage, res: http.ServerResponse, rec: FakeVertexRequest, path: string, token: string, body: string): void {
    const upstream = http.request(`${options.gemini.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: header(req, 'accept') ?? '*/*' },
    });
    upstream.on('response', (answer) => {
      rec.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
      res.flushHeaders();
      answer.on('data', (chunk: Buffer) => res.write(chunk));
      answer.on('end', () => (answer.complete ? res.end() : res.destroy()));
      answer.on('error', () => res.destroy());
      answer.on('aborted', () => res.destroy());
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  }

  async function listModels(url: URL, token: string, userProject: string, res: http.ServerResponse, rec: FakeVertexRequest): Promise<void> {
    const listed: { name: string }[] = [];
    for (let pageToken = ''; ; ) {
      const answer = await fetch(`${options.gemini.baseUrl}/v1beta/models?pageSize=1000${pageToken && `&pageToken=${encodeURIComponent(pageToken)}`}`, {
        headers: { authorization: `Bearer ${token}`, 'x-goog-user-project': userProject },
      });
      const json = (await answer.json()) as { models?: { name: string }[]; nextPageToken?: string };
      listed.push(...(json.models ?? []));
      if (!json.nextPageToken) break;
      pageToken = json.nextPageToken;
    }
    const all = listed.map((m) => {
      const id = m.name.replace(/^models\//, '');
      return { name: `publishers/google/models/${id}`, versionId: '001', launchStage: /preview|exp/.test(id) ? 'PUBLIC_PREVIEW' : 'GA', openSourceCategory: 'PROPRIETARY' };
    });
    rec.status = 200;
    sendJson(res, 200, page(url, all, 'publisherModels'));
  }

  function listProjects(url: URL, res: http.ServerResponse, rec: FakeVertexRequest): void {
    // Every project the caller can see, whether or not it may use Vertex AI there (as projects.list does).
    const visible = projects.map((p) => ({ projectNumber: p.projectNumber, projectId: p.projectId, lifecycleState: 'ACTIVE', name: p.name, createTime: '2026-01-05T10:00:00.000Z' }));
    rec.status = 200;
    sendJson(res, 200, page(url, visible, 'projects'));
  }

  function page<T>(url: URL, items: T[], field: string): Record<string, unknown> {
    const requested = Number(url.searchParams.get('pageSize') ?? maxPageSize);
    const size = Math.max(1, Math.min(Number.isFinite(requested) && requested > 0 ? requested : maxPageSize, maxPageSize));
    const offset = Number(url.searchParams.get('pageToken') ? Buffer.from(url.searchParams.get('pageToken') ?? '', 'base64url').toString() : 0) || 0;
    const next = offset + size < items.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    return { [field]: items.slice(offset, offset + size), ...(next && { nextPageToken: next }) };
  }

  const served = await serveLoopback(
    options.port,
    async (req, res) => handle(req, res, await readBody(req)),
    (err) => googleError(500, 'INTERNAL', `fake-vertex bug: ${String(err)}`).body,
  );
  return {
    baseUrl: served.baseUrl,
    requests,
    enqueue: (failure, times = 1) => {
      for (let i = 0; i < times; i++) queue.push(failure);
    },
    reset: () => {
      queue = [];
      requests.length = 0;
    },
    close: served.close,
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

