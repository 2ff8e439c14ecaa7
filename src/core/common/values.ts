// Small checks on values the code did not make itself (parsed JSON, caught errors).

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A caught error as a log line may show it: its class name only, because its message may quote a secret. */
export function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'error';
}
