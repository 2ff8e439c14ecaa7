import * as assert from 'node:assert/strict';
import { ALLOWED_ELEMENTS } from '../../../webview/render/allowlist';
import { renderMarkdown, sanitizeLanguage } from '../../../webview/render/markdown';
import { parseSafeHtml } from '../../../webview/render/safeHtml';
import { loadHappyDom, newWindow } from './happyDom';
import { elementNames, liveProblems } from './inertHtml';

const HOSTILE: readonly (readonly [string, string])[] = [
  ['script tag', '<script>alert(1)</script>'],
  ['script inline', 'Hello <script>alert(1)</script> world'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
  ['style element', '<style>body{display:none}</style>'],
  ['form', '<form action="https://evil.example"><input name=q><button>Go</button></form>'],
  ['svg onload', '<svg onload=alert(1)><circle r=1 /></svg>'],
  ['html block', '<div onclick="alert(1)">\n\n*md*\n\n</div>'],
  ['raw anchor', '<a href="javascript:alert(1)">click</a>'],
  ['javascript link', '[x](javascript:alert(1))'],
  ['mixed case scheme', '[x](JaVaScRiPt:alert(1))'],
  ['entity-encoded scheme', '[x](&#106;avascript:alert(1))'],
  ['hex entity scheme', '[x](&#x6A;&#x61;vascript:alert(1))'],
  ['named entity colon', '[x](javascript&colon;alert(1))'],
  ['tab inside scheme', '[x](<java\tscript:alert(1)>)'],
  ['newline inside scheme', '[x](<java\nscript:alert(1)>)'],
  ['leading space', '[x](< javascript:alert(1)>)'],
  ['percent-encoded scheme', '[x](%6Aavascript:alert(1))'],
  ['data url', '[x](data:text/html,<script>alert(1)</script>)'],
  ['data url base64', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
  ['vbscript', '[x](vbscript:msgbox(1))'],
  ['file', '[x](file:///etc/passwd)'],
  ['command uri', '[run](command:workbench.action.terminal.new)'],
  ['vscode uri', '[x](vscode://vscode.git/clone?url=x)'],
  ['protocol-relative', '[x](//evil.example/x)'],
  ['javascript autolink', '<javascript:alert(1)>'],
  ['data autolink', '<data:text/html,hi>'],
  ['command autolink', '<command:workbench.action.reloadWindow>'],
  ['bare javascript text', 'javascript:alert(1)'],
  ['image javascript', '![x](javascript:alert(1))'],
  ['image remote', '![tracking pixel](https://evil.example/pixel.png)'],
  ['image with title', '![a](https://evil.example/a.png "t\\" onerror=\\"alert(1)")'],
  ['link title breakout', '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")'],
  ['reference javascript', '[x][r]\n\n[r]: javascript:alert(1)'],
  ['fake copy button', '<button id="copy">Copy</button>'],
  ['fake copy link', '[Copy](#copy)'],
  ['fake stop link', '[Stop](#stop "Stop")'],
  ['relative link', '[x](settings.json)'],
  ['fence info injection', '```js" onload="alert(1)\ncode\n```'],
  ['fence info html', '```<script>\ncode\n```'],
  ['attribute syntax', '# Title {#copy .button onclick=alert(1)}'],
  ['table cell html', '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | <script>x</script> |'],
  ['nested emphasis html', '**<svg/onload=alert(1)>** _<a href=javascript:x>y</a>_'],
  ['null byte', '[x](java\u0000script:alert(1)) <scr\u0000ipt>'],
  ['unicode whitespace', '[x](<\u2028javascript:alert(1)>)'],
];

describe('render/markdown: hostile answers produce nothing live', () => {
  before(loadHappyDom);

  for (const [name, input] of HOSTILE) {
    it(name, () => {
      const html = renderMarkdown(input);
      assert.deepEqual(liveProblems(html), [], html);
      for (const tag of elementNames(html)) assert.ok(ALLOWED_ELEMENTS.has(tag), `<${tag}> is outside the allowlist in ${html}`);
    });
  }

  it('escapes raw HTML as text instead of dropping it', () => {
    assert.equal(renderMarkdown('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
  });

  it('leaves refused link destinations as visible text', () => {
    const html = renderMarkdown('[x](javascript:alert(1))');
    assert.ok(!html.includes('data-href'), html);
    assert.ok(html.includes('javascript:alert(1)'), 'the user can still see what the model wrote');
  });

  it('renders every attribute of every element from the allowlist', () => {
    const all = HOSTILE.map(([, s]) => s).join('\n\n') + '\n\n' + FEATURES;
    const window = newWindow();
    const template = window.document.createElement('template');
    template.innerHTML = renderMarkdown(all);
    for (const element of Array.from(template.content.querySelectorAll('*'))) {
      const allowed = ALLOWED_ELEMENTS.get(element.localName);
      assert.ok(allowed, element.localName);
      for (const { name } of Array.from(element.attributes)) assert.ok(allowed.has(name), `${name} on <${element.localName}>`);
    }
    void window.happyDOM.close();
  });
});

const FEATURES = [
  '# Heading 1',
  '## Heading 2',
  '',
  'Some *emphasis*, **strong**, ~~strike~~ and `inline code`.',
  '',
  '- one',
  '- two',
  '  1. nested',
  '',
  '> quoted',
  '',
  '| Left | Center | Right |',
  '|:-----|:------:|------:|',
  '| a    | b      | c     |',
  '',
  '```TypeScript',
  'const x: number = 1 < 2 ? 1 : 2;',
  '```',
  '',
  '```c++ {.line-numbers}',
  'int main() {}',
  '```',
  '',
  '```',
  'plain',
  '```',
  '',
  '---',
  '',
  'Visit https://example.com/docs?a=1&b=2 or [the guide](https://example.com/guide "Guide") or mail <mailto:me@example.com>.',
  '',
  '![diagram](https://example.com/d.png)',
  '![local](images/x.png) and ![empty]()',
].join('\n');

describe('render/markdown: features', () => {
  before(loadHappyDom);
  const html = renderMarkdown(FEATURES);

  it('renders headings, emphasis, lists, quotes and rules', () => {
    for (const fragment of ['<h1>Heading 1</h1>', '<h2>Heading 2</h2>', '<em>emphasis</em>', '<strong>strong</strong>', '<s>strike</s>', '<code>inline code</code>', '<blockquote>', '<hr>']) {
      assert.ok(html.includes(fragment), `${fragment} in ${html}`);
    }
    assert.deepEqual(
      elementNames(renderMarkdown('- one\n- two\n  1. nested\n')),
      ['ul', 'li', 'li', 'ol', 'li'],
    );
  });

  it('renders tables with alignment as classes, not inline styles', () => {
    assert.ok(html.includes('<th class="md-align-left">Left</th>'), html);
    assert.ok(html.includes('<th class="md-align-center">Center</th>'), html);
    assert.ok(html.includes('<td class="md-align-right">c</td>'), html);
    assert.ok(!html.includes('style='), html);
  });

  it('marks fenced code with a sanitised language class and escapes its content', () => {
    assert.ok(html.includes('<pre><code class="language-TypeScript">const x: number = 1 &lt; 2 ? 1 : 2;\n</code></pre>'), html);
    assert.ok(html.includes('<code class="language-c++">int main() {}'), html);
    assert.ok(html.includes('<pre><code>plain\n</code></pre>'), html);
  });

  it('makes web and mail links inert: data-href, no href', () => {
    assert.ok(html.includes('<a class="md-link" data-href="https://example.com/docs?a=1&amp;b=2" role="link" tabindex="0" title="https://example.com/docs?a=1&amp;b=2">https://example.com/docs?a=1&amp;b=2</a>'), html);
    assert.ok(html.includes('data-href="https://example.com/guide" role="link" tabindex="0" title="Guide">the guide</a>'), html);
    assert.ok(html.includes('data-href="mailto:me@example.com"'), html);
    assert.ok(!/\shref=/.test(html), html);
  });

  it('renders images as links (remote) or alt text (anything else), never <img>', () => {
    assert.ok(html.includes('class="md-link md-image" data-href="https://example.com/d.png"'), html);
    assert.ok(html.includes('>Image: diagram</a>'), html);
    assert.ok(html.includes('![local](images/x.png)'), 'a refused destination stays visible as text');
    assert.ok(html.includes('<span class="md-image-alt">empty</span>'), html);
    assert.ok(!html.includes('<img'), html);
  });

  it('shows reference-style definitions as text (they would break incremental rendering)', () => {
    const out = renderMarkdown('[x][r]\n\n[r]: https://example.com');
    assert.ok(!out.includes('data-href="https://example.com" role="link" tabindex="0" title="https://example.com">x<'), out);
  });
});

describe('render/markdown: sanitizeLanguage', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['js', 'js'],
    ['  python  extra words', 'python'],
    ['c++', 'c++'],
    ['objective-c', 'objective-c'],
    ['x_y', 'x_y'],
    ['js"><script>', 'jsscript'],
    ['{.class}', 'class'],
    ['', ''],
    ['ä', ''],
    ['a'.repeat(100), 'a'.repeat(32)],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input).slice(0, 40), () => assert.equal(sanitizeLanguage(input), expected));
  }
});

