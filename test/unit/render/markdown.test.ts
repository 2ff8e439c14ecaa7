import * as assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { defaultMarkdown, NORMAL_WEB_URL, sanitizeLanguage, type MdToken } from '../../../webview/render/markdown';
import { loadHappyDom, newWindow } from './happyDom';
import { ALLOWED_ELEMENTS, elementNames, liveProblems } from './inertHtml';
import { markdownHtml, tokensHtml } from './markdownHtml';

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
      const html = markdownHtml(input);
      assert.deepEqual(liveProblems(html), [], html);
      for (const tag of elementNames(html)) assert.ok(ALLOWED_ELEMENTS.has(tag), `<${tag}> is outside the allowlist in ${html}`);
    });
  }

  it('escapes raw HTML as text instead of dropping it', () => {
    assert.equal(markdownHtml('<script>alert(1)</script>'), '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('leaves refused link destinations as visible text', () => {
    const html = markdownHtml('[x](javascript:alert(1))');
    assert.ok(!html.includes('data-href'), html);
    assert.ok(html.includes('javascript:alert(1)'), 'the user can still see what the model wrote');
  });

  it('renders every attribute of every element from the allowlist', () => {
    const all = HOSTILE.map(([, s]) => s).join('\n\n') + '\n\n' + FEATURES;
    const window = newWindow();
    const template = window.document.createElement('template');
    template.innerHTML = markdownHtml(all);
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
  let html = '';
  before(async () => {
    await loadHappyDom();
    html = markdownHtml(FEATURES);
  });

  it('renders headings, emphasis, lists, quotes and rules', () => {
    for (const fragment of ['<h1>Heading 1</h1>', '<h2>Heading 2</h2>', '<em>emphasis</em>', '<strong>strong</strong>', '<s>strike</s>', '<code>inline code</code>', '<blockquote>', '<hr>']) {
      assert.ok(html.includes(fragment), `${fragment} in ${html}`);
    }
    assert.deepEqual(
      elementNames(markdownHtml('- one\n- two\n  1. nested\n')),
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
    assert.ok(html.includes('<a role="link" tabindex="0" class="md-link" data-href="https://example.com/docs?a=1&amp;b=2" title="https://example.com/docs?a=1&amp;b=2">https://example.com/docs?a=1&amp;b=2</a>'), html);
    assert.ok(html.includes('class="md-link" data-href="https://example.com/guide" title="Guide">the guide</a>'), html);
    assert.ok(html.includes('data-href="mailto:me@example.com"'), html);
    assert.ok(!/\shref=/.test(html), html);
  });

  it('normalises link destinations exactly as markdown-it does (plain web URLs skip its work)', () => {
    const plain = new MarkdownIt();
    const alphabet = "abcXYZ019;/?:@&=+$,-_.!~*'()#%[]{}<>|^` \"\\é😀";
    const urls = ['https://example.com/docs?a=1&b=2#x', 'http://a.b:8080/', 'https://Example.COM/x', 'https://example.com/a b', 'https://example.com/%41%zz', 'https://éxample.com/', 'mailto:me@example.com', 'https://example.com/ü?q=ü#ü', 'https://example.com/[x]', `https://${`${'a'.repeat(63)}.`.repeat(4)}com/x`, `https://${`${'a'.repeat(63)}.`.repeat(3)}com/x`, `https://${'a'.repeat(300)}/x`];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) urls.push(`https://ex${i % 3 ? '' : 'A'}ample.com/${Array.from({ length: 1 + Math.floor(random() * 12) }, () => [...alphabet][Math.floor(random() * [...alphabet].length)]).join('')}`);
    for (const url of urls) assert.equal(defaultMarkdown().normalizeLink(url), plain.normalizeLink(url), url);
    const fast = urls.filter((url) => NORMAL_WEB_URL.test(url)).length;
    assert.ok(fast > 100 && fast < urls.length - 100, `${fast} of ${urls.length} took the fast path`);
  });

  it('renders images as links (remote) or alt text (anything else), never <img>', () => {
    assert.ok(html.includes('class="md-link md-image" data-href="https://example.com/d.png"'), html);
    assert.ok(html.includes('>Image: diagram</a>'), html);
    assert.ok(html.includes('![local](images/x.png)'), 'a refused destination stays visible as text');
    assert.ok(html.includes('<span class="md-image-alt">empty</span>'), html);
    assert.ok(!html.includes('<img'), html);
  });

  it('shows reference-style definitions as text (they would break incremental rendering)', () => {
    const out = markdownHtml('[x][r]\n\n[r]: https://example.com');
    assert.ok(!out.includes('data-href="https://example.com" title="https://example.com">x<'), out);
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

describe('render/markdown: the builder makes nothing outside the allowlist, whatever the tokens hold', () => {
  before(loadHappyDom);

  // What a parser bug or a plugin could hand the builder: tokens of any type, tag, attributes and content.
  const token = (type: string, nesting: number, fields: Partial<MdToken> = {}): MdToken => ({ type, tag: '', nesting, content: '', info: '', hidden: false, attrs: null, children: null, ...fields });
  const HOSTILE_TOKENS: readonly (readonly [string, readonly MdToken[]])[] = [
    ['raw HTML blocks and inline HTML', [token('html_block', 0, { content: '<script>alert(1)</script>' }), token('html_inline', 0, { content: '<img src=x onerror=alert(1)>' })]],
    ['an unknown element type with a dangerous tag and attributes', [token('script_open', 1, { tag: 'script', attrs: [['src', 'https://evil.example/x.js']] }), token('text', 0, { content: 'x' }), token('script_close', -1, { tag: 'script' })]],
    ['a paragraph or heading with another tag', [token('paragraph_open', 1, { tag: 'iframe', attrs: [['onload', 'alert(1)'], ['id', 'copy']] }), token('paragraph_close', -1), token('heading_open', 1, { tag: 'svg' }), token('heading_close', -1)]],
    ['a link to a refused destination', [token('link_open', 1, { tag: 'a', attrs: [['href', 'javascript:alert(1)'], ['onclick', 'x']] }), token('text', 0, { content: 'x' }), token('link_close', -1)]],
    ['a command link', [token('link_open', 1, { attrs: [['href', 'command:workbench.action.reloadWindow']] }), token('link_close', -1)]],
    ['a link title that breaks out', [token('link_open', 1, { attrs: [['href', 'https://ok.example'], ['title', '" onmouseover="alert(1)']] }), token('link_close', -1)]],
    ['an image with a script source', [token('image', 0, { attrs: [['src', 'javascript:alert(1)']], children: [token('text', 0, { content: '<b>alt</b>' })] })]],
    ['a cell with an inline style', [token('td_open', 1, { attrs: [['style', 'color:red'], ['onclick', 'x']] }), token('td_close', -1)]],
    ['an ordered list with a hostile start', [token('ordered_list_open', 1, { attrs: [['start', '3" onclick="alert(1)'], ['reversed', '']] }), token('ordered_list_close', -1)]],
    ['a fence with a hostile info string', [token('fence', 0, { info: 'js" onload="alert(1)', content: '</code><script>alert(1)</script>' })]],
    ['inline code holding HTML', [token('code_inline', 0, { content: '<button id="stop">Stop</button>' })]],
    ['unbalanced closing tokens', [token('em_close', -1), token('strong_close', -1), token('text', 0, { content: '<svg onload=alert(1)>' })]],
  ];
  for (const [name, tokens] of HOSTILE_TOKENS) {
    it(name, () => {
      const html = tokensHtml(tokens);
      assert.deepEqual(liveProblems(html), [], html);
      const window = newWindow();
      const template = window.document.createElement('template');
      template.innerHTML = html;
      for (const element of Array.from(template.content.querySelectorAll('*'))) {
        const allowed = ALLOWED_ELEMENTS.get(element.localName);
        assert.ok(allowed, `<${element.localName}> in ${html}`);
        for (const { name: attribute } of Array.from(element.attributes)) assert.ok(allowed.has(attribute), `${attribute} on <${element.localName}>`);
      }
      void window.happyDOM.close();
    });
  }

  it('keeps text as text: what looks like markup stays visible', () => {
    assert.equal(tokensHtml([token('html_block', 0, { content: '<b>x</b>' })]), '&lt;b&gt;x&lt;/b&gt;');
    assert.equal(tokensHtml([token('code_inline', 0, { content: '<i>' })]), '<code>&lt;i&gt;</code>');
  });
});
