// The subset of VS Code's LogOutputChannel the core logs through: one line of text per call (no objects or
// Errors, whose fields could hold anything). Callers prefix lines with the operation, `[signIn] opening browser`,
// and log sizes, statuses and ids, never keys, tokens or prompts.

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
