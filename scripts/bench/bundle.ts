// Figure 1: bundle size. Reads the metafile `esbuild.mjs` writes (dist/meta.json) for dist/extension.js and
// dist/webview/results.js and their largest inputs, compares with the github-authentication bundle that
// ships inside code-server's VS Code, and rebuilds the main bundle with esbuild's options to check that the
// token client in it still works against the fake Google.
import * as esbuild from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { node24, repoRoot } from '../lib/codeServer';
import { startFakeGoogle } from '../../test/fakes/google';
import { summarize, type Summary } from './stats';

/** KB here is 1,000 bytes, as in the issue (github-authentication's 230,203 bytes are "≈230 KB"). */
export const MAIN_TARGET_BYTES = 300_000;
const githubAuthBundle = path.join(repoRoot, '.tools/code-server/node_modules/code-server/lib/vscode/extensions/github-authentication/dist/extension.js');

interface Metafile {
  inputs: Record<string, { bytes: number }>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

export interface BundleEntry {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The five largest inputs by bytes in the output. */
  readonly topInputs: { input: string; bytes: number }[];
  /** Bytes in the output per npm package (or per source folder). */
  readonly byPackage: { name: string; bytes: number }[];
}

export interface BundleVariant {
  readonly name: string;
  readonly description: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly savedBytes: number;
  /** For variants that keep the library: its TokenClient, bundled alone the same way, did code exchange, refresh and revoke against the fake Google. */
  readonly verified?: boolean | string;
  /** require() of the bundle in a fresh Node 24 process (vscode stubbed), ms. */
  readonly requireMs: Summary;
}

export interface BundleFigure {
  readonly main: BundleEntry;
  readonly webview: BundleEntry;
  readonly reference: { file: string; bytes: number; gzipBytes: number };
  readonly mainTargetBytes: number;
  readonly mainVsReference: number;
  readonly variants: BundleVariant[];
}

function gzipSize(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  const parts = input.split('/');
  return parts[0] === 'src' && parts.length > 2 ? `src/${parts[1]}` : parts[0]!;
}

function entry(meta: Metafile, file: string): BundleEntry {
  const out = meta.outputs[file];
  if (!out) throw new Error(`${file} is not in dist/meta.json: run the build first`);
  const inputs = Object.entries(out.inputs).map(([input, v]) => ({ input, bytes: v.bytesInOutput }));
  const byPackage = new Map<string, number>();
  for (const i of inputs) byPackage.set(packageOf(i.input), (byPackage.get(packageOf(i.input)) ?? 0) + i.bytes);
  return {
    file,
    bytes: statSync(path.join(repoRoot, file)).size,
    gzipBytes: gzipSize(path.join(repoRoot, file)),
    topInputs: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, 5),
    byPackage: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 10),
  };
}

/**
 * Bundles src/core/auth/tokenClient.ts alone with the variant's plugins and runs the calls the extension
 * makes (code exchange with PKCE, refresh, revoke) against the fake Google: a size saving only counts if
 * the smaller bundle still works.
 */
