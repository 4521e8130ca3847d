// A note over OPEN_IN_PARTS_FROM in a real VS Code: the client sends it in parts and a didOpen
// with empty text (client/src/openInParts.ts), so this proves the library accepts that (pulls
// the diagnostics after the open, sends edits after it) and the server assembles the whole text:
// the finding on the note's last line is there, and an edit near the end is analysed. Waits are
// on events (diagnostics changing), never on a sleep.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { OPEN_IN_PARTS_FROM } from '../../../server/src/protocol';
import { code, diagnosticsWhere, SOURCE } from './diagnostics';

const ftp = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && code(d) === 'failed-to-protect');

describe('a note of over a megabyte', () => {
  let file: vscode.Uri;
  before(async () => {
    await vscode.extensions.getExtension('casenote-audit.casenote-audit')!.activate();
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'the test workspace is open');
    file = vscode.Uri.joinPath(f.uri, 'notes', 'large-export.txt');
    // paragraphs without findings, then one finding on the last line
    const filler: string[] = [];
    let n = 0;
    for (let i = 0; n < OPEN_IN_PARTS_FROM * 1.2; i++) {
      const p = `Home visit ${i}. The children were at school and the house was clean and warm. Lunch was ready.`;
      filler.push(p);
      n += p.length + 2;
    }
    fs.writeFileSync(file.fsPath, `${filler.join('\n\n')}\n\nMs Reid failed to protect the children when Mr Kerr came to the house.\n`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file.fsPath, { force: true });
  });

  it('is sent in parts and checked whole: the finding on its last line, then one an edit adds', async function () {
    this.timeout(120000);
    const doc = await vscode.workspace.openTextDocument(file);
    assert.ok(doc.getText().length >= OPEN_IN_PARTS_FROM, 'large enough to be sent in parts');
    const editor = await vscode.window.showTextDocument(doc);
    const last = doc.lineCount - 2;
    await diagnosticsWhere(doc.uri, () => ftp(doc.uri).some((d) => d.range.start.line === last));
    assert.equal(ftp(doc.uri).length, 1, 'only the last line has a finding');
    assert.match(doc.getText(ftp(doc.uri)[0].range), /^failed to protect/);

    // an edit a few lines above the end: positions there depend on every line start before it
    const at = new vscode.Position(last - 2, 0);
    assert.ok(await editor.edit((e) => e.insert(at, 'Mum failed to protect them. ')));
    await diagnosticsWhere(doc.uri, () => ftp(doc.uri).length === 2);
    const lines = ftp(doc.uri).map((d) => d.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [last - 2, last]);
  });
});
