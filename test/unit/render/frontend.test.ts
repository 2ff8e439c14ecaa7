// Runs the real front end (webview/app.ts) in happy-dom against a fake webview API.
import * as assert from 'node:assert/strict';
import type { HostMessage, WebviewMessage } from '../../../src/shared/protocol';
import type { IncrementalStats } from '../../../webview/render/incremental';
import type { Current } from '../../../webview/state';
import { answerOfShape } from '../../../scripts/bench/shapes';
import { ResultsApp } from '../../../webview/app';
import { renderMarkdown } from './markdownHtml';
import { unwrapLayout } from './unwrapLayout';
import { loadHappyDom, newWindow, type HappyWindow } from './happyDom';
import type { WebviewApi } from '../../../webview/vscodeApi';

class FakeApi implements WebviewApi {
  readonly posted: WebviewMessage[] = [];
  state: unknown;
  setStateCalls = 0;
  constructor(state?: unknown) {
    this.state = state;
  }
  postMessage(message: unknown): void {
    this.posted.push(message as WebviewMessage);
  }
  getState(): unknown {
    return this.state;
  }
  setState(state: unknown): void {
    this.setStateCalls++;
    this.state = JSON.parse(JSON.stringify(state)); // what VS Code does: it must survive serialisation
  }
}

interface Harness {
  window: HappyWindow;
  doc: Document;
  api: FakeApi;
  app: ResultsApp;
  frames: (() => void)[];
  runFrames(): void;
  send(message: HostMessage | unknown): void;
  $(id: string): HTMLElement;
  close(): void;
}

function setup(state?: unknown, now?: () => number): Harness {
  const window = newWindow();
  window.document.body.innerHTML = '<div id="app" class="app"></div>';
  const api = new FakeApi(state);
  const frames: (() => void)[] = [];
  const app = new ResultsApp({ window: window as unknown as globalThis.Window, api, requestFrame: (cb) => frames.push(cb), saveIntervalMs: 0, ...(now ? { now } : {}) });
  app.start();
  const doc = window.document as unknown as Document;
  return {
    window,
    doc,
    api,
    app,
    frames,
    runFrames: () => {
      for (const frame of frames.splice(0)) frame();
    },
    send: (message) => app.handleMessage(message),
    $: (id) => {
      const element = doc.getElementById(id);
      assert.ok(element, `#${id}`);
      return element as HTMLElement;
    },
    close: () => {
      app.dispose();
      void window.happyDOM.close();
    },
  };
}

function renderStats(h: Harness, kind: 'thoughts' | 'answer'): IncrementalStats {
  return (h.app as unknown as { current: Current }).current.view.stats(kind);
}

const START = { type: 'start', id: 'r1', title: 'Summary of a.ts', model: 'gemini-2.5-flash', sourceLabel: 'Google (API key)', emulator: false } as const;

/** Without its layout wrappers (segments, runs, continuations) and its empty tail, the answer is a full render of `text`. */
function assertFullRender(h: Harness, text: string): void {
  const expected = h.doc.createElement('div');
  renderMarkdown(expected, text);
  h.$('answer-tail').remove();
  unwrapLayout(h.$('answer'));
  assert.ok(h.$('answer').innerHTML === expected.innerHTML, 'without its layout wrappers, the page is a full render');
}

function visible(h: Harness, ...ids: string[]): void {
  for (const id of ids) assert.equal(h.$(id).hidden, false, `#${id} should be visible`);
}
function hidden(h: Harness, ...ids: string[]): void {
  for (const id of ids) assert.equal(h.$(id).hidden, true, `#${id} should be hidden`);
}

