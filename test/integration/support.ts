import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import type { Services } from '../../src/vscode/services';
import type { Emulator } from '../fakes/emulator';

export const extensionId = 'gemini-for-vscode.gemini-vscode';

export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<TestingApi | undefined>(extensionId);
  if (!ext) throw new Error(`${extensionId} is not installed in this host`);
  const api = await ext.activate();
  if (!api) throw new Error('the extension did not expose its testing API (GEMINI_VSCODE_TESTING=1 missing?)');
  return api.services;
}

/** Points the extension at an emulator through user settings, as a user would, and stores its client secret. */
export async function useEmulator(emulator: Emulator): Promise<Services> {
  const s = await services();
  const config = vscode.workspace.getConfiguration();
  for (const [key, value] of Object.entries(emulator.settings)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  await s.oauthClients.store(emulator.google.client);
  return s;
}

export async function resetSettings(emulator: Emulator): Promise<void> {
  const config = vscode.workspace.getConfiguration();
  for (const key of Object.keys(emulator.settings)) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
}

export async function signOutEverything(s: Services): Promise<void> {
  for (const session of await s.auth.getSessions()) await s.auth.removeSession(session.id);
  await s.apiKeys.remove();
}

export function waitFor<T>(subscribe: (listener: (e: T) => void) => vscode.Disposable | { dispose(): void }, timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`event did not fire within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = subscribe((e) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}
