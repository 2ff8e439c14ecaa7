// The subset of VS Code's LogOutputChannel the core logs through. The adapter passes the real channel;
// tests pass a recording logger. Callers prefix lines with the operation: `[signIn] opening browser`.
// Nothing secret is ever passed here: callers log sizes, statuses and ids, never keys, tokens or prompts.

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
