// The one line logged per Gemini request. It carries sizes and outcomes only — never prompt text,
// headers, keys or tokens — so it is safe to share in a bug report.

export interface RequestLogFields {
  method: string;
  /** `generateContent`, `streamGenerateContent`, `countTokens`, `listModels`. */
  operation: string;
  /** Short model id (`gemini-2.5-flash`), if the call has one. */
  model?: string;
  /** HTTP status of the last attempt; undefined when no response arrived. */
  status?: number;
  latencyMs: number;
  retries: number;
  tokens?: { prompt?: number; candidates?: number; total?: number; thoughts?: number };
  promptChars?: number;
  /** GeminiError kind when the request failed. */
  error?: string;
  /** Extra `key=value` pairs (numbers or short identifiers only). */
  extra?: Record<string, string | number | undefined>;
}

function n(value: number | undefined): string {
  return value === undefined ? '-' : String(value);
}

export function formatRequestLine(f: RequestLogFields): string {
  const parts = [`[request] ${f.method} ${f.operation}`];
  if (f.model) parts.push(`model=${f.model}`);
  parts.push(`status=${f.status ?? 'none'}`);
  parts.push(`latency=${Math.round(f.latencyMs)}ms`);
  parts.push(`retries=${f.retries}`);
  if (f.tokens) parts.push(`tokens=${n(f.tokens.prompt)}/${n(f.tokens.candidates)}/${n(f.tokens.total)}`);
  if (f.promptChars !== undefined) parts.push(`promptChars=${f.promptChars}`);
  for (const [key, value] of Object.entries(f.extra ?? {})) {
    if (value !== undefined) parts.push(`${key}=${value}`);
  }
  if (f.error) parts.push(`error=${f.error}`);
  return parts.join(' ');
}
