// Test hooks (the services export, the results panel's test commands) exist only in the integration tier's
// build: esbuild replaces `__TEST_HOOKS__` with `true` there (`node esbuild.mjs --tests`) and with `false` in
// every other build, where the minifier then drops the hooks and their strings. The environment variable stays
// as a second condition at each hook, so a test build used by hand hands out nothing either.
declare const __TEST_HOOKS__: boolean;

export const TEST_BUILD: boolean = __TEST_HOOKS__;
