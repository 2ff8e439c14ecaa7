import * as assert from 'node:assert/strict';
import { answerOfShape, SHAPES } from '../../../scripts/bench/shapes';
import { IncrementalMarkdown, type IncrementalUpdate } from '../../../webview/render/incremental';
import { loadHappyDom } from './happyDom';
import { markdownHtml, tokensHtml } from './markdownHtml';
import { IncrementalResult, type ResultStreamKind } from '../../../webview/render/pacing';

const DOCS: Readonly<Record<string, string>> = {
  mixed: [
    '# Summary',
    '',
    'The module parses **SSE** events and `JSON` bodies.',
    'It keeps state between chunks.',
    '',
    '## Steps',
    '1. Split lines',
    '2. Join data',
    '',
    '- bullet a',
    '- bullet b',
    '',
    '- loose item',
    '',
    '| Name | Value |',
    '|:-----|------:|',
    '| a    | 1     |',
    '| b    | 2     |',
    '',
    '```ts',
    'function f(x: number) {',
    '',
    '  return x < 2;',
    '}',
    '```',
    'Text right after the fence.',
    '',
    '> quote',
    '',
    '> another quote',
    '',
    'Setext',
    '======',
    '***',
    'end https://example.com/x',
  ].join('\n'),
  lists: '1. a\n\n2. b\n   more\n\n   continued\n\n3) c\n\n- x\n\n  - nested\n\n    deep\n\n* star\n+ plus\n\n-\n\n10. ten\n\nafter\n',
  fences: '```js\nconst a = 1;\n\n\nconst b = 2;\n```\n\nafter\n\n~~~\nx\n\n~~~~\n\n    indented\n\n    code\n\nend\n\n- item\n\n  ```\n  in list\n\n  still\n  ```\n\n```\nunclosed\n\n\nfence',
  tables: 'a | b\n-|-\n1 | 2\n\n| x |\n|---|\n| y |\nnot a row?\n\n| h1 | h2 |\n| --- | --- |\n\n|no|table|\n',
  crlf: '# Title\r\n\r\nline one\r\nline two\r\n\r\n- a\r\n- b\r\n\r\n```\r\ncode\r\n\r\n```\r\n\r\nend\r',
  // Long paragraphs and fences are opened and committed in pieces (openChars 0 opens every one).
  paragraph: 'one two three\nfour *five\nsix* seven `eight\nnine` ten [a\nb](https://x.example) c  \nhard\\\nbreak\n  indented words here\nlast line words',
  setext: 'first line of a paragraph\nsecond line goes on\nthird line\n===\n\nnext para one\nnext para two\n---\nafter',
  interrupted: 'para one words\npara two words\na | b\n-|-\n1 | 2\n\npara again\n- list\nmore para words\n# head\nwords\n> quote\nwords and words\n```\ncode\n```\nend words',
  midline: 'alpha beta gamma delta 漢字 epsilon 🙂 zeta **eta** theta _iota_ kappa a_b c*d e ~f~ [g] (h) https://example.com/x?y=1 mail@example.com &amp; \\* end',
  bigTable: '| a | b |\n|:-|-:|\n| 1 | **2** |\n| `3` | 4\n5 | 6 |\n|7|\n\n| x |\n|---|\n| y |\nnot a row\n| z |\n> q',
  pipes: 'cell words | more words\n|-|-|\nnot | a | table | here\nwords | x\n-|-\nend',
  longFence: '```js\nline 1\n~~~\n``\n    ```x\nline <2> & "3"\n````\nafter fence\n\n~~~~ text\nin tilde\n~~~\n~~~~~\n\n```\nunclosed <b>\nrest',
  // A long quote is opened: its blocks go on the page as they complete, inside it.
  quotes: '> # In a quote\n> para one\nlazy line\n>\n> - item a\n> - item b\n>\n>     indented code\n>\n> ```js\n> fenced\n>\n> ```\n> after fence\n> ---\n> > nested one\n> > nested two\n>\n> > nested again\n>\n> 1. one\n>\n>    two words\n> setext\n> ===\n>\n> | a | b |\n> |---|---|\n> | 1 | 2 |\n>\n> last *words\n> here*\n\nafter the quote\n\n>quote\n>\n>  \tend',
  edgy: '\n\n\n   \n\tb\n\n  - c\n\n<div>\n\n</div>\n\n[x]: https://a.example\n\n[x]\n\n#\n\n#not heading\n\n---\n--\n\n```\n```\n\n````md\n```\ninner\n```\n````\n',
};

