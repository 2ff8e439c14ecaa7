// Builds the Gemini requests of "Summarize Selection" and "Generate from Selection" from plain data, and the
// labels the results panel shows for them. Pure: the command adapter reads the editor and settings and
// passes the text in; nothing here logs or keeps the prompt.

import type { GenerateContentRequest } from '../gemini/types';
import { truncate } from '../common/text';

/** Where the text came from: used for the title and for the "whole document" notice. */
export interface SourceText {
  /** The text sent as context (never empty when a request is built). */
  readonly text: string;
  /** File name shown to the user, e.g. `notes.md` or `Untitled-1`. */
  readonly fileName: string;
  /** Language id of the document, e.g. `markdown`; used to fence code for the model. */
  readonly languageId?: string;
  /** 1-based first and last line of the selection. */
  readonly startLine: number;
  readonly endLine: number;
  /** True when the whole document is used because the selection was empty. */
  readonly wholeDocument: boolean;
}

export type AiTask = { readonly kind: 'summarize'; readonly instruction: string } | { readonly kind: 'generate'; readonly instruction: string };

/** Longest instruction shown in a title before it is shortened. */
const TITLE_INSTRUCTION_CHARS = 80;

const GENERATE_SYSTEM_INSTRUCTION =
  'You help a developer working in VS Code. Follow the instruction using the given text as context. ' +
  'Answer in Markdown; put code in fenced code blocks with a language.';

/**
 * Summarize: the configured instruction is the system instruction. Generate: the user's instruction leads the user
 * turn. The selection is fenced in the user turn so its own text reads as data.
 */
export function buildRequest(task: AiTask, source: SourceText): GenerateContentRequest {
  const instruction = task.instruction.trim();
  const context = source.text ? fenced(source) : '';
  const summarize = task.kind === 'summarize';
  const user = summarize ? context : context ? `${instruction}\n\n${context}` : instruction;
  return {
    systemInstruction: { parts: [{ text: summarize ? instruction : GENERATE_SYSTEM_INSTRUCTION }] },
    contents: [{ role: 'user', parts: [{ text: user }] }],
  };
}

/** The source text inside a fence long enough that no backtick run in it can close the fence. */
export function fenced(source: SourceText): string {
  const longestRun = Math.max(2, ...Array.from(source.text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const what = source.wholeDocument ? `The whole file ${source.fileName}` : `Lines ${lineRange(source)} of ${source.fileName}`;
  const lang = source.languageId && /^[A-Za-z0-9_+-]{1,40}$/.test(source.languageId) ? source.languageId : '';
  return `${what}:\n\n${fence}${lang}\n${source.text}\n${fence}`;
}

export function lineRange(source: Pick<SourceText, 'startLine' | 'endLine'>): string {
  return source.startLine === source.endLine ? `${source.startLine}` : `${source.startLine}–${source.endLine}`;
}

/** The result's title in the panel and its history list. */
export function resultTitle(task: AiTask, source: SourceText): string {
  const where = !source.text
    ? source.fileName
    : source.wholeDocument ? source.fileName : `${source.fileName}, ${source.endLine === source.startLine ? 'line' : 'lines'} ${lineRange(source)}`;
  if (task.kind === 'summarize') return `Summary of ${where}`;
  return `${truncate(task.instruction.trim().replace(/\s+/g, ' '), TITLE_INSTRUCTION_CHARS)} (${where})`;
}

/**
 * Whether it is worth a countTokens round trip before sending: only when the prompt could be over the model's
 * input limit. A token is never shorter than one character for Gemini's tokenizer in practice, so a prompt
 * with fewer characters than the limit always fits.
 */
export function needsTokenCount(promptChars: number, inputTokenLimit: number | undefined): boolean {
  return inputTokenLimit !== undefined && inputTokenLimit > 0 && promptChars >= inputTokenLimit;
}

