// happy-dom is an ES module; the unit tests are CommonJS, so it is loaded with a dynamic import once
// (call `before(loadHappyDom)` in a suite) and windows are made synchronously afterwards.

import type * as HappyDom from 'happy-dom' with { 'resolution-mode': 'import' };

export type HappyWindow = HappyDom.Window;

let loaded: typeof HappyDom | undefined;

export async function loadHappyDom(): Promise<void> {
  loaded ??= await import('happy-dom');
}

/** A window that never runs scripts or fetches anything. */
export function newWindow(): HappyWindow {
  if (!loaded) throw new Error('call loadHappyDom() in a before() hook first');
  return new loaded.Window({
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true, disableIframePageLoading: true },
  });
}
