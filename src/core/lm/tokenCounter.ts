// provideTokenCount: VS Code's chat asks for every message and tool of every prompt, so counts are cached
// per model and text, identical questions in flight share one countTokens call, and once counting fails
// (offline, signed out, quota) a local estimate answers at once for a while instead of waiting on the network.

import { createHash } from 'node:crypto';
import { isGeminiError } from '../gemini/errors';
import { estimateTokens } from '../gemini/tokens';
import type { LmMessage } from './types';

/** How long to estimate without asking after a failed count, and how many counts are kept. */
const OFFLINE_MS = 60_000;
const CAPACITY = 5000;

export interface TokenCounterOptions {
  /** countTokens for one text; throws when it cannot. */
  count(model: string, text: string, signal: AbortSignal | undefined): Promise<number>;
  now: () => number;
}

export class TokenCounter {
  private readonly cache = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<number | undefined>>();
  private offlineUntil = 0;

  constructor(private readonly options: TokenCounterOptions) {}

  async count(model: string, text: string, signal?: AbortSignal): Promise<number> {
    if (!text) return 0;
    const key = `${model}\u0000${createHash('sha256').update(text).digest('base64')}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    if (this.options.now() < this.offlineUntil) return estimateTokens(text.length);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.ask(key, model, text, signal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending) ?? estimateTokens(text.length);
  }

  private async ask(key: string, model: string, text: string, signal: AbortSignal | undefined): Promise<number | undefined> {
    try {
      const tokens = await this.options.count(model, text, signal);
      if (!Number.isInteger(tokens) || tokens < 0) throw new Error('countTokens gave no count');
      this.cache.set(key, tokens);
      if (this.cache.size > CAPACITY) this.cache.delete(this.cache.keys().next().value as string);
      return tokens;
    } catch (err) {
      if (!(isGeminiError(err, 'cancelled') || signal?.aborted)) this.offlineUntil = this.options.now() + OFFLINE_MS;
      return undefined;
    }
  }
}

/** The text a message would cost: its words, tool calls and tool results (images are not counted). */
export function messageText(message: LmMessage): string {
  return message.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.value;
        case 'toolCall':
          return `${part.name} ${JSON.stringify(part.input ?? {})}`;
        case 'toolResult':
          return part.content.map((c) => (c.kind === 'text' ? c.value : '')).join('');
        default:
          return '';
      }
    })
    .join('\n');
}
