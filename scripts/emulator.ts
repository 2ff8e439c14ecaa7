// `npm run emulator`: the local Google/Gemini emulator for F5 (.vscode/launch.json, "Run Extension (emulator)").
// Writes the settings that point the extension at it into the development host's own user-data folder, and the
// OAuth client secret into an env file the launch configuration reads; runs until stopped.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../test/fakes/emulator';

const dir = path.resolve(__dirname, '..', '.tools', 'f5');

async function main(): Promise<void> {
  const emulator = await startEmulator();
  mkdirSync(path.join(dir, 'user-data', 'User'), { recursive: true });
  writeFileSync(path.join(dir, 'user-data', 'User', 'settings.json'), JSON.stringify(emulator.settings, null, 2));
  writeFileSync(path.join(dir, 'emulator.env'), Object.entries(emulator.env).map(([k, v]) => `${k}=${v}\n`).join(''));
  // The task in .vscode/tasks.json waits for this line before F5 starts the development host.
  console.log(`emulator ready: Google ${emulator.google.baseUrl}, Gemini ${emulator.gemini.baseUrl}, API key ${emulator.apiKey}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
