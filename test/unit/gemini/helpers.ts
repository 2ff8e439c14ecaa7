import type { Logger } from '../../../src/core/common/logger';

export interface LogEntry {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  message: string;
  args: unknown[];
}

/** Records every log call; `lines` renders each as the text an output channel would show. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  trace(message: string, ...args: unknown[]): void {
    this.entries.push({ level: 'trace', message, args });
  }
  debug(message: string, ...args: unknown[]): void {
    this.entries.push({ level: 'debug', message, args });
  }
  info(message: string, ...args: unknown[]): void {
    this.entries.push({ level: 'info', message, args });
  }
  warn(message: string, ...args: unknown[]): void {
    this.entries.push({ level: 'warn', message, args });
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.entries.push({ level: 'error', message: message instanceof Error ? `${message.message}\n${message.stack}` : message, args });
  }

  get lines(): string[] {
    return this.entries.map((e) =>
      [e.message, ...e.args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a)))].join(' '),
    );
  }

  requestLines(): string[] {
    return this.lines.filter((l) => l.startsWith('[request] ') && / status=/.test(l));
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
