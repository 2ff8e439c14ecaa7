import * as vscode from 'vscode';
import type { TestingApi } from '../../src/extension';
import { startEmulator, type Emulator } from '../fakes/emulator';
import { EXTENSION_ID } from '../support/helpers';

/** The extension's services, with its context (for what tests read straight from storage). */
export type Services = TestingApi['services'];

export async function services(): Promise<Services> {
  const ext = vscode.extensions.getExtension<TestingApi | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
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

/**
 * The suite's emulator, started before its tests and pointed at through user settings; after them, everything
 * signed out, settings reset and the emulator closed. Read `env.emulator`/`env.services` inside hooks and tests.
 */
export function withEmulator(): { readonly emulator: Emulator; readonly services: Services } {
  const env = {} as { emulator: Emulator; services: Services };
  before(async () => {
    env.emulator = await startEmulator();
    env.services = await useEmulator(env.emulator);
  });
  after(async () => {
    await signOutEverything(env.services);
    await resetSettings(env.emulator);
    await env.emulator.close();
  });
  return env;
}