/** Lines that end, continue or change blocks in surprising ways (random documents are made of them). */
const TRICKY_LINES = ['', '', '', 'para text', 'more words here', 'x *y', 'z* w', '`a', 'b` c', '[l', 'k](https://a.example)', 'word  ', 'end\\\\', '===', '漢字 🙂 عربي', '- item', '* star', '+ plus', '1. one', '2. two', '3) three', '  indented', '    code', '```', '```js', '~~~', '> quote', '>', '# head', '## h2', '---', '===', '***', '| a | b |', '|---|---|', '| 1 | 2 |', 'a | b', '-|-', '\t tab', '   - deep', '      deeper', '-', '1.', '[x]: https://a.example', '[x]', '<div>', 'http://b.example', '`code`', '**bold', '* * *', '  ```', '   ~~~', '> - q item', '>     qcode', 'line\r', 'a\r\nb'];

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Applies updates as the webview does (./streamView.ts), on strings: committed parts appended, an open block's tail inside it. */
class Page {
  committed = '';
  private openAt = -1;
  private after = '';
  private openTail = '';
  tail = '';

  get isOpen(): boolean {
    return this.openAt >= 0;
  }

  apply(update: IncrementalUpdate | undefined): void {
    if (!update) return;
    if (update.reopen) {
      assert.ok(this.isOpen, 'reopen without an open block');
      this.committed = this.committed.slice(0, this.openAt);
      this.openAt = -1;
    }
    for (const part of update.committed) {
      if (part.kind === 'open') {
        assert.ok(!this.isOpen, 'open inside an open block');
        // An empty block: what goes inside it goes before its closing tags.
        const html = tokensHtml(part.tokens);
        const closing = /(?:<\/[a-z0-9]+>)+$/.exec(html);
        assert.ok(closing, html);
        this.openAt = this.committed.length;
        this.committed += html.slice(0, closing.index);
        this.after = closing[0];
      } else if (part.kind === 'close') {
        assert.ok(this.isOpen, 'close without an open block');
        this.committed += this.after;
        this.openAt = -1;
      } else {
        assert.equal(this.isOpen, part.kind === 'inline', `${part.kind} ${this.isOpen ? 'inside' : 'outside'} an open block`);
        this.committed += tokensHtml(part.tokens);
      }
    }
    this.openTail = tokensHtml(update.openTail);
    this.tail = tokensHtml(update.tail);
    if (!this.isOpen) assert.equal(this.openTail, '');
  }

  html(): string {
    return this.committed + (this.isOpen ? this.openTail + this.after : '') + this.tail;
  }
}

/** Feeds `chunks`; asserts the invariant after every step; returns the final committed HTML. */
function feed(chunks: readonly string[], openChars?: number): { html: string; inc: IncrementalMarkdown } {
  const inc = new IncrementalMarkdown(openChars === undefined ? {} : { openChars });
  const page = new Page();
  let sofar = '';
  for (const chunk of chunks) {
    sofar += chunk;
    page.apply(inc.append(chunk));
    const expected = markdownHtml(normalise(sofar));
    if (page.html() !== expected) {
      assert.fail(`after ${JSON.stringify(sofar.slice(-80))}:\n--- got\n${page.html()}\n--- expected\n${expected}`);
    }
  }
  page.apply(inc.finish());
  assert.equal(page.isOpen, false);
  assert.equal(page.tail, '');
  return { html: page.committed, inc };
}

