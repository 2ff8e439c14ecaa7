// The local Google/Gemini emulator: the fake Google OAuth server and the fake Gemini API in one process,
// the Gemini fake accepting exactly the access tokens the Google fake issued. The sandbox (`npm start`) and
// the end-to-end tests point the extension at it through user settings; nothing leaves the machine.
import { FAKE_API_KEY, FAKE_STANDARD_API_KEY, startFakeGemini, type FakeGemini } from './gemini';
import { startFakeGoogle, type FakeGoogle } from './google';
import { startFakeVertex, type FakeVertex } from './vertex';

export interface Emulator {
  readonly google: FakeGoogle;
  readonly gemini: FakeGemini;
  /** Vertex AI and Cloud Resource Manager's projects.list, answering through the fake Gemini. */
  readonly vertex: FakeVertex;
  /** An authorization key (`AQ.…`) the emulator's Gemini accepts. */
  readonly apiKey: string;
  /** A standard key (`AIza…`) it accepts too, until told to refuse standard keys (`refuseStandardKeys`). */
  readonly standardApiKey: string;
  /** User settings that point the extension at the emulator. */
  readonly settings: Record<string, unknown>;
  /** Environment for the extension host (the OAuth client secret, as a user could set it). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startEmulator(options: { port?: number } = {}): Promise<Emulator> {
  const google = await startFakeGoogle(options.port ? { port: options.port } : {});
  const gemini = await startFakeGemini({ acceptBearer: (token) => google.isValidAccessToken(token) });
  const vertex = await startFakeVertex({ gemini, tokenInfo: (token) => google.accessTokenInfo(token) });
  return {
    google,
    gemini,
    vertex,
    apiKey: FAKE_API_KEY,
    standardApiKey: FAKE_STANDARD_API_KEY,
    settings: {
      'gemini.api.baseUrl': gemini.baseUrl,
      'gemini.vertex.baseUrl': vertex.baseUrl,
      'gemini.oauth.clientId': google.client.clientId,
      'gemini.oauth.authorizationEndpoint': google.endpoints.authorization,
      'gemini.oauth.tokenEndpoint': google.endpoints.token,
      'gemini.oauth.revocationEndpoint': google.endpoints.revocation,
      'gemini.oauth.userinfoEndpoint': google.endpoints.userinfo,
    },
    env: { GEMINI_OAUTH_CLIENT_SECRET: google.client.clientSecret },
    async close() {
      await Promise.all([google.close(), gemini.close(), vertex.close()]);
    },
  };
}
