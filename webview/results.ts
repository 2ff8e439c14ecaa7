// Entry point of the results panel's front end, bundled by esbuild into dist/webview/results.js (browser IIFE).
//
// Stable DOM contract for end-to-end tests (constants in src/shared/resultsDom.ts):
//   #app[data-status]   empty | streaming | done | stopped | error
//   #title #model       result title and model (text)
//   #emulator-badge     "Local emulator" badge, [hidden] unless the source is the emulator
//   #toolbar            role=toolbar with real <button>s, hidden with the `hidden` attribute:
//     #stop             while streaming (Escape does the same)
//     #copy #insert #replace   once the answer has settled (done, stopped, error with partial text)
//     #retry            after an error or a stop
//   #status             role=status line ("Generating with …", "Done.", "Stopped. …", "Failed. …")
//   #thoughts           <details> "Thinking" section (collapsed; [hidden] without thoughts): #thoughts-summary
//                       ("Thinking…", then "Thought for 4 s · 812 thinking tokens") and #thoughts-body
//   #answer             the rendered answer: committed blocks, then #answer-tail (empty once settled)
//                       links: a.md-link[data-href] (no href; click or Enter posts openLink)
//   #notice             finishReason explanation / host notice, one <p> each
//   #usage              "Model: … · Source: … · Tokens: a prompt + b answer [+ t thinking] = c total" when done
//   #error              role=alert: #error-message and #action (the error's extra button, if any)
//   #history            <details> with #history-list > li > button.history-item[data-id][aria-current]

import { ResultsApp } from './app';

new ResultsApp({ window, api: acquireVsCodeApi() }).start();
