// What `models.list` answers, as Google's Gemini API does in late 2026: the 3.x text models (thinking), their
// lite, pro, preview, experimental and pinned-version variants, an alias, image, live-only, speech and embedding
// models. Google lists them oldest-first in no promised order; the GA Flash model the
// extension should choose by itself is deliberately far down, so a client that stops after one page misses it.
// The 2025 list (the 2.x family, since shut down) is kept for the tests that need Google as it was.

/** One entry of `models.list`, with the fields Google sends. */
export interface FakeModel {
  name: string;
  baseModelId?: string;
  version: string;
  displayName: string;
  description: string;
  inputTokenLimit: number;
  outputTokenLimit: number;
  supportedGenerationMethods: string[];
  temperature?: number;
  maxTemperature?: number;
  topP?: number;
  topK?: number;
  thinking?: boolean;
}

const TEXT = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'];

interface Spec {
  id: string;
  displayName: string;
  version: string;
  input?: number;
  output?: number;
  methods?: string[];
  thinking?: boolean;
  description?: string;
}

function entry(s: Spec): FakeModel {
  const text = (s.methods ?? TEXT).includes('generateContent');
  return {
    name: `models/${s.id}`,
    version: s.version,
    displayName: s.displayName,
    description: s.description ?? `${s.displayName} (fake)`,
    inputTokenLimit: s.input ?? 1_048_576,
    outputTokenLimit: s.output ?? 65_536,
    supportedGenerationMethods: s.methods ?? TEXT,
    ...(text ? { temperature: 1, maxTemperature: 2, topP: 0.95, topK: 64 } : {}),
    ...(s.thinking ? { thinking: true } : {}),
  };
}

/** Google's list on 2026-12-01, as far as the extension cares. */
export const MODELS_LATE_2026: readonly FakeModel[] = [
  entry({ id: 'gemini-3-flash', displayName: 'Gemini 3 Flash', version: '3', thinking: true }),
  entry({ id: 'gemini-3-pro', displayName: 'Gemini 3 Pro', version: '3', thinking: true }),
  entry({ id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', version: '001', input: 2048, output: 1, methods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'] }),
  entry({ id: 'gemini-3.5-flash', displayName: 'Gemini 3.5 Flash', version: '3.5', thinking: true }),
  entry({ id: 'gemini-3.5-flash-001', displayName: 'Gemini 3.5 Flash 001', version: '3.5-001', thinking: true, description: 'Stable version of Gemini 3.5 Flash, pinned on its release date (fake)' }),
  entry({ id: 'gemini-3.5-flash-lite', displayName: 'Gemini 3.5 Flash-Lite', version: '3.5', thinking: true }),
  entry({ id: 'gemini-3.5-pro', displayName: 'Gemini 3.5 Pro', version: '3.5', thinking: true }),
  entry({ id: 'gemini-3.5-flash-image', displayName: 'Gemini 3.5 Flash Image', version: '3.5', input: 65_536, output: 32_768, methods: ['generateContent', 'countTokens', 'batchGenerateContent'] }),
  entry({ id: 'gemini-3.5-flash-live', displayName: 'Gemini 3.5 Flash Live', version: '3.5', input: 131_072, output: 8192, methods: ['bidiGenerateContent'], thinking: true }),
  entry({ id: 'gemini-3.5-flash-preview-tts', displayName: 'Gemini 3.5 Flash Preview TTS', version: '3.5-preview', input: 8192, output: 16_384, methods: ['generateContent', 'countTokens'] }),
  entry({ id: 'gemini-3.8-flash-preview-11-2026', displayName: 'Gemini 3.8 Flash Preview 11-2026', version: '3.8-preview-11-2026', thinking: true }),
  entry({ id: 'gemini-3.9-flash-exp', displayName: 'Gemini 3.9 Flash Experimental', version: '3.9-exp', thinking: true }),
  entry({ id: 'gemini-flash-latest', displayName: 'Gemini Flash Latest', version: 'latest', thinking: true, description: 'Alias that points to the most recent Flash release, previews included (fake)' }),
  entry({ id: 'imagen-4.0-generate-001', displayName: 'Imagen 4', version: '001', input: 480, output: 8192, methods: ['predict'] }),
  entry({ id: 'gemini-3.8-flash', displayName: 'Gemini 3.8 Flash', version: '3.8', thinking: true }),
  entry({ id: 'gemini-3.8-flash-lite', displayName: 'Gemini 3.8 Flash-Lite', version: '3.8', thinking: true }),
  entry({ id: 'gemini-fake-tiny', displayName: 'Gemini Fake Tiny (64-token input)', version: '001', input: 64, output: 256, methods: ['generateContent', 'countTokens'] }),
];

/** Google's list in 2025 (all of it shut down by late 2026), for tests that need the old world. */
export const MODELS_2025: readonly FakeModel[] = [
  entry({ id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', version: '001', thinking: true }),
  entry({ id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', version: '2.5', thinking: true }),
  entry({ id: 'text-embedding-004', displayName: 'Text Embedding 004', version: '004', input: 2048, output: 1, methods: ['embedContent'] }),
  entry({ id: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash-Lite', version: '001', methods: ['generateContent', 'countTokens'], thinking: true }),
  entry({ id: 'imagen-3.0-generate-002', displayName: 'Imagen 3.0', version: '002', input: 480, output: 8192, methods: ['predict'] }),
  entry({ id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', version: '2.0', output: 8192, methods: ['generateContent', 'countTokens'] }),
  entry({ id: 'embedding-001', displayName: 'Embedding 001', version: '001', input: 2048, output: 1, methods: ['embedContent'] }),
  entry({ id: 'gemini-fake-tiny', displayName: 'Gemini Fake Tiny (64-token input)', version: '001', input: 64, output: 256, methods: ['generateContent', 'countTokens'] }),
];
