// The language server under adverse conditions, driven over stdio like an editor would:
//  - one note whose analysis fails (the test-only fault hook CASENOTE_AUDIT_FAULT) gets a
//    diagnostic and a message saying so and why, and every other note is still served;
//  - no network connection is attempted during a whole session (every outbound path of Node
//    replaced by a recorder that fails, as for the CLI in test/cli/privacy.test.ts);
//  - in an untrusted workspace the rule folders its settings name are not loaded, and the user
//    is told; trusting the workspace loads them.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, FullDocumentDiagnosticReport } from 'vscode-languageserver-protocol';
import { ANALYSIS_FAILED, Methods, ServerProcessResult } from '../../server/src/protocol';
import { AUDIT_REQUEST, AuditResult } from '../../server/src/protocol/audit';
import { KICKED_OFF_RULE, LspClient, ROOT } from './lspClient';

const NOTE = [
  'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
  '',
  'The parents have a volatile relationship. Ms Reid failed to protect the children when Mr Kerr came to the house.',
  '',
].join('\n');
const MARKER = 'FAULT-7f3a';
const DENY = path.join(ROOT, 'test', 'helpers', 'deny-network.cjs');

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code));
const has = (id: string) => (ds: Diagnostic[]) => codes(ds).includes(id);

function note(folder: string, name: string, text: string): string {
  const p = path.join(folder, name);
  fs.writeFileSync(p, text);
  return pathToFileURL(p).toString();
}

/** A rule folder with one rule that flags "kicked off". */
function ruleFolder(parent: string, name: string): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kicked-off.yaml'), KICKED_OFF_RULE);
  return dir;
}

