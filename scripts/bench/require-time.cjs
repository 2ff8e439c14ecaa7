/* global require, process, performance -- a CommonJS script run by Node 24 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: it measures require() */
// Run by Node 24 (the extension host's Node) in a fresh process: prints how long require() of a bundle takes
// (parse, compile, run its top level), with the `vscode` module stubbed. Compares bundle variants; it is not
// VS Code's "Load Code" figure, which also includes the extension host's own loader.
'use strict';
const Module = require('node:module');
const original = Module._load;
const stub = new Proxy(function () {}, { get: (_, p) => (p === '__esModule' ? false : stub), apply: () => stub, construct: () => stub });
Module._load = function (request, ...rest) {
  return request === 'vscode' ? stub : original.call(this, request, ...rest);
};
const started = performance.now();
require(process.argv[2]);
process.stdout.write(String(performance.now() - started));
