// The Gemini REST client: models.list, streamGenerateContent (SSE), countTokens.
// It owns the request pipeline — credentials, retries, the one OAuth refresh after a 401, timeouts,
// cancellation — and logs exactly one line per call with sizes and outcomes, never content or secrets.

import { geminiApiBackend, type Backend, type ModelOperation } from '../backends/backend';
import type { Logger } from '../common/logger';
import { serviceUrlProblem } from '../common/url';
import { errorName } from '../common/values';
import { formatRequestLine, type RequestLogFields } from '../log/requestLog';
import { apiKeyCredential, type CredentialProvider } from './credentials';
import {
  GeminiError,
  actions,
  cancelledError,
  errorFromHttpResponse,
  networkError,
  notJsonError,
  shortGoogleMessage,
  streamInterruptedError,
  type ErrorContext,
} from './errors';
import { sendHttpRequest, type HttpResponse } from './http';
import { resolveRetryOptions, retryDelay, type ResolvedRetryOptions, type RetryOptions } from './retry';
import { parseStreamEvent, SseParser } from './sse';
import { rejectsThinkingOption, withoutThinking } from './thinking';
import { checkTokenLimit, promptChars, type TokenLimitCheck } from './tokens';
import type {
  CountTokensResponse,
  GenerateContentRequest,
  GenerateContentResponse,
  Model,
  UsageMetadata,
} from './types';

const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_ERROR_BYTES = 256 * 1024;
const MAX_MODEL_PAGES = 50;

export interface GeminiClientOptions {
  /** `gemini.api.baseUrl`; a function is read on every call, so a settings change applies at once. */
  baseUrl: string | (() => string);
  /** Where requests go, read on every call; default the Gemini API at `baseUrl`. API keys are checked there always. */
  backend?: () => Backend;
  log: Logger;
  timeouts?: { connectMs?: number; idleMs?: number };
  retry?: RetryOptions;
  userAgent?: string;
  /** Clock for latency and Retry-After dates (tests). */
  now?: () => number;
  /** Told once per finished call, right after its log line (the activity view counts usage from it). */
  onRequestFinished?: (report: FinishedRequestReport) => void;
}

/** The log line's fields plus who paid and who asked: ids and counts only. */
export interface FinishedRequestReport extends RequestLogFields {
  readonly credential?: { readonly kind: CredentialProvider['kind']; readonly id: string };
  readonly origin: RequestOrigin;
}

/** Who asked for the call: the extension's own commands, or a chat/extension through the language-model provider. */
export type RequestOrigin = 'extension' | 'languageModel';

export interface CallOptions {
  signal?: AbortSignal;
  /** Who pays: the caller resolves the active credential once and passes it to each call. */
  credential: CredentialProvider;
  /** Default `extension`. */
  origin?: RequestOrigin;
}

/**
 * Validates a service URL setting (`gemini.api.baseUrl`, `gemini.vertex.baseUrl`; common/url.ts, and no query:
 * keys are never put in URLs). A trailing `/` or `/v1beta` is tolerated. Returns the normalised origin+path.
 */
export function parseBaseUrl(raw: string, setting = 'gemini.api.baseUrl'): URL {
  const invalidBaseUrl = (message: string) => new GeminiError({ kind: 'invalidBaseUrl', message, action: actions.setting(setting) });
  const problem = serviceUrlProblem(raw, setting);
  if (problem) throw invalidBaseUrl(problem);
  const url = new URL(raw.trim());
  if (url.search) throw invalidBaseUrl(`'${setting}' must not contain a query. Keys are never put in URLs.`);
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1beta$/, '');
  return url;
}