function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** Deterministic PRNG (mulberry32) so a failure is reproducible. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('render/incremental: equals rendering all at once', () => {
  before(loadHappyDom);
  for (const [name, doc] of Object.entries(DOCS)) {
    for (const openChars of [undefined, 0]) {
      const how = openChars === 0 ? ', blocks opened at once' : '';
      it(`${name}: every single split point${how}`, () => {
        const expected = markdownHtml(normalise(doc));
        for (let i = 0; i <= doc.length; i++) {
          assert.equal(feed([doc.slice(0, i), doc.slice(i)], openChars).html, expected, `split at ${i}`);
        }
      });

      it(`${name}: fixed chunk sizes 1..9 and 64${how}`, () => {
        const expected = markdownHtml(normalise(doc));
        for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 64]) assert.equal(feed(chunksOf(doc, size), openChars).html, expected, `size ${size}`);
      });
    }
  }

  it('commits blocks as they complete (the tail does not hold the whole answer)', () => {
    const { inc } = feed(chunksOf(DOCS.mixed!, 5));
    const stats = inc.stats;
    assert.equal(stats.committedChars, DOCS.mixed!.length);
    // Re-parsing only the uncommitted rest: far less than the ~N²/2/5 a full re-render per chunk would cost.
    assert.ok(stats.parsedChars < (DOCS.mixed!.length * DOCS.mixed!.length) / 40, `parsed ${stats.parsedChars}`);
  });

  /** Feeds `count` documents of 3–16 lines (`line` picks each) in chunks of 1–8 characters; every block opened at once in every other one. */
  function feedRandom(seed: number, count: number, line: (random: () => number) => string, end: (random: () => number) => string): void {
    const random = prng(seed);
    for (let n = 0; n < count; n++) {
      const doc = Array.from({ length: 3 + Math.floor(random() * 14) }, () => line(random)).join('\n') + end(random);
      const chunks: string[] = [];
      for (let i = 0; i < doc.length; ) {
        const size = 1 + Math.floor(random() * 8);
        chunks.push(doc.slice(i, i + size));
        i += size;
      }
      assert.equal(feed(chunks, n % 2 ? 0 : undefined).html, markdownHtml(normalise(doc)), JSON.stringify(doc));
    }
  }
  const trickyLine = (random: () => number) => TRICKY_LINES[Math.floor(random() * TRICKY_LINES.length)]!;

  it('random documents of tricky lines, random chunking (seeded)', () => {
    feedRandom(20240611, 1500, trickyLine, (random) => (random() < 0.5 ? '\n' : ''));
  });

  it('random quotes of tricky lines (some lazy, some ending the quote), random chunking (seeded)', () => {
    feedRandom(20261202, 800, (random) => `${random() < 0.85 ? '> ' : ''}${trickyLine(random)}`, () => '');
  });

  it('joins \\r and \\n split across chunks into one line break', () => {
    assert.equal(feed(['a\r', '\nb\r', '\r\n', 'c']).html, markdownHtml('a\nb\n\nc'));
    // The `\n` of a `\r\n` alone in its chunk: the next `\n` is a line of its own (a blank line, here).
    assert.equal(feed(['a\r', '\n', '\n-\nb']).html, markdownHtml('a\n\n-\nb'));
  });

  it('a block opened and found to be another in the same update is taken back, not left on the page', () => {
    // A table opened on a row that was only a backtick (it opens a fence); a loose list of empty items, opened and
    // made something else by the next line.
    for (const chunks of [['| a | b |\n-|-\n`', '``js\n'], ['| a | b |\n-|-\n  `', '``\nx'], ['1.\n\n1', '.\n> -'], ['## h2\n1.\n\n1', '.\n> - q item\n']]) {
      assert.equal(feed(chunks, 0).html, markdownHtml(chunks.join('')), JSON.stringify(chunks));
    }
  });

  it('finish() without text, and append after finish', () => {
    const inc = new IncrementalMarkdown();
    const empty = { reopen: false, committed: [], openTail: [], tail: [] };
    assert.deepEqual(inc.finish(), empty);
    assert.deepEqual(inc.finish(), empty);
    assert.throws(() => inc.append('x'));
  });

  /** Feeds `chunks`, opening blocks from `openChars` on: how many were opened and the largest tail replaced. */
  function feedCounting(chunks: readonly string[], openChars: number): { html: string; opens: number; largestTail: number } {
    const inc = new IncrementalMarkdown({ openChars });
    const page = new Page();
    let opens = 0;
    let largestTail = 0;
    for (const chunk of chunks) {
      const update = inc.append(chunk);
      page.apply(update);
      opens += update.committed.filter((p) => p.kind === 'open').length;
      largestTail = Math.max(largestTail, tokensHtml(update.openTail).length + tokensHtml(update.tail).length);
      assert.equal(update.reopen, false);
    }
    page.apply(inc.finish());
    return { html: page.committed, opens, largestTail };
  }

  it('a long paragraph goes on the page once and grows by appended pieces', () => {
    const chunks = Array.from({ length: 400 }, (_, i) => `word${i} 漢字 🙂 `);
    const { html, opens, largestTail } = feedCounting(chunks, 100);
    assert.equal(opens, 1);
    assert.ok(largestTail < 200, `the replaced tail stays small (${largestTail})`);
    assert.equal(html, markdownHtml(chunks.join('')));
  });

  it('a long quote goes on the page once, and its blocks are appended as they complete', () => {
    const blocks = (i: number) => [`> Para ${i} *with* \`code\`\n> and a second line\n>\n`, `> - item ${i}\n> - item\n>\n`, '> ```\n> code\n> ```\n', `> ## Heading ${i}\n`];
    const chunks = [...Array.from({ length: 200 }, (_, i) => blocks(i)[i % 4]!), '\nafter the quote\n'];
    const { html, opens, largestTail } = feedCounting(chunks, 100);
    assert.equal(opens, 1);
    assert.ok(largestTail < 300, `the replaced tail stays small (${largestTail})`);
    assert.equal(html, markdownHtml(chunks.join('')));
  });

  it('a setext underline after a long open paragraph reopens it as a heading', () => {
    const inc = new IncrementalMarkdown({ openChars: 10 });
    const page = new Page();
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} of words`).join('\n') + '\n';
    page.apply(inc.append(lines));
    assert.ok(page.isOpen);
    const update = inc.append('===\n\nafter\n');
    assert.equal(update.reopen, true);
    page.apply(update);
    page.apply(inc.finish());
    assert.equal(page.committed, markdownHtml(`${lines}===\n\nafter\n`));
    assert.ok(page.committed.startsWith('<h1>'));
  });
});

describe('render/incremental: work is linear in the answer size', () => {
  before(loadHappyDom);
  it('a 1 MB answer in 2,000 chunks parses each character a bounded number of times', () => {
    const blocks = [
      (i: number) => `## Section ${i}\n\n`,
      (i: number) => `Paragraph ${i} explains the idea with *emphasis*, \`code\` and a link https://example.com/${i}. `.repeat(4) + '\n\n',
      (i: number) => `- point ${i}\n- another point\n  - nested ${i}\n\n`,
      (i: number) => `1. first ${i}\n\n2. second\n\n`,
      (i: number) => `| key | value |\n|---|---:|\n| a${i} | ${i} |\n| b | 2 |\n\n`,
      (i: number) => '```ts\n' + `const x${i} = ${i};\n\nfunction f() {\n  return x${i} * 2;\n}\n` + '```\n\n',
      (i: number) => `> quoted ${i}\n> more\n\n`,
    ];
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_000_000; i++) {
      const part = blocks[i % blocks.length]!(i);
      parts.push(part);
      size += part.length;
    }
    const text = parts.join('');
    const chunkSize = Math.floor(text.length / 2000);
    const inc = new IncrementalMarkdown();
    const page = new Page();
    let updates = 0;
    for (let i = 0; i < text.length; i += chunkSize) {
      page.apply(inc.append(text.slice(i, i + chunkSize)));
      updates++;
    }
    page.apply(inc.finish());
    const committed = page.committed.length;
    const stats = inc.stats;
    assert.ok(updates >= 2000);
    assert.equal(stats.committedChars, text.length);
    // Each update re-parses the uncommitted rest: one chunk plus at most a block or two of context.
    // A full re-render per update would parse ~updates × size / 2 ≈ 1,000 × the text.
    const ratio = stats.parsedChars / text.length;
    assert.ok(ratio < 5, `parsed ${stats.parsedChars} chars for ${text.length} (×${ratio.toFixed(1)})`);
    assert.ok(committed > text.length / 2, 'the HTML was produced');
  });
});

