import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildRequest, needsTokenCount, resultTitle, type AiTask, type SourceText } from '../../core/ai/prompt';
import { MAX_INSTRUCTION_CHARS, parseRecentInstructions, rememberInstruction } from '../../core/ai/recentInstructions';
import { plainText } from '../../core/common/plainText';
import { errorName } from '../../core/common/values';
import type { CredentialProvider } from '../../core/gemini/credentials';
import { isThinkingModel, withThinking } from '../../core/gemini/thinking';
import { promptChars, promptTooLongError } from '../../core/gemini/tokens';
import type { GenerateContentRequest, GenerateContentResponse } from '../../core/gemini/types';
import type { LmCredential } from '../../core/lm/service';
import type { ModelChoice } from '../../core/models/modelChooser';
import type { EditTarget } from '../results/edits';
import type { ResultsPanelManager } from '../results/manager';
import type { Services } from '../services';
import { offerSetup } from './accounts';
import { ensureVertexReady } from './backend';
import { showQuickPick } from './quickPick';

const RECENT_INSTRUCTIONS_KEY = 'gemini.generate.recentInstructions';
/** How long the pre-flight model lookup may take before we send without it. */
const PREFLIGHT_TIMEOUT_MS = 5000;
/** How long the model lookup for the thinking decision may take (it is usually cached by then). */
const THINKING_LOOKUP_TIMEOUT_MS = 5000;

export interface AiCommandDeps extends Pick<Services, 'gemini' | 'catalog' | 'models' | 'settings' | 'log' | 'credentials' | 'activeCredential' | 'backend' | 'isEmulator'> {
  readonly results: Pick<ResultsPanelManager, 'prepare' | 'run'>;
  /** Where the recent Generate instructions are kept. */
  readonly globalState: vscode.Memento;
}

interface Source extends SourceText {
  readonly target: EditTarget;
}

/** "Gemini: Summarize Selection": the selection (or, if the user agrees, the whole document) with the configured instruction. */
export async function summarizeSelection(deps: AiCommandDeps): Promise<void> {
  const editor = activeEditor();
  if (!editor) return;
  const source = await readSource(editor, 'summarize');
  if (!source) return;
  if (!(await ensureVertexReady(deps))) return;
  const credential = await ensureCredential(deps);
  if (!credential) return;
  const task: AiTask = { kind: 'summarize', instruction: deps.settings.get('summarizeInstruction') };
  await send(deps, task, source, credential);
}

/** "Gemini: Generate from Selection": asks for an instruction (recent ones offered), the selection is context. */
export async function generateFromSelection(deps: AiCommandDeps): Promise<void> {
  const editor = activeEditor();
  if (!editor) return;
  if (!(await ensureVertexReady(deps))) return;
  const credential = await ensureCredential(deps);
  if (!credential) return;
  const instruction = await askInstruction(deps.globalState);
  if (!instruction) return;
  const source = await readSource(editor, 'generate');
  if (!source) return;
  await send(deps, { kind: 'generate', instruction }, source, credential);
}

function activeEditor(): vscode.TextEditor | undefined {
  // Run from the palette while the results panel has focus, there is no active text editor: use the only visible one.
  const visible = vscode.window.visibleTextEditors.filter((e) => e.document.uri.scheme !== 'output');
  const editor = vscode.window.activeTextEditor ?? (visible.length === 1 ? visible[0] : undefined);
  if (!editor) void vscode.window.showInformationMessage(vscode.l10n.t('Open a file and select some text first.'));
  return editor;
}

/** The active credential, or the sign-in choice when there is none (and the credential it produced, if any). */
async function ensureCredential(deps: AiCommandDeps): Promise<LmCredential | undefined> {
  const credential = await deps.activeCredential();
  if (credential) return credential;
  deps.log.info('[ai] no active credential: offering sign-in');
  await offerSetup();
  return deps.activeCredential();
}

async function readSource(editor: vscode.TextEditor, kind: AiTask['kind']): Promise<Source | undefined> {
  const document = editor.document;
  const fileName = document.isUntitled ? document.uri.path : path.basename(document.uri.path) || document.uri.path;
  const base = { fileName, languageId: document.languageId };
  const shownName = plainText(fileName, 200); // a workspace's file name is not ours: no links in messages
  const selection = editor.selection;
  if (!selection.isEmpty && document.getText(selection).trim()) {
    return source(document, base, selection, false);
  }
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  if (!document.getText().trim()) {
    if (kind === 'summarize') {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} is empty: there is nothing to summarize.', shownName));
      return undefined;
    }
    // Generating into an empty file is fine: no context, the answer goes at the cursor.
    return { ...base, text: '', startLine: 1, endLine: 1, wholeDocument: true, target: { uri: document.uri, version: document.version, range: selection } };
  }
  const use = vscode.l10n.t('Use Whole Document');
  const picked = await vscode.window.showInformationMessage(
    kind === 'summarize' ? vscode.l10n.t('Nothing is selected. Summarize the whole of {0}?', shownName) : vscode.l10n.t('Nothing is selected. Use the whole of {0} as context?', shownName),
    { modal: true, detail: vscode.l10n.t('{0} lines will be sent to Gemini. Replace Selection will then replace the whole document.', document.lineCount) },
    use,
  );
  if (picked !== use) return undefined;
  return source(document, base, whole, true);
}

function source(document: vscode.TextDocument, base: Pick<SourceText, 'fileName' | 'languageId'>, range: vscode.Range, wholeDocument: boolean): Source {
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return {
    ...base,
    text: document.getText(range),
    startLine: range.start.line + 1,
    endLine: lastLine + 1,
    wholeDocument,
    target: { uri: document.uri, version: document.version, range },
  };
}

