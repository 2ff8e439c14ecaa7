// Wire types of the Gemini REST API (v1beta) — only the fields this extension reads or writes.
// Responses are untrusted input: every field is optional where Google may omit it.

export type Role = 'user' | 'model';

export interface Part {
  text?: string;
  /** Set on "thought summary" parts of thinking models; these are not part of the answer. */
  thought?: boolean;
}

export interface Content {
  role?: Role;
  parts: Part[];
}

export interface ThinkingConfig {
  thinkingBudget?: number;
  /** Ask for thought summaries: parts with `thought: true` before (and sometimes between) the answer's parts. */
  includeThoughts?: boolean;
  /** Gemini 3 and later: `minimal`, `low`, `medium` or `high`. */
  thinkingLevel?: string;
}

export interface GenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  thinkingConfig?: ThinkingConfig;
}

export interface GenerateContentRequest {
  contents: Content[];
  systemInstruction?: { parts: Part[] };
  generationConfig?: GenerationConfig;
}

/** Finish and block reasons are open sets (Google adds new ones): shared/finishReason.ts explains the known ones. */
export interface Candidate {
  content?: Content;
  finishReason?: string;
}

export interface PromptFeedback {
  blockReason?: string;
}

export interface UsageMetadata {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  totalTokenCount?: number;
  thoughtsTokenCount?: number;
}

export interface GenerateContentResponse {
  candidates?: Candidate[];
  promptFeedback?: PromptFeedback;
  usageMetadata?: UsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

export interface Model {
  /** Resource name, e.g. `models/gemini-2.5-flash`. */
  name: string;
  baseModelId?: string;
  version?: string;
  displayName?: string;
  description?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  supportedGenerationMethods?: string[];
  thinking?: boolean;
}

export interface ListModelsResponse {
  models?: Model[];
  nextPageToken?: string;
}

export interface CountTokensResponse {
  totalTokens: number;
}

/** The shape of every Google API error body. */
export interface GoogleErrorBody {
  error: {
    code?: number;
    message?: string;
    status?: string;
    details?: GoogleErrorDetail[];
  };
}

export interface GoogleErrorDetail {
  '@type'?: string;
  // google.rpc.ErrorInfo
  reason?: string;
  metadata?: Record<string, string>;
  // google.rpc.Help
  links?: { description?: string; url?: string }[];
  // google.rpc.RetryInfo
  retryDelay?: string;
  // google.rpc.QuotaFailure
  violations?: { quotaId?: string }[];
}
