// The credential's models as VS Code's model picker shows them: the same list as "Gemini: Select Model",
// each saying whose quota it spends.

import type { ModelInfo } from '../models/modelCatalog';
import type { LmModelInformation } from './types';

/** Who pays for the requests, as the picker should name it. */
export interface Payer {
  readonly kind: 'apiKey' | 'oauth';
  /** The account's email, or "API key". */
  readonly label: string;
}

// Used only when models.list omits a limit: small enough that VS Code never sends more than any Gemini takes.
const FALLBACK_INPUT_TOKENS = 32_768;
const FALLBACK_OUTPUT_TOKENS = 8_192;

export function chatInformation(model: ModelInfo, payer: Payer): LmModelInformation {
  const input = model.inputTokenLimit ?? FALLBACK_INPUT_TOKENS;
  const output = model.outputTokenLimit ?? FALLBACK_OUTPUT_TOKENS;
  const who = payer.kind === 'oauth' ? `your Google account ${payer.label}` : 'your Gemini API key';
  const gemini = /^gemini-/.test(model.id) && !/-(tts|image|audio|live|embedding)\b/.test(model.id);
  return {
    id: model.id,
    name: model.displayName,
    family: modelFamily(model.id),
    version: model.id,
    detail: payer.label,
    tooltip:
      `${model.displayName} (${model.id}) through ${who}: requests from VS Code's chat and from extensions use its quota and billing. ` +
      `Input up to ${formatTokens(input)} tokens, output up to ${formatTokens(output)}.`,
    maxInputTokens: input,
    maxOutputTokens: output,
    capabilities: { toolCalling: gemini, imageInput: gemini },
  };
}

/** `gemini-2.5-flash-preview-09-2025` and `gemini-2.5-flash-001` are both family `gemini-2.5-flash`. */
export function modelFamily(id: string): string {
  const family = id.replace(/-(preview|exp|latest)(-.*)?$/, '').replace(/-\d{3}$/, '');
  return /\d/.test(family) ? family : id; // `gemini-exp-1206` is not family `gemini`
}

function formatTokens(n: number): string {
  if (n >= 1_000_000) return `${+(n / 1_048_576).toFixed(1)}M`;
  if (n >= 1000) return `${Math.round(n / 1024)}K`;
  return String(n);
}
