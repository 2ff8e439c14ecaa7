import * as assert from 'node:assert/strict';
import { createNonce } from '../../../src/core/render/nonce';
import { loadHappyDom, newWindow } from './happyDom';
import { buildCsp, renderPanelHtml, type PanelHtmlOptions } from '../../../src/core/render/panelHtml';

const BASE: PanelHtmlOptions = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'AbCdEfGhIjKlMnOpQrStUv',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/results.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/results.css',
  title: 'Gemini Result',
};

function parse(html: string) {
  const window = newWindow();
  window.document.write(html);
  return { document: window.document, close: () => void window.happyDOM.close() };
}

describe('render/panelHtml', () => {
  before(loadHappyDom);

  it('sets exactly the CSP of the spec', () => {
    const html = renderPanelHtml(BASE);
    const expected = "default-src 'none'; script-src 'nonce-AbCdEfGhIjKlMnOpQrStUv'; style-src https://*.vscode-cdn.net; font-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net";
    assert.equal(buildCsp(BASE.cspSource, BASE.nonce), expected);
    const { document, close } = parse(html);
    const meta = document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]');
    assert.equal(meta.length, 1);
    assert.equal(meta[0]!.getAttribute('content'), expected);
    assert.ok(!html.includes('unsafe-inline') && !html.includes('unsafe-eval'));
    close();
  });

  it('loads one nonce’d script and the stylesheet, with no inline script or style', () => {
    const html = renderPanelHtml(BASE);
    const { document, close } = parse(html);
    const scripts = Array.from(document.querySelectorAll('script'));
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]!.getAttribute('nonce'), BASE.nonce);
    assert.equal(scripts[0]!.getAttribute('src'), BASE.scriptUri);
    assert.equal(scripts[0]!.textContent, '');
    const sheets = Array.from(document.querySelectorAll('link[rel="stylesheet"]')).map((l) => l.getAttribute('href'));
    assert.deepEqual(sheets, [BASE.styleUri]);
    assert.equal(document.querySelectorAll('style, [style]').length, 0);
    assert.ok(document.getElementById('app'));
    close();
  });

  it('escapes hostile titles and URIs', () => {
    const title = '</title><script>alert(1)</script><img src=x onerror=alert(1)>"\'&';
    const html = renderPanelHtml({ ...BASE, title, scriptUri: 'https://a/"><script>alert(1)</script>', styleUri: "https://a/' onload='x" });
    assert.ok(!html.includes('<script>alert'), html);
    const { document, close } = parse(html);
    assert.equal(document.title, title);
    assert.equal(document.querySelectorAll('script').length, 1);
    assert.equal(document.querySelectorAll('img').length, 0);
    assert.equal(document.querySelector('script')!.getAttribute('src'), 'https://a/"><script>alert(1)</script>');
    assert.equal(document.querySelector('link[rel="stylesheet"]')!.getAttribute('onload'), null);
    close();
  });

  it('refuses nonces and CSP sources that could bend the policy', () => {
    for (const nonce of ['', 'short', "abcdefghijklmnop' 'unsafe-inline", 'abcdefghijklmnop; script-src *', 'abcdefghijklmnop"']) {
      assert.throws(() => renderPanelHtml({ ...BASE, nonce }), /nonce/);
    }
    for (const cspSource of ['', "'unsafe-inline'", 'https://a; script-src *', 'https://a\nb', 'https://a"']) {
      assert.throws(() => renderPanelHtml({ ...BASE, cspSource }), /cspSource/);
    }
  });

  it("accepts the web host's 'self' keyword in cspSource, and no other quoted keyword", () => {
    const html = renderPanelHtml({ ...BASE, cspSource: "'self' https://*.vscode-cdn.net" });
    assert.ok(html.includes('style-src &#39;self&#39; https://*.vscode-cdn.net;'), html);
    for (const cspSource of ["'self' 'unsafe-eval'", "'none'", "'self''unsafe-inline'", "https://a 'unsafe-hashes'"]) {
      assert.throws(() => renderPanelHtml({ ...BASE, cspSource }), /cspSource/, cspSource);
    }
  });

  it('falls back to en for a strange lang', () => {
    assert.ok(renderPanelHtml({ ...BASE, lang: 'de-CH' }).includes('<html lang="de-CH">'));
    assert.ok(renderPanelHtml({ ...BASE, lang: '"><x' }).includes('<html lang="en">'));
  });

  it('createNonce: 128 random bits, CSP-safe, different every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
      assert.doesNotThrow(() => buildCsp('https://x', nonce));
    }
  });
});
