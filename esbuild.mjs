// Bundles the extension (Node, cjs), the results-panel front end (browser, iife) and, with --tests, the
// integration test suite that runs inside the extension host. --dev keeps it unminified with source maps.
import * as esbuild from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
// `--outdir <dir>` builds elsewhere than dist/ (the unit test that inspects the shipped bundle uses it).
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg === -1 ? 'dist' : process.argv[outdirArg + 1];

const common = {
  bundle: true,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // Test hooks only in the integration tier's build (src/vscode/testHooks.ts); the minifier drops them elsewhere.
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"', __TEST_HOOKS__: tests ? 'true' : 'false' },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: { 'webview/results': 'webview/results.ts', 'webview/activity': 'webview/activity/main.ts' },
    outdir,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [markdownItFields()],
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

/**
 * markdown-it's published build sets every class field through a `_defineProperty(this, "name", value)` helper
 * (a type check and three calls per field). Each token is such an object and a 1 MB answer makes hundreds of
 * thousands, so as the plain assignments they mean on a fresh object, parsing a 1 MB table takes about a third less
 * time in Chromium. A markdown-it without such calls fails the build: then this plugin is no longer needed.
 */
function markdownItFields() {
  return {
    name: 'markdown-it-fields',
    setup(build) {
      build.onLoad({ filter: /[\\/]markdown-it[\\/]dist[\\/]markdown-it\.mjs$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        let fields = 0;
        const contents = source.replace(/_defineProperty\(\s*this,\s*(?:\/\*\*[\s\S]*?\*\/\s*)?"(\w+)",\s*([\s\S]*?)\);\n/g, (_, name, value) => {
          fields++;
          return `this.${name} = ${value};\n`;
        });
        if (fields === 0) throw new Error('esbuild.mjs: markdown-it no longer sets fields through _defineProperty; remove markdownItFields()');
        return { contents, loader: 'js' };
      });
    },
  };
}

async function main() {
  await mkdir(outdir, { recursive: true });
  if (watch) {
    for (const options of builds) {
      const ctx = await esbuild.context(options);
      await ctx.watch();
    }
    console.log('[esbuild] watching');
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  await writeFile(path.join(outdir, 'meta.json'), JSON.stringify(mergeMeta(results.slice(0, 2).map((r) => r.metafile))));
  for (const [file, out] of Object.entries(results[0].metafile.outputs).concat(Object.entries(results[1].metafile.outputs))) {
    if (file.endsWith('.js')) console.log(`[esbuild] ${file} ${(out.bytes / 1024).toFixed(1)} KB`);
  }
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
