// A fake Gemini REST server (v1beta) on 127.0.0.1 for unit, integration and end-to-end tests. It speaks
// the wire format in SPEC.md, checks credentials like Google does (and rejects a key in the URL, so tests
// prove we never send one there), records every request, and can be scripted — programmatically or over
// HTTP (`POST /__fake/scenario`) — to misbehave in every way the client must survive.
//
// Scripting: a behaviour applies to the next matching authenticated request. `enqueue(...)` adds one-shot
// behaviours (each consumed by `times` requests, default 1); `setScenario(b)` sets a standing behaviour used
// when the queue has nothing for the request. By default a behaviour matches only generateContent and
// streamGenerateContent (so a listModels or countTokens call from the UI does not eat it); set `match`.

import * as http from 'node:http';
import { readBody, sendJson, serveLoopback } from './server';
import { HTML_502_PAGE, fakeError, type FakeErrorName, type FakeErrorResponse } from './gemini/errors';
import { checkToolRequest, functionCallParts, toolResultAnswer, type FakeFunctionCall } from './gemini/tools';
import { MODELS_LATE_2026, type FakeModel } from './gemini/models';

export { fakeError, FAKE_PROJECT_NUMBER, HTML_502_PAGE, type FakeErrorName } from './gemini/errors';
export { SKIP_SIGNATURE, type FakeFunctionCall } from './gemini/tools';
export { MODELS_2025, MODELS_LATE_2026, type FakeModel } from './gemini/models';

/** A real-looking authorization key (today's AI Studio key) the fake accepts by default. */
export const FAKE_API_KEY = 'AQ.' + 'Ab8RN6FakeGeminiAuthorizationKeyForTests'.padEnd(50, '0');
/** A real-looking standard key (the older `AIza…` kind) the fake accepts by default, unless told to refuse them. */
export const FAKE_STANDARD_API_KEY = 'AIza' + 'FakeGeminiKeyForTests'.padEnd(35, '0');
const DEFAULT_VALID_KEYS = [FAKE_API_KEY, FAKE_STANDARD_API_KEY];

export type FakeOperation = 'listModels' | 'getModel' | 'generateContent' | 'streamGenerateContent' | 'countTokens';

export interface FakeBehavior {
  /** Which operations it applies to. Default: generateContent and streamGenerateContent. */
  match?: FakeOperation | FakeOperation[] | 'any';
  /** For `enqueue`: how many matching requests it answers (default 1). */
  times?: number;
  /** Answer with this Google error (real-shaped body and details). */
  error?: FakeErrorName;
  /** Override the HTTP status of `error`/`html`. */
  status?: number;
  /** `google.rpc.RetryInfo.retryDelay` for quota errors, e.g. "22s" or "0.05s". */
  retryDelay?: string;
  /** A `Retry-After` header value (seconds or HTTP date), sent with error answers. */
  retryAfter?: string;
  /** Answer with a proxy's HTML page (status 502 unless `status`). */
  html?: boolean;
  /** Accept the request and never answer. */
  stall?: boolean;
  /** Send this many frames (for generateContent: half the body), then destroy the socket. */
  dieAfterFrames?: number;
  /** Send a stream event whose data is not JSON after this many frames. */
  garbageAfterFrames?: number;
  /** Final candidate's finishReason (default STOP); a non-STOP reason truncates the default answer. */
  finishReason?: string;
  /** Answer with `promptFeedback.blockReason` and no candidates. */
  blockReason?: string;
  /** The answer text (e.g. hostile Markdown/HTML for UI tests). */
  text?: string;
  /** An answer of exactly this many UTF-8 bytes. */
  largeBytes?: number;
  /** Stream frames (default 3). */
  frames?: number;
  /** Delay before each stream frame, ms (default 0). */
  frameDelayMs?: number;
  /** Delay before the response headers, ms. */
  headerDelayMs?: number;
  /** SSE line ending (default "\r\n", as Google sends). */
  lineEnding?: '\r\n' | '\n' | '\r';
  /** Write each frame in pieces of this many bytes (splits UTF-8 characters too). */
  chunkSize?: number;
  /** Send this as `modelVersion` (any JSON value, as a hostile or broken server might). */
  modelVersion?: unknown;
  /** Answer with these function calls (after `text`, if set); the first carries a thought signature. */
  functionCalls?: FakeFunctionCall[];
  /** A thinking model's thought summary (streamed as `thought: true` parts when the request asks for thoughts). */
  thoughts?: string;
  /** Stream frames of thoughts before the answer's (default 2). */
  thoughtFrames?: number;
  /** Refuse any thinking option with 400 INVALID_ARGUMENT, as a model that cannot think does. */
  rejectThinking?: boolean;
}

