// The extension in a real VS Code: diagnostics on a sample note, a quick fix applied, hover,
// a settings change, a dismissal with a reason recorded in the sidecar file, the explanation
// view. Every wait is on an event (diagnostics changing), never on a sleep; mocha's timeout
// is the only clock.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CaseNoteAuditApi } from '../../../client/src/extension';
import type { FindingCommandArgs, FindingData } from '../../../server/src/protocol';

const SOURCE = 'casenote-audit';
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
const code = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const byRule = (ds: vscode.Diagnostic[], id: string) => ds.filter((d) => code(d) === id);

/** Resolves when the diagnostics of `uri` satisfy `pred` (checked now and on every change). */
function diagnosticsWhere(uri: vscode.Uri, pred: (ds: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const ds = ours(uri);
      if (pred(ds)) {
        sub.dispose();
        resolve(ds);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    if (!check()) console.log(`      (waiting for ${what})`);
  });
}

/** Resolves at the next change of the diagnostics of `uri` (an event, not a timer). */
function nextDiagnosticsChange(uri: vscode.Uri): Promise<void> {
  return new Promise((resolve) => {
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) { sub.dispose(); resolve(); }
    });
  });
}

function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the test workspace is open');
  return f.uri;
}

async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'notes', name));
  return vscode.window.showTextDocument(doc);
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('casenote-audit in a real VS Code', () => {
  before(async () => {
    console.log(`      vscode ${vscode.version}, ${vscode.env.appName}, uiKind ${vscode.env.uiKind}, remote ${vscode.env.remoteName ?? 'none'}`);
    const ext = vscode.extensions.getExtension('casenote-audit.casenote-audit');
    assert.ok(ext, 'the extension is installed');
    await ext.activate();
  });

  afterEach(async () => {
    await vscode.workspace.getConfiguration('caseNoteAudit').update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAll();
  });

  it('opens a .casenote file as the casenote language and shows findings with rule ids and links', async () => {
    const editor = await open('visit.casenote');
    assert.equal(editor.document.languageId, 'casenote');
    const ds = await diagnosticsWhere(editor.document.uri, (d) => byRule(d, 'failed-to-protect').length > 0 && byRule(d, 'volatile-relationship').length > 0, 'findings');
    const [ftp] = byRule(ds, 'failed-to-protect');
    assert.equal(ftp.severity, vscode.DiagnosticSeverity.Error);
    assert.match(editor.document.getText(ftp.range), /^failed to protect/);
    assert.ok(typeof ftp.code === 'object' && /docs\/rules\.md#failed-to-protect$/.test(ftp.code.target.toString()), 'code links to the rule documentation');
    assert.match(ftp.message, /Darren Pike/, 'the message names the person causing harm from the note');
  });

  it('checks plain text too, and applies a quick fix (one per suggestion, none preferred)', async () => {
    const editor = await open('visit.txt');
    assert.equal(editor.document.languageId, 'plaintext');
    // Rewrites are offered only while the flagged words are where the diagnostic says; if the
    // workbench still holds diagnostics from before the server saw this document (seen once in
    // about twenty runs), the next publication brings the current ones, so wait for it and ask again.
    // The workbench may also cancel the request of a document just opened (seen once in about
    // fifteen runs: "Canceled", document unchanged); the editor's light bulb would simply ask
    // again, and so does the test.
    let ftp!: vscode.Diagnostic;
    let ourActions: vscode.CodeAction[] = [];
    let rewrites: vscode.CodeAction[] = [];
    for (let attempt = 0; attempt < 3 && rewrites.length === 0; attempt++) {
      const ds = await diagnosticsWhere(editor.document.uri, (d) => byRule(d, 'failed-to-protect').length > 0, 'failed-to-protect');
      [ftp] = byRule(ds, 'failed-to-protect');
      let actions: vscode.CodeAction[];
      try {
        actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, ftp.range, vscode.CodeActionKind.QuickFix.value);
      } catch (e) {
        if ((e as Error).message !== 'Canceled' || attempt === 2) throw e;
        console.log(`      (attempt ${attempt + 1}: code actions cancelled by the workbench; document version ${editor.document.version}, dirty ${editor.document.isDirty}; asking again)`);
        continue;
      }
      // (vscode.executeCodeActionProvider drops CodeAction.diagnostics, so ours are told by title)
      ourActions = actions.filter((a) => a.title.startsWith('Rewrite: ') || a.command?.command.startsWith('caseNoteAudit.'));
      rewrites = ourActions.filter((a) => a.edit);
      if (rewrites.length === 0) {
        // said, so a run that needed the retry shows what the workbench held (the cause is not yet known)
        console.log(`      (attempt ${attempt + 1}: no rewrite offered; flagged text ${JSON.stringify(editor.document.getText(ftp.range))}, ` +
          `document version ${editor.document.version}, actions ${JSON.stringify(ourActions.map((a) => a.title))}; restarting the server)`);
        // a restarted server analyses the open document afresh and publishes again
        const republished = nextDiagnosticsChange(editor.document.uri);
        await vscode.commands.executeCommand('caseNoteAudit.restartServer');
        await republished;
      }
    }
    assert.ok(rewrites.length >= 1, 'a rewrite per suggestion');
    assert.ok(ourActions.every((a) => !a.isPreferred), 'never preferred');
    const titles = ourActions.map((a) => a.title);
    assert.ok(titles.includes('Explain this finding'));
    assert.ok(titles.includes('Dismiss here (with a reason)…'));
    assert.ok(titles.some((t) => t.startsWith('Turn off rule')));
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, ftp.range, vscode.CodeActionKind.SourceFixAll.value);
    assert.equal(fixAll.filter((a) => a.title.startsWith('Rewrite: ') || a.command?.command.startsWith('caseNoteAudit.')).length, 0, 'no fix-all');

    const sentence = 'Ms Lennox failed to protect the children when Mr Pike came to the flat.';
    assert.ok(editor.document.getText().includes(sentence));
    const ok = await vscode.workspace.applyEdit(rewrites[0].edit!);
    assert.ok(ok, 'the edit applies');
    const text = editor.document.getText();
    assert.ok(!text.includes(sentence), 'the flagged sentence was replaced');
    assert.ok(/Darren Pike's abuse of Claire Lennox/.test(text), `the rewrite names the person causing harm:\n${text}`);
    const line = ftp.range.start.line;
    await diagnosticsWhere(editor.document.uri, (d) => !byRule(d, 'failed-to-protect').some((x) => x.range.start.line === line), 'the finding to go');
  });

  it('hover explains the finding: message, why, suggestions, sources', async () => {
    const editor = await open('visit.txt');
    const ds = await diagnosticsWhere(editor.document.uri, (d) => byRule(d, 'failed-to-protect').length > 0, 'failed-to-protect');
    const [ftp] = byRule(ds, 'failed-to-protect');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, ftp.range.start.translate(0, 2));
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(md, /Why \(Safe & Together\)/);
    assert.match(md, /Suggested rewrites/);
    assert.match(md, /Sources/);
  });

  it('a settings change (rule off, severity override) changes the diagnostics', async () => {
    const editor = await open('visit.txt');
    const uri = editor.document.uri;
    await diagnosticsWhere(uri, (d) => byRule(d, 'failed-to-protect').length > 0, 'failed-to-protect');
    const config = vscode.workspace.getConfiguration('caseNoteAudit');
    await config.update('rules', { 'failed-to-protect': 'off', 'volatile-relationship': 'information' }, vscode.ConfigurationTarget.Workspace);
    const ds = await diagnosticsWhere(uri, (d) => byRule(d, 'failed-to-protect').length === 0 && byRule(d, 'volatile-relationship').some((x) => x.severity === vscode.DiagnosticSeverity.Information), 'rule off and override');
    assert.ok(byRule(ds, 'volatile-relationship').length > 0);
    await config.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await diagnosticsWhere(uri, (d) => byRule(d, 'failed-to-protect').length > 0, 'the rule back on');
  });

  it('"Turn this rule off" writes the workspace setting', async () => {
    const editor = await open('visit.txt');
    const uri = editor.document.uri;
    const ds = await diagnosticsWhere(uri, (d) => byRule(d, 'volatile-relationship').length > 0, 'volatile-relationship');
    const [v] = byRule(ds, 'volatile-relationship');
    const args: FindingCommandArgs = { uri: uri.toString(), data: await dataOf(uri, v) };
    await vscode.commands.executeCommand('caseNoteAudit.disableRule', args);
    const rules = vscode.workspace.getConfiguration('caseNoteAudit').inspect<Record<string, string>>('rules')?.workspaceValue;
    assert.deepEqual(rules, { 'volatile-relationship': 'off' });
    await diagnosticsWhere(uri, (d) => byRule(d, 'volatile-relationship').length === 0, 'the rule off');
  });

  it('dismisses a finding with a reason: recorded in .casenote-audit/dismissals.json, hidden, the note untouched', async () => {
    const editor = await open('visit.txt');
    const uri = editor.document.uri;
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    const ds = await diagnosticsWhere(uri, (d) => byRule(d, 'failed-to-protect').length > 0, 'failed-to-protect');
    const [ftp] = byRule(ds, 'failed-to-protect');
    const data = await dataOf(uri, ftp);
    const res = await vscode.commands.executeCommand<{ file: string; count: number }>('caseNoteAudit.dismiss', { uri: uri.toString(), data } satisfies FindingCommandArgs, 'Agreed with the team manager: quoting the referral');
    const sidecar = vscode.Uri.joinPath(folder(), '.casenote-audit', 'dismissals.json');
    assert.equal(res.file, sidecar.fsPath);
    await diagnosticsWhere(uri, (d) => byRule(d, 'failed-to-protect').length === 0, 'the dismissed finding to go');
    const file = JSON.parse(fs.readFileSync(sidecar.fsPath, 'utf8'));
    const d = file.dismissals.find((x: { ruleId: string }) => x.ruleId === 'failed-to-protect');
    assert.ok(d, 'recorded');
    assert.equal(d.reason, 'Agreed with the team manager: quoting the referral');
    assert.equal(d.fingerprint, data.fingerprint);
    assert.ok(d.date);
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before, 'the note is untouched');
  });

  it('"Explain this finding" opens the explanation', async () => {
    const editor = await open('visit.casenote');
    const uri = editor.document.uri;
    const ds = await diagnosticsWhere(uri, (d) => byRule(d, 'volatile-relationship').length > 0, 'volatile-relationship');
    const data = await dataOf(uri, byRule(ds, 'volatile-relationship')[0]);
    const shown = await vscode.commands.executeCommand<vscode.Uri>('caseNoteAudit.explain', { uri: uri.toString(), data } satisfies FindingCommandArgs);
    assert.ok(shown, 'an explanation was shown');
    const doc = await vscode.workspace.openTextDocument(shown);
    assert.match(doc.getText(), /^# volatile-relationship/);
    assert.match(doc.getText(), /Why \(Safe & Together\)/);
  });
});

