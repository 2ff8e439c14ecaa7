// The webview pages' HTML shell (results panel and activity view). Pure: the host passes the webview's cspSource,
// a fresh nonce (./nonce.ts) and the script and stylesheet URIs (`webview.asWebviewUri(...)`).

import { escapeHtml } from '../common/text';

export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** From `createNonce()`, new for every render. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  /** The document title. */
  readonly title: string;
  /** BCP 47 language of the UI, e.g. `vscode.env.language`; defaults to `en`. */
  readonly lang?: string;
}

const NONCE = /^[A-Za-z0-9+/_-]{16,128}={0,2}$/;
// A CSP source expression list: no separators, quotes or controls that could open a new directive. The one
// quoted keyword allowed is 'self' (VS Code's web and remote hosts give `'self' https://*.vscode-cdn.net`).
// eslint-disable-next-line no-control-regex
const CSP_SOURCE = /^(?:'self'|[^\s;,'"\\<>\u0000-\u001f\u007f]+)(?: (?:'self'|[^\s;,'"\\<>\u0000-\u001f\u007f]+))*$/;

/** The exact Content-Security-Policy of the pages. Throws on a nonce or source that could bend it. */
export function buildCsp(cspSource: string, nonce: string): string {
  if (!NONCE.test(nonce)) throw new Error('renderPanelHtml: the nonce must be base64 of at least 12 random bytes');
  if (!CSP_SOURCE.test(cspSource)) throw new Error('renderPanelHtml: unexpected characters in cspSource');
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${cspSource}; font-src ${cspSource}; img-src ${cspSource}`;
}

/** A whole page around `body` (markup the caller escaped): the CSP, one stylesheet, one nonce'd script. */
export function webviewPage(options: PanelHtmlOptions, body: string): string {
  const csp = buildCsp(options.cspSource, options.nonce);
  const h = escapeHtml;
  const lang = options.lang && /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/.test(options.lang) ? options.lang : 'en';
  return `<!DOCTYPE html>
<html lang="${h(lang)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${h(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${h(options.styleUri)}">
  <title>${h(options.title)}</title>
</head>
<body>
${body}
<script nonce="${h(options.nonce)}" src="${h(options.scriptUri)}"></script>
</body>
</html>
`;
}

/** The results panel: no data but escaped attributes; the answer arrives by message and the front end builds the DOM. */
export function renderPanelHtml(options: PanelHtmlOptions): string {
  return webviewPage(options, '<div id="app" class="app"></div>\n<noscript>This panel needs JavaScript to show the answer.</noscript>');
}