export interface RecordedRequest {
  id: number;
  method: string;
  /** Path and query exactly as received. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
  json?: unknown;
  operation?: FakeOperation;
  model?: string;
  /** Characters of prompt text in the body. */
  promptChars?: number;
  /** Status sent, if any. */
  status?: number;
  framesSent: number;
  /** completed: whole response sent; clientClosed: the client went away first; destroyed: we killed it. */
  outcome?: 'completed' | 'clientClosed' | 'destroyed';
  /** The usageMetadata of the answer's last frame (what a client should count). */
  usage?: Record<string, number>;
}

export interface FakeGeminiOptions {
  /** Keys accepted in `x-goog-api-key` (default [FAKE_API_KEY, FAKE_STANDARD_API_KEY]). */
  validKeys?: string[];
  /** Answer every standard (`AIza…`) key with 401 ACCESS_TOKEN_TYPE_UNSUPPORTED, as Google does since 2026-09. */
  refuseStandardKeys?: boolean;
  /** Decides whether a Bearer token is valid (the fake Google provides it). Default: none are. */
  acceptBearer?: (token: string) => boolean;
  /** OAuth requests without `x-goog-user-project` get Google's "requires a quota project" 403. */
  requireQuotaProject?: boolean;
  /** What `models.list` serves and which ids answer (default: today's list, MODELS_LATE_2026). */
  models?: readonly FakeModel[];
  /** Largest page `models.list` returns, whatever pageSize asks (default 1000). */
  maxPageSize?: number;
  /** Defaults for every answer (frames, frameDelayMs, lineEnding, chunkSize…). */
  defaults?: FakeBehavior;
  port?: number;
}

/** The JSON accepted by `POST /__fake/scenario`. */
export interface FakeControlRequest {
  /** Clear queue, scenario and recorded requests and restore the start options first. */
  reset?: boolean;
  /** Standing behaviour; null clears it. */
  scenario?: FakeBehavior | null;
  enqueue?: FakeBehavior[];
  /** Replace the accepted keys. */
  validKeys?: string[];
  refuseStandardKeys?: boolean;
  /** Accept exactly these Bearer tokens (replaces `acceptBearer`). */
  acceptBearerTokens?: string[];
  requireQuotaProject?: boolean;
  /** Shut these model ids down, as Google does on a retirement date: gone from the list, 404 on use. */
  retireModels?: string[];
}

export interface FakeGemini {
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  enqueue(...behaviors: FakeBehavior[]): void;
  setScenario(behavior: FakeBehavior | undefined): void;
  setAcceptBearer(accept: (token: string) => boolean): void;
  setValidKeys(keys: string[]): void;
  setRefuseStandardKeys(on: boolean): void;
  setRequireQuotaProject(on: boolean): void;
  /** Shuts model ids down mid-session (until `reset`): they leave `models.list` and answer 404 NOT_FOUND. */
  retireModels(...ids: string[]): void;
  /** Clears queue, scenario and recorded requests, and restores keys (and their refusal), bearer check, quota-project rule and models. */
  reset(): void;
  /** Resolves when request `id`'s connection has closed, with how it ended. */
  whenClosed(id: number): Promise<RecordedRequest>;
  /** Requests to the model endpoints only (not the control endpoints). */
  modelRequests(operation?: FakeOperation): RecordedRequest[];
  close(): Promise<void>;
}

/** The models a fake serves unless told otherwise: Google's list of late 2026. */
export const DEFAULT_FAKE_MODELS = MODELS_LATE_2026;

const DEFAULT_MATCH: FakeOperation[] = ['generateContent', 'streamGenerateContent'];

function matches(b: FakeBehavior, op: FakeOperation): boolean {
  const m = b.match ?? DEFAULT_MATCH;
  return m === 'any' || m === op || (Array.isArray(m) && m.includes(op));
}

// ---- answers ---------------------------------------------------------------------------------------

