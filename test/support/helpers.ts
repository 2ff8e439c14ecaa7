// Helpers every test tier shares (no VS Code API here: the unit tier runs in plain Node).
import type { Logger } from '../../src/core/common/logger';

/** `publisher.name` of package.json. */
export const EXTENSION_ID = 'gemini-for-vscode.gemini-vscode';

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
    this.entries.push({ level: 'error', message: message instanceof Error ? `${message.name}: ${message.message}\n${message.stack}` : message, args });
  }

  get lines(): string[] {
    return this.entries.map((e) =>
      [e.message, ...e.args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a)))].join(' '),
    );
  }

  /** Every line with its level, for assertion messages and for asserting that nothing leaked. */
  get all(): string {
    return this.lines.map((line, i) => `${this.entries[i].level} ${line}`).join('\n');
  }

  warnings(): string[] {
    return this.lines.filter((_, i) => this.entries[i].level === 'warn');
  }

  requestLines(): string[] {
    return this.lines.filter((l) => l.startsWith('[request] ') && / status=/.test(l));
  }
}

/** The next event `subscribe` delivers; rejects if none comes within `timeoutMs`. */
export function nextEvent<T>(subscribe: (listener: (e: T) => void) => { dispose(): void }, timeoutMs = 2000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`event did not fire within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = subscribe((e) => {
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What `promise` rejects with; fails the test if it resolves. */
export async function rejection<E = Error & Record<string, unknown>>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