describe('render/incremental: IncrementalResult keeps the thoughts apart from the answer', () => {
  before(loadHappyDom);
  /** One Page per stream. */
  class Pages {
    readonly thoughts = new Page();
    readonly answer = new Page();
    apply(update: { thoughts?: IncrementalUpdate; answer?: IncrementalUpdate }): void {
      this.thoughts.apply(update.thoughts);
      this.answer.apply(update.answer);
    }
  }

  it('interleaved thought and answer parts render as each text alone, at every step (seeded)', () => {
    const texts: Record<ResultStreamKind, string> = { thoughts: DOCS.mixed!, answer: DOCS.fences! };
    const random = prng(77);
    for (let run = 0; run < 40; run++) {
      const result = new IncrementalResult(run % 2 ? { openChars: 0 } : {});
      const page = new Pages();
      const sent: Record<ResultStreamKind, number> = { thoughts: 0, answer: 0 };
      while (sent.thoughts < texts.thoughts.length || sent.answer < texts.answer.length) {
        const kind: ResultStreamKind = sent.answer >= texts.answer.length || (sent.thoughts < texts.thoughts.length && random() < 0.5) ? 'thoughts' : 'answer';
        const size = 1 + Math.floor(random() * 12);
        result.push(kind, texts[kind].slice(sent[kind], sent[kind] + size));
        sent[kind] += size;
        const update = result.render(0, false);
        assert.equal(update.deferred, false);
        page.apply(update);
        for (const k of ['thoughts', 'answer'] as const) {
          assert.equal(page[k].html(), markdownHtml(normalise(texts[k].slice(0, sent[k]))), `${k} after ${sent.thoughts}/${sent.answer}`);
        }
      }
      page.apply(result.render(0, true));
      assert.equal(page.thoughts.tail + page.answer.tail, '', 'no tail once final');
      assert.equal(page.thoughts.committed, markdownHtml(normalise(texts.thoughts)));
      assert.equal(page.answer.committed, markdownHtml(normalise(texts.answer)));
    }
  });

  it('a thought arriving inside the answer’s open code fence stays out of it', () => {
    const result = new IncrementalResult({ openChars: 0 });
    const page = new Pages();
    const step = (kind: ResultStreamKind, text: string) => {
      result.push(kind, text);
      page.apply(result.render(0, false));
    };
    step('thoughts', '**Planning**\n\n');
    step('answer', '```ts\nconst a = 1;\n');
    step('thoughts', '- check the `fence`\n');
    step('answer', 'const b = 2;\n```\n\nDone.');
    page.apply(result.render(0, true));
    assert.equal(page.answer.committed, markdownHtml('```ts\nconst a = 1;\nconst b = 2;\n```\n\nDone.'));
    assert.equal(page.thoughts.committed, markdownHtml('**Planning**\n\n- check the `fence`\n'));
    assert.ok(!page.answer.committed.includes('Planning') && !page.thoughts.committed.includes('const'));
  });

  it('paces each stream’s huge unfinished block on its own, and renders everything when final', () => {
    const result = new IncrementalResult({ largeTailChars: 1000, maxTailLagMs: 500 });
    result.push('answer', 'x'.repeat(2000)); // one paragraph, still open
    assert.ok(result.render(0, false).answer, 'a first render is always due');
    result.push('answer', 'y'.repeat(100)); // grew by far less than a quarter
    result.push('thoughts', 'A short thought.');
    const held = result.render(10, false);
    assert.equal(held.deferred, true);
    assert.equal(held.answer, undefined, 'the large answer tail waits');
    assert.match(tokensHtml(held.thoughts?.tail ?? []), /A short thought/, 'the thoughts do not wait for it');
    const late = result.render(510, false);
    assert.equal(late.deferred, false);
    assert.match(tokensHtml(late.answer?.tail ?? []), /y{100}/, 'rendered once the lag is reached');
    result.push('answer', 'z'.repeat(10));
    const final = result.render(511, true);
    assert.equal(final.deferred, false);
    assert.deepEqual(final.answer?.tail, []);
    const committed = (update: IncrementalUpdate | undefined) => update?.committed.map((p) => ('tokens' in p ? tokensHtml(p.tokens) : '')).join('');
    assert.match(committed(final.answer) ?? '', /z{10}/);
    assert.equal(committed(final.thoughts), markdownHtml('A short thought.'));
    assert.deepEqual(result.render(600, true), { deferred: false }, 'nothing left after the end');
  });

  it('renders much pending text in slices, one update each, that add up to a full render', () => {
    for (const shape of ['long-table', 'brackets-backticks', 'nested-lists', 'mixed-script-paragraphs'] as const) {
      const text = answerOfShape(shape, 120_000);
      const result = new IncrementalResult();
      result.push('answer', text);
      const page = new Page();
      let updates = 0;
      for (let update = result.render(0, false); ; update = result.render(0, false)) {
        page.apply(update.answer);
        updates++;
        if (!update.more) break;
      }
      assert.ok(updates >= 5, `${shape}: ${updates} updates`);
      assert.equal(page.html(), markdownHtml(normalise(text)), shape);
      page.apply(result.render(0, true).answer);
      assert.equal(page.committed, markdownHtml(normalise(text)), `${shape}, final`);
    }
  });

  it('does not slice a block that is parsed again whole on every update (a long quoted paragraph): linear, not quadratic', () => {
    const text = `> ${'a quoted line of the answer\n> '.repeat(8000)}end\n`;
    const result = new IncrementalResult();
    result.push('answer', text);
    const page = new Page();
    for (let update = result.render(0, true); ; update = result.render(0, true)) {
      page.apply(update.answer);
      if (!update.more) break;
    }
    assert.equal(page.committed, markdownHtml(text));
    const parsed = result.stats('answer').parsedChars;
    assert.ok(parsed < 3 * text.length, `parsed ${parsed} chars of a ${text.length}-char quote`);
  });
});

