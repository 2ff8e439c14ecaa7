// Incremental parser for the SSE stream of `streamGenerateContent?alt=sse`, by WHATWG's event-stream rules (UTF-8
// split across chunks, CRLF/LF/CR line ends even split across chunks, `data:` lines joined with "\n", comments
// and other fields ignored). Gemini ends every event with a blank line, so one unterminated at EOF means the stream
// was cut: `droppedIncompleteEvent` lets the client say so instead of showing a truncated answer. One event holds
// at most `maxEventChars`: a server that never ends a line would otherwise grow memory without bound, and the idle
// timeout never fires while bytes keep coming.

import { GeminiError, errorFromGoogleError, parseGoogleError } from './errors';
import { cleanResponse } from './serverFields';
import type { GenerateContentResponse } from './types';

/** Gemini sends one response per event; even a long answer arrives in events of a few kilobytes. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

function eventTooLargeError(max: number): GeminiError {
  return new GeminiError({
    kind: 'invalidResponse',
    message: `Gemini sent a stream event larger than ${Math.round(max / 1024 / 1024) || 1} MiB, which is not a Gemini answer. Check 'gemini.api.baseUrl' and any proxy in between.`,
  });
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  private skipLeadingLf = false;
  private data: string[] = [];
  /** Characters in `data`. */
  private dataChars = 0;
  private hasDataField = false;
  private ended = false;
  /** True after `end()` if the stream stopped inside an event (data lines without the closing blank line). */
  droppedIncompleteEvent = false;

  constructor(private readonly maxEventChars = MAX_EVENT_CHARS) {}

  /** Feeds one chunk; returns the data of every event completed by it, in order. */
  push(chunk: Uint8Array): string[] {
    if (this.ended) throw new Error('SseParser: push() after end()');
    return this.consume(this.decoder.decode(chunk, { stream: true }));
  }

  /** Signals the end of the stream; returns events completed by the decoder's final flush (if any). */
  end(): string[] {
    if (this.ended) return [];
    const events = this.consume(this.decoder.decode());
    this.ended = true;
    // A trailing partial line, or data fields without the closing blank line, form an incomplete event.
    this.droppedIncompleteEvent = this.hasDataField || this.buffer.length > 0;
    return events;
  }

  private consume(text: string): string[] {
    const events: string[] = [];
    let start = 0;
    let i = 0;
    if (this.skipLeadingLf && text.length > 0) {
      if (text[0] === '\n') start = i = 1;
      this.skipLeadingLf = false;
    }
    let buffer = this.buffer;
    for (; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      const line = buffer + text.slice(start, i);
      buffer = '';
      if (ch === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      start = i + 1;
      const event = this.line(line);
      if (event !== undefined) events.push(event);
    }
    this.buffer = buffer + text.slice(start);
    if (this.dataChars + this.buffer.length > this.maxEventChars) throw eventTooLargeError(this.maxEventChars);
    return events;
  }

  private line(line: string): string | undefined {
    if (line === '') {
      if (!this.hasDataField) return undefined;
      const data = this.data.join('\n');
      this.data = [];
      this.dataChars = 0;
      this.hasDataField = false;
      return data;
    }
    if (line.charCodeAt(0) === 58 /* ':' */) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* ' ' */) value = value.slice(1);
    if (field === 'data') {
      this.dataChars += value.length + 1;
      if (this.dataChars > this.maxEventChars) throw eventTooLargeError(this.maxEventChars);
      this.data.push(value);
      this.hasDataField = true;
    }
    return undefined;
  }
}

/**
 * Turns one event's data into a response. A Google error object sent inside the stream becomes the
 * matching GeminiError; anything that is not a JSON object is an `invalidResponse` error.
 */
export function parseStreamEvent(data: string): GenerateContentResponse {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw new GeminiError({
      kind: 'invalidResponse',
      message: `Gemini sent a stream event that is not JSON (${data.length} characters). Try again; if it persists, check 'gemini.api.baseUrl' and any proxy in between.`,
      retryable: true,
      cause,
    });
  }
  const googleError = parseGoogleError(json);
  if (googleError) throw errorFromGoogleError(googleError.code ?? 500, googleError);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new GeminiError({
      kind: 'invalidResponse',
      message: 'Gemini sent a stream event that is not a response object. Try again.',
      retryable: true,
    });
  }
  return cleanResponse(json as GenerateContentResponse);
}
