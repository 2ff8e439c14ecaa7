// The slice of the webview API the results panel uses. `acquireVsCodeApi` may be called only once per page,
// so webview/results.ts calls it and passes the object in; tests pass a fake.

export interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): WebviewApi;
}
