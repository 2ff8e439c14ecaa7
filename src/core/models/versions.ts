// Gemini model ids carry their version (`gemini-3.8-flash`, `gemini-3-pro`). "Newer" means a higher version
// compared as numbers, part by part — never as text, where "3.10" would sort before "3.8".

/** `gemini-3.8-flash-lite` → [3, 8]; undefined for ids without a leading Gemini version (aliases, other families). */
export function geminiVersion(id: string): number[] | undefined {
  const m = /^gemini-(\d+(?:\.\d+)*)(?:-|$)/.exec(id);
  return m ? m[1].split('.').map(Number) : undefined;
}

/** Numeric, part by part, a missing part being 0: 3.10 > 3.8 > 3.5 > 3 = 3.0. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
