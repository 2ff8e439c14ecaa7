// The backend the settings choose: `gemini.backend` with the Gemini API's or Vertex AI's own settings.
import { geminiApiBackend, type Backend, type BackendKind } from './backend';
import { vertexBackend } from './vertex';

export * from './backend';
export * from './vertex';

export interface BackendSettings {
  readonly backend: BackendKind;
  readonly apiBaseUrl: string;
  readonly vertexProject: string;
  readonly vertexLocation: string;
  readonly vertexBaseUrl: string;
}

export function selectedBackend(s: BackendSettings): Backend {
  return s.backend === 'vertex' ? vertexBackend({ project: s.vertexProject, location: s.vertexLocation, baseUrl: s.vertexBaseUrl }) : geminiApiBackend(s.apiBaseUrl);
}
export * from './projects';