describe('render/safeHtml: the one sanitizing pass holds any HTML to the allowlist', () => {
  before(loadHappyDom);

  // What a renderer bug could emit: raw HTML as it is, not as Markdown.
  const RAW: readonly string[] = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<p onclick="alert(1)" style="color:red" id="copy">x</p>',
    '<a href="javascript:alert(1)" data-href="javascript:alert(1)">x</a>',
    '<a class="md-link" data-href="command:workbench.action.reloadWindow" role="link">x</a>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="https://evil.example"><button id="stop">Stop</button></form>',
    '<details open ontoggle=alert(1)><summary>x</summary></details>',
    '<code class="language-js" onmouseover="alert(1)">x</code><ol start="3" reversed type="a"><li>x</li></ol>',
    '<template><script>alert(1)</script></template><noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
  ];
  for (const html of RAW) {
    it(html.slice(0, 60), () => {
      const window = newWindow();
      const doc = window.document as unknown as Document;
      const host = doc.createElement('div');
      host.append(parseSafeHtml(doc, html));
      assert.deepEqual(liveProblems(host.innerHTML), [], host.innerHTML);
      for (const element of Array.from(host.querySelectorAll('*'))) {
        const allowed = ALLOWED_ELEMENTS.get(element.localName);
        assert.ok(allowed, `<${element.localName}> in ${host.innerHTML}`);
        for (const { name } of Array.from(element.attributes)) assert.ok(allowed.has(name), `${name} on <${element.localName}>`);
      }
      void window.happyDOM.close();
    });
  }

  it('keeps what the renderer emits exactly as it is', () => {
    const window = newWindow();
    const html = renderMarkdown(FEATURES);
    const doc = window.document as unknown as Document;
    const host = doc.createElement('div');
    host.append(parseSafeHtml(doc, html));
    const reference = doc.createElement('div');
    reference.innerHTML = html;
    assert.equal(host.innerHTML, reference.innerHTML);
    void window.happyDOM.close();
  });
});
