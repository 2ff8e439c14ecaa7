import * as assert from 'node:assert/strict';
import { IncrementalMarkdown, IncrementalResult, type IncrementalUpdate, type ResultStreamKind } from '../../../webview/render/incremental';
import { renderMarkdown } from '../../../webview/render/markdown';

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
  edgy: '\n\n\n   \n\tb\n\n  - c\n\n<div>\n\n</div>\n\n[x]: https://a.example\n\n[x]\n\n#\n\n#not heading\n\n---\n--\n\n```\n```\n\n````md\n```\ninner\n```\n````\n',
};

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Feeds `chunks`; asserts the invariant after every step; returns the final committed HTML. */
function feed(chunks: readonly string[]): { html: string; inc: IncrementalMarkdown } {
  const inc = new IncrementalMarkdown();
  let committed = '';
  let sofar = '';
  for (const chunk of chunks) {
    sofar += chunk;
    const update = inc.append(chunk);
    committed += update.committedHtml;
    const expected = renderMarkdown(normalise(sofar));
    if (committed + update.tailHtml !== expected) {
      assert.fail(`after ${JSON.stringify(sofar.slice(-80))}:\n--- got\n${committed}[TAIL]${update.tailHtml}\n--- expected\n${expected}`);
    }
  }
  const last = inc.finish();
  assert.equal(last.tailHtml, '');
  return { html: committed + last.committedHtml, inc };
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
  for (const [name, doc] of Object.entries(DOCS)) {
    const expected = renderMarkdown(normalise(doc));

    it(`${name}: every single split point`, () => {
      for (let i = 0; i <= doc.length; i++) {
        assert.equal(feed([doc.slice(0, i), doc.slice(i)]).html, expected, `split at ${i}`);
      }
    });

    it(`${name}: fixed chunk sizes 1..9 and 64`, () => {
      for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 64]) assert.equal(feed(chunksOf(doc, size)).html, expected, `size ${size}`);
    });
  }

  it('commits blocks as they complete (the tail does not hold the whole answer)', () => {
    const { inc } = feed(chunksOf(DOCS.mixed!, 5));
    const stats = inc.stats;
    assert.equal(stats.committedChars, DOCS.mixed!.length);
    // Re-parsing only the uncommitted rest: far less than the ~N²/2/5 a full re-render per chunk would cost.
    assert.ok(stats.parsedChars < (DOCS.mixed!.length * DOCS.mixed!.length) / 40, `parsed ${stats.parsedChars}`);
  });

  it('random documents of tricky lines, random chunking (seeded)', () => {
    const lines = ['', '', '', 'para text', '- item', '* star', '+ plus', '1. one', '2. two', '3) three', '  indented', '    code', '```', '```js', '~~~', '> quote', '>', '# head', '## h2', '---', '===', '***', '| a | b |', '|---|---|', '| 1 | 2 |', 'a | b', '-|-', '\t tab', '   - deep', '      deeper', '-', '1.', '[x]: https://a.example', '[x]', '<div>', 'http://b.example', '`code`', '**bold', '* * *', '  ```', '   ~~~', '> - q item', '>     qcode', 'line\r', 'a\r\nb'];
    const random = prng(20240611);
    for (let n = 0; n < 1500; n++) {
      const count = 3 + Math.floor(random() * 14);
      const doc = Array.from({ length: count }, () => lines[Math.floor(random() * lines.length)]).join('\n') + (random() < 0.5 ? '\n' : '');
      const chunks: string[] = [];
      for (let i = 0; i < doc.length; ) {
        const size = 1 + Math.floor(random() * 8);
        chunks.push(doc.slice(i, i + size));
        i += size;
      }
      assert.equal(feed(chunks).html, renderMarkdown(normalise(doc)), JSON.stringify(doc));
    }
  });

  it('joins \\r and \\n split across chunks into one line break', () => {
    assert.equal(feed(['a\r', '\nb\r', '\r\n', 'c']).html, renderMarkdown('a\nb\n\nc'));
  });

  it('finish() without text, and append after finish', () => {
    const inc = new IncrementalMarkdown();
    assert.deepEqual(inc.finish(), { committedHtml: '', tailHtml: '' });
    assert.deepEqual(inc.finish(), { committedHtml: '', tailHtml: '' });
    assert.throws(() => inc.append('x'));
  });
});

