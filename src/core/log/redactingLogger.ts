// A Logger that scrubs every message and argument through a Redactor before passing it on. The adapter
// wraps the LogOutputChannel in one of these, so nothing reaches the output channel unscrubbed.

import type { Logger } from '../common/logger';
import type { Redactor } from './redactor';

export class RedactingLogger implements Logger {
  constructor(
    private readonly inner: Logger,
    private readonly redactor: Redactor,
  ) {}

  trace(message: string, ...args: unknown[]): void {
    this.inner.trace(this.redactor.scrub(message), ...this.scrubArgs(args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.inner.debug(this.redactor.scrub(message), ...this.scrubArgs(args));
  }

  info(message: string, ...args: unknown[]): void {
    this.inner.info(this.redactor.scrub(message), ...this.scrubArgs(args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.inner.warn(this.redactor.scrub(message), ...this.scrubArgs(args));
  }

  error(message: string | Error, ...args: unknown[]): void {
    const first = typeof message === 'string' ? this.redactor.scrub(message) : this.scrubError(message);
    this.inner.error(first, ...this.scrubArgs(args));
  }

  private scrubArgs(args: unknown[]): unknown[] {
    return args.map((arg) => this.scrubValue(arg));
  }

  private scrubValue(value: unknown): unknown {
    if (typeof value === 'string') return this.redactor.scrub(value);
    if (value instanceof Error) return this.scrubError(value);
    if (value === null || typeof value !== 'object') return value;
    // Objects are flattened to scrubbed text: their fields could hold anything.
    let text: string;
    try {
      text = JSON.stringify(value);
    } catch {
      text = String(value);
    }
    return this.redactor.scrub(text ?? String(value));
  }

  /** A copy of the error whose message, stack and cause chain are scrubbed. */
  private scrubError(err: Error, depth = 0): Error {
    const copy = new Error(this.redactor.scrub(err.message));
    copy.name = err.name;
    copy.stack = err.stack === undefined ? undefined : this.redactor.scrub(err.stack);
    if (err.cause !== undefined && depth < 3) {
      copy.cause = err.cause instanceof Error ? this.scrubError(err.cause, depth + 1) : this.scrubValue(err.cause);
    }
    return copy;
  }
}