describe('batch audit from VS Code', () => {
  it('"Case Notes: Audit Folder…" audits a folder in the language server and shows a self-contained report', async function () {
    this.timeout(60000);
    const notes = vscode.Uri.joinPath(folder(), 'notes');
    // the Explorer passes the folder it was invoked on; the privacy choice is the third argument
    const r = await vscode.commands.executeCommand<{ html: string; json: { totals: { files: number; entries: number; concerns: number } } }>(
      'caseNoteAudit.auditFolder', notes, [notes], { includeExcerpts: false });
    assert.ok(r, 'the audit returned a result');
    assert.ok(r.json.totals.files >= 1, `files audited: ${r.json.totals.files}`);
    assert.ok(r.json.totals.concerns > 0, 'the audit counted the concerns in the notes');
    assert.doesNotMatch(r.html, /Darren Pike|Claire Lennox/, 'no names in a report made without excerpts');

    // the webview the user sees: scripts, forms and command links off, no local resources, and
    // this very HTML in it, whose CSP allows nothing but its own hashed style block
    const api = await vscode.extensions.getExtension<CaseNoteAuditApi>('casenote-audit.casenote-audit')!.activate();
    const panel = api.reportPanels().find((p) => p.title === 'Case-note audit');
    assert.ok(panel, 'the report is shown in a webview');
    const o = panel.webview.options;
    assert.equal(o.enableScripts, false);
    assert.equal(o.enableForms, false);
    assert.equal(o.enableCommandUris, false);
    assert.deepEqual(o.localResourceRoots, []);
    assert.equal(panel.webview.html, r.html);
    const metas = [...r.html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/gi)];
    assert.equal(metas.length, 1, 'one CSP, in the document');
    assert.ok(r.html.indexOf(metas[0][0]) < r.html.search(/<style/i), 'the CSP comes before any style it governs');
    const directives = new Map(metas[0][1].split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name, values] as const;
    }));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    for (const [name, values] of directives) {
      if (name === 'default-src') continue;
      assert.ok(!/^(script-src|script-src-elem|script-src-attr|connect-src|frame-src|child-src|object-src|worker-src)$/.test(name), `${name} re-allows what default-src 'none' forbids`);
      // inline data: images are part of the document; anything else would reach outside it
      for (const v of values) assert.ok(/^'(none|sha256-[A-Za-z0-9+/=]+)'$/.test(v) || (name === 'img-src' && v === 'data:'), `${name} ${v}: only 'none' or hashes, no hosts, schemes, 'unsafe-*' or wildcards`);
    }
    assert.ok((directives.get('style-src') ?? []).length >= 1, 'the report has a hashed style block');
    assert.doesNotMatch(r.html, /<script|\son[a-z]+\s*=|javascript:/i, 'no script, event handler or javascript: link');
    assert.doesNotMatch(r.html, /\b(src|href)\s*=\s*["']?(https?:|\/\/)/i, 'no external resource or link');
    panel.dispose();
  });
});

/** The FindingData of a diagnostic, taken from the code action the server built from it. */
async function dataOf(uri: vscode.Uri, d: vscode.Diagnostic): Promise<FindingData> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
  const explain = actions.find((a) => a.title === 'Explain this finding' && (a.command?.arguments?.[0] as FindingCommandArgs | undefined)?.data.ruleId === code(d));
  assert.ok(explain?.command, `the explain action for ${code(d)} among ${actions.map((a) => a.title).join('; ')}`);
  return (explain.command.arguments![0] as FindingCommandArgs).data;
}
