// The results panel's HTML document. Pure: the host passes the webview's cspSource, a fresh nonce (see
// ./nonce.ts) and the URIs of the script and stylesheet (`webview.asWebviewUri(...)`). The page holds no data
// but escaped attributes; the answer arrives by message and the front end builds the rest of the DOM.

export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** From `createNonce()`, new for every render. */
  readonly nonce: string;
  /** `dist/webview/results.js` as a webview URI. */
  readonly scriptUri: string;
  /** `media/results.css` as a webview URI. */
  readonly styleUri: string;
  /** The panel's document title. */
  readonly title: string;
  /** BCP 47 language of the UI, e.g. `vscode.env.language`; defaults to `en`. */
  readonly lang?: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,128}={0,2}$/;
// A CSP source expression list: no separators, quotes or controls that could open a new directive. The one
// quoted keyword allowed is 'self' (VS Code's web and remote hosts give `'self' https://*.vscode-cdn.net`).
// eslint-disable-next-line no-control-regex
const CSP_SOURCE = /^(?:'self'|[^\s;,'"\\<>\u0000-\u001f\u007f]+)(?: (?:'self'|[^\s;,'"\\<>\u0000-\u001f\u007f]+))*$/;

export function escapeHtmlAttribute(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The exact Content-Security-Policy of the panel. Throws on a nonce or source that could bend it. */
export function buildCsp(cspSource: string, nonce: string): string {
  if (!NONCE.test(nonce)) throw new Error('renderPanelHtml: the nonce must be base64 of at least 12 random bytes');
  if (!CSP_SOURCE.test(cspSource)) throw new Error('renderPanelHtml: unexpected characters in cspSource');
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource}; font-src ${cspSource}; img-src ${cspSource}`;
}

export function renderPanelHtml(options: PanelHtmlOptions): string {
  const csp = buildCsp(options.cspSource, options.nonce);
  const attr = escapeHtmlAttribute;
  const lang = options.lang && /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(options.lang) ? options.lang : 'en';
  return `<!DOCTYPE html>
<html lang="${attr(lang)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(options.styleUri)}">
  <title>${escapeHtmlText(options.title)}</title>
</head>
<body>
  <div id="app" class="app"></div>
  <noscript>This panel needs JavaScript to show the answer.</noscript>
  <script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeHtmlText(value: string): string {
  return value.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
