// The "recently used instructions" list of Generate from Selection: most recent first, no duplicates
// (ignoring surrounding and repeated whitespace), bounded in count and length. Pure; the adapter keeps the
// list in globalState (instructions are not secrets, but they are never logged).

export const MAX_RECENT_INSTRUCTIONS = 20;
export const MAX_INSTRUCTION_CHARS = 2000;

function key(instruction: string): string {
  return instruction.trim().replace(/\s+/g, ' ');
}

/** Reads a stored value defensively: anything that is not a list of strings counts as empty. */
export function parseRecentInstructions(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const normalized = key(item);
    if (normalized && normalized.length <= MAX_INSTRUCTION_CHARS && !out.includes(normalized)) out.push(normalized);
    if (out.length >= MAX_RECENT_INSTRUCTIONS) break;
  }
  return out;
}

/** The list after `instruction` was used: it moves to the front. */
export function rememberInstruction(list: readonly string[], instruction: string, max = MAX_RECENT_INSTRUCTIONS): string[] {
  const normalized = key(instruction);
  if (!normalized || normalized.length > MAX_INSTRUCTION_CHARS) return [...list];
  return [normalized, ...list.filter((i) => key(i) !== normalized)].slice(0, max);
}
