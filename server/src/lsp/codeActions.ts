// Code actions are built only from Diagnostic.data (the server keeps no map of edits):
//  - one quick fix per suggested rewrite, replacing the finding's fix range. Never
//    isPreferred and never a fix-all or source action: rewording a case record is a
//    professional decision, made one finding at a time;
//  - "Explain this finding", "Dismiss here (with a reason)…" and "Turn off … in workspace
//    settings", which run client commands (they need UI: a view, an input box, settings).

import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Commands, FindingCommandArgs, FindingData, SOURCE } from '../protocol';

const QUICKFIX = CodeActionKind.QuickFix;

function wanted(only: readonly string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === '' || k === QUICKFIX || QUICKFIX.startsWith(`${k}.`));
}

export function isFindingData(d: unknown): d is FindingData {
  const x = d as FindingData | undefined;
  return !!x && typeof x.ruleId === 'string' && typeof x.fingerprint === 'string' && Array.isArray(x.suggestions) && !!x.fixRange;
}

const clip = (s: string, n: number) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

export function codeActions(doc: TextDocument, params: CodeActionParams): CodeAction[] {
  if (!wanted(params.context.only)) return [];
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== SOURCE || !isFindingData(d.data)) continue;
    const data = d.data;
    const args: FindingCommandArgs = { uri: doc.uri, data };
    // A rewrite applies only while the flagged words are still where the diagnostic says.
    const stillThere = norm(doc.getText(d.range)) === norm(data.text);
    if (stillThere) {
      for (const s of data.suggestions) {
        out.push({
          title: `Rewrite: “${clip(s, 90)}”`,
          kind: QUICKFIX,
          diagnostics: [d],
          edit: { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: [{ range: data.fixRange, newText: s }] }] },
        });
      }
    }
    out.push(command(d, 'Explain this finding', Commands.explain, args));
    out.push(command(d, 'Dismiss here (with a reason)…', Commands.dismiss, args));
    out.push(command(d, `Turn off rule “${data.ruleId}” in workspace settings`, Commands.disableRule, args));
  }
  return out;
}

function command(d: Diagnostic, title: string, cmd: string, args: FindingCommandArgs): CodeAction {
  return { title, kind: QUICKFIX, diagnostics: [d], command: { title, command: cmd, arguments: [args] } };
}
