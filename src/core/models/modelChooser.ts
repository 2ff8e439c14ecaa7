// Which model a request uses. `gemini.model` pins one; empty (the default) means automatic. Google shuts model ids
// down on announced dates, so no id is written here as the one to use: the automatic choice is the newest
// generally-available Flash model that `models.list` offers the credential today, made once per credential, kept
// for at most a day, and made again at once when Google answers that the chosen model is gone.

import { Emitter, type Disposable, type Event } from '../common/events';
import type { Logger } from '../common/logger';
import type { CredentialProvider } from '../gemini/credentials';
import { GeminiError, actions, isGeminiError } from '../gemini/errors';
import type { ModelCatalog, ModelInfo } from './modelCatalog';
import { compareVersions, geminiVersion } from './versions';

export const AUTOMATIC_MODEL_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * `gemini-3.8-flash` → [3, 8]. Anything else is not a candidate: preview, experimental, lite, image, live, speech,
 * embedding, dated or pinned-version (`-001`) variants, aliases (`gemini-flash-latest`) and other families.
 */
export function flashVersion(id: string): number[] | undefined {
  return /^gemini-\d+(?:\.\d+)*-flash$/.test(id) ? geminiVersion(id) : undefined;
}

/** The automatic choice among models that support generateContent; undefined if none qualifies. */
export function pickAutomaticModel(models: readonly Pick<ModelInfo, 'id'>[], exclude?: string): string | undefined {
  let best: { id: string; version: number[] } | undefined;
  for (const { id } of models) {
    const version = flashVersion(id);
    if (!version || id === exclude) continue;
    if (!best || compareVersions(version, best.version) > 0 || (compareVersions(version, best.version) === 0 && id > best.id)) best = { id, version };
  }
  return best?.id;
}

export interface ModelChoice {
  readonly id: string;
  /** Chosen automatically (`gemini.model` is empty), so it may be chosen again when it turns out to be gone. */
  readonly automatic: boolean;
}

export interface ModelChooserOptions {
  /** Where the models come from (shared with the picker and the token-limit check). */
  readonly source: Pick<ModelCatalog, 'key' | 'list' | 'forget'>;
  readonly log: Logger;
  /** `gemini.model`, read on every call: `''` means automatic. */
  readonly pinned: () => string;
  readonly now?: () => number;
}

interface Entry {
  readonly at: number;
  readonly id: Promise<string>;
  /** Set once `id` has resolved, so the status bar can show it without waiting. */
  value?: string;
}

export class ModelChooser implements Disposable {
  private readonly cache = new Map<string, Entry>();
  /** The entry of the credential used last (the active one: the owner clears everything when that changes). */
  private lastKey: string | undefined;
  private readonly changed = new Emitter<void>();
  /** Fires when the automatic choice is made, made again or forgotten. */
  readonly onDidChange: Event<void> = this.changed.event;
  private readonly now: () => number;

  constructor(private readonly options: ModelChooserOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The model for a request with `credential`: the pinned one, else the automatic choice (listing if needed). */
  async choose(credential: CredentialProvider, signal?: AbortSignal): Promise<ModelChoice> {
    const pinned = this.options.pinned();
    if (pinned) return { id: pinned, automatic: false };
    return { id: await this.automatic(credential, signal), automatic: true };
  }

  /** The automatic choice for `credential` (whatever `gemini.model` says), from the cache while it is fresh. */
  automatic(credential: CredentialProvider, signal?: AbortSignal): Promise<string> {
    const key = this.options.source.key(credential);
    this.lastKey = key;
    const hit = this.cache.get(key);
    if (hit && this.now() - hit.at < AUTOMATIC_MODEL_TTL_MS) return hit.id;
    return this.resolve(key, credential, undefined, signal);
  }

  /**
   * `gone` (the automatic choice) was answered as not found or retired: forgets it and the model list, and
   * chooses again without it. Undefined when nothing else qualifies or the list cannot be had.
   */
  async replaceGone(gone: string, credential: CredentialProvider, signal?: AbortSignal): Promise<string | undefined> {
    const key = this.options.source.key(credential);
    this.options.source.forget(credential);
    this.cache.delete(key);
    try {
      const id = await this.resolve(key, credential, gone, signal);
      this.options.log.info(`[models] ${gone} is gone: retrying once with the new automatic choice, ${id}`);
      return id;
    } catch (err) {
      this.options.log.warn(`[models] ${gone} is gone and no other model could be chosen (${isGeminiError(err) ? err.kind : 'error'})`);
      return undefined;
    }
  }

  /** What the next request would use, without listing: undefined while the automatic choice is not made yet. */
  peek(): ModelChoice | undefined {
    const pinned = this.options.pinned();
    if (pinned) return { id: pinned, automatic: false };
    const entry = this.lastKey === undefined ? undefined : this.cache.get(this.lastKey);
    return entry?.value !== undefined && this.now() - entry.at < AUTOMATIC_MODEL_TTL_MS ? { id: entry.value, automatic: true } : undefined;
  }

  /** Forgets every choice (the credential or the server changed). */
  clear(): void {
    if (!this.cache.size) return;
    this.cache.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  private resolve(key: string, credential: CredentialProvider, exclude: string | undefined, signal: AbortSignal | undefined): Promise<string> {
    const entry: Entry = {
      at: this.now(),
      id: this.options.source.list(credential, signal).then((models) => {
        const id = pickAutomaticModel(models, exclude);
        if (!id) throw noAutomaticModel(models.length);
        return id;
      }),
    };
    this.cache.set(key, entry);
    entry.id.then(
      (id) => {
        entry.value = id;
        if (this.cache.get(key) !== entry) return;
        this.options.log.info(`[models] automatic choice: ${id}`);
        this.changed.fire();
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    return entry.id;
  }
}

function noAutomaticModel(listed: number): GeminiError {
  return new GeminiError({
    kind: 'modelNotFound',
    message:
      listed === 0
        ? "No model can be chosen automatically: Google lists no model this credential can use for text generation. Choose one with 'Gemini: Select Model'."
        : "No model can be chosen automatically: Google lists no generally-available Flash model for this credential. Choose one with 'Gemini: Select Model'.",
    action: actions.selectModel,
  });
}
