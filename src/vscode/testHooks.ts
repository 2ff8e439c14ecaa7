// Test hooks exist only in the integration tier's build: the services export (extension.ts), through which the
// tests reach the extension's objects, and the results panel's two test commands (results/index.ts), through
// which they look into the panel and speak its protocol (the test bundle cannot share module state with
// dist/extension.js, but commands cross that line). esbuild replaces `__TEST_HOOKS__` with `true` there
// (`node esbuild.mjs --tests`) and with `false` in every other build, where the minifier then drops the hooks and
// their strings. The environment variable stays as a second condition at each hook, so a test build used by hand
// hands out nothing either.
declare const __TEST_HOOKS__: boolean;

export const TEST_BUILD: boolean = __TEST_HOOKS__;