function promptText(json: unknown): string {
  const j = (json ?? {}) as {
    contents?: { parts?: { text?: unknown }[] }[];
    systemInstruction?: { parts?: { text?: unknown }[] };
    generateContentRequest?: unknown;
  };
  if (j.generateContentRequest) return promptText(j.generateContentRequest);
  const texts: string[] = [];
  for (const c of Array.isArray(j.contents) ? j.contents : []) {
    for (const p of Array.isArray(c?.parts) ? c.parts : []) if (typeof p?.text === 'string') texts.push(p.text);
  }
  for (const p of Array.isArray(j.systemInstruction?.parts) ? j.systemInstruction.parts : []) {
    if (typeof p?.text === 'string') texts.push(p.text);
  }
  return texts.join('\n');
}

/** Deterministic, plausible Markdown derived from the prompt. */
export function defaultAnswer(prompt: string, modelId: string): string {
  const words = prompt.split(/\s+/).filter(Boolean);
  const opening = words
    .slice(0, 6)
    .map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter(Boolean)
    .join(' ');
  return [
    '## Summary',
    '',
    `The prompt has **${prompt.length} characters** in ${words.length} words, answered by \`${modelId}\`.`,
    '',
    `- It opens with: ${opening || '(no words)'}`,
    `- Lines: ${prompt.split('\n').length}`,
    '- This answer is generated by the fake Gemini server.',
    '',
    '```text',
    'fake-gemini: deterministic answer',
    '```',
    '',
  ].join('\n');
}

/** A deterministic thought summary, in the bold-headed paragraphs thinking models write. */
export function defaultThoughts(prompt: string): string {
  return [
    '**Reading the request**',
    '',
    `The text has ${prompt.length} characters in ${prompt.split('\n').length} lines; the instruction asks for a summary a developer can scan.`,
    '',
    '**Planning the answer**',
    '',
    'Open with one overview sentence, then list the key points as short bullets.',
    '',
  ].join('\n');
}

/** The `generationConfig.thinkingConfig` of a generate request, if it has one. */
function thinkingConfigOf(json: unknown): { includeThoughts?: unknown; thinkingLevel?: unknown } | undefined {
  const config = (json as { generationConfig?: { thinkingConfig?: unknown } } | undefined)?.generationConfig?.thinkingConfig;
  return config && typeof config === 'object' ? config : undefined;
}

// Google accepts the enum's names in any case (`"low"`, `"LOW"`).
const THINKING_LEVELS = new Set(['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH']);

function invalidThinkingLevel(value: unknown): FakeErrorResponse {
  const field = 'generation_config.thinking_config.thinking_level';
  const message = `Invalid value at '${field}' (type.googleapis.com/google.ai.generativelanguage.v1beta.ThinkingConfig.ThinkingLevel), ${JSON.stringify(value)}`;
  return {
    status: 400,
    body: { error: { code: 400, message, status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field, description: message }] }] } },
  };
}

function thinkingNotSupported(): FakeErrorResponse {
  return { status: 400, body: { error: { code: 400, message: 'Thinking is not supported by this model; remove thinking_config.', status: 'INVALID_ARGUMENT' } } };
}

