// Answer shapes for the streaming figure (scripts/bench/workbench.ts) and the renderer's work counters
// (test/unit/render/*): every kind of long answer a model can send, not only the one that is fast. Each builds
// about `bytes` of UTF-8 deterministically; none depends on the renderer.

export const SHAPES = [
  'ascii-lines',
  'no-newline',
  'mixed-script-paragraph',
  'mixed-script-paragraphs',
  'brackets-backticks',
  'long-table',
  'huge-code-fence',
  'nested-lists',
  'short-paragraphs',
  'quoted-paragraphs',
] as const;

export type ShapeName = (typeof SHAPES)[number];

const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Sed do eiusmod tempor.';
// Latin, CJK, Arabic (right to left) and emoji (colour glyphs, joiners): what needs font fallback and shaping.
const WORDS = ['streaming', '渲染', 'الإجابة', '🙂', 'Markdown', '日本語のテキスト', '한국어', 'نص', '👩‍💻', 'answer', '中文段落', 'ελληνικά', '🚀', 'Привет'];

function mixedLine(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 3) % WORDS.length]!);
  return out.join(' ');
}

/** `part(i)` repeated until the text has `bytes` of UTF-8. */
function fill(bytes: number, part: (i: number) => string, head = ''): string {
  const parts = [head];
  let size = Buffer.byteLength(head);
  for (let i = 0; size < bytes; i++) {
    const p = part(i);
    parts.push(p);
    size += Buffer.byteLength(p);
  }
  return parts.join('');
}

const builders: Record<ShapeName, (bytes: number) => string> = {
  // The fake's own large answer: ASCII lines with no blank line between, so one paragraph.
  'ascii-lines': (bytes) => fill(bytes, () => `${LOREM}\n`),
  // One paragraph with no newline at all.
  'no-newline': (bytes) => fill(bytes, (i) => `${mixedLine(i, 12)} `),
  // Long lines of mixed-script text, one paragraph (no blank line).
  'mixed-script-paragraph': (bytes) => fill(bytes, (i) => `${mixedLine(i, 200)}\n`),
  // The same lines as ordinary paragraphs.
  'mixed-script-paragraphs': (bytes) => fill(bytes, (i) => `${mixedLine(i, 60)}\n${mixedLine(i + 1, 60)}\n\n`),
  // Inline markup everywhere, in one paragraph: code spans, links, emphasis, citations.
  'brackets-backticks': (bytes) =>
    fill(bytes, (i) => `Call \`f(${i})\` with [the docs](https://example.com/${i}) and **${i}** [${i % 9}] (see \`x[${i}]\`), then *go* on.\n`),
  'long-table': (bytes) => fill(bytes, (i) => `| ${i} | ${mixedLine(i, 3)} | \`v${i}\` | **${i % 7}** |\n`, '| # | name | value | n |\n|---|---|---|--:|\n'),
  'huge-code-fence': (bytes) => fill(bytes, (i) => `function f${i}(x: number): string { return \`[\${x}]\` + '<${i}>'; }\n`, '```ts\n'),
  'nested-lists': (bytes) => fill(bytes, (i) => `- item ${i} ${mixedLine(i, 4)}\n  - nested *${i}*\n    - deeper \`${i}\`\n`),
  'short-paragraphs': (bytes) => fill(bytes, (i) => `Paragraph ${i}: ${mixedLine(i, 3)}.\n\n`),
  // One long quote of ordinary paragraphs (an answer quoting a document or a mail).
  'quoted-paragraphs': (bytes) => fill(bytes, (i) => `> Quoted line ${i} with \`code\` and *emphasis*. ${LOREM}\n> ${mixedLine(i, 8)}\n>\n`),
};

/** About `bytes` of UTF-8 in the given shape. */
export function answerOfShape(shape: ShapeName, bytes: number): string {
  return builders[shape](bytes);
}
