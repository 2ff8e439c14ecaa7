import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { equalsSecret } from '../common/constantTime';
import type { Disposable } from '../common/events';
import type { Logger } from '../common/logger';
import { nullLogger } from '../common/logger';
import { AuthError, redirectError } from './errors';
import { renderFailurePage, type AuthPages } from './pages';

export const CALLBACK_PATH = '/callback';
export const SIGNIN_PATH = '/signin';

// Any local process can connect to the listener while a sign-in waits, so it holds few connections, none for
// long, and none after it closes. A browser needs a handful; more are refused.
export const MAX_CONNECTIONS = 32;
const HEADERS_TIMEOUT_MS = 10_000;
const SOCKET_IDLE_MS = 15_000;

export interface LoopbackServerOptions {
  /** The `state` sent in the authorization request; only a callback carrying it completes the server. */
  readonly expectedState: string;
  readonly pages: AuthPages;
  readonly log?: Logger;
}

export interface AuthorizationCodeResult {
  readonly code: string;
}

/**
 * The RFC 8252 loopback redirect target: listens on 127.0.0.1 only (port chosen by the OS), accepts exactly one
 * callback whose `state` matches, answers it with the success or failure page, then closes.
 */
export class LoopbackServer implements Disposable {
  /** Resolves with the authorization code, or rejects with AuthError `denied` / `authorizationError` / `cancelled`. */
  readonly result: Promise<AuthorizationCodeResult>;
  private resolveResult!: (r: AuthorizationCodeResult) => void;
  private rejectResult!: (e: unknown) => void;
  private settled = false;
  private port = 0;
  private readonly log: Logger;
  private signIn: { nonce: string; authorizationUrl: string } | undefined;
  private readonly sockets = new Set<Socket>();
  /** Sockets that carry a response being written: closing lets that page finish. */
  private readonly answering = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    private readonly options: LoopbackServerOptions,
  ) {
    this.log = options.log ?? nullLogger;
    this.result = new Promise<AuthorizationCodeResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // Whoever races this promise handles the rejection; don't let an unobserved one crash the host.
    this.result.catch(() => undefined);
  }

  static async start(options: LoopbackServerOptions): Promise<LoopbackServer> {
    const server = http.createServer({
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: HEADERS_TIMEOUT_MS,
      keepAliveTimeout: 1000,
      connectionsCheckingInterval: 1000,
    });
    server.maxConnections = MAX_CONNECTIONS;
    const instance = new LoopbackServer(server, options);
    server.on('connection', (socket) => instance.track(socket));
    server.on('request', (req, res) => instance.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(
          new AuthError(
            'loopbackListenFailed',
            `Could not start the local sign-in listener on 127.0.0.1 (${err.code ?? err.message}). Check that loopback connections are allowed, or paste the redirect URL instead.`,
            { cause: err },
          ),
        );
      };
      server.once('error', onError);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', onError);
        resolve();
      });
    });
    instance.port = (server.address() as AddressInfo).port;
    instance.log.debug(`[loopback] listening on 127.0.0.1:${instance.port}`);
    return instance;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${this.port}${CALLBACK_PATH}`;
  }

  /**
   * The address to open in the browser: a query-free `/signin` URL on this server that redirects to
   * `authorizationUrl`. Openers that rewrite URLs (code-server's port forwarding, some remote setups) then
   * never touch the authorization request's query, whose scopes must reach Google byte for byte.
   */
  serveSignIn(authorizationUrl: string): string {
    this.signIn = { nonce: randomBytes(16).toString('hex'), authorizationUrl };
    return `http://127.0.0.1:${this.port}${SIGNIN_PATH}?nonce=${this.signIn.nonce}`;
  }

  /** Stops listening; a pending `result` rejects as cancelled. */
  dispose(): void {
    this.finish(() => this.rejectResult(new AuthError('cancelled', 'Sign-in was cancelled.')));
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.answering.delete(socket);
    });
    // Covers what the HTTP timeouts do not: a connection that never sends a byte.
    socket.setTimeout(SOCKET_IDLE_MS, () => socket.destroy());
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const socket = req.socket;
    this.answering.add(socket);
    res.once('close', () => {
      this.answering.delete(socket);
      if (!this.server.listening) socket.destroy();
    });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      return this.fail(res, 400, 'The request was malformed.');
    }
    if (req.method === 'GET' && url.pathname === SIGNIN_PATH) return this.redirectToSignIn(url, res);
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) return this.fail(res, 404, 'Not found.');
    // Google redirects the browser to the exact redirect URI; another Host is a page on some other name that
    // resolves here (DNS rebinding). `/signin` is not checked: port forwarders (code-server, remote windows)
    // reach it under their own host name, and its single-use nonce protects it.
    if (req.headers.host !== `127.0.0.1:${this.port}`) {
      return this.fail(res, 400, 'This address is not the sign-in listener. Start the sign-in again from VS Code.');
    }
    if (this.settled) return this.fail(res, 400, 'This sign-in attempt has already finished. Return to VS Code.');
    if (!equalsSecret(url.searchParams.get('state'), this.options.expectedState)) {
      this.log.warn('[loopback] ignored a callback whose state does not match this sign-in attempt');
      return this.fail(res, 400, 'This response does not belong to the current sign-in attempt. Start the sign-in again from VS Code.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      const err = redirectError(error);
      this.fail(res, 200, err.userMessage);
      this.finish(() => this.rejectResult(err));
      return;
    }
    const code = url.searchParams.get('code');
    if (!code) return this.fail(res, 400, 'The response has no authorization code. Start the sign-in again from VS Code.');
    this.send(res, 200, this.options.pages.success);
    this.finish(() => this.resolveResult({ code }));
  }

  private redirectToSignIn(url: URL, res: http.ServerResponse): void {
    const signIn = this.signIn;
    if (this.settled || !signIn || !equalsSecret(url.searchParams.get('nonce'), signIn.nonce)) {
      return this.fail(res, 400, 'This sign-in link has expired. Start the sign-in again from VS Code.');
    }
    // Single use: the link travels on the browser's command line, where other local users can read it, and its
    // answer reveals `state`. A second use fails visibly instead of leaking.
    this.signIn = undefined;
    res.writeHead(302, { Location: signIn.authorizationUrl, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', Connection: 'close' });
    res.end();
  }

  private fail(res: http.ServerResponse, status: number, reason: string): void {
    this.send(res, status, renderFailurePage(this.options.pages.failure, reason));
  }

  private send(res: http.ServerResponse, status: number, html: string): void {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    });
    res.end(html);
  }

  private finish(settle: () => void): void {
    if (this.settled) {
      this.closeServer();
      return;
    }
    this.settled = true;
    settle();
    this.closeServer();
  }

  private closeServer(): void {
    if (!this.server.listening) return;
    this.server.close();
    // A page being answered finishes first (its socket goes when its response closes); every other connection,
    // idle or half-sent, goes now.
    for (const socket of this.sockets) if (!this.answering.has(socket)) socket.destroy();
    this.log.debug('[loopback] closed');
  }
}
