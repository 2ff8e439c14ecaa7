// Figure 5: refresh under load, in plain Node with the extension's own core (AuthService + GeminiClient +
// credentialProviderFor, exactly as src/vscode/services.ts wires them) against the local emulator (fake
// Google + fake Gemini). Not through the extension host: the VS Code adapter adds nothing to this path
// but SecretStorage, which is replaced by an in-memory store here.
//
// Per run, 50 concurrent streamGenerateContent calls (read to the end, as the panel does) each:
//   fresh    — a valid token (the baseline latency);
//   expired  — the token expired on both sides (the client's clock is past expiry, Google rejects it):
//              the client must refresh before sending, once for all 50;
//   expired, slow token endpoint — the same with the token endpoint answering after 100 ms, like a real
//              round trip to Google: all 50 should wait on the same refresh (≈ +100 ms, not 50 × 100);
//   revoked  — Google rejects a token the client still thinks valid (expired early / clock skew): every
//              call gets a 401, and each asks for one forced refresh and one retry.
import { nullLogger } from '../../src/core/common/logger';
import { AuthService } from '../../src/core/auth/authService';
import { credentialProviderFor } from '../../src/core/credentials/providers';
import { GeminiClient } from '../../src/core/gemini/client';
import type { GenerateContentRequest } from '../../src/core/gemini/types';
import { startEmulator } from '../../test/fakes/emulator';
import { MemorySecretStore } from '../../test/fakes/memorySecretStore';
import { MemoryKeyValue } from '../../test/unit/activity/helpers';
import { browserUi } from '../../test/unit/auth/helpers';
import { percentile, summarize, type Summary } from './stats';

export const CONCURRENCY = 50;
const SLOW_TOKEN_ENDPOINT_MS = 100;

export interface RefreshPhase {
  /** Token-endpoint refresh calls during the 50 requests. */
  readonly tokenCalls: number;
  /** Requests that failed. */
  readonly failures: number;
  /** Median latency of the 50 requests, ms. */
  readonly medianMs: number;
  readonly p95Ms: number;
  /** Until the last of the 50 answered, ms. */
  readonly wallMs: number;
}

export interface RefreshRun {
  readonly fresh: RefreshPhase;
  readonly expired: RefreshPhase;
  readonly expiredSlowEndpoint: RefreshPhase;
  readonly revoked: RefreshPhase;
}

export interface RefreshFigure {
  readonly how: string;
  readonly concurrency: number;
  readonly runs: RefreshRun[];
  /** Refresh calls with the token expired on both sides, per run (target: exactly 1). */
  readonly expiredTokenCalls: Summary;
  /** Refresh calls after server-side 401s, per run. */
  readonly revokedTokenCalls: Summary;
  /** Median latency (expired) − median latency (fresh), ms, per run. */
  readonly addedMedianMs: Summary;
  /** Wall time (expired) − wall time (fresh) for the whole batch, ms, per run. */
  readonly addedWallMs: Summary;
  readonly addedMedianMsRevoked: Summary;
  /** With a 100 ms token endpoint: median latency (expired) − median latency (fresh), ms. Ideal ≈ 100. */
  readonly addedMedianMsSlowEndpoint: Summary;
  readonly slowEndpointTokenCalls: Summary;
  readonly slowEndpointDelayMs: number;
  readonly freshMedianMs: Summary;
}

const REQUEST: GenerateContentRequest = { contents: [{ role: 'user', parts: [{ text: 'Summarize: the loopback redirect now works on remote hosts.' }] }] };

export async function measureRefresh(runs: number): Promise<RefreshFigure> {
  const emulator = await startEmulator();
  const results: RefreshRun[] = [];
  try {
    for (let run = 0; run < runs; run++) results.push(await oneRun(emulator));
  } finally {
    await emulator.close();
  }
    return {
    how: 'plain Node: src/core AuthService + GeminiClient.streamGenerateContent + credentialProviderFor against the fake Google/Gemini (in-memory SecretStorage)',
    concurrency: CONCURRENCY,
    runs: results,
    expiredTokenCalls: summarize(results.map((r) => r.expired.tokenCalls)),
    revokedTokenCalls: summarize(results.map((r) => r.revoked.tokenCalls)),
    addedMedianMs: summarize(results.map((r) => r.expired.medianMs - r.fresh.medianMs)),
    addedWallMs: summarize(results.map((r) => r.expired.wallMs - r.fresh.wallMs)),
    addedMedianMsRevoked: summarize(results.map((r) => r.revoked.medianMs - r.fresh.medianMs)),
    addedMedianMsSlowEndpoint: summarize(results.map((r) => r.expiredSlowEndpoint.medianMs - r.fresh.medianMs)),
    slowEndpointTokenCalls: summarize(results.map((r) => r.expiredSlowEndpoint.tokenCalls)),
    slowEndpointDelayMs: SLOW_TOKEN_ENDPOINT_MS,
    freshMedianMs: summarize(results.map((r) => r.fresh.medianMs)),
  };
}

async function oneRun(emulator: Awaited<ReturnType<typeof startEmulator>>): Promise<RefreshRun> {
  const { google, gemini } = emulator;
  let clockOffset = 0;
  const auth = AuthService.create({
    secrets: new MemorySecretStore(),
    shared: new MemoryKeyValue(),
    getConfig: () => ({
      clientId: google.client.clientId,
      clientSecret: google.client.clientSecret,
      endpoints: google.endpoints,
      scopes: ['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform'],
    }),
    log: nullLogger,
    now: () => Date.now() + clockOffset,
  });
  try {
    const session = await auth.createSession([], browserUi(google));
    const credential = credentialProviderFor({ kind: 'oauth', sessionId: session.id, accountId: session.account.id, label: session.account.label }, auth, () => undefined);
    const client = new GeminiClient({ baseUrl: gemini.baseUrl, log: nullLogger });
    const ask = async () => {
      for await (const _ of client.streamGenerateContent('gemini-3.5-flash', REQUEST, { credential }));
    };
    const batch = async (): Promise<RefreshPhase> => {
      const before = google.counters.token.refresh_token;
      const start = performance.now();
      const settled = await Promise.allSettled(
        Array.from({ length: CONCURRENCY }, async () => {
          const t = performance.now();
          await ask();
          return performance.now() - t;
        }),
      );
      const wallMs = performance.now() - start;
      const latencies = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const lat = summarize(latencies);
      return {
        tokenCalls: google.counters.token.refresh_token - before,
        failures: settled.length - latencies.length,
        medianMs: Math.round(lat.median * 10) / 10,
        p95Ms: Math.round(percentile(latencies, 95) * 10) / 10,
        wallMs: Math.round(wallMs * 10) / 10,
      };
    };
    await ask(); // warm-up: connections, JIT
    const fresh = await batch();
    // Expired everywhere: Google no longer accepts the token and the client's clock is past its expiry.
    google.expireAccessTokens();
    clockOffset += 2 * 3600_000;
    const expired = await batch();
    google.expireAccessTokens();
    clockOffset += 2 * 3600_000;
    google.setFailure('token', { kind: 'delay', ms: SLOW_TOKEN_ENDPOINT_MS });
    const expiredSlowEndpoint = await batch();
    google.setFailure('token', undefined);
    // Rejected by Google only: the client still thinks its (new) token is valid.
    google.expireAccessTokens();
    const revoked = await batch();
    return { fresh, expired, expiredSlowEndpoint, revoked };
  } finally {
    auth.dispose();
  }
}
