// Entry point of the results panel's front end, bundled by esbuild into dist/webview/results.js (browser IIFE).
// Its stable DOM contract (ids, classes, data-status) is described in ./chrome.ts.

import { ResultsApp } from './app';

new ResultsApp({ window, api: acquireVsCodeApi() }).start();
