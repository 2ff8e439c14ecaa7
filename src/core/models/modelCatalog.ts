import type { CredentialProvider } from '../gemini/credentials';
import type { Model } from '../gemini/types';
import { shortModelId, type GeminiClient } from '../gemini/client';
import { compareVersions, geminiVersion } from './versions';

export interface ModelInfo {
  readonly id: string;
  readonly displayName: string;
  readonly inputTokenLimit?: number;
  readonly outputTokenLimit?: number;
  readonly thinking?: boolean;
}

/** Models that can answer generateContent, as the picker shows them: newest Gemini versions first, then by name. */
export function generativeModels(models: readonly Model[]): ModelInfo[] {
  return models
    .filter((m) => m.supportedGenerationMethods?.includes('generateContent'))
    .map((m) => ({
      id: shortModelId(m.name),
      displayName: m.displayName?.trim() || shortModelId(m.name),
      ...(m.inputTokenLimit ? { inputTokenLimit: m.inputTokenLimit } : {}),
      ...(m.outputTokenLimit ? { outputTokenLimit: m.outputTokenLimit } : {}),
      ...(m.thinking === true ? { thinking: true } : {}),
    }))
    .sort(pickerOrder);
}

/** 3.10 before 3.8 before 3; within a version by id (`-flash` before `-flash-lite` before `-pro`); aliases and other families last. */
function pickerOrder(a: ModelInfo, b: ModelInfo): number {
  const [va, vb] = [geminiVersion(a.id), geminiVersion(b.id)];
  if (va && vb) {
    const newer = compareVersions(vb, va);
    if (newer !== 0) return newer;
  } else if (va || vb) {
    return va ? -1 : 1;
  }
  return a.id.localeCompare(b.id);
}

/**
 * `models.list` per credential, kept for a few minutes: the picker and the pre-flight token-limit check
 * both need it, and neither should add a round trip to every summary. Keyed by the backend (its `key`: server,
 * and for Vertex the project and location) and the credential's id (`apiKey`, the Google account id or `adc`,
 * never a secret), so one backend's list never answers for another; the owner also clears it on changes.
 */
const TTL_MS = 10 * 60_000;

export class ModelCatalog {
  private cache = new Map<string, { at: number; models: Promise<ModelInfo[]> }>();

  constructor(
    private readonly lister: Pick<GeminiClient, 'listModels'>,
    /** The current backend's `key`, read on every call. */
    private readonly backendKey: () => string,
  ) {}

  /** The cache key of `credential` on the current backend (the chooser keys its choice the same way). */
  key(credential: Pick<CredentialProvider, 'id'>): string {
    return `${this.backendKey()}\u0000${credential.id}`;
  }

  list(credential: CredentialProvider, signal?: AbortSignal): Promise<ModelInfo[]> {
    const key = this.key(credential);
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.models;
    const models = this.lister.listModels({ credential, signal }).then(generativeModels);
    this.cache.set(key, { at: Date.now(), models });
    models.catch(() => this.cache.delete(key));
    return models;
  }

  async find(credential: CredentialProvider, model: string, signal?: AbortSignal): Promise<ModelInfo | undefined> {
    const id = shortModelId(model);
    return (await this.list(credential, signal)).find((m) => m.id === id);
  }

  /** Drops one credential's list, e.g. when a model in it turned out to be retired. */
  forget(credential: CredentialProvider): void {
    this.cache.delete(this.key(credential));
  }

  clear(): void {
    this.cache.clear();
  }
}
