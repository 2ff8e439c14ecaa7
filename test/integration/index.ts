// Loaded by the extension host as `extensionTestsPath` (code-server here, desktop VS Code through
// @vscode/test-electron elsewhere). Every *.test.ts under test/integration is bundled in by esbuild's
// `integration-specs` virtual module and registered after mocha's globals exist.
import Mocha from 'mocha';
import path from 'node:path';

export function run(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30_000,
    reporter: path.join(root, 'test/support/tier-reporter.cjs'),
  });
  mocha.suite.emit('pre-require', globalThis, 'integration-specs', mocha);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('integration-specs');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
