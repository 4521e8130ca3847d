// The extension when its language server dies: the server process is killed from outside (as
// the OOM killer or a crash would), the client restarts it, says so, and the open note gets its
// findings back from the new process; edits are then served by it. Every wait is on an event
// (the extension's notice, the server's analysisDone, diagnostics changing), never a sleep.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CaseNoteAuditApi } from '../../../client/src/extension';
import type { AnalysisDoneParams } from '../../../server/src/protocol';
import { code, diagnosticsWhere, SOURCE } from './diagnostics';

const ftpCount = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && code(d) === 'failed-to-protect').length;

/** The first event value satisfying pred (subscribe before causing the event). */
function next<T>(event: vscode.Event<T>, pred: (v: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const sub = event((v) => {
      if (pred(v)) {
        sub.dispose();
        resolve(v);
      }
    });
  });
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

describe('the language server stops unexpectedly', () => {
  let api: CaseNoteAuditApi;
  before(async () => {
    const ext = vscode.extensions.getExtension<CaseNoteAuditApi>('casenote-audit.casenote-audit');
    assert.ok(ext);
    api = await ext.activate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is restarted, the user is told, and the open note gets its findings back from the new process', async () => {
    // a note of its own: earlier tests dismiss findings in the fixture notes, and a dismissal
    // applies wherever the same words recur
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const file = vscode.Uri.joinPath(folder, 'notes', 'restart.txt');
    fs.writeFileSync(file.fsPath, [
      'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
      '',
      'Home visit after the server restart. Ms Reid failed to protect Lily when Mr Kerr arrived at the school gate.',
      '',
    ].join('\n'));
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const uri = doc.uri;
    await diagnosticsWhere(uri, () => ftpCount(uri) > 0);
    const pid = await api.serverPid();
    assert.ok(alive(pid));
    console.log(`      (killing the server, pid ${pid})`);

    // subscribe first, then kill: the notice comes from the client's close handler, before the
    // restart, so an analysis reported after it is the new process's
    let restarted = false;
    const notice = next(api.onNotice, () => true).then((m) => { restarted = true; return m; });
    const reanalysed = next<AnalysisDoneParams>(api.onAnalysed, (p) => restarted && p.uri === uri.toString());
    process.kill(pid, 'SIGKILL');

    assert.match(await notice, /language server stopped unexpectedly and was restarted/);
    console.log('      (told; waiting for the new process to analyse the note)');
    const done = await reanalysed;
    console.log('      (analysed)');
    assert.ok(done.counts.error >= 1, 'the new process found the error again');
    await diagnosticsWhere(uri, () => ftpCount(uri) > 0);
    const newPid = await api.serverPid();
    assert.notEqual(newPid, pid);
    assert.equal(alive(pid), false, 'the killed process is gone');

    // and it serves edits: rewording the flagged sentence clears the finding
    const line = doc.getText().split('\n').findIndex((l) => l.includes('failed to protect'));
    const text = doc.lineAt(line).text;
    const at = text.indexOf('failed to protect');
    const ok = await editor.edit((e) => e.replace(new vscode.Range(line, at, line, at + 'failed to protect'.length), 'was frightened for'));
    assert.ok(ok);
    await diagnosticsWhere(uri, () => ftpCount(uri) === 0);
  });
});
