/* global WebSocket -- Node 24 has it */
// Run by Node 24 (it has a global WebSocket): talks to a Node inspector over the Chrome DevTools Protocol.
//   node cdp-probe.mjs <webSocketDebuggerUrl> memory   → forces a full GC, prints process.memoryUsage() as JSON
//   node cdp-probe.mjs <webSocketDebuggerUrl> nogc     → prints process.memoryUsage() as JSON, no GC
//   node cdp-probe.mjs <webSocketDebuggerUrl> pid      → prints {"pid": …} of the process
//   node cdp-probe.mjs <webSocketDebuggerUrl> close    → closes the inspector (frees its port)
const [url, action] = process.argv.slice(2);
const ws = new WebSocket(url);
let nextId = 1;
const pending = new Map();
ws.onmessage = (e) => {
  const msg = JSON.parse(String(e.data));
  const p = msg.id && pending.get(msg.id);
  if (!p) return;
  pending.delete(msg.id);
  if (msg.error) p.reject(new Error(msg.error.message));
  else p.resolve(msg.result);
};
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });
const evaluate = async (expression) => {
  const r = await send('Runtime.evaluate', { expression, returnByValue: true, includeCommandLineAPI: true });
  if (r.exceptionDetails) throw new Error(r.exceptionDetails.text + ' ' + JSON.stringify(r.exceptionDetails.exception?.description ?? ''));
  return r.result.value;
};
const timer = setTimeout(() => {
  console.error('cdp-probe: timed out');
  process.exit(2);
}, 30_000);
ws.onerror = () => {
  console.error('cdp-probe: cannot connect');
  process.exit(2);
};
ws.onopen = async () => {
  try {
    if (action === 'memory' || action === 'nogc') {
      if (action === 'memory') {
        // Twice: the first pass can leave work for finalizers.
        await send('HeapProfiler.collectGarbage');
        await send('HeapProfiler.collectGarbage');
      }
      const usage = await evaluate('JSON.stringify({ pid: process.pid, ...process.memoryUsage() })');
      process.stdout.write(usage + '\n');
    } else if (action === 'pid') {
      process.stdout.write(JSON.stringify({ pid: await evaluate('process.pid') }) + '\n');
    } else if (action === 'close') {
      await evaluate("setTimeout(() => require('node:inspector').close(), 50); 'ok'");
      process.stdout.write('{"closed":true}\n');
    } else {
      throw new Error(`unknown action ${action}`);
    }
    clearTimeout(timer);
    ws.close();
    process.exit(0);
  } catch (err) {
    console.error('cdp-probe:', err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
};
