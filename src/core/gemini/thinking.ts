// Thinking models: which models get asked for thought summaries, the request options that ask (with the
// `gemini.thinkingLevel` setting), and how to recognise a model that refuses those options so the client can
// retry once without them.

import { parseGoogleError } from './errors';
import type { GenerateContentRequest, ThinkingConfig } from './types';

/** The levels the API accepts for `thinkingConfig.thinkingLevel` (SPEC "Models"). */
export const THINKING_LEVELS = ['minimal', 'low', 'medium', 'high'] as const;
export type ThinkingLevel = (typeof THINKING_LEVELS)[number];
/** `gemini.thinkingLevel`: `default` sends no level and lets the model choose. */
export type ThinkingLevelSetting = 'default' | ThinkingLevel;

export function isThinkingLevelSetting(value: unknown): value is ThinkingLevelSetting {
  return value === 'default' || (THINKING_LEVELS as readonly unknown[]).includes(value);
}

/**
 * Whether `model` thinks. Its `models.list` entry decides when there is one. Without one (the lookup failed
 * or timed out) Gemini 3 and later ids are taken to think: every current text model of those families does,
 * and a wrong guess costs one refused request that the client retries without the options, while guessing
 * "no" would silently drop the thoughts.
 */
export function isThinkingModel(model: string, entry: { readonly thinking?: boolean } | undefined): boolean {
  if (entry) return entry.thinking === true;
  const id = model.trim().replace(/^models\//, '');
  const major = /^gemini-(\d+)(?:[.-]|$)/.exec(id)?.[1];
  return major !== undefined && Number(major) >= 3 && !/-(?:tts|embedding|live)\b/.test(id);
}

/** `request` asking for thought summaries, and for `level` unless it is `default`. Never changes `request`. */
export function withThinking(request: GenerateContentRequest, level: ThinkingLevelSetting): GenerateContentRequest {
  const thinkingConfig: ThinkingConfig = {
    ...request.generationConfig?.thinkingConfig,
    includeThoughts: true,
    ...(level !== 'default' && { thinkingLevel: level }),
  };
  return { ...request, generationConfig: { ...request.generationConfig, thinkingConfig } };
}

/** A copy of a generateContent body without `generationConfig.thinkingConfig`; undefined if it has none. */
export function withoutThinking(body: unknown): unknown {
  const request = body as Partial<GenerateContentRequest> | undefined;
  const config = request && typeof request === 'object' ? request.generationConfig : undefined;
  if (!config || typeof config !== 'object' || !('thinkingConfig' in config)) return undefined;
  const { thinkingConfig: _dropped, ...rest } = config;
  const copy: Partial<GenerateContentRequest> = { ...request };
  if (Object.keys(rest).length > 0) copy.generationConfig = rest;
  else delete copy.generationConfig;
  return copy;
}

/**
 * True when an error body is Google refusing a thinking option: 400 INVALID_ARGUMENT whose message names
 * thinking (`thinking_config`, `thinkingLevel`, `include_thoughts`, "Thinking is not supported…").
 */
export function rejectsThinkingOption(status: number, errorBody: string): boolean {
  if (status !== 400) return false;
  let json: unknown;
  try {
    json = JSON.parse(errorBody);
  } catch {
    return false;
  }
  const parsed = parseGoogleError(json);
  return parsed?.status === 'INVALID_ARGUMENT' && /thinking|thought/i.test(parsed.message);
}
