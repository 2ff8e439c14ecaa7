import * as assert from 'node:assert/strict';
import { GeminiError } from '../../../src/core/gemini/errors';
import { SseParser, parseStreamEvent } from '../../../src/core/gemini/sse';

const enc = new TextEncoder();

function parseChunks(chunks: Uint8Array[]): { events: string[]; dropped: boolean } {
  const parser = new SseParser();
  const events: string[] = [];
  for (const c of chunks) events.push(...parser.push(c));
  events.push(...parser.end());
  return { events, dropped: parser.droppedIncompleteEvent };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length];
  const out: Uint8Array[] = [];
  for (let i = 0; i < points.length - 1; i++) out.push(bytes.subarray(points[i], points[i + 1]));
  return out;
}

/** Deterministic PRNG (mulberry32) so a failing split pattern can be reproduced. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A real-shaped stream: Gemini's CRLF frames, an LF frame, a comment, a multi-line data field,
// other fields, and multi-byte UTF-8 (2, 3 and 4-byte characters).
const frames = [
  { candidates: [{ content: { role: 'model', parts: [{ text: '## Résumé — ' }] }, index: 0 }], modelVersion: 'gemini-2.5-flash' },
  { candidates: [{ content: { role: 'model', parts: [{ text: 'é—😀日本語 ' }] }, index: 0 }] },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'fin 😀' }] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 34, totalTokenCount: 46 },
  },
];
const json = frames.map((f) => JSON.stringify(f));
const streamText =
  `data: ${json[0]}\r\n\r\n` +
  `: keep-alive comment 😀\r\n` +
  `event: message\nid: 7\ndata: ${json[1]}\n\n` +
  `data:{"multi":\r\ndata: "line é"}\r\nretry: 100\r\n\r\n` +
  `data: ${json[2]}\r\n\r\n`;
const expected = [json[0], json[1], '{"multi":\n"line é"}', json[2]];

describe('SSE parser', () => {
  const bytes = enc.encode(streamText);

  it('parses the whole stream in one chunk', () => {
    assert.deepEqual(parseChunks([bytes]), { events: expected, dropped: false });
  });

  it('gives identical events when split at every byte position', () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const result = parseChunks(splitAt(bytes, [cut]));
      assert.deepEqual(result.events, expected, `split at byte ${cut}`);
      assert.equal(result.dropped, false);
    }
  });

  it('gives identical events one byte at a time and for random multi-split patterns', () => {
    assert.deepEqual(parseChunks(splitAt(bytes, [...Array(bytes.length).keys()])).events, expected);
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const n = 1 + Math.floor(random() * 12);
      const cuts = Array.from({ length: n }, () => 1 + Math.floor(random() * (bytes.length - 1)));
      assert.deepEqual(parseChunks(splitAt(bytes, cuts)).events, expected, `seed ${seed}, cuts ${cuts.join(',')}`);
    }
  });

  it('handles LF, CRLF and lone CR line endings, including CR at the end of a chunk', () => {
    for (const le of ['\n', '\r\n', '\r']) {
      const text = `data: a${le}data: b${le}${le}data: c${le}${le}`;
      const b = enc.encode(text);
      for (let cut = 1; cut < b.length; cut++) {
        assert.deepEqual(parseChunks(splitAt(b, [cut])).events, ['a\nb', 'c'], `${JSON.stringify(le)} at ${cut}`);
      }
    }
  });

  it('ignores comments, other fields and events without data; strips one leading space only', () => {
    const text = ': hello\n\nevent: ping\n\ndata:  two spaces\n\ndata\n\n';
    assert.deepEqual(parseChunks([enc.encode(text)]).events, [' two spaces', '']);
  });

  it('drops an unterminated event at end of stream and says so', () => {
    const r = parseChunks([enc.encode(`data: ${json[0]}\r\n\r\ndata: {"partial":`)]);
    assert.deepEqual(r.events, [json[0]]);
    assert.equal(r.dropped, true);
    const r2 = parseChunks([enc.encode(`data: ${json[0]}\r\n\r\ndata: x\r\n`)]);
    assert.equal(r2.dropped, true, 'data lines without the closing blank line');
    assert.equal(parseChunks([enc.encode(`data: x\n\n: trailing comment\n`)]).dropped, false);
  });

  it('strips a leading BOM and tolerates a character split at the very end', () => {
    const b = enc.encode('\uFEFFdata: 😀\n\n');
    assert.deepEqual(parseChunks(splitAt(b, [1, 2, 9, 10])).events, ['😀']);
  });

});

describe('parseStreamEvent', () => {
  it('parses a response', () => {
    assert.deepEqual(parseStreamEvent(json[2]), frames[2]);
  });

  it('turns non-JSON data into a typed invalidResponse error', () => {
    assert.throws(
      () => parseStreamEvent('<html>oops</html>'),
      (e: unknown) => e instanceof GeminiError && e.kind === 'invalidResponse' && !e.message.includes('oops'),
    );
    assert.throws(() => parseStreamEvent('42'), (e: unknown) => e instanceof GeminiError && e.kind === 'invalidResponse');
  });

  it('turns an error object inside the stream into the matching GeminiError', () => {
    const body = JSON.stringify({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } });
    assert.throws(() => parseStreamEvent(body), (e: unknown) => e instanceof GeminiError && e.kind === 'server' && e.status === 503);
  });
});

describe('gemini/sse: size limits', () => {
  const isTooLarge = (err: unknown) => err instanceof GeminiError && err.kind === 'invalidResponse' && /larger than/.test(err.message);

  it('fails on a line that never ends instead of buffering it', () => {
    const parser = new SseParser(1000);
    parser.push(enc.encode('data: ' + 'x'.repeat(900)));
    assert.throws(() => parser.push(enc.encode('x'.repeat(200))), isTooLarge);
  });

  it('fails on an event whose data lines add up past the limit', () => {
    const parser = new SseParser(1000);
    for (let i = 0; i < 9; i++) parser.push(enc.encode(`data: ${'y'.repeat(100)}\n`));
    assert.throws(() => parser.push(enc.encode(`data: ${'y'.repeat(100)}\n`)), isTooLarge);
  });

  it('counts each event on its own: many events of any total size pass', () => {
    const parser = new SseParser(1000);
    let events = 0;
    for (let i = 0; i < 50; i++) events += parser.push(enc.encode(`data: ${'z'.repeat(600)}\n\n`)).length;
    assert.equal(events, 50);
  });

  it('applies the default limit to a hostile stream (one unterminated 9 MiB line in 1 MiB chunks)', () => {
    const parser = new SseParser();
    const chunk = enc.encode('x'.repeat(1 << 20));
    parser.push(enc.encode('data: '));
    assert.throws(() => {
      for (let i = 0; i < 9; i++) parser.push(chunk);
    }, isTooLarge);
  });
});
