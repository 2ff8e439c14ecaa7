// Test hooks (the services export in extension.ts, the results panel's test commands) exist only in the integration
// tier's build: esbuild sets `__TEST_HOOKS__` true there (`--tests`) and false elsewhere, where the minifier drops
// them. GEMINI_VSCODE_TESTING=1 is a second condition at each hook, so a test build used by hand hands out nothing.
declare const __TEST_HOOKS__: boolean;

export const TEST_BUILD: boolean = __TEST_HOOKS__;