/** `gemini-2.5-flash` → `models/gemini-2.5-flash`; `models/x` and `tunedModels/x` pass through. */
export function modelResourceName(model: string): string {
  const name = model.trim();
  const m = /^(?:(models|tunedModels)\/)?([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(name);
  if (!m) {
    throw new GeminiError({
      kind: 'modelNotFound',
      message: `'${name.slice(0, 60)}' is not a valid Gemini model name. Choose one with 'Gemini: Select Model'.`,
      action: actions.selectModel,
    });
  }
  return `${m[1] ?? 'models'}/${m[2]}`;
}

/** The short id shown to users and in logs: `models/gemini-2.5-flash` → `gemini-2.5-flash`. */
export function shortModelId(model: string): string {
  return model.trim().replace(/^models\//, '');
}

interface Operation {
  operation: 'listModels' | ModelOperation;
  method: 'GET' | 'POST';
  /** The model's resource name (`models/<id>`), for model operations. */
  name?: string;
  query?: Record<string, string>;
  /** The request; countTokens wraps it as the backend wants. */
  body?: GenerateContentRequest;
  model?: string;
  promptChars?: number;
}

function modelOperation(operation: ModelOperation, model: string, body: GenerateContentRequest, query?: Record<string, string>): Operation {
  const name = modelResourceName(model);
  return { operation, method: 'POST', name, query, body, model: shortModelId(name), promptChars: promptChars(body) };
}

interface Stats {
  retries: number;
  status?: number;
  credential?: FinishedRequestReport['credential'];
}

export class GeminiClient {
  private readonly retry: ResolvedRetryOptions;
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly now: () => number;

  constructor(private readonly options: GeminiClientOptions) {
    this.retry = resolveRetryOptions(options.retry);
    this.connectMs = options.timeouts?.connectMs ?? 15_000;
    this.idleMs = options.timeouts?.idleMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** All models of the backend, following `nextPageToken`. */
  async listModels(opts: CallOptions): Promise<Model[]> {
    const models: Model[] = [];
    const backend = this.backend();
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_MODEL_PAGES; page++) {
      const query: Record<string, string> = { pageSize: '1000' };
      if (pageToken) query.pageToken = pageToken;
      const res = await this.callJson(
        { operation: 'listModels', method: 'GET', query },
        opts,
        (json) => backend.parseModelPage(json),
        (r) => ({ extra: { page: page + 1, models: r.models.length } }),
        backend,
      );
      models.push(...res.models);
      pageToken = res.nextPageToken;
      if (!pageToken) return models;
    }
    this.options.log.warn(`[listModels] stopped after ${MAX_MODEL_PAGES} pages`);
    return models;
  }

  countTokens(model: string, request: GenerateContentRequest, opts: CallOptions): Promise<CountTokensResponse> {
    return this.callJson(
      modelOperation('countTokens', model, request),
      opts,
      (json) => json as CountTokensResponse,
      (r) => ({ tokens: { prompt: r.totalTokens } }),
    );
  }

  /**
   * Streams the answer. Retries happen only before the stream starts (non-2xx or no connection); if the
   * stream breaks later, the responses already yielded stand and a `streamInterrupted` error follows.
   * Breaking out of the loop or aborting the signal closes the connection at once.
   */
  async *streamGenerateContent(
    model: string,
    request: GenerateContentRequest,
    opts: CallOptions,
  ): AsyncGenerator<GenerateContentResponse, void, undefined> {
    const op = modelOperation('streamGenerateContent', model, request, { alt: 'sse' });
    const started = this.now();
    const stats: Stats = { retries: 0 };
    let res: HttpResponse;
    try {
      res = await this.attempts(op, opts, stats, this.backend(), async (r, ctx) => {
        const type = String(r.headers['content-type'] ?? '');
        if (!/^text\/event-stream\b/i.test(type)) {
          r.close();
          throw notJsonError(r.status, type, ctx, `${type || 'no content type'} (not an event stream)`);
        }
        return r;
      });
    } catch (err) {
      const error = this.toGeminiError(err, opts.signal);
      this.logRequest(op, started, stats, { error: error.kind }, opts.origin);
      throw error;
    }

    const parser = new SseParser();
    let usage: UsageMetadata | undefined;
    let events = 0;
    let outcome: string | undefined = 'stopped';
    try {
      for await (const chunk of res.body()) {
        for (const data of parser.push(chunk)) {
          const response = parseStreamEvent(data);
          usage = response.usageMetadata ?? usage;
          events++;
          yield response;
          if (opts.signal?.aborted) throw cancelledError();
        }
      }
      parser.end();
      if (parser.droppedIncompleteEvent) throw streamInterruptedError(new Error('stream ended inside an event'), events > 0);
      outcome = undefined;
    } catch (err) {
      let error = this.toGeminiError(err, opts.signal);
      if (error.kind === 'network' || error.kind === 'timeout') {
        error = error.kind === 'timeout' && events === 0 ? error : streamInterruptedError(error, events > 0);
      }
      outcome = error.kind;
      throw error;
    } finally {
      res.close();
      this.logRequest(op, started, stats, { tokens: tokensOf(usage), error: outcome, extra: { events, thinkingTokens: thinkingTokensOf(usage) } }, opts.origin);
    }
  }

  /**
   * Whether the prompt fits the model's `inputTokenLimit`: counts with countTokens, or estimates chars/4
   * if counting fails for any reason but cancellation.
   */
  async checkPromptSize(
    model: string,
    request: GenerateContentRequest,
    inputTokenLimit: number | undefined,
    opts: CallOptions,
  ): Promise<TokenLimitCheck> {
    let counted: number | undefined;
    try {
      counted = (await this.countTokens(model, request, opts)).totalTokens;
      if (typeof counted !== 'number') counted = undefined;
    } catch (err) {
      if (err instanceof GeminiError && err.kind === 'cancelled') throw err;
      this.options.log.debug(`[countTokens] failed (${err instanceof GeminiError ? err.kind : 'error'}); estimating from characters`);
    }
    return checkTokenLimit(inputTokenLimit, counted, promptChars(request));
  }

  /** Checks a key with one Gemini API `GET /models` call (whatever the backend), without storing or using it afterwards; throws Google's reason. */
  async validateApiKey(key: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    let credential: CredentialProvider;
    try {
      credential = apiKeyCredential(key);
    } catch {
      throw new GeminiError({ kind: 'invalidApiKey', message: 'The API key is empty or contains spaces or line breaks. Paste the key exactly as Google shows it.', action: actions.setApiKey });
    }
    const backend = geminiApiBackend(this.baseUrl());
    await this.callJson(
      { operation: 'listModels', method: 'GET', query: { pageSize: '1' } },
      { signal: opts.signal, credential },
      (json) => backend.parseModelPage(json),
      (r) => ({ extra: { validate: 'apiKey', models: r.models.length } }),
      backend,
    );
  }

  // ---- pipeline ------------------------------------------------------------------------------------

  private baseUrl(): string {
    return typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
  }

  private backend(): Backend {
    return this.options.backend?.() ?? geminiApiBackend(this.baseUrl());
  }

  private async callJson<T>(
    op: Operation,
    opts: CallOptions,
    parse: (json: object) => T,
    summarize: (result: T) => Pick<RequestLogFields, 'tokens' | 'extra'>,
    backend: Backend = this.backend(),
  ): Promise<T> {
    const started = this.now();
    const stats: Stats = { retries: 0 };
    try {
      const result = await this.attempts(op, opts, stats, backend, async (res, ctx) => {
        const text = await res.text(MAX_JSON_BYTES);
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
          if (json === null || typeof json !== 'object') throw new Error('not an object');
        } catch {
          throw notJsonError(res.status, String(res.headers['content-type'] ?? ''), ctx);
        }
        return parse(json);
      });
      this.logRequest(op, started, stats, summarize(result), opts.origin);
      return result;
    } catch (err) {
      const error = this.toGeminiError(err, opts.signal);
      this.logRequest(op, started, stats, { error: error.kind }, opts.origin);
      throw error;
    }
  }

  /** Sends `op` until it succeeds, retrying per policy; `consume` turns a 2xx response into the result. */
  private async attempts<R>(
    op: Operation,
    opts: CallOptions,
    stats: Stats,
    backend: Backend,
    consume: (res: HttpResponse, ctx: ErrorContext) => Promise<R>,
  ): Promise<R> {
    const url = op.name && op.operation !== 'listModels' ? backend.modelUrl(op.operation, op.name) : backend.listUrl();
    for (const [k, v] of Object.entries(op.query ?? {})) url.searchParams.set(k, v);
    const payload = op.body && op.name && op.operation === 'countTokens' ? backend.countTokensBody(op.name, op.body) : op.body;
    let body = payload === undefined ? undefined : JSON.stringify(payload);
    let refreshed = false;
    let thinkingDropped = false;

    for (;;) {
      if (opts.signal?.aborted) throw cancelledError();
      const credential = opts.credential;
      stats.credential = { kind: credential.kind, id: credential.id };
      backend.admit(credential);
      const ctx: ErrorContext = { credentialKind: credential.kind, model: op.model, host: url.host, now: this.now() };
      let error: GeminiError;
      let thinkingRejected = false;
      try {
        const headers: Record<string, string> = {
          accept: op.operation === 'streamGenerateContent' ? 'text/event-stream' : 'application/json',
          'user-agent': this.options.userAgent ?? 'gemini-vscode',
          ...(await this.credentialHeaders(credential, url, opts.signal)),
          ...backend.headers(credential),
        };
        if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
        const res = await sendHttpRequest({
          method: op.method,
          url,
          headers,
          body,
          signal: opts.signal,
          connectTimeoutMs: this.connectMs,
          idleTimeoutMs: this.idleMs,
        });
        stats.status = res.status;
        if (res.status >= 200 && res.status < 300) return await consume(res, ctx);
        const text = await res.text(MAX_ERROR_BYTES);
        thinkingRejected = rejectsThinkingOption(res.status, text);
        const retryAfter = res.headers['retry-after'];
        throw backend.explain(
          errorFromHttpResponse(res.status, res.headers['content-type'], text, {
            ...ctx,
            retryAfterHeader: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          }),
          op.model,
        );
      } catch (err) {
        error = this.toGeminiError(err, opts.signal, url.host);
      }

      if (error.kind === 'unauthenticated' && credential.kind === 'oauth' && credential.refreshAfterUnauthorized && !refreshed) {
        refreshed = true;
        if (await this.refresh(credential, url)) {
          stats.retries++;
          this.options.log.debug(`[request] ${op.operation}: 401 with OAuth, token refreshed, retrying once`);
          continue;
        }
        throw error;
      }
      // A model that refuses thought summaries or a thinking level still answers without them: once.
      const plainBody = thinkingRejected && !thinkingDropped ? withoutThinking(payload) : undefined;
      if (plainBody !== undefined) {
        thinkingDropped = true;
        body = JSON.stringify(plainBody);
        stats.retries++;
        this.options.log.info(
          `[request] ${op.operation}: ${op.model ?? 'the model'} refused the thinking options (400 INVALID_ARGUMENT), retrying once without them`,
        );
        continue;
      }
      const delay = retryDelay(error, stats.retries, this.retry);
      if (delay === undefined) throw error;
      this.options.log.debug(
        `[request] ${op.operation}: ${error.status ?? error.kind}, retry ${stats.retries + 1}/${this.retry.maxRetries} in ${delay}ms`,
      );
      await this.retry.sleep(delay, opts.signal);
      stats.retries++;
    }
  }

  private async credentialHeaders(credential: CredentialProvider, url: URL, signal: AbortSignal | undefined): Promise<Record<string, string>> {
    try {
      return await credential.getHeaders(url, signal);
    } catch (err) {
      if (err instanceof GeminiError) throw err;
      if (signal?.aborted) throw cancelledError();
      const detail = err instanceof Error ? shortGoogleMessage(err.message, 120) : 'unknown error';
      throw new GeminiError({
        kind: 'unauthenticated',
        message:
          credential.kind === 'oauth'
            ? `Could not get a Google access token (${detail}). Sign in again with 'Gemini: Sign In'.`
            : `Could not read the API key (${detail}). Set it again with 'Gemini: Set API Key'.`,
        action: credential.kind === 'oauth' ? actions.signIn : actions.setApiKey,
        cause: err,
      });
    }
  }

  private async refresh(credential: CredentialProvider, url: URL): Promise<boolean> {
    try {
      return (await credential.refreshAfterUnauthorized?.(url)) === true;
    } catch (err) {
      this.options.log.warn(`[request] token refresh after 401 failed: ${errorName(err)}`);
      return false;
    }
  }

  private toGeminiError(err: unknown, signal: AbortSignal | undefined, host?: string): GeminiError {
    if (err instanceof GeminiError) return err;
    if (signal?.aborted) return cancelledError();
    return networkError(err, host);
  }

  private logRequest(op: Operation, started: number, stats: Stats, fields: Partial<RequestLogFields>, origin: RequestOrigin = 'extension'): void {
    const logged: RequestLogFields = {
      method: op.method,
      operation: op.operation,
      model: op.model,
      status: stats.status,
      latencyMs: this.now() - started,
      retries: stats.retries,
      promptChars: op.promptChars,
      ...fields,
    };
    const line = formatRequestLine(logged);
    if (!fields.error || fields.error === 'cancelled' || fields.error === 'stopped') this.options.log.info(line);
    else this.options.log.warn(line);
    try {
      this.options.onRequestFinished?.({ ...logged, ...(stats.credential && { credential: stats.credential }), origin });
    } catch (err) {
      // Counting must never fail the request it counts.
      this.options.log.warn(`[request] the finished-request listener failed: ${errorName(err)}`);
    }
  }
}

function tokensOf(usage: UsageMetadata | undefined): RequestLogFields['tokens'] {
  if (!usage) return undefined;
  return { prompt: usage.promptTokenCount, candidates: usage.candidatesTokenCount, total: usage.totalTokenCount, thoughts: usage.thoughtsTokenCount };
}

/** Untrusted like every response field: only a number is logged. */
function thinkingTokensOf(usage: UsageMetadata | undefined): number | undefined {
  const n = usage?.thoughtsTokenCount;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}
