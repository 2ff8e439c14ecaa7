// The language-model provider without VS Code: the active credential's models, a chat request streamed
// through GeminiClient (with origin `languageModel`, so the activity view counts it apart), token counts. Every
// request is logged: sizes and outcome, never text.

import { randomUUID } from 'node:crypto';
import type { Logger } from '../common/logger';
import { GeminiError, cancelledError, noCredentialError } from '../gemini/errors';
import type { GeminiClient } from '../gemini/client';
import type { CredentialProvider } from '../gemini/credentials';
import type { ModelInfo } from '../models/modelCatalog';
import { chatInformation, type Payer } from './models';
import { toGeminiRequest } from './request';
import { ResponseReader } from './response';
import { TokenCounter } from './tokenCounter';
import { ToolCallMemory } from './toolCalls';
import type { LmMessage, LmModelInformation, LmOutputPart, LmRequestOptions } from './types';

export interface LmCredential extends Payer {
  readonly provider: CredentialProvider;
}

export interface LanguageModelServiceDeps {
  client: Pick<GeminiClient, 'streamGenerateContent' | 'countTokens'>;
  /** The credential's generateContent models (the Select Model list). */
  listModels(credential: CredentialProvider, signal?: AbortSignal): Promise<ModelInfo[]>;
  /** The active credential, or undefined when signed out. */
  credential(): Promise<LmCredential | undefined>;
  log: Logger;
  now?: () => number;
}

export class LanguageModelService {
  readonly memory = new ToolCallMemory();
  private readonly tokens: TokenCounter;
  private readonly now: () => number;

  constructor(private readonly deps: LanguageModelServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.tokens = new TokenCounter({
      now: this.now,
      count: async (model, text, signal) => {
        const credential = await deps.credential();
        if (!credential) throw noCredentialError();
        const request = { contents: [{ role: 'user' as const, parts: [{ text }] }] };
        return (await deps.client.countTokens(model, request, { signal, credential: credential.provider, origin: 'languageModel' })).totalTokens;
      },
    });
  }

  async models(signal?: AbortSignal): Promise<LmModelInformation[]> {
    const credential = await this.deps.credential();
    if (!credential) return [];
    const models = await this.deps.listModels(credential.provider, signal);
    return models.map((m) => chatInformation(m, credential));
  }

  /** Streams the answer into `emit`; throws a GeminiError when the request fails or the answer is refused. */
  async respond(model: string, messages: readonly LmMessage[], options: LmRequestOptions, emit: (part: LmOutputPart) => void, signal: AbortSignal): Promise<void> {
    const started = this.now();
    let credential: LmCredential | undefined;
    let reader: ResponseReader | undefined;
    let failure: GeminiError | undefined;
    try {
      credential = await this.deps.credential();
      if (!credential) throw noCredentialError();
      const { request, toolNames } = toGeminiRequest(model, messages, options, this.memory);
      reader = new ResponseReader(this.memory, toolNames, randomUUID());
      for await (const response of this.deps.client.streamGenerateContent(model, request, { signal, credential: credential.provider, origin: 'languageModel' })) {
        for (const part of reader.read(response)) emit(part);
      }
      if (signal.aborted) throw cancelledError();
      const problem = reader.problem();
      if (problem) throw problem;
    } catch (err) {
      failure = err instanceof GeminiError ? err : signal.aborted ? cancelledError() : new GeminiError({ kind: 'invalidResponse', message: `The Gemini request failed: ${err instanceof Error ? err.message : String(err)}`, cause: err });
      throw failure;
    } finally {
      // One line per request: sizes and outcome, never text.
      const usage = reader?.usage;
      const fields = [
        `model=${model}`,
        `outcome=${failure ? failure.kind : 'ok'}`,
        `status=${failure ? (failure.status ?? 'none') : 200}`,
        `latency=${Math.round(this.now() - started)}ms`,
        `messages=${messages.length}`,
        `tools=${options.tools?.length ?? 0}`,
        `toolMode=${options.toolMode}`,
        `promptChars=${promptChars(messages)}`,
        `answerChars=${reader?.textChars ?? 0}`,
        `toolCalls=${reader?.toolCalls ?? 0}`,
        `tokens=${usage?.promptTokenCount ?? '-'}/${usage?.candidatesTokenCount ?? '-'}/${usage?.totalTokenCount ?? '-'}`,
      ];
      const line = `[lm] request via a VS Code chat or extension (${credential ? (credential.kind === 'oauth' ? 'Google account' : 'API key') : 'no credential'}) ${fields.join(' ')}`;
      if (failure && failure.kind !== 'cancelled') this.deps.log.warn(line);
      else this.deps.log.info(line);
    }
  }

  countTokens(model: string, text: string, signal?: AbortSignal): Promise<number> {
    return this.tokens.count(model, text, signal);
  }
}

function promptChars(messages: readonly LmMessage[]): number {
  let n = 0;
  for (const m of messages) for (const p of m.parts) if (p.kind === 'text') n += p.value.length;
  return n;
}
