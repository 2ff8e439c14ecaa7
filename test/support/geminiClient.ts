import { GeminiClient, type CallOptions, type GeminiClientOptions } from '../../src/core/gemini/client';
import type { CredentialProvider } from '../../src/core/gemini/credentials';
import { responseText } from '../../src/core/gemini/response';
import type { GenerateContentRequest, GenerateContentResponse } from '../../src/core/gemini/types';

type Opts = Partial<CallOptions>;
export type TestGeminiClientOptions = GeminiClientOptions & { credential?: () => CredentialProvider | undefined };

/**
 * The real GeminiClient, with a credential for calls that name none (the product passes the active one to each
 * call), and `generateContent`: the product's one way to ask, streamGenerateContent, merged into one response.
 */
export class TestGeminiClient extends GeminiClient {
  constructor(private readonly test: TestGeminiClientOptions) {
    super(test);
  }

  override listModels(opts: Opts & { pageSize?: number } = {}) {
    return super.listModels(this.with(opts));
  }

  override countTokens(model: string, request: GenerateContentRequest, opts: Opts = {}) {
    return super.countTokens(model, request, this.with(opts));
  }

  override checkPromptSize(model: string, request: GenerateContentRequest, inputTokenLimit: number | undefined, opts: Opts = {}) {
    return super.checkPromptSize(model, request, inputTokenLimit, this.with(opts));
  }

  override streamGenerateContent(model: string, request: GenerateContentRequest, opts: Opts = {}) {
    return super.streamGenerateContent(model, request, this.with(opts));
  }

  async generateContent(model: string, request: GenerateContentRequest, opts: Opts = {}): Promise<GenerateContentResponse> {
    let merged: GenerateContentResponse = {};
    let text = '';
    for await (const r of this.streamGenerateContent(model, request, opts)) {
      text += responseText(r);
      const candidate = r.candidates?.[0] ? { ...merged.candidates?.[0], ...r.candidates[0], content: { role: 'model' as const, parts: [{ text }] } } : merged.candidates?.[0];
      merged = { ...merged, ...r, ...(candidate && { candidates: [candidate] }) };
    }
    return merged;
  }

  private with<T extends Opts>(opts: T): T & CallOptions {
    return { credential: this.test.credential?.() as CredentialProvider, ...opts };
  }
}
