// A small HTTP transport on node:http/node:https (VS Code's proxy support patches these modules, so
// corporate proxies keep working). It adds what fetch lacks here: a connect timeout, an idle timeout
// (no bytes for N ms, restarted by every chunk), and an AbortSignal that destroys the socket at once.
// All failures come out as GeminiErrors of kind `network`, `timeout` or `cancelled`.

import * as http from 'node:http';
import * as https from 'node:https';
import { GeminiError, cancelledError, networkError, timeoutError } from './errors';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The body as it arrives. Iterate at most once. */
  body(): AsyncIterable<Uint8Array>;
  /** The whole body as UTF-8; fails with `network` if it exceeds `maxBytes`. */
  text(maxBytes: number): Promise<string>;
  /** Stops the transfer and releases the socket (no-op once complete). */
  close(): void;
}

export function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url, signal } = request;
  const host = url.host;
  return new Promise<HttpResponse>((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...request.headers };
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    if (body) headers['content-length'] = String(body.length);

    let failure: GeminiError | undefined;
    let response: http.IncomingMessage | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let finished = false;

    const req = mod.request(url, { method: request.method, headers });

    const fail = (err: GeminiError) => {
      if (finished || failure) return;
      failure = err;
      clearTimeout(timer);
      response?.destroy(err);
      req.destroy(err);
    };
    const arm = (phase: 'connect' | 'idle') => {
      clearTimeout(timer);
      const ms = phase === 'connect' ? request.connectTimeoutMs : request.idleTimeoutMs;
      timer = setTimeout(() => fail(timeoutError(phase, ms, host)), ms);
    };
    const disarm = () => clearTimeout(timer);
    const onAbort = () => fail(cancelledError());
    const cleanup = () => {
      finished = true;
      disarm();
      signal?.removeEventListener('abort', onAbort);
    };
    const mapError = (err: unknown): GeminiError =>
      failure ?? (err instanceof GeminiError ? err : signal?.aborted ? cancelledError() : networkError(err, host));

    signal?.addEventListener('abort', onAbort, { once: true });
    arm('connect');
    req.on('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => !response && arm('idle'));
      else arm('idle');
    });
    req.on('error', (err) => {
      // Also fires (harmlessly, the promise is settled) if the socket dies after the response began.
      if (!response) cleanup();
      reject(mapError(err));
    });
    req.on('response', (res) => {
      response = res;
      arm('idle');
      let consumed = false;
      const chunks = async function* (): AsyncGenerator<Uint8Array> {
        if (consumed) throw new Error('HTTP response body read twice');
        consumed = true;
        try {
          for await (const chunk of res as AsyncIterable<Buffer>) {
            if (failure) throw failure;
            disarm(); // the consumer's own pace does not count as an idle server
            yield chunk;
            if (signal?.aborted) throw cancelledError();
            arm('idle');
          }
          if (failure) throw failure;
          if (!res.complete) throw networkError(new Error('connection closed before the response was complete'), host);
        } catch (err) {
          throw mapError(err);
        } finally {
          cleanup();
          if (!res.complete) {
            res.destroy();
            req.destroy();
          }
        }
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: chunks,
        text: async (maxBytes) => {
          const parts: Buffer[] = [];
          let size = 0;
          for await (const chunk of chunks()) {
            size += chunk.byteLength;
            if (size > maxBytes) throw networkError(new Error(`response larger than ${maxBytes} bytes`), host);
            parts.push(Buffer.from(chunk));
          }
          return Buffer.concat(parts).toString('utf8');
        },
        close: () => {
          if (res.complete) return;
          cleanup();
          res.destroy();
          req.destroy();
        },
      });
    });
    req.end(body);
  });
}