function largeText(bytes: number): string {
  const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor.\n';
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

function splitCodePoints(text: string, pieces: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.min(pieces, chars.length || 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(chars.slice(Math.floor((i * chars.length) / n), Math.floor(((i + 1) * chars.length) / n)).join(''));
  return out;
}

const tokens = (chars: number) => Math.ceil(chars / 4);

// ---- server ----------------------------------------------------------------------------------------

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  let validKeys = new Set(options.validKeys ?? DEFAULT_VALID_KEYS);
  let refuseStandardKeys = options.refuseStandardKeys ?? false;
  let acceptBearer = options.acceptBearer ?? (() => false);
  let requireQuotaProject = options.requireQuotaProject ?? false;
  const allModels = options.models ?? DEFAULT_FAKE_MODELS;
  let models = allModels;
  const maxPageSize = options.maxPageSize ?? 1000;
  const defaults = options.defaults ?? {};
  const requests: RecordedRequest[] = [];
  const closeWaiters = new Map<number, Promise<RecordedRequest>>();
  let queue: { behavior: FakeBehavior; left: number }[] = [];
  let scenario: FakeBehavior | undefined;
  const issuedSignatures = new Set<string>();
  let nextId = 1;

  const take = (op: FakeOperation): FakeBehavior | undefined => {
    const entry = queue.find((e) => matches(e.behavior, op));
    if (entry) {
      if (--entry.left <= 0) queue = queue.filter((e) => e !== entry);
      return entry.behavior;
    }
    return scenario && matches(scenario, op) ? scenario : undefined;
  };

  const control = (req: FakeControlRequest) => {
    if (req.reset) api.reset();
    if (req.scenario !== undefined) scenario = req.scenario ?? undefined;
    for (const b of req.enqueue ?? []) api.enqueue(b);
    if (req.validKeys) validKeys = new Set(req.validKeys);
    if (req.refuseStandardKeys !== undefined) refuseStandardKeys = req.refuseStandardKeys;
    if (req.acceptBearerTokens) {
      const ok = new Set(req.acceptBearerTokens);
      acceptBearer = (t) => ok.has(t);
    }
    if (req.requireQuotaProject !== undefined) requireQuotaProject = req.requireQuotaProject;
    if (req.retireModels) api.retireModels(...req.retireModels);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/__fake/')) return handleControl(req, res, url, body);

    const rec: RecordedRequest = {
      id: nextId++,
      method: req.method ?? '',
      url: req.url ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      framesSent: 0,
    };
    try {
      rec.json = body ? JSON.parse(body) : undefined;
    } catch {
      // recorded as text only
    }
    requests.push(rec);
    closeWaiters.set(
      rec.id,
      new Promise((resolve) => {
        res.on('close', () => {
          rec.outcome ??= res.writableFinished ? 'completed' : 'clientClosed';
          resolve(rec);
        });
      }),
    );
    res.on('finish', () => (rec.outcome ??= 'completed'));

    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      sendJson(res, status, json, headers);
    };
    const sendError = (e: FakeErrorResponse, headers: Record<string, string> = {}) => send(e.status, e.body, headers);

    // Route.
    const route = /^\/v1beta\/(models|tunedModels)\/([^/:]+)(?::(generateContent|streamGenerateContent|countTokens))?$/.exec(url.pathname);
    let op: FakeOperation | undefined;
    let modelId: string | undefined;
    if (url.pathname === '/v1beta/models' && req.method === 'GET') op = 'listModels';
    else if (route && !route[3] && req.method === 'GET') [op, modelId] = ['getModel', route[2]];
    else if (route && route[3] && req.method === 'POST') [op, modelId] = [route[3] as FakeOperation, route[2]];
    rec.operation = op;
    rec.model = modelId;
    if (!op) return send(404, { error: { code: 404, message: `fake-gemini: no route for ${req.method} ${url.pathname}`, status: 'NOT_FOUND' } });

    // Credentials, like Google — except a key in the URL, which we refuse outright.
    if (url.searchParams.has('key')) return sendError(fakeError('keyInUrl'));
    const apiKey = header(req, 'x-goog-api-key');
    const auth = header(req, 'authorization');
    if (apiKey !== undefined) {
      if (!validKeys.has(apiKey)) return sendError(fakeError('invalidApiKey'));
      if (refuseStandardKeys && apiKey.startsWith('AIza')) return sendError(fakeError('accessTokenTypeUnsupported'));
    } else if (auth !== undefined) {
      const token = /^Bearer (.+)$/.exec(auth)?.[1];
      if (!token || !acceptBearer(token)) return sendError(fakeError('unauthenticated'));
      if (requireQuotaProject && !header(req, 'x-goog-user-project')) return sendError(fakeError('quotaProjectMissing'));
    } else {
      return sendError(fakeError('credentialsMissing'));
    }

    const prompt = promptText(rec.json);
    rec.promptChars = prompt.length;
    const behavior: FakeBehavior = { ...defaults, ...(take(op) ?? {}) };

    if (behavior.headerDelayMs) await delay(behavior.headerDelayMs);
    if (behavior.stall) return; // accept and never answer
    if (behavior.html) {
      rec.status = behavior.status ?? 502;
      res.writeHead(rec.status, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(HTML_502_PAGE);
      return;
    }
    if (behavior.error) {
      const e = fakeError(behavior.error, { model: modelId, retryDelay: behavior.retryDelay, quotaProject: header(req, 'x-goog-user-project') });
      const headers: Record<string, string> = behavior.retryAfter ? { 'retry-after': behavior.retryAfter } : {};
      return sendError({ ...e, status: behavior.status ?? e.status }, headers);
    }

    if (op === 'listModels') {
      const requested = parseInt(url.searchParams.get('pageSize') ?? '50', 10);
      const size = Math.max(1, Math.min(Number.isFinite(requested) && requested > 0 ? requested : 50, maxPageSize));
      const tokenParam = url.searchParams.get('pageToken');
      const offset = tokenParam ? parseInt(Buffer.from(tokenParam, 'base64url').toString('utf8').replace(/^offset:/, ''), 10) : 0;
      if (!Number.isFinite(offset) || offset < 0 || offset > models.length) {
        return send(400, { error: { code: 400, message: 'Invalid page token.', status: 'INVALID_ARGUMENT' } });
      }
      const page = models.slice(offset, offset + size);
      const next = offset + size < models.length ? Buffer.from(`offset:${offset + size}`).toString('base64url') : undefined;
      return send(200, { models: page, ...(next ? { nextPageToken: next } : {}) });
    }

    const found = models.find((m) => m.name === `models/${modelId}`);
    if (op === 'getModel') return found ? send(200, found) : sendError(fakeError('modelNotFound', { model: modelId }));
    const needed = op === 'countTokens' ? 'countTokens' : 'generateContent';
    if (!found || !found.supportedGenerationMethods.includes(needed)) return sendError(fakeError('modelNotFound', { model: modelId }));

    if (op === 'countTokens') {
      const n = tokens(prompt.length);
      return send(200, { totalTokens: n, promptTokensDetails: [{ modality: 'TEXT', tokenCount: n }] });
    }

    // generateContent / streamGenerateContent
    const invalid = checkToolRequest(rec.json, modelId ?? '', issuedSignatures);
    if (invalid) return send(400, { error: { code: 400, message: invalid, status: 'INVALID_ARGUMENT' } });
    const thinkingConfig = thinkingConfigOf(rec.json);
    if (thinkingConfig) {
      const level = thinkingConfig.thinkingLevel;
      if (level !== undefined && !(typeof level === 'string' && THINKING_LEVELS.has(level.toUpperCase()))) return sendError(invalidThinkingLevel(level));
      if (behavior.rejectThinking || !found.thinking) return sendError(thinkingNotSupported());
    }
    const id = modelId ?? 'unknown';
    const finishReason = behavior.finishReason ?? 'STOP';
    let text = behavior.text ?? (behavior.largeBytes !== undefined ? largeText(behavior.largeBytes) : behavior.functionCalls ? '' : (toolResultAnswer(rec.json) ?? defaultAnswer(prompt, id)));
    if (finishReason !== 'STOP' && behavior.text === undefined) text = text.slice(0, Math.floor(text.length / 2));
    const promptTokens = tokens(prompt.length);
    // A thinking model always thinks (and counts it); it shows the thought summary only when asked to.
    const thoughts = found.thinking ? (behavior.thoughts ?? defaultThoughts(prompt)) : '';
    const thoughtTokens = tokens(thoughts.length);
    const usage = {
      promptTokenCount: promptTokens,
      candidatesTokenCount: tokens(text.length),
      ...(found.thinking && { thoughtsTokenCount: thoughtTokens }),
      totalTokenCount: promptTokens + tokens(text.length) + thoughtTokens,
    };
    rec.usage = usage;
    const responseId = `fake-${rec.id}`;
    // Today's GA models answer with their own id.
    const common = { modelVersion: 'modelVersion' in behavior ? behavior.modelVersion : id, responseId };
    const showThoughts = thoughts !== '' && thinkingConfig?.includeThoughts === true;
    type Part = { text: string; thought?: true };
    const frame = (parts: Part[], last: boolean) => ({
      candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason } : {}), index: 0 }],
      usageMetadata: last ? usage : { promptTokenCount: promptTokens, totalTokenCount: promptTokens },
      ...common,
    });

    const responses: unknown[] = behavior.blockReason
      ? [{ promptFeedback: { blockReason: behavior.blockReason }, usageMetadata: { promptTokenCount: promptTokens, totalTokenCount: promptTokens }, ...common }]
      : op === 'generateContent'
        ? [frame([...(showThoughts ? [{ text: thoughts, thought: true as const }] : []), { text }], true)]
        : [
            ...(showThoughts ? splitCodePoints(thoughts, behavior.thoughtFrames ?? 2).map((piece) => frame([{ text: piece, thought: true }], false)) : []),
            ...splitCodePoints(text, behavior.frames ?? 3).map((piece, i, all) => frame([{ text: piece }], i === all.length - 1)),
          ];
    if (behavior.functionCalls?.length && !behavior.blockReason) {
      const parts = functionCallParts(behavior.functionCalls, responseId, issuedSignatures);
      const last = responses.at(-1) as { candidates: { content: { parts: unknown[] } }[] };
      last.candidates[0].content.parts = [...(text ? last.candidates[0].content.parts : []), ...parts];
    }

    if (op === 'generateContent') {
      const json = JSON.stringify(responses[0]);
      rec.status = 200;
      if (behavior.dieAfterFrames !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
        res.write(json.slice(0, Math.floor(json.length / 2)));
        await delay(5);
        rec.outcome = 'destroyed';
        res.socket?.destroy();
        return;
      }
      return send(200, responses[0]);
    }

    // Server-sent events.
    if (url.searchParams.get('alt') !== 'sse') return send(200, responses); // Gemini's JSON-array form
    rec.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
    res.flushHeaders();
    const le = behavior.lineEnding ?? '\r\n';
    for (let i = 0; i < responses.length; i++) {
      if (behavior.frameDelayMs) await delay(behavior.frameDelayMs);
      if (res.destroyed || res.writableEnded) return; // the client went away
      if (behavior.dieAfterFrames !== undefined && i >= behavior.dieAfterFrames) {
        const half = `data: ${JSON.stringify(responses[i])}`;
        res.write(half.slice(0, Math.floor(half.length / 2)));
        await delay(5);
        rec.outcome = 'destroyed';
        res.socket?.destroy();
        return;
      }
      if (behavior.garbageAfterFrames !== undefined && i === behavior.garbageAfterFrames) {
        res.write(`data: <html>not json</html>${le}${le}`);
      }
      await writeFrame(res, Buffer.from(`data: ${JSON.stringify(responses[i])}${le}${le}`, 'utf8'), behavior.chunkSize);
      rec.framesSent++;
    }
    res.end();
  }

  function handleControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): void {
    if (url.pathname === '/__fake/scenario' && req.method === 'POST') {
      try {
        control(JSON.parse(body || '{}') as FakeControlRequest);
      } catch (err) {
        return sendJson(res, 400, { ok: false, error: String(err) });
      }
      return sendJson(res, 200, { ok: true, queued: queue.length, scenario: scenario ?? null });
    }
    if (url.pathname === '/__fake/requests' && req.method === 'GET') return sendJson(res, 200, requests);
    if (url.pathname === '/__fake/requests' && req.method === 'DELETE') {
      requests.length = 0;
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 404, { ok: false, error: 'unknown control endpoint' });
  }

  const served = await serveLoopback(
    options.port,
    async (req, res) => handle(req, res, await readBody(req)),
    (err) => ({ error: { code: 500, message: `fake-gemini bug: ${String(err)}`, status: 'INTERNAL' } }),
  );

  const api: FakeGemini = {
    baseUrl: served.baseUrl,
    port: served.port,
    requests,
    enqueue: (...behaviors) => {
      for (const b of behaviors) queue.push({ behavior: b, left: b.times ?? 1 });
    },
    setScenario: (b) => {
      scenario = b;
    },
    setAcceptBearer: (accept) => {
      acceptBearer = accept;
    },
    setValidKeys: (keys) => {
      validKeys = new Set(keys);
    },
    setRefuseStandardKeys: (on) => {
      refuseStandardKeys = on;
    },
    setRequireQuotaProject: (on) => {
      requireQuotaProject = on;
    },
    retireModels: (...ids) => {
      models = models.filter((m) => !ids.includes(m.name.replace(/^models\//, '')));
    },
    reset: () => {
      validKeys = new Set(options.validKeys ?? DEFAULT_VALID_KEYS);
      refuseStandardKeys = options.refuseStandardKeys ?? false;
      acceptBearer = options.acceptBearer ?? (() => false);
      requireQuotaProject = options.requireQuotaProject ?? false;
      models = allModels;
      queue = [];
      scenario = undefined;
      requests.length = 0;
      closeWaiters.clear();
      issuedSignatures.clear();
    },
    whenClosed: (id) => closeWaiters.get(id) ?? Promise.reject(new Error(`no request ${id}`)),
    modelRequests: (operation) => requests.filter((r) => r.operation && (!operation || r.operation === operation)),
    close: served.close,
  };
  return api;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function writeFrame(res: http.ServerResponse, bytes: Buffer, chunkSize: number | undefined): Promise<void> {
  if (!chunkSize || chunkSize >= bytes.length) {
    res.write(bytes);
    return;
  }
  for (let i = 0; i < bytes.length; i += chunkSize) {
    if (res.destroyed) return;
    res.write(bytes.subarray(i, i + chunkSize));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