describe('webview front end (happy-dom)', () => {
  let h: Harness;
  before(loadHappyDom);
  afterEach(() => h?.close());

  it('says ready, builds real buttons with labels, and sets no inline style', () => {
    h = setup();
    assert.deepEqual(h.api.posted, [{ type: 'ready' }]);
    for (const id of ['stop', 'copy', 'insert', 'replace', 'retry', 'action']) {
      const button = h.$(id);
      assert.equal(button.localName, 'button');
      assert.equal(button.getAttribute('type'), 'button');
      assert.ok(id === 'action' || button.getAttribute('aria-label'), `#${id} aria-label`);
      assert.notEqual(button.getAttribute('tabindex'), '-1');
    }
    assert.equal(h.$('app').dataset.status, 'empty');
    assert.equal(h.doc.querySelectorAll('[style]').length, 0);
  });

  it('start → append ×N → done: renders once per frame, then shows the buttons, usage and notices', () => {
    h = setup();
    h.send(START);
    assert.equal(h.$('title').textContent, 'Summary of a.ts');
    assert.equal(h.$('model').textContent, 'gemini-2.5-flash');
    hidden(h, 'emulator-badge', 'copy', 'insert', 'replace', 'retry', 'error', 'usage');
    visible(h, 'stop');
    assert.equal(h.$('app').dataset.status, 'streaming');

    const text = '# Title\n\nFirst paragraph with `code`.\n\n- a\n- b\n\n```ts\nconst x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';
    for (const ch of text) h.send({ type: 'append', id: 'r1', text: ch });
    assert.equal(h.frames.length, 1, 'many appends, one frame');
    assert.equal(h.$('answer').querySelector('h1'), null, 'nothing rendered before the frame');
    h.runFrames();
    assert.equal(h.$('answer').querySelector('h1')?.textContent, 'Title');
    assert.equal(h.$('answer').querySelector('code.language-ts')?.textContent, 'const x = 1;\n');

    h.send({ type: 'done', id: 'r1', model: 'gemini-2.5-flash', usage: { promptTokenCount: 12, candidatesTokenCount: 1234, totalTokenCount: 1246 }, finishReason: 'MAX_TOKENS' });
    hidden(h, 'stop', 'retry', 'error');
    visible(h, 'copy', 'insert', 'replace', 'usage', 'notice');
    assert.equal(h.$('app').dataset.status, 'done');
    assert.match(h.$('usage').textContent!, /gemini-2\.5-flash.*12 prompt \+ 1,234 answer = 1,246 total/);
    assert.equal(h.$('notice').textContent, 'Stopped: the answer reached the maximum length (MAX_TOKENS).');
    assert.equal(h.$('answer-tail').childNodes.length, 0);
    assert.ok(h.$('answer').querySelector('table td'));

    h.$('copy').click();
    h.$('insert').click();
    h.$('replace').click();
    assert.deepEqual(h.api.posted.slice(1), [
      { type: 'copy', id: 'r1' },
      { type: 'insert', id: 'r1' },
      { type: 'replace', id: 'r1' },
    ]);
  });

  it('shows the emulator badge when the source is the emulator', () => {
    h = setup();
    h.send({ ...START, emulator: true, sourceLabel: 'Local emulator' });
    visible(h, 'emulator-badge');
    assert.equal(h.$('emulator-badge').textContent, 'Local emulator');
  });

  it('error keeps the partial answer, says what happened, offers Retry and the action', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'r1', text: 'Partial **answer** so far' });
    h.send({ type: 'error', id: 'r1', message: 'Your session expired. Sign in again.', action: { label: 'Sign In' } });
    assert.equal(h.$('answer').querySelector('strong')?.textContent, 'answer');
    assert.equal(h.$('error-message').textContent, 'Your session expired. Sign in again.');
    visible(h, 'error', 'retry', 'action', 'copy');
    hidden(h, 'stop', 'usage');
    assert.equal(h.$('action').textContent, 'Sign In');
    assert.equal(h.$('error').getAttribute('role'), 'alert');
    h.$('retry').click();
    h.$('action').click();
    assert.deepEqual(h.api.posted.slice(-2), [
      { type: 'retry', id: 'r1' },
      { type: 'action', id: 'r1', button: 'action' },
    ]);
  });

  it('an error with two actions shows both buttons, each posting which one was pressed', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'error', id: 'r1', message: 'Create a new key.', action: { label: 'Sign In' } });
    hidden(h, 'secondary-action');
    h.send(START);
    h.send({ type: 'error', id: 'r1', message: 'Create a new key.', action: { label: 'Create Key' }, secondaryAction: { label: 'Set API Key' } });
    visible(h, 'action', 'secondary-action');
    assert.equal(h.$('action').textContent, 'Create Key');
    assert.equal(h.$('secondary-action').textContent, 'Set API Key');
    h.$('action').click();
    h.$('secondary-action').click();
    assert.deepEqual(h.api.posted.slice(-2), [
      { type: 'action', id: 'r1', button: 'action' },
      { type: 'action', id: 'r1', button: 'secondaryAction' },
    ]);
  });

  it('link clicks and Enter on a link post openLink instead of navigating', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'r1', text: 'See [the docs](https://example.com/docs) and [bad](javascript:alert(1)).' });
    h.send({ type: 'done', id: 'r1', model: 'm' });
    const link = h.$('answer').querySelector('a.md-link') as HTMLElement;
    assert.ok(link);
    assert.equal(link.getAttribute('href'), null);
    const click = new h.window.MouseEvent('click', { bubbles: true, cancelable: true });
    link.dispatchEvent(click as unknown as Event);
    assert.equal(click.defaultPrevented, true);
    link.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }) as unknown as Event);
    assert.deepEqual(h.api.posted.slice(1), [
      { type: 'openLink', href: 'https://example.com/docs' },
      { type: 'openLink', href: 'https://example.com/docs' },
    ]);
    assert.equal(h.$('answer').querySelectorAll('a').length, 1, 'the javascript: link is not a link');
  });

  it('Escape posts stop once while streaming, and the Stop button does the same', () => {
    h = setup();
    h.send(START);
    h.doc.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }) as unknown as Event);
    h.doc.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }) as unknown as Event);
    assert.deepEqual(h.api.posted.slice(1), [{ type: 'stop', id: 'r1' }]);
    assert.equal((h.$('stop') as HTMLButtonElement).disabled, true);
    h.send({ type: 'done', id: 'r1', model: 'm', stopped: true });
    assert.equal(h.$('app').dataset.status, 'stopped');
    visible(h, 'retry');
    h.doc.dispatchEvent(new h.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true }) as unknown as Event);
    assert.equal(h.api.posted.length, 2, 'Escape does nothing once the answer has settled');

    h.send({ ...START, id: 'r2' });
    h.$('stop').click();
    assert.deepEqual(h.api.posted.at(-1), { type: 'stop', id: 'r2' });
  });

  it('hostile answers stay inert in the page', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'r1', text: '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<button id="copy">Copy</button>\n\n[Copy](#copy) [x](JaVaScRiPt:alert(1)) <iframe src="https://e.example">' });
    h.runFrames();
    h.send({ type: 'done', id: 'r1', model: 'm' });
    const answer = h.$('answer');
    assert.equal(answer.querySelectorAll('script, img, iframe, button, [href], [src], [onerror]').length, 0);
    assert.equal(h.doc.querySelectorAll('#copy').length, 1, 'only the real Copy button');
    assert.ok(answer.textContent!.includes('<script>alert(1)</script>'), 'shown as text');
  });

  it('ignores messages for another result', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'other', text: 'not mine' });
    h.send({ type: 'done', id: 'other', model: 'm' });
    h.send({ type: 'error', id: 'other', message: 'not mine' });
    h.send(null);
    h.runFrames();
    assert.equal(h.$('answer').textContent, '');
    assert.equal(h.$('app').dataset.status, 'streaming');
  });

  it('receives host messages through window message events', () => {
    h = setup();
    h.window.dispatchEvent(new h.window.MessageEvent('message', { data: START }));
    assert.equal(h.$('title').textContent, 'Summary of a.ts');
  });

  it('an empty panel says how to get a result only once the host has said there is nothing to show', () => {
    h = setup();
    const app = h.$('app');
    assert.equal(app.dataset.status, 'empty');
    assert.equal(app.hasAttribute('data-hint'), false, 'opened ahead of a request: no hint before its result starts');
    h.send({ type: 'history', items: [] });
    assert.equal(app.hasAttribute('data-hint'), true);
    assert.match(h.$('status').textContent ?? '', /Summarize Selection/);
  });

  it('history: lists results, marks the shown one, posts select, and show switches', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'history', items: [
      { id: 'r0', title: 'Older <b>one</b>', model: 'm', createdAt: 1, status: 'done' },
      { id: 'r1', title: 'Summary of a.ts', model: 'm', createdAt: 2, status: 'streaming' },
    ] });
    visible(h, 'history');
    assert.equal(h.doc.querySelectorAll('#history-list button').length, 0, 'no rows while the list is closed');
    assert.equal(h.$('history').querySelector('summary')?.textContent, 'Earlier results (2)');
    (h.$('history') as HTMLDetailsElement).open = true;
    const items = Array.from(h.doc.querySelectorAll('#history-list button.history-item')) as HTMLElement[];
    assert.deepEqual(items.map((b) => b.dataset.id), ['r1', 'r0'], 'newest first');
    assert.equal(items[0]!.getAttribute('aria-current'), 'true');
    assert.ok(items[1]!.textContent!.includes('Older <b>one</b>'), 'titles are text');
    items[1]!.click();
    assert.deepEqual(h.api.posted.at(-1), { type: 'select', id: 'r0' });

    h.send({ type: 'show', result: { id: 'r0', title: 'Older', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text: '## Old answer' } });
    assert.equal(h.$('answer').querySelector('h2')?.textContent, 'Old answer');
    assert.equal(h.$('title').textContent, 'Older');
    assert.equal(h.$('app').dataset.result, 'r0', 'the page says which result it shows');
    visible(h, 'copy');
    hidden(h, 'stop');
    h.send({ type: 'append', id: 'r1', text: 'ignored while r0 is shown' });
    h.runFrames();
    assert.ok(!h.$('answer').textContent!.includes('ignored'));
  });

  it('saves answer text (not HTML) and restores it after a reload', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'r1', text: '# Kept\n\nacross reloads' });
    h.send({ type: 'done', id: 'r1', model: 'gemini-2.5-flash', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 } });
    const saved = h.api.state as { current: { text: string; status: string } };
    assert.equal(saved.current.text, '# Kept\n\nacross reloads');
    assert.equal(saved.current.status, 'done');
    assert.ok(!JSON.stringify(saved).includes('<h1'));
    h.close();

    h = setup(saved);
    assert.deepEqual(h.api.posted, [{ type: 'ready', restoredId: 'r1' }]);
    assert.equal(h.$('answer').querySelector('h1')?.textContent, 'Kept');
    visible(h, 'copy', 'usage');
    assert.equal(h.$('app').dataset.status, 'done');
  });

  it('ignores a damaged saved state', () => {
    h = setup({ version: 1, current: { id: 'r1', text: 5 }, history: [] });
    assert.deepEqual(h.api.posted, [{ type: 'ready' }]);
    assert.equal(h.$('app').dataset.status, 'empty');
  });

  it('moves focus from Stop to Copy when the answer settles', () => {
    h = setup();
    h.send(START);
    h.send({ type: 'append', id: 'r1', text: 'hi' });
    h.$('stop').focus();
    h.send({ type: 'done', id: 'r1', model: 'm' });
    assert.equal(h.doc.activeElement, h.$('copy'));
  });

  it('one huge paragraph, received line by line: the work stays linear', () => {
    h = setup(undefined, () => 0); // a clock that never moves: only the growth rule may trigger renders
    h.send(START);
    const line = `${'word '.repeat(99)}word\n`; // 500 characters, never a blank line: one paragraph
    const appends = 1024;
    for (let i = 0; i < appends; i++) {
      h.send({ type: 'append', id: 'r1', text: line });
      h.runFrames();
    }
    h.send({ type: 'done', id: 'r1', model: 'gemini-2.5-flash' });
    h.runFrames();
    const total = line.length * appends;
    const parsed = renderStats(h, 'answer').parsedChars;
    // Re-parsing the whole paragraph on every frame would be ~500× the answer here; committing it in pieces keeps it a small multiple.
    assert.ok(parsed < 20 * total, `parsed ${parsed} chars for a ${total}-char answer`);
    assert.equal(h.$('answer').textContent?.replace(/\s+/g, ' ').trim().length, line.replace(/\n/g, ' ').repeat(appends).trim().length);
  });
  for (const shape of ['no-newline', 'mixed-script-paragraph', 'huge-code-fence', 'long-table', 'nested-lists', 'quoted-paragraphs'] as const) {
    it(`${shape}: a long block stays on the page while it grows, and ends as a full render`, () => {
      h = setup();
      h.send(START);
      const text = answerOfShape(shape, 30_000);
      let block: Element | null = null;
      for (let i = 0; i < text.length; i += 300) {
        h.send({ type: 'append', id: 'r1', text: text.slice(i, i + 300) });
        h.runFrames();
        const first = h.$('answer').querySelector('.md-seg > *');
        if (i > 15_000 && first) {
          block ??= first;
          assert.equal(first, block, 'the open block is never replaced');
        }
      }
      assert.ok(block, 'the block went on the page before the end');
      h.send({ type: 'done', id: 'r1', model: 'm' });
      // A long paragraph or code block is laid out in runs, a long list or table goes on in continuations.
      const pieces = h.$('answer').querySelectorAll(shape === 'nested-lists' || shape === 'long-table' || shape === 'quoted-paragraphs' ? '.md-cont' : '.md-run').length;
      assert.ok(pieces >= 2, `${pieces} runs or continuations`);
      assertFullRender(h, text);
    });
  }

  it('a line or word longer than a run ends its run, and the rest is cut as usual', () => {
    for (const text of [`\`\`\`\n${'x'.repeat(9000)}\n${'line of code\n'.repeat(5000)}${'y'.repeat(9000)}\n\`\`\`\n`, `${'a'.repeat(9000)} ${'word '.repeat(10_000)}`]) {
      h = setup();
      h.send({ type: 'show', result: { id: 'r0', title: 'Old', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text } });
      const runs = Array.from(h.$('answer').querySelectorAll('.md-run'), (run) => run.textContent!.length);
      assert.ok(runs.length >= 5 && Math.max(...runs) < 9000 + 20 && Math.min(...runs) > 0, `runs of ${runs.join(', ')} characters`);
      assertFullRender(h, text);
    }
  });

  it('a long quote of every kind of block goes on in continuations, streamed or shown whole, and equals a full render', () => {
    const part = (i: number) => `> Para ${i} with \`code\`\n> and more\n>\n> | a | b |\n> |---|--:|\n> | ${i} | 2 |\n>\n> - x ${i}\n>   - y\n>\n> \`\`\`js\n> code ${i}\n> \`\`\`\n> > nested ${i}\n>\n`;
    const text = `${Array.from({ length: 300 }, (_, i) => part(i)).join('')}\nafter the quote\n`;
    h = setup();
    h.send(START);
    for (let i = 0; i < text.length; i += 300) {
      h.send({ type: 'append', id: 'r1', text: text.slice(i, i + 300) });
      h.runFrames();
    }
    h.send({ type: 'done', id: 'r1', model: 'm' });
    assert.ok(h.$('answer').querySelectorAll('blockquote.md-cont').length >= 5, `continuations: ${h.$('answer').querySelectorAll('blockquote.md-cont').length}, quotes ${h.$('answer').querySelectorAll('blockquote').length}`);
    assertFullRender(h, text);
    h = setup();
    h.send({ type: 'show', result: { id: 'r0', title: 'Old', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text } });
    assert.ok(h.$('answer').querySelectorAll('blockquote.md-cont').length >= 5, 'continuations, shown whole');
    assertFullRender(h, text);
  });

  it('a long block that turns into another (a tight list made loose) leaves no empty segment behind', () => {
    h = setup();
    h.send(START);
    const text = `${Array.from({ length: 300 }, (_, i) => `- item ${i} with some words`).join('\n')}\n\n- loose\n\nafter\n`;
    for (let i = 0; i < text.length; i += 300) {
      h.send({ type: 'append', id: 'r1', text: text.slice(i, i + 300) });
      h.runFrames();
    }
    h.send({ type: 'done', id: 'r1', model: 'm' });
    const segments = Array.from(h.$('answer').querySelectorAll('.md-seg'));
    assert.ok(segments.length > 2 && segments.every((segment) => segment.firstChild), `${segments.filter((segment) => !segment.firstChild).length} of ${segments.length} segments empty`);
    assertFullRender(h, text);
  });

  it('a paragraph of images is cut into runs too (an image counts as the text it shows)', () => {
    h = setup();
    const text = `x ${'![](https://example.com/a.png)'.repeat(5000)}`;
    h.send({ type: 'show', result: { id: 'r0', title: 'Old', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text } });
    const runs = Array.from(h.$('answer').querySelectorAll('p > .md-run'));
    assert.ok(runs.length >= 4, `${runs.length} runs`);
    assert.ok(runs.every((run) => run.childNodes.length <= 2000), `largest run: ${Math.max(...runs.map((run) => run.childNodes.length))} nodes`);
  });

  it('a long answer shown whole (restored or picked from the history) is cut like a streamed one, and equals a full render', () => {
    h = setup();
    const text = ['no-newline', 'long-table', 'nested-lists', 'quoted-paragraphs', 'huge-code-fence'].map((shape) => answerOfShape(shape as 'no-newline', 20_000)).join('\n\n');
    h.send({ type: 'show', result: { id: 'r0', title: 'Old', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text } });
    const answer = h.$('answer');
    assert.ok(answer.querySelectorAll('.md-seg').length > 10, `${answer.querySelectorAll('.md-seg').length} segments, ${answer.querySelectorAll('.md-run').length} runs, ${answer.querySelectorAll('.md-cont').length} continuations`);
    assert.ok(answer.querySelectorAll('p > .md-run').length >= 2 && answer.querySelectorAll('code > .md-run').length >= 2, `runs: ${answer.querySelectorAll('p > .md-run').length} in p, ${answer.querySelectorAll('code > .md-run').length} in code, p ${answer.querySelector('p')?.textContent?.length}`);
    assert.ok(answer.querySelectorAll('table.md-cont').length >= 2 && answer.querySelectorAll('ul.md-cont').length >= 2 && answer.querySelectorAll('blockquote.md-cont').length >= 2, `continuations: ${answer.querySelectorAll('table.md-cont').length} ${answer.querySelectorAll('ul.md-cont').length} ${answer.querySelectorAll('blockquote.md-cont').length} ${answer.querySelectorAll('blockquote').length}`);
    assertFullRender(h, text);
  });

  describe('the Thinking section', () => {

    const THOUGHT_1 = '**Reading the request**\n\nThe text is about `loopback` redirects.\n\n';
    const THOUGHT_2 = '**Planning the answer**\n\nOne overview sentence, then bullets.\n';
    const ANSWER = '## Summary\n\n- Redirects work remotely.\n';

    it('is hidden without thoughts', () => {
      h = setup();
      h.send(START);
      h.send({ type: 'append', id: 'r1', text: 'Just an answer.' });
      h.runFrames();
      h.send({ type: 'done', id: 'r1', model: 'm' });
      hidden(h, 'thoughts');
    });

    it('streams collapsed above the answer, stays open once opened, then says how long and how many tokens', () => {
      h = setup();
      h.send(START);
      h.send({ type: 'append', id: 'r1', text: '', thoughts: THOUGHT_1 });
      h.runFrames();
      visible(h, 'thoughts');
      const details = h.$('thoughts') as HTMLDetailsElement;
      assert.equal(details.localName, 'details');
      assert.equal(details.open, false, 'collapsed');
      assert.equal(h.$('thoughts-summary').localName, 'summary');
      assert.equal(h.$('thoughts-summary').textContent, 'Thinking…');
      assert.equal(h.$('thoughts-body').querySelector('strong')?.textContent, 'Reading the request');
      assert.equal(h.$('answer').textContent, '', 'thoughts never enter the answer');
      assert.ok(details.compareDocumentPosition(h.$('answer')) & 4, 'the section comes before the answer');
      hidden(h, 'copy', 'insert', 'replace');

      h.$('thoughts-summary').click(); // the user opens it while it streams
      assert.equal(details.open, true);
      h.send({ type: 'append', id: 'r1', text: '', thoughts: THOUGHT_2 });
      h.runFrames();
      h.send({ type: 'append', id: 'r1', text: ANSWER, thinkingMs: 4200 });
      h.runFrames();
      assert.equal(details.open, true, 'updates do not close it');
      assert.equal(h.$('thoughts-summary').textContent, 'Thought for 4 s');
      assert.equal(h.$('thoughts-body').querySelectorAll('strong').length, 2);
      assert.equal(h.$('answer').querySelector('h2')?.textContent, 'Summary');
      assert.ok(!h.$('answer').textContent!.includes('Planning'));

      h.send({ type: 'done', id: 'r1', model: 'gemini-3.5-flash', usage: { promptTokenCount: 20, candidatesTokenCount: 10, totalTokenCount: 842, thoughtsTokenCount: 812 }, thinkingMs: 4200 });
      assert.equal(details.open, true);
      assert.equal(h.$('thoughts-summary').textContent, 'Thought for 4 s · 812 thinking tokens');
      assert.match(h.$('usage').textContent!, /Tokens: 20 prompt \+ 10 answer \+ 812 thinking = 842 total/);
      visible(h, 'copy', 'insert', 'replace');
      assert.equal(h.$('answer').textContent!.includes('Reading'), false);
    });

    it('keeps thoughts out of the saved answer text, and restores them (collapsed) after a reload', () => {
      h = setup();
      h.send(START);
      h.send({ type: 'append', id: 'r1', text: '', thoughts: THOUGHT_1 });
      h.send({ type: 'append', id: 'r1', text: ANSWER, thinkingMs: 900 });
      h.send({ type: 'done', id: 'r1', model: 'm', usage: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 8, thoughtsTokenCount: 5 } });
      const saved = h.api.state as { current: { text: string; thoughts?: string; thinkingMs?: number } };
      assert.equal(saved.current.text, ANSWER);
      assert.equal(saved.current.thoughts, THOUGHT_1);
      assert.equal(saved.current.thinkingMs, 900);
      h.close();

      h = setup(saved);
      visible(h, 'thoughts');
      assert.equal((h.$('thoughts') as HTMLDetailsElement).open, false);
      assert.equal(h.$('thoughts-summary').textContent, 'Thought for less than a second · 5 thinking tokens');
      assert.equal(h.$('thoughts-body').querySelector('code')?.textContent, 'loopback');
      assert.equal(h.$('answer').querySelector('h2')?.textContent, 'Summary');
    });

    it('a stop while thinking keeps the thoughts, with no answer to copy', () => {
      h = setup();
      h.send(START);
      h.send({ type: 'append', id: 'r1', text: '', thoughts: THOUGHT_1 });
      h.$('stop').click();
      h.send({ type: 'done', id: 'r1', model: 'm', stopped: true, thinkingMs: 2600 });
      assert.equal(h.$('thoughts-summary').textContent, 'Thought for 3 s');
      hidden(h, 'copy', 'insert', 'replace');
      visible(h, 'retry', 'thoughts');
    });

    it('hostile thoughts stay inert, and their links post openLink like the answer’s', () => {
      h = setup();
      h.send(START);
      h.send({ type: 'append', id: 'r1', text: '', thoughts: '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <button id="copy">Copy</button> [docs](https://example.com/t) [x](javascript:alert(1))\n' });
      h.send({ type: 'done', id: 'r1', model: 'm' });
      const body = h.$('thoughts-body');
      assert.equal(body.querySelectorAll('script, img, button, [href], [src], [onerror], [id]:not(#thoughts-tail)').length, 0);
      assert.equal(h.doc.querySelectorAll('#copy').length, 1);
      (body.querySelector('a.md-link') as HTMLElement).click();
      assert.deepEqual(h.api.posted.at(-1), { type: 'openLink', href: 'https://example.com/t' });
    });

    it('showing another result resets the section; showing the same one again keeps it open', () => {
      h = setup();
      const stored = { id: 'r0', title: 'Older', model: 'm', sourceLabel: 's', emulator: false, createdAt: 1, status: 'done', text: 'Old answer', thoughts: 'Old thought', thinkingMs: 3000 } as const;
      h.send({ type: 'show', result: stored });
      (h.$('thoughts') as HTMLDetailsElement).open = true;
      h.send({ type: 'show', result: stored });
      assert.equal((h.$('thoughts') as HTMLDetailsElement).open, true);
      h.send({ type: 'show', result: { ...stored, id: 'r9', thoughts: 'Other thought' } });
      assert.equal((h.$('thoughts') as HTMLDetailsElement).open, false);
      assert.equal(h.$('thoughts-body').textContent?.trim(), 'Other thought');
      h.send({ type: 'show', result: { ...stored, id: 'r8', thoughts: undefined } });
      hidden(h, 'thoughts');
      assert.equal(h.$('thoughts-body').textContent, '');
    });
  });

  it('thoughts growing alongside a huge answer: each is rendered on its own, the work stays linear', () => {
    h = setup(undefined, () => 0); // a clock that never moves: only the growth rule may trigger renders
    h.send(START);
    const line = `${'word '.repeat(99)}word\n`; // 500 characters, never a blank line: one paragraph each
    const appends = 1024;
    for (let i = 0; i < appends; i++) {
      h.send({ type: 'append', id: 'r1', text: line, thoughts: line });
      h.runFrames();
    }
    h.send({ type: 'done', id: 'r1', model: 'gemini-2.5-flash' });
    h.runFrames();
    const total = line.length * appends;
    for (const kind of ['thoughts', 'answer'] as const) {
      const parsed = renderStats(h, kind).parsedChars;
      assert.ok(parsed < 20 * total, `${kind}: parsed ${parsed} chars for ${total} chars`);
    }
    const words = line.replace(/\n/g, ' ').repeat(appends).trim().length;
    assert.equal(h.$('answer').textContent?.replace(/\s+/g, ' ').trim().length, words);
    assert.equal(h.$('thoughts-body').textContent?.replace(/\s+/g, ' ').trim().length, words);
    const saved = h.api.state as { current: { text: string; thoughts: string } };
    assert.equal(saved.current.text.length, total);
    assert.equal(saved.current.thoughts.length, total);
  });
});
