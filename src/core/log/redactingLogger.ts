import type { Logger } from '../common/logger';
import type { Redactor } from './redactor';

/** A Logger that scrubs every line through a Redactor: the adapter wraps the LogOutputChannel in one. */
export function redactingLogger(inner: Logger, redactor: Redactor): Logger {
  const scrubbed = (level: keyof Logger) => (message: string) => inner[level](redactor.scrub(message));
  return { trace: scrubbed('trace'), debug: scrubbed('debug'), info: scrubbed('info'), warn: scrubbed('warn'), error: scrubbed('error') };
}
