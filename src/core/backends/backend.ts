// Where requests go. The client has one request pipeline (credentials, retries, streaming, errors); a backend is
// the value that tells it what differs between Google's two Gemini services: the URLs, which credentials may go
// there and with which extra headers, the shape of the model list and of countTokens, and how to phrase the
// service's own errors. The Gemini API (generativelanguage) is below; Vertex AI is in vertex.ts.

import { parseBaseUrl } from '../gemini/client';
import type { CredentialProvider } from '../gemini/credentials';
import type { GeminiError } from '../gemini/errors';
import { cleanModels } from '../gemini/serverFields';
import type { GenerateContentRequest, ListModelsResponse, Model } from '../gemini/types';

export type BackendKind = 'geminiApi' | 'vertex';
export type ModelOperation = 'streamGenerateContent' | 'countTokens';

export interface ModelPage {
  readonly models: Model[];
  readonly nextPageToken?: string;
}

export interface Backend {
  readonly kind: BackendKind;
  /** Names the server (and for Vertex the project and location) for caches and logs; never a secret. */
  readonly key: string;
  /** What the user reads: "Gemini API", or "Vertex AI · my-project · global". */
  readonly label: string;
  /** The URL of `operation` on `name` (`models/<id>` or `tunedModels/<id>`, already validated). Throws a GeminiError for a bad setting. */
  modelUrl(operation: ModelOperation, name: string): URL;
  /** The URL of the model list (paging parameters are added by the client). */
  listUrl(): URL;
  /** Throws, before anything is sent, when `credential` must never reach this backend. */
  admit(credential: CredentialProvider): void;
  /** Headers on top of the credential's own. */
  headers(credential: CredentialProvider): Record<string, string>;
  /** One page of the model list, as the `Model[]` the picker and the automatic choice read. */
  parseModelPage(json: unknown): ModelPage;
  countTokensBody(name: string, request: GenerateContentRequest): unknown;
  /** The backend's own wording of an error from the server (Vertex names the project, location and IAM role). */
  explain(error: GeminiError, model?: string): GeminiError;
}

export const GEMINI_API_VERSION = 'v1beta';

/** The Gemini API at `gemini.api.baseUrl`: API keys or a Google account. */
export function geminiApiBackend(baseUrl: string): Backend {
  const base = () => parseBaseUrl(baseUrl).href.replace(/\/$/, '');
  return {
    kind: 'geminiApi',
    key: `geminiApi\u0000${baseUrl}`,
    label: 'Gemini API',
    modelUrl: (operation, name) => new URL(`${base()}/${GEMINI_API_VERSION}/${name}:${operation}`),
    listUrl: () => new URL(`${base()}/${GEMINI_API_VERSION}/models`),
    admit: () => undefined,
    headers: () => ({}),
    parseModelPage: (json) => {
      const page = json as ListModelsResponse;
      return { models: cleanModels(page.models), ...(typeof page.nextPageToken === 'string' && page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}) };
    },
    // A bare `contents` body cannot carry the system instruction; the wrapped form counts everything.
    countTokensBody: (name, request) =>
      request.systemInstruction || request.generationConfig
        ? { generateContentRequest: { model: name, ...request } }
        : { contents: request.contents },
    explain: (error) => error,
  };
}