describe('language server hardening (stdio, real bundle)', function () {
  this.timeout(30000);
  let client: LspClient | undefined;
  let folder: string;

  beforeEach(() => { folder = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-harden-')); });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && client?.serverErrors) console.error(client.serverErrors);
    await client?.stop();
    client = undefined;
    fs.rmSync(folder, { recursive: true, force: true });
  });

  describe('a failure while analysing one note', () => {
    it('the failing note is told why; the other notes keep their diagnostics and edits keep being served (push)', async () => {
      client = await LspClient.start({ pull: false, folder, env: { CASENOTE_AUDIT_FAULT: `analyze:${MARKER}` } });
      const bad = note(folder, 'bad.txt', `${NOTE}Reference ${MARKER}.\n`);
      const good = note(folder, 'good.txt', NOTE);
      await client.open(bad, `${NOTE}Reference ${MARKER}.\n`);
      await client.open(good, NOTE);
      const failed = await client.diagnostics(bad, has(ANALYSIS_FAILED), 1);
      assert.equal(failed.length, 1, 'only the failure, no stale findings');
      assert.equal(failed[0].severity, 1);
      assert.match(failed[0].message as string, /could not check this note: fault injected by CASENOTE_AUDIT_FAULT/);
      const shown = await client.message((m) => m.includes('bad.txt'));
      assert.match(shown, /could not check bad\.txt: fault injected .*Other notes are still checked/);
      assert.ok((await client.analysisDone(bad, 1)).failed, 'analysisDone says it failed');
      // the other note: findings as usual, before and after an edit
      await client.diagnostics(good, has('failed-to-protect'), 1);
      const v2 = await client.change(good, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: 'Checked. ' }]);
      const after = await client.diagnostics(good, () => true, v2);
      assert.ok(has('failed-to-protect')(after) && !has(ANALYSIS_FAILED)(after));
      // editing the failing note again tries again (and fails again, said once, not per edit)
      const b2 = await client.change(bad, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Reviewed. ' }]);
      await client.diagnostics(bad, has(ANALYSIS_FAILED), b2);
      // the cause removed: the note is checked again
      const at = 'Reference '.length;
      const b3 = await client.change(bad, [{ range: { start: { line: 3, character: at }, end: { line: 3, character: at + MARKER.length } }, text: 'none' }]);
      const fixed = await client.diagnostics(bad, () => true, b3);
      assert.ok(has('failed-to-protect')(fixed) && !has(ANALYSIS_FAILED)(fixed), codes(fixed).join(', '));
      assert.equal(client.messages.filter((m) => m.includes('bad.txt')).length, 1, 'the user is told once while it keeps failing');
      assert.equal((await client.request<ServerProcessResult>(Methods.serverProcess, null)).pid, client.proc.pid, 'the same server process throughout');
    });

    it('a pull client gets the failure as the report, not an error, and other notes are pulled as usual', async () => {
      client = await LspClient.start({ pull: true, folder, env: { CASENOTE_AUDIT_FAULT: `analyze:${MARKER}` } });
      const bad = note(folder, 'bad.txt', `${MARKER}\n${NOTE}`);
      const good = note(folder, 'good.txt', NOTE);
      await client.open(bad, `${MARKER}\n${NOTE}`);
      await client.open(good, NOTE);
      const [b, g] = (await Promise.all([client.pull(bad), client.pull(good)])) as FullDocumentDiagnosticReport[];
      assert.deepEqual(codes(b.items), [ANALYSIS_FAILED]);
      assert.ok(has('failed-to-protect')(g.items));
      // hover on the failing note answers (nothing to show) rather than erroring
      assert.equal(await client.hover(bad, { line: 3, character: 30 }), null);
    });

    it('without the fault variable the marker is ordinary text', async () => {
      client = await LspClient.start({ pull: false, folder });
      const uri = note(folder, 'bad.txt', `${NOTE}Reference ${MARKER}.\n`);
      await client.open(uri, `${NOTE}Reference ${MARKER}.\n`);
      const ds = await client.diagnostics(uri, () => true, 1);
      assert.ok(has('failed-to-protect')(ds) && !has(ANALYSIS_FAILED)(ds));
    });
  });

  describe('privacy', () => {
    it('a whole session (open, change, hover, code actions, dismiss, explain, batch audit) attempts no network connection', async () => {
      const netlog = path.join(folder, 'net.log');
      client = await LspClient.start({ pull: false, folder, nodeArgs: ['--require', DENY], env: { CASENOTE_NETLOG: netlog } });
      // the recorder really is loaded in the server process (so an empty log means something)
      const { pid } = await client.request<ServerProcessResult>(Methods.serverProcess, null);
      assert.equal(pid, client.proc.pid);
      if (process.platform === 'linux') assert.ok(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(DENY), 'the server runs with the recorder');
      client.settings = { ruleFolders: [ruleFolder(folder, 'team-rules')], showAligned: true };
      const notes = path.join(folder, 'notes');
      fs.mkdirSync(notes);
      const uri = note(notes, 'visit.txt', NOTE);
      await client.open(uri, NOTE);
      const ds = await client.diagnostics(uri, has('failed-to-protect'), 1);
      const v2 = await client.change(uri, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'Mr Kerr kicked off at the school gate.\n' }]);
      await client.diagnostics(uri, has('kicked-off'), v2);
      const ftp = ds.find((d) => d.code === 'failed-to-protect')!;
      assert.ok(await client.hover(uri, ftp.range.start));
      const actions = await client.codeActions(uri, ftp.range, [ftp]);
      assert.ok(actions.length > 0);
      const data = ftp.data as { ruleId: string; fingerprint: string };
      await client.request(Methods.dismiss, { uri, ruleId: data.ruleId, fingerprint: data.fingerprint, reason: 'Quoting the referral' });
      await client.request(Methods.explain, { uri, ruleId: 'failed-to-protect' });
      const audit = await client.request<AuditResult>(AUDIT_REQUEST, { paths: [notes], includeExcerpts: false });
      assert.ok(audit.json.totals.files >= 1);
      await client.stop();
      client = undefined;
      assert.equal(fs.existsSync(netlog) ? fs.readFileSync(netlog, 'utf8') : '', '', 'no connection attempted');
    });
  });

  describe('workspace trust', () => {
    const text = 'Mr Kerr kicked off at the school gate.\n';

    it('untrusted: the workspace\'s rule folders are not loaded and the user is told; trusting loads them', async () => {
      ruleFolder(folder, 'repo-rules');
      client = await LspClient.start({ pull: false, folder, initializationOptions: { workspaceTrusted: false }, settings: { ruleFolders: ['repo-rules'] } });
      const uri = note(folder, 'gate.txt', text);
      await client.open(uri, text);
      const before = await client.diagnostics(uri, () => true, 1);
      assert.ok(!has('kicked-off')(before), 'the workspace rule is not used');
      const told = await client.message((m) => /not trusted/.test(m));
      assert.match(told, /repo-rules/);
      assert.match(told, /Trust the workspace/);
      await client.conn.sendNotification(Methods.workspaceTrust, { trusted: true });
      await client.diagnostics(uri, has('kicked-off'));
      assert.equal(client.messages.filter((m) => /not trusted/.test(m)).length, 1, 'told once');
    });

    it('untrusted: the user\'s own absolute rule folders are kept, relative ones (they resolve into the workspace) are not', async () => {
      const own = ruleFolder(fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-own-')), 'my-rules');
      ruleFolder(folder, 'rel-rules');
      try {
        client = await LspClient.start({ pull: false, folder, initializationOptions: { workspaceTrusted: false },
          settings: { ruleFolders: [own], userRuleFolders: [own] } });
        const uri = note(folder, 'gate.txt', text);
        await client.open(uri, text);
        await client.diagnostics(uri, has('kicked-off'), 1);
        assert.deepEqual(client.messages.filter((m) => /not trusted/.test(m)), []);
        await client.configChanged({ ruleFolders: ['rel-rules'], userRuleFolders: ['rel-rules'] });
        await client.diagnostics(uri, (ds) => !has('kicked-off')(ds));
        assert.match(await client.message((m) => /not trusted/.test(m)), /rel-rules/);
      } finally {
        fs.rmSync(path.dirname(own), { recursive: true, force: true });
      }
    });

    it('the extension declares limited support for untrusted workspaces, with ruleFolders restricted', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      const u = pkg.capabilities?.untrustedWorkspaces;
      assert.equal(u?.supported, 'limited');
      assert.deepEqual(u.restrictedConfigurations, ['caseNoteAudit.ruleFolders']);
      assert.match(u.description, /rule folders/);
    });

    it('trusted (or not said, as from other editors): rule folders load as configured', async () => {
      ruleFolder(folder, 'repo-rules');
      client = await LspClient.start({ pull: false, folder, initializationOptions: { workspaceTrusted: true }, settings: { ruleFolders: ['repo-rules'] } });
      const uri = note(folder, 'gate.txt', text);
      await client.open(uri, text);
      await client.diagnostics(uri, has('kicked-off'), 1);
      assert.deepEqual(client.messages.filter((m) => /not trusted/.test(m)), []);
    });
  });
});