describe('render: every answer shape streams in linear work', () => {
  before(loadHappyDom);
  // What the webview does per update: parse (parsedChars) and replace the tail's DOM (replaced HTML). Both must
  // grow linearly: twice the text, at most 2.2 × the work. 256 KB in 512 chunks stands in for 1 MB in 2,000.
  function stream(text: string, chunks: number): { parsed: number; replaced: number; html: string } {
    const result = new IncrementalResult();
    const page = new Page();
    const size = Math.ceil(text.length / chunks);
    let replaced = 0;
    for (let i = 0; i < text.length; i += size) {
      result.push('answer', text.slice(i, i + size));
      const update = result.render(0, false).answer; // a clock that never moves: only growth triggers renders
      replaced += tokensHtml(update?.openTail ?? []).length + tokensHtml(update?.tail ?? []).length;
      page.apply(update);
    }
    page.apply(result.render(0, true).answer);
    return { parsed: result.stats('answer').parsedChars, replaced, html: page.committed };
  }

  for (const shape of SHAPES) {
    it(shape, () => {
      const one = answerOfShape(shape, 256_000);
      const two = answerOfShape(shape, 512_000);
      const a = stream(one, 512);
      const b = stream(two, 1024);
      assert.equal(a.html, markdownHtml(one), 'the final page equals a full render');
      assert.ok(a.parsed < 8 * one.length, `parsed ${a.parsed} chars for ${one.length}`);
      assert.ok(a.replaced < 8 * a.html.length, `replaced ${a.replaced} chars of HTML for ${a.html.length}`);
      assert.ok(b.parsed <= 2.2 * a.parsed, `parsing: 2× the text cost ${(b.parsed / a.parsed).toFixed(2)}×`);
      assert.ok(b.replaced <= 2.2 * a.replaced + 10_000, `replacing: 2× the text cost ${(b.replaced / a.replaced).toFixed(2)}×`);
    });
  }
});
