import * as vscode from 'vscode';

/** Shows `pick` until an accepted item gives a value (`accept`; undefined keeps it open) or it is hidden; then disposes it. */
export async function showQuickPick<I extends vscode.QuickPickItem, T>(pick: vscode.QuickPick<I>, accept: (item: I | undefined) => T | undefined): Promise<T | undefined> {
  const chosen = await new Promise<T | undefined>((resolve) => {
    pick.onDidAccept(() => {
      const value = accept(pick.selectedItems[0]);
      if (value === undefined) return;
      resolve(value);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  return chosen;
}
