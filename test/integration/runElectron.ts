// Runs the same integration suite in desktop VS Code via @vscode/test-electron, for machines that can
// download VS Code (`npm run test:electron`). CI here uses code-server instead (scripts/test-all.ts).
import path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out/test/integration/index.js'),
    launchArgs: ['--disable-extensions', '--disable-workspace-trust', path.join(root, 'test/fixtures/workspace')],
    extensionTestsEnv: { GEMINI_VSCODE_TESTING: '1' },
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