/** A QuickPick with the recently used instructions; typing offers the new text as the first item. */
async function askInstruction(state: vscode.Memento): Promise<string | undefined> {
  const recent = parseRecentInstructions(state.get(RECENT_INSTRUCTIONS_KEY));
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { instruction: string }>();
  pick.title = vscode.l10n.t('Gemini: Generate from Selection');
  pick.placeholder = vscode.l10n.t('What should Gemini do with the selection? (e.g. "Write unit tests for this")');
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = false;
  const recentItems = recent.map((instruction) => ({ label: instruction, description: vscode.l10n.t('recent'), instruction, iconPath: new vscode.ThemeIcon('history') }));
  const update = () => {
    const typed = pick.value.trim();
    const typedItem = typed && !recent.includes(typed) ? [{ label: typed, description: vscode.l10n.t('new instruction'), instruction: typed, alwaysShow: true }] : [];
    pick.items = [...typedItem, ...recentItems];
  };
  update();
  pick.onDidChangeValue(update);
  const chosen = await showQuickPick(pick, (item) => {
    const instruction = item?.instruction ?? pick.value.trim();
    if (instruction.length <= MAX_INSTRUCTION_CHARS) return instruction || undefined;
    void vscode.window.showWarningMessage(vscode.l10n.t('Keep the instruction under {0} characters.', MAX_INSTRUCTION_CHARS));
    return undefined;
  });
  if (chosen) await state.update(RECENT_INSTRUCTIONS_KEY, rememberInstruction(recent, chosen));
  return chosen;
}

async function send(deps: AiCommandDeps, task: AiTask, src: Source, credential: LmCredential): Promise<void> {
  // The webview starts loading now: in a fresh window that takes longer than the model choice and the size check.
  const unlessStarted = deps.results.prepare();
  try {
    await prepareAndRun(deps, task, src, credential);
  } finally {
    unlessStarted();
  }
}

async function prepareAndRun(deps: AiCommandDeps, task: AiTask, src: Source, credential: LmCredential): Promise<void> {
  const model = await deps.models.choose(credential.provider);
  const request = buildRequest(task, src);
  if (!(await preflight(deps, model.id, request, credential.provider))) return;
  deps.log.info(`[${task.kind}] sending ${src.text.length} chars (${src.wholeDocument ? 'whole document' : 'selection'}, ${promptChars(request)} prompt chars) to ${model.id}${model.automatic ? ' (automatic)' : ''}`);
  const title = resultTitle(task, src);
  const run = async ({ provider, label }: LmCredential, chosen: ModelChoice): Promise<void> => {
    await deps.results.run({
      title,
      model: chosen.id,
      ...(chosen.automatic && { replaceGoneModel: (gone: string) => deps.models.replaceGone(gone, provider) }),
      open: (model, signal) => stream(deps, model, request, provider, signal),
      // The footer names where the answer came from: the backend (on Vertex, project and location) and the credential.
      sourceLabel: `${deps.backend().label} (${label})`,
      emulator: deps.isEmulator(),
      target: src.target,
      operation: task.kind,
      retry: async () => {
        const fresh = await ensureCredential(deps);
        if (fresh) await run(fresh, await deps.models.choose(fresh.provider));
      },
    });
  };
  await run(credential, model);
}

/** The answer from `model`, asking for thought summaries (at `gemini.thinkingLevel`) when the model thinks. */
async function* stream(deps: AiCommandDeps, model: string, request: GenerateContentRequest, credential: CredentialProvider, signal: AbortSignal): AsyncGenerator<GenerateContentResponse> {
  let entry;
  try {
    entry = await deps.catalog.find(credential, model, AbortSignal.any([signal, AbortSignal.timeout(THINKING_LOOKUP_TIMEOUT_MS)]));
  } catch (err) {
    deps.log.debug(`[results] model lookup failed (${errorName(err)}); deciding about thinking from the model id`);
  }
  const thinking = isThinkingModel(model, entry);
  const level = deps.settings.get('thinkingLevel');
  if (thinking) deps.log.debug(`[results] ${model} is a thinking model: asking for thought summaries${level === 'default' ? '' : ` at thinking level ${level}`}`);
  yield* deps.gemini.streamGenerateContent(model, thinking ? withThinking(request, level) : request, { signal, credential });
}

/** If the model's input limit is known and the prompt may exceed it, counts and lets the user decide. */
async function preflight(deps: AiCommandDeps, model: string, request: GenerateContentRequest, credential: CredentialProvider): Promise<boolean> {
  const signal = AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS);
  let limit: number | undefined;
  try {
    limit = (await deps.catalog.find(credential, model, signal))?.inputTokenLimit;
  } catch (err) {
    deps.log.debug(`[preflight] model lookup failed (${errorName(err)}); sending without a size check`);
    return true;
  }
  if (!needsTokenCount(promptChars(request), limit)) return true;
  let check;
  try {
    check = await deps.gemini.checkPromptSize(model, request, limit, { credential, signal: AbortSignal.timeout(PREFLIGHT_TIMEOUT_MS * 2) });
  } catch {
    return true;
  }
  if (!check.overLimit) return true;
  deps.log.info(`[preflight] prompt is ${check.estimated ? 'about ' : ''}${check.tokens} tokens, over the ${check.inputTokenLimit} of ${model}`);
  const sendAnyway = vscode.l10n.t('Send Anyway');
  const selectModel = vscode.l10n.t('Select Model');
  const picked = await vscode.window.showWarningMessage(
    vscode.l10n.t('The prompt is too long for {0}.', model),
    { modal: true, detail: promptTooLongError(check, model).message },
    sendAnyway,
    selectModel,
  );
  if (picked === selectModel) await vscode.commands.executeCommand('gemini.selectModel');
  return picked === sendAnyway;
}
