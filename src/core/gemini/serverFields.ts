// What a Gemini server sends is untrusted: `gemini.api.baseUrl` may name any server, and a broken proxy is
// enough. Every string we keep or show from a response is checked here once, where the response is parsed:
// the wrong type is dropped, identifiers must look like identifiers, and free text is cut to a size the UI
// and the webview protocol accept. Other fields pass through unchanged.

import type { GenerateContentResponse, Model } from './types';
import { truncate } from '../common/text';
import { isObject } from '../common/values';

export const SERVER_FIELD_LIMITS = {
  /** Model names and versions; the results panel refuses longer ones. */
  modelId: 200,
  /** Enum-like codes: finishReason, blockReason, `error.status`, `ErrorInfo.reason`. */
  code: 64,
  /** Quota ids, project ids and other identifiers in error details. */
  detailId: 128,
  displayName: 200,
  description: 1000,
  /** Google's error message (it is shortened again where it is shown). */
  message: 2000,
  url: 2048,
} as const;

const ID_PATTERN = /^[A-Za-z0-9][\w./@:-]*$/;

/** A string the server sent, cut to `max` characters; undefined for anything that is not a string. */
export function serverString(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  return truncate(value, max);
}

/** An identifier the server sent (a model id, `MAX_TOKENS`, `API_KEY_INVALID`); undefined unless it is one. */
export function serverId(value: unknown, max: number = SERVER_FIELD_LIMITS.code): string | undefined {
  return typeof value === 'string' && value.length <= max && ID_PATTERN.test(value) ? value : undefined;
}

/** Sets `key` to the cleaned value, or removes it when nothing acceptable is left. */
function put<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value === undefined) delete target[key];
  else (target as Record<keyof T, unknown>)[key] = value;
}

/** The response with `modelVersion`, finish and block reasons checked; shapes the readers rely on kept. */
export function cleanResponse(response: GenerateContentResponse): GenerateContentResponse {
  const clean: GenerateContentResponse = { ...response };
  if ('modelVersion' in clean) put(clean, 'modelVersion', serverId(clean.modelVersion, SERVER_FIELD_LIMITS.modelId));
  if ('candidates' in clean) {
    put(
      clean,
      'candidates',
      Array.isArray(clean.candidates)
        ? clean.candidates.filter(isObject).map((c) => {
            const candidate = { ...c };
            if ('finishReason' in candidate) put(candidate, 'finishReason', serverId(candidate.finishReason));
            const content: unknown = candidate.content;
            if (isObject(content) && Array.isArray(content.parts)) candidate.content = { ...content, parts: content.parts.filter(isObject) } as typeof candidate.content;
            else delete candidate.content;
            return candidate;
          })
        : undefined,
    );
  }
  if ('promptFeedback' in clean) {
    if (isObject(clean.promptFeedback)) {
      const feedback = { ...clean.promptFeedback };
      if ('blockReason' in feedback) put(feedback, 'blockReason', serverId(feedback.blockReason));
      clean.promptFeedback = feedback;
    } else {
      delete clean.promptFeedback;
    }
  }
  return clean;
}

/** The models of a `models.list` page that have a usable name, with their names and texts checked. */
export function cleanModels(models: unknown): Model[] {
  if (!Array.isArray(models)) return [];
  const result: Model[] = [];
  for (const m of models) {
    if (!isObject(m)) continue;
    const name = serverId(m.name, SERVER_FIELD_LIMITS.modelId);
    if (!name) continue;
    const model = { ...m, name } as Model;
    if ('displayName' in model) put(model, 'displayName', serverString(model.displayName, SERVER_FIELD_LIMITS.displayName));
    if ('description' in model) put(model, 'description', serverString(model.description, SERVER_FIELD_LIMITS.description));
    if ('baseModelId' in model) put(model, 'baseModelId', serverId(model.baseModelId, SERVER_FIELD_LIMITS.modelId));
    if ('version' in model) put(model, 'version', serverId(model.version, SERVER_FIELD_LIMITS.modelId));
    for (const key of ['inputTokenLimit', 'outputTokenLimit'] as const) {
      if (key in model) put(model, key, Number.isSafeInteger(model[key]) && (model[key] as number) > 0 ? model[key] : undefined);
    }
    if ('supportedGenerationMethods' in model) {
      const methods: unknown = model.supportedGenerationMethods;
      put(model, 'supportedGenerationMethods', Array.isArray(methods) ? methods.map((x) => serverId(x)).filter((x): x is string => !!x) : undefined);
    }
    result.push(model);
  }
  return result;
}
