// The batch audit in VS Code: the commands "Case Notes: Audit Folder…" and "Case Notes:
// Compare Audits…". They ask for the inputs, run the audit in the language server (custom
// requests, server/src/protocol/audit.ts) behind a cancellable progress notification, show the
// HTML report in a webview with scripts disabled and a strict Content-Security-Policy, and offer
// to save the reports. Nothing leaves the machine: the server reads local files and the report
// has no external resources.
//
// Wiring (done by the extension's entry file):
//   context.subscriptions.push(...registerAuditCommands(context, () => client));
// and in package.json "contributes.commands", the entries of AUDIT_COMMANDS below.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { WorkDoneProgress } from 'vscode-languageclient';
import { AUDIT_REQUEST, AuditParams, AuditResult, COMPARE_REQUEST, CompareParams, CompareResult } from '../../server/src/protocol/audit';

/** The command contributions to add to package.json. */
export const AUDIT_COMMANDS = [
  { command: 'caseNoteAudit.auditFolder', title: 'Audit Folder…', category: 'Case Notes' },
  { command: 'caseNoteAudit.compareAudits', title: 'Compare Audits…', category: 'Case Notes' },
] as const;

const CSP_NOTE = 'The report is shown with scripts disabled; it has no external resources.';

/** `panels` holds the open report webviews (the extension's test API lists them). */
export function registerAuditCommands(context: vscode.ExtensionContext, getClient: () => BaseLanguageClient | undefined,
  panels = new Set<vscode.WebviewPanel>()): vscode.Disposable[] {
  return [
    // from the Explorer's context menu VS Code passes the folder (and the selection); tests pass the privacy choice too
    vscode.commands.registerCommand(AUDIT_COMMANDS[0].command, (uri?: vscode.Uri, selected?: vscode.Uri[], opts?: { includeExcerpts?: boolean }) =>
      auditFolder(context, getClient, panels, selected?.length ? selected : uri ? [uri] : undefined, opts?.includeExcerpts)),
    vscode.commands.registerCommand(AUDIT_COMMANDS[1].command, () => compareAudits(context, getClient, panels)),
    { dispose: () => { for (const p of panels) p.dispose(); } },
  ];
}

function clientOrWarn(getClient: () => BaseLanguageClient | undefined): BaseLanguageClient | undefined {
  const c = getClient();
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage('Case Notes: the language server is not running yet; try again in a moment.');
    return undefined;
  }
  return c;
}

async function pickPrivacy(): Promise<boolean | undefined> {
  const safe: vscode.QuickPickItem = { label: 'No names, no excerpts', description: 'recommended', detail: 'People in phrases become role tokens such as [mother]; authors become "Author 1", "Author 2"…' };
  const full: vscode.QuickPickItem = { label: 'Include excerpts and authors\' names', description: 'confidential', detail: 'The report then contains verbatim text from case notes. Store and share it as case records.' };
  const pick = await vscode.window.showQuickPick([safe, full], { title: 'Case Notes: what may the report contain?', ignoreFocusOut: true });
  return pick === undefined ? undefined : pick === full;
}

/** Sends a request with a work-done token, mirroring the server's progress in a cancellable notification. */
async function runWithProgress<R>(client: BaseLanguageClient, title: string, method: string, params: AuditParams | CompareParams): Promise<R | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const workDoneToken = randomUUID();
    let last = 0;
    const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (v) => {
      if (v.kind === 'end') return;
      const pct = v.percentage ?? last;
      progress.report({ message: v.message, increment: Math.max(0, pct - last) });
      last = Math.max(last, pct);
    });
    try {
      return await client.sendRequest<R>(method, { ...params, workDoneToken }, token);
    } catch (e) {
      if (token.isCancellationRequested) {
        void vscode.window.showInformationMessage('Case Notes: cancelled.');
        return undefined;
      }
      void vscode.window.showErrorMessage(`Case Notes: ${(e as Error).message ?? e}`);
      return undefined;
    } finally {
      sub.dispose();
    }
  });
}

function showReport(panels: Set<vscode.WebviewPanel>, title: string, html: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('casenoteAudit.report', title, vscode.ViewColumn.Active, {
    enableScripts: false,
    enableForms: false,
    enableCommandUris: false,
    localResourceRoots: [],
    enableFindWidget: true,
  });
  panel.webview.html = html; // carries its own CSP: default-src 'none'; style-src 'sha256-…'
  panels.add(panel);
  panel.onDidDispose(() => panels.delete(panel));
  return panel;
}