describe('render/incremental: work is linear in the answer size', () => {
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
    let committed = 0;
    let updates = 0;
    for (let i = 0; i < text.length; i += chunkSize) {
      const update = inc.append(text.slice(i, i + chunkSize));
      committed += update.committedHtml.length;
      updates++;
    }
    committed += inc.finish().committedHtml.length;
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
  /** Applies updates the way the webview does: committed HTML appended, the tail replaced. */
  class Page {
    committed: Record<ResultStreamKind, string> = { thoughts: '', answer: '' };
    tail: Record<ResultStreamKind, string> = { thoughts: '', answer: '' };
    apply(kind: ResultStreamKind, update: IncrementalUpdate | undefined): void {
      if (!update) return;
      this.committed[kind] += update.committedHtml;
      this.tail[kind] = update.tailHtml;
    }
    html(kind: ResultStreamKind): string {
      return this.committed[kind] + this.tail[kind];
    }
  }

  it('interleaved thought and answer parts render as each text alone, at every step (seeded)', () => {
    const texts: Record<ResultStreamKind, string> = { thoughts: DOCS.mixed!, answer: DOCS.fences! };
    const random = prng(77);
    for (let run = 0; run < 40; run++) {
      const result = new IncrementalResult();
      const page = new Page();
      const sent: Record<ResultStreamKind, number> = { thoughts: 0, answer: 0 };
      while (sent.thoughts < texts.thoughts.length || sent.answer < texts.answer.length) {
        const kind: ResultStreamKind = sent.answer >= texts.answer.length || (sent.thoughts < texts.thoughts.length && random() < 0.5) ? 'thoughts' : 'answer';
        const size = 1 + Math.floor(random() * 12);
        result.push(kind, texts[kind].slice(sent[kind], sent[kind] + size));
        sent[kind] += size;
        const update = result.render(0, false);
        assert.equal(update.deferred, false);
        page.apply('thoughts', update.thoughts);
        page.apply('answer', update.answer);
        for (const k of ['thoughts', 'answer'] as const) {
          assert.equal(page.html(k), renderMarkdown(normalise(texts[k].slice(0, sent[k]))), `${k} after ${sent.thoughts}/${sent.answer}`);
        }
      }
      const last = result.render(0, true);
      page.apply('thoughts', last.thoughts);
      page.apply('answer', last.answer);
      assert.equal(page.tail.thoughts + page.tail.answer, '', 'no tail once final');
      assert.equal(page.committed.thoughts, renderMarkdown(normalise(texts.thoughts)));
      assert.equal(page.committed.answer, renderMarkdown(normalise(texts.answer)));
    }
  });

  it('a thought arriving inside the answer’s open code fence stays out of it', () => {
    const result = new IncrementalResult();
    const page = new Page();
    const step = (kind: ResultStreamKind, text: string) => {
      result.push(kind, text);
      const update = result.render(0, false);
      page.apply('thoughts', update.thoughts);
      page.apply('answer', update.answer);
    };
    step('thoughts', '**Planning**\n\n');
    step('answer', '```ts\nconst a = 1;\n');
    step('thoughts', '- check the `fence`\n');
    step('answer', 'const b = 2;\n```\n\nDone.');
    const last = result.render(0, true);
    page.apply('thoughts', last.thoughts);
    page.apply('answer', last.answer);
    assert.equal(page.committed.answer, renderMarkdown('```ts\nconst a = 1;\nconst b = 2;\n```\n\nDone.'));
    assert.equal(page.committed.thoughts, renderMarkdown('**Planning**\n\n- check the `fence`\n'));
    assert.ok(!page.committed.answer.includes('Planning') && !page.committed.thoughts.includes('const'));
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
    assert.match(held.thoughts?.tailHtml ?? '', /A short thought/, 'the thoughts do not wait for it');
    assert.equal(result.pending, true);
    const late = result.render(510, false);
    assert.equal(late.deferred, false);
    assert.match(late.answer?.tailHtml ?? '', /y{100}/, 'rendered once the lag is reached');
    result.push('answer', 'z'.repeat(10));
    const final = result.render(511, true);
    assert.equal(final.deferred, false);
    assert.equal(final.answer?.tailHtml, '');
    assert.match(final.answer?.committedHtml ?? '', /z{10}/);
    assert.equal(final.thoughts?.committedHtml, renderMarkdown('A short thought.'));
    assert.deepEqual(result.render(600, true), { deferred: false }, 'nothing left after the end');
  });
});
