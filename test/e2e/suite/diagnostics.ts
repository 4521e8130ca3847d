// Waiting on the extension's diagnostics in the real editor, shared by the suites that only need
// "until this holds": every wait is on VS Code's diagnostics-changed event, never a sleep.

import * as vscode from 'vscode';

export const SOURCE = 'casenote-audit';

export const code = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

/** Resolves when pred holds for the diagnostics of uri (checked now and on every change). */
export function diagnosticsWhere(uri: vscode.Uri, pred: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (pred()) return resolve();
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && pred()) {
        sub.dispose();
        resolve();
      }
    });
  });
}