async function verifyTokenClient(plugins: esbuild.Plugin[]): Promise<true | string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gemini-bench-variant-'));
  const file = path.join(dir, 'tokenClient.cjs');
  try {
    const result = await esbuild.build({
      absWorkingDir: repoRoot,
      stdin: {
        contents: "export { TokenClient } from './src/core/auth/tokenClient'; export { createPkcePair, createState } from './src/core/auth/pkce';",
        resolveDir: repoRoot,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
      plugins,
    });
    writeFileSync(file, result.outputFiles[0]!.contents);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as typeof import('../../src/core/auth/tokenClient') & typeof import('../../src/core/auth/pkce');
    const google = await startFakeGoogle();
    try {
      const pkce = mod.createPkcePair();
      const redirectUri = 'http://127.0.0.1:1/callback';
      const state = mod.createState();
      const auth = new URL(google.endpoints.authorization);
      for (const [k, v] of Object.entries({
        response_type: 'code',
        client_id: google.client.clientId,
        redirect_uri: redirectUri,
        scope: 'openid email',
        state,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        access_type: 'offline',
      })) auth.searchParams.set(k, v);
      const location = new URL(await google.consent(auth.toString(), { email: google.users[0]!.email }));
      const code = location.searchParams.get('code');
      if (!code) return `consent gave no code (${location.search})`;
      const client = new mod.TokenClient({ client: google.client, endpoints: google.endpoints, retries: 0 });
      const first = await client.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri });
      if (!first.refreshToken) return 'no refresh token';
      const refreshed = await client.refresh(first.refreshToken);
      if (!google.isValidAccessToken(refreshed.accessToken)) return 'refreshed token not accepted';
      await client.revoke(first.refreshToken);
      if (google.liveRefreshTokens() !== 0) return 'revocation did not take';
      return true;
    } finally {
      await google.close();
    }
  } catch (err) {
    return `failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const REQUIRE_SAMPLES = 7;

/** require() time of a bundle, each sample in a fresh Node 24 process. */
function requireTime(contents: Uint8Array): Summary {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gemini-bench-require-'));
  const file = path.join(dir, 'extension.js');
  writeFileSync(file, contents);
  try {
    const samples: number[] = [];
    for (let i = 0; i < REQUIRE_SAMPLES; i++) {
      samples.push(Number(execFileSync(node24, [path.join(__dirname, 'require-time.cjs'), file], { encoding: 'utf8', timeout: 30_000 })));
    }
    return summarize(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function buildVariant(plugins: esbuild.Plugin[]): Promise<{ bytes: number; gzipBytes: number; contents: Uint8Array }> {
  // The same options as esbuild.mjs uses for dist/extension.js (keep them in step).
  const result = await esbuild.build({
    absWorkingDir: repoRoot,
    entryPoints: { extension: 'src/extension.ts' },
    bundle: true,
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"', __TEST_HOOKS__: 'false' },
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    mainFields: ['module', 'main'],
    write: false,
    outdir: 'out-bench',
    logLevel: 'silent',
    plugins,
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error('variant build produced no .js');
  return { bytes: js.contents.length, gzipBytes: gzipSync(js.contents, { level: 9 }).length, contents: js.contents };
}

export async function measureBundle(): Promise<BundleFigure> {
  const metaFile = path.join(repoRoot, 'dist/meta.json');
  if (!existsSync(metaFile)) throw new Error('dist/meta.json is missing: run `npm run build` first');
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Metafile;
  const main = entry(meta, 'dist/extension.js');
  const webview = entry(meta, 'dist/webview/results.js');
  const reference = { file: path.relative(repoRoot, githubAuthBundle), bytes: statSync(githubAuthBundle).size, gzipBytes: gzipSize(githubAuthBundle) };

  const baseline = await buildVariant([]);
  const specs: { name: string; description: string; plugins: esbuild.Plugin[]; verify: boolean }[] = [
    { name: 'as built', description: 'rebuilt with the options of esbuild.mjs (equals dist/extension.js)', plugins: [], verify: true },
  ];
  const variants: BundleVariant[] = [];
  for (const spec of specs) {
    const v = spec.plugins.length ? await buildVariant(spec.plugins) : baseline;
    const verified = spec.verify ? await verifyTokenClient(spec.plugins) : undefined;
    variants.push({
      name: spec.name,
      description: spec.description,
      bytes: v.bytes,
      gzipBytes: v.gzipBytes,
      savedBytes: baseline.bytes - v.bytes,
      ...(verified !== undefined ? { verified } : {}),
      requireMs: requireTime(v.contents),
    });
  }
  return { main, webview, reference, mainTargetBytes: MAIN_TARGET_BYTES, mainVsReference: Math.round((main.bytes / reference.bytes) * 100) / 100, variants };
}