async function offerToSave(files: Array<[string, string]>, summary: string, confidential: boolean): Promise<void> {
  const save = 'Save Reports…';
  const choice = await vscode.window.showInformationMessage(`${summary} ${CSP_NOTE}`, save);
  if (choice !== save) return;
  const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Save Reports Here', title: 'Case Notes: save the reports into…' });
  if (!folder?.[0]) return;
  if (confidential) {
    const ok = await vscode.window.showWarningMessage('These reports contain excerpts from case notes and authors\' names. Save them only where case records may be kept.', { modal: true }, 'Save');
    if (ok !== 'Save') return;
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    const uri = vscode.Uri.joinPath(folder[0], name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    written.push(name);
  }
  void vscode.window.showInformationMessage(`Case Notes: saved ${written.join(', ')}.`);
}

async function auditFolder(_context: vscode.ExtensionContext, getClient: () => BaseLanguageClient | undefined, panels: Set<vscode.WebviewPanel>, given?: vscode.Uri[], excerpts?: boolean): Promise<AuditResult | undefined> {
  const client = clientOrWarn(getClient);
  if (!client) return;
  const picked = given ?? await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: true, canSelectMany: true, openLabel: 'Audit', title: 'Case Notes: audit which folders or exported files?',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { 'Case-note exports': ['txt', 'md', 'csv', 'docx', 'html', 'htm'] },
  });
  if (!picked?.length) return;
  const nonLocal = picked.find((u) => u.scheme !== 'file');
  if (nonLocal) { void vscode.window.showErrorMessage(`Case Notes: only files on this machine can be audited (${nonLocal.toString()}).`); return; }
  const includeExcerpts = excerpts ?? await pickPrivacy();
  if (includeExcerpts === undefined) return;
  const r = await runWithProgress<AuditResult>(client, 'Case Notes: auditing', AUDIT_REQUEST, { paths: picked.map((u) => u.fsPath), includeExcerpts });
  if (!r) return;
  showReport(panels, 'Case-note audit', r.html);
  const t = r.json.totals;
  const problems = r.json.errors.length > 0 ? ` ${r.json.errors.length} input problem(s) are listed at the end of the report.` : '';
  // not awaited: the report is already open, and saving is the user's choice whenever they make it
  void offerToSave([['audit.html', r.html], ['audit.json', JSON.stringify(r.json, null, 2) + '\n'], ['audit.md', r.markdown]],
    `Audited ${t.files} files, ${t.entries} entries: ${t.concerns} concerns, ${t.aligned} aligned-language indicators.${problems}`, includeExcerpts);
  return r;
}

async function compareAudits(_context: vscode.ExtensionContext, getClient: () => BaseLanguageClient | undefined, panels: Set<vscode.WebviewPanel>): Promise<void> {
  const client = clientOrWarn(getClient);
  if (!client) return;
  const jsons: vscode.QuickPickItem = { label: 'Two audit JSON files', detail: 'audit.json files saved earlier (or made with casenote-audit audit / merge)' };
  const folders: vscode.QuickPickItem = { label: 'Two folders', detail: 'a baseline folder and a follow-up folder of exported case files, audited now' };
  const split: vscode.QuickPickItem = { label: 'One folder split at a date', detail: 'entries before the date are the baseline, the rest the follow-up' };
  const how = await vscode.window.showQuickPick([jsons, folders, split], { title: 'Case Notes: compare what?', ignoreFocusOut: true });
  if (!how) return;
  const defaultUri = vscode.workspace.workspaceFolders?.[0]?.uri;
  const pickOne = async (title: string, asJson: boolean) => (await vscode.window.showOpenDialog({
    canSelectFolders: !asJson, canSelectFiles: asJson, canSelectMany: false, openLabel: 'Select', title, defaultUri,
    ...(asJson ? { filters: { 'Audit JSON': ['json'] } } : {}),
  }))?.[0];
  let params: CompareParams;
  if (how === split) {
    const folder = await pickOne('Case Notes: the folder of exported case files', false);
    if (!folder) return;
    const date = await vscode.window.showInputBox({
      title: 'Case Notes: the follow-up starts on (YYYY-MM-DD)', placeHolder: '2023-01-01', ignoreFocusOut: true,
      validateInput: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && !Number.isNaN(Date.parse(v.trim())) ? undefined : 'A date as YYYY-MM-DD'),
    });
    if (!date) return;
    params = { paths: [folder.fsPath], baselineBefore: date.trim() };
  } else {
    const asJson = how === jsons;
    const base = await pickOne(`Case Notes: the baseline ${asJson ? 'audit JSON' : 'folder'}`, asJson);
    if (!base) return;
    const follow = await pickOne(`Case Notes: the follow-up ${asJson ? 'audit JSON' : 'folder'}`, asJson);
    if (!follow) return;
    params = { baseline: [base.fsPath], followup: [follow.fsPath] };
  }
  const r = await runWithProgress<CompareResult>(client, 'Case Notes: comparing', COMPARE_REQUEST, params);
  if (!r) return;
  showReport(panels, 'Language-change summary', r.html);
  const files: Array<[string, string]> = [['compare.html', r.html], ['compare.json', JSON.stringify(r.json, null, 2) + '\n'], ['compare.md', r.markdown]];
  if (how !== jsons) files.push(['baseline.json', JSON.stringify(r.baseline, null, 2) + '\n'], ['followup.json', JSON.stringify(r.followup, null, 2) + '\n']);
  const improved = r.json.concerns.filter((c) => c.verdict === 'improved').length;
  await offerToSave(files, `Compared: ${improved} categor${improved === 1 ? 'y' : 'ies'} improved; ${r.json.notImproved.length} did not.`, r.baseline.options.includeExcerpts || r.followup.options.includeExcerpts);
}
