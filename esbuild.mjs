// Bundles the extension (Node, cjs), the results-panel front end (browser, iife) and, with --tests, the
// integration test suite that runs inside the extension host. --dev keeps it unminified with source maps.
import * as esbuild from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    plugins: [withoutNodeFetch()],
  },
  {
    ...common,
    entryPoints: { 'webview/results': 'webview/results.ts', 'webview/activity': 'webview/activity/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (tests) {
  // One bundle per integration test run: the extension host loads it with require(); mocha stays external
  // so its reporters resolve from node_modules.
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: {
      'test/integration/index': 'test/integration/index.ts',
      'test/runElectron': 'test/integration/runElectron.ts',
    },
    outdir: 'out',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha', '@vscode/test-electron'],
    plugins: [integrationSpecs()],
  });
}

async function main() {
  await mkdir('dist', { recursive: true });
  if (watch) {
    for (const options of builds) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    console.log('[esbuild] watching');
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeFile('dist/meta.json', JSON.stringify(mergeMeta(results.slice(0, 2).map((r) => r.metafile))));
  for (const [file, out] of Object.entries(results[0].metafile.outputs).concat(Object.entries(results[1].metafile.outputs))) {
    if (file.endsWith('.js')) console.log(`[esbuild] ${file} ${(out.bytes / 1024).toFixed(1)} KB`);
  }
}

// gaxios falls back to node-fetch (and a 60 KB web-streams polyfill) only when no fetch implementation is
// given; src/core/auth/tokenClient.ts always passes one, so the fallback never runs and is left out.
function withoutNodeFetch() {
  return {
    name: 'without-node-fetch',
    setup(build) {
      build.onResolve({ filter: /^node-fetch$/ }, () => ({ path: 'node-fetch', namespace: 'unused' }));
      build.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({
        contents: "export default () => { throw new Error('node-fetch is not bundled: pass a fetch implementation'); };",
        loader: 'js',
      }));
    },
  };
}

// `import 'integration-specs'` in the test index becomes one import per *.test.ts, so mocha's suites
// register inside the single bundle the extension host loads.
function integrationSpecs() {
  return {
    name: 'integration-specs',
    setup(build) {
      build.onResolve({ filter: /^integration-specs$/ }, () => ({ path: 'integration-specs', namespace: 'specs' }));
      build.onLoad({ filter: /.*/, namespace: 'specs' }, () => {
        const dir = path.resolve('test/integration');
        const files = readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.test.ts'))
          .sort();
        return { contents: files.map((f) => `import ${JSON.stringify(path.join(dir, f))};`).join('\n'), resolveDir: dir, loader: 'ts' };
      });
    },
  };
}

function mergeMeta(metas) {
  return metas.reduce((acc, m) => ({ inputs: { ...acc.inputs, ...m.inputs }, outputs: { ...acc.outputs, ...m.outputs } }), { inputs: {}, outputs: {} });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
