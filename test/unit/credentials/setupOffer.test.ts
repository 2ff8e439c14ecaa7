import * as assert from 'node:assert/strict';
import { setupOffer, type SetupOffer, type SetupState } from '../../../src/core/credentials/setupOffer';

describe('credentials/setupOffer: what is configured → which choices, in what order', () => {
  const table: [string, SetupState, SetupOffer][] = [
    [
      'nothing configured',
      { hasOAuthClient: false },
      { situation: 'noOAuthClient', choices: [{ kind: 'configureOAuthClient' }, { kind: 'enterApiKey' }] },
    ],
    [
      'only GEMINI_API_KEY in the environment: the key first, one click away',
      { hasOAuthClient: false, environmentKey: 'GEMINI_API_KEY' },
      {
        situation: 'noOAuthClient',
        choices: [{ kind: 'useEnvironmentKey', variable: 'GEMINI_API_KEY' }, { kind: 'configureOAuthClient' }, { kind: 'enterApiKey' }],
      },
    ],
    [
      'an OAuth client: sign in directly, no detour through Configure OAuth Client',
      { hasOAuthClient: true },
      { situation: 'readyToSignIn', choices: [{ kind: 'signIn' }, { kind: 'enterApiKey' }] },
    ],
    [
      'an OAuth client and GOOGLE_API_KEY: sign-in first, the key right there',
      { hasOAuthClient: true, environmentKey: 'GOOGLE_API_KEY' },
      {
        situation: 'readyToSignIn',
        choices: [{ kind: 'signIn' }, { kind: 'useEnvironmentKey', variable: 'GOOGLE_API_KEY' }, { kind: 'enterApiKey' }],
      },
    ],
  ];
  for (const [name, state, expected] of table) {
    it(name, () => assert.deepEqual(setupOffer(state), expected));
  }
});
