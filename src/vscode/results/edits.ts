import * as vscode from 'vscode';
import { plainText } from '../../core/common/plainText';

/** The editor state captured when the request was sent: Replace writes exactly there, or not at all. */
export interface EditTarget {
  readonly uri: vscode.Uri;
  /** `document.version` when the request was sent. */
  readonly version: number;
  /** The selection (or the whole document) that was sent. */
  readonly range: vscode.Range;
}

export type EditOutcome = { ok: true } | { ok: false; message: string };

/**
 * Insert: at the cursor of the original editor if it is still visible, else of the active (or first visible)
 * text editor. Replace: the original range of the original document, wherever focus is now, and only if that
 * document has not changed since the request (its version), so an answer never lands on moved text.
 */
export async function applyToEditor(kind: 'insert' | 'replace', text: string, target: EditTarget | undefined): Promise<EditOutcome> {
  return kind === 'insert' ? insert(text, target) : replace(text, target);
}

async function insert(text: string, target: EditTarget | undefined): Promise<EditOutcome> {
  const original = target && vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.uri.toString());
  const editor = original ?? vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) return { ok: false, message: vscode.l10n.t('Open an editor to insert the answer into.') };
  const position = editor.selection.active;
  const applied = await editor.edit((b) => b.insert(position, text));
  if (!applied) return { ok: false, message: vscode.l10n.t('The answer could not be inserted (the editor is read-only or changed).') };
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  return { ok: true };
}

async function replace(text: string, target: EditTarget | undefined): Promise<EditOutcome> {
  if (!target) {
    return { ok: false, message: vscode.l10n.t('The original selection of this answer is not known any more (the window was reloaded). Use Copy or Insert instead.') };
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.uri.toString());
  if (!document || document.isClosed) {
    return { ok: false, message: vscode.l10n.t('The document this answer was made from is closed. Use Copy or Insert instead.') };
  }
  if (document.version !== target.version) {
    return {
      ok: false,
      message: vscode.l10n.t('{0} has changed since the request, so the selection cannot be replaced safely. Use Copy or Insert instead, or run the command again.', labelOf(document)),
    };
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, target.range, text);
  if (!(await vscode.workspace.applyEdit(edit))) {
    return { ok: false, message: vscode.l10n.t('{0} could not be edited (it may be read-only).', labelOf(document)) };
  }
  const editor = await vscode.window.showTextDocument(document, { preserveFocus: false, preview: false, viewColumn: visibleColumn(document) ?? vscode.ViewColumn.One });
  const start = target.range.start;
  const end = document.positionAt(document.offsetAt(start) + text.length);
  editor.selection = new vscode.Selection(start, end);
  editor.revealRange(new vscode.Range(start, end), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return { ok: true };
}

function visibleColumn(document: vscode.TextDocument): vscode.ViewColumn | undefined {
  return vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn;
}

/** The document's name for a message: it comes from the workspace, so it is shown as plain text. */
function labelOf(document: vscode.TextDocument): string {
  return plainText(document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri, false), 200);
}
