// Protocol tests of the real bundled language server (dist/server.js) over stdio: initialize,
// open, incremental change, push and pull diagnostics, code actions, hover, configuration
// changes, dismissal, rule folders and a large note. Assertions look at the two rules the
// foundation ships (failed-to-protect, volatile-relationship) so new rules do not break them.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, FullDocumentDiagnosticReport, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { DismissResult, ExplainResult, FindingData, Methods } from '../../server/src/protocol';
import { applyEdits, KICKED_OFF_RULE, LspClient } from './lspClient';

const NOTE = [
  'Case note: home visit',
  'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
  'Children: Lily Kerr (7), Max Kerr (4)',
  '',
  '12/03/2025 14:05 | Home visit | SW Fiona Grant (Children & Families East)',
  'Visit to Ms Reid and the children. The parents have a volatile relationship and police have attended twice this month. Ms Reid failed to protect the children when Mr Kerr came to the house on Friday.',
  'There is no evidence that Ms Reid failed to protect Lily and Max; she took them to her sister\'s when Mr Kerr arrived.',
  '',
  'The referral described "a volatile relationship" between the parents.',
  '',
].join('\n');

const byRule = (ds: Diagnostic[], id: string) => ds.filter((d) => d.code === id);
const has = (id: string) => (ds: Diagnostic[]) => byRule(ds, id).length > 0;
const hasNot = (id: string) => (ds: Diagnostic[]) => byRule(ds, id).length === 0;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
const posOf = (text: string, needle: string) => {
  const i = text.indexOf(needle);
  const before = text.slice(0, i).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};

function tempFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-lsp-'));
}

function noteIn(folder: string, name = 'visit.txt', text = NOTE): string {
  const p = path.join(folder, name);
  fs.writeFileSync(p, text);
  return pathToFileURL(p).toString();
}

describe('language server (stdio, real bundle)', function () {
  this.timeout(30000);
  let client: LspClient | undefined;
  let folder: string;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && client?.serverErrors) console.error(client.serverErrors);
    await client?.stop();
    client = undefined;
    fs.rmSync(folder, { recursive: true, force: true });
  });

  describe('push diagnostics', () => {
    beforeEach(async () => {
      folder = tempFolder();
      client = await LspClient.start({ pull: false, folder });
    });

    it('initializes with incremental sync, code actions and hover, and no pull provider for a push client', () => {
      const caps = client!.init.capabilities;
      assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
      assert.equal(caps.hoverProvider, true);
      assert.deepEqual((caps.codeActionProvider as { codeActionKinds: string[] }).codeActionKinds, ['quickfix']);
      assert.equal(caps.diagnosticProvider, undefined);
    });

    it('publishes findings with source, code, documentation link and data', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const diags = await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const [ftp] = byRule(diags, 'failed-to-protect');
      assert.equal(byRule(diags, 'failed-to-protect').length, 1, 'the negated sentence is not flagged');
      assert.equal(ftp.source, 'casenote-audit');
      assert.equal(ftp.severity, 1);
      // the range starts at the trigger; how far it reaches is the rule's business
      assert.deepEqual(ftp.range.start, posOf(NOTE, 'failed to protect the children'));
      assert.equal(ftp.range.end.line, 5);
      assert.match(ftp.codeDescription!.href, /^file:\/\/.*\/docs\/rules\.md#failed-to-protect$/);
      assert.match(ftp.message as string, /Jamie Kerr/, 'the message names the person causing harm from the note');
      const data = ftp.data as FindingData;
      assert.equal(data.ruleId, 'failed-to-protect');
      const lines = NOTE.split('\n');
      assert.equal(data.text, lines[5].slice(ftp.range.start.character, ftp.range.end.character));
      assert.match(data.text, /^failed to protect/);
      assert.match(data.fingerprint, /^[0-9a-f]{32}$/);
      assert.ok(data.suggestions.length >= 1 && data.suggestions.every((s) => !/\{(perpetrator|survivor|child)\}/.test(s)), 'placeholders filled');
      assert.equal(data.fixRange.start.line, 5);
      const volatile = byRule(diags, 'volatile-relationship');
      assert.equal(volatile.length, 2);
      assert.deepEqual(volatile.map((d) => d.severity), [2, 4], 'quoted speech is downgraded to a hint');
      assert.match(volatile[1].message as string, /quoted speech/);
    });

    it('re-analyses after an incremental change and publishes for the new version', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      await client!.diagnostics(uri, has('volatile-relationship'), 1);
      const start = posOf(NOTE, 'a volatile relationship and');
      const v2 = await client!.change(uri, [{ range: { start, end: { line: start.line, character: start.character + 'a volatile relationship'.length } }, text: 'separated' }]);
      const diags = await client!.diagnostics(uri, () => true, v2);
      assert.equal(byRule(diags, 'volatile-relationship').length, 1, 'only the quoted one is left');
      assert.equal(byRule(diags, 'failed-to-protect').length, 1);
      assert.equal(byRule(diags, 'failed-to-protect')[0].range.start.character, posOf(NOTE, 'failed to protect the children').character - 'a volatile relationship'.length + 'separated'.length);
    });

    it('offers one quick fix per suggestion (never preferred), explain, dismiss and turn off; no fix-all', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const diags = await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const [ftp] = byRule(diags, 'failed-to-protect');
      const data = ftp.data as FindingData;
      const actions = await client!.codeActions(uri, ftp.range, [ftp]);
      const edits = actions.filter((a) => a.edit);
      assert.equal(edits.length, data.suggestions.length);
      for (const a of actions) {
        assert.equal(a.kind, 'quickfix');
        assert.notEqual(a.isPreferred, true);
      }
      const cmds = actions.filter((a) => a.command).map((a) => a.command!.command);
      assert.deepEqual(cmds, ['caseNoteAudit.explain', 'caseNoteAudit.dismiss', 'caseNoteAudit.disableRule']);
      // the edit replaces the fix range (the sentence) with the suggestion, for this version
      const change = edits[0].edit!.documentChanges![0] as TextDocumentEdit;
      assert.deepEqual(change.textDocument, { uri, version: 1 });
      const after = applyEdits(NOTE, change.edits as Array<{ range: typeof ftp.range; newText: string }>);
      assert.ok(after.includes(data.suggestions[0]));
      assert.ok(!after.includes('Ms Reid failed to protect the children when'));
      assert.ok(after.includes('There is no evidence that Ms Reid failed to protect'), 'only the flagged sentence is replaced');
      // nothing for source / fix-all requests
      assert.deepEqual(await client!.codeActions(uri, ftp.range, [ftp], ['source.fixAll']), []);
      assert.deepEqual(await client!.codeActions(uri, ftp.range, [ftp], ['source']), []);
    });

    it('offers no rewrite when the flagged words have changed since the diagnostic', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const diags = await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const [ftp] = byRule(diags, 'failed-to-protect');
      await client!.change(uri, [{ range: ftp.range, text: 'was unable to stop Mr Kerr harming' }]);
      const actions: CodeAction[] = await client!.codeActions(uri, ftp.range, [ftp]);
      assert.equal(actions.filter((a) => a.edit).length, 0);
      assert.equal(actions.filter((a) => a.command).length, 3);
    });

    it('hover shows the message, why, suggestions and sources', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const p = posOf(NOTE, 'failed to protect the children');
      const hover = await client!.hover(uri, { line: p.line, character: p.character + 3 });
      const md = (hover!.contents as MarkupContent).value;
      assert.equal((hover!.contents as MarkupContent).kind, 'markdown');
      assert.match(md, /failed-to-protect/);
      assert.match(md, /Category: failure-to-protect/);
      assert.match(md, /Why \(Safe & Together\)/);
      assert.match(md, /Suggested rewrites/);
      assert.match(md, /Jamie Kerr's abuse of Kirsty Reid/);
      assert.match(md, /Sources/);
      assert.equal(await client!.hover(uri, { line: 0, character: 2 }), null);
    });

    it('pulls settings per document and applies a configuration change', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      await client!.diagnostics(uri, has('failed-to-protect'), 1);
      assert.ok(client!.configurationRequests >= 1);
      // rule off, a severity override, quoted speech ignored
      await client!.configChanged({ rules: { 'failed-to-protect': 'off', 'volatile-relationship': 'information' }, quotedSpeech: 'ignore' });
      let diags = await client!.diagnostics(uri, hasNot('failed-to-protect'));
      assert.deepEqual(byRule(diags, 'volatile-relationship').map((d) => d.severity), [3]);
      // quoted speech reported as the writer's own, category switched off
      await client!.configChanged({ quotedSpeech: 'report', categories: { 'failure-to-protect': false } });
      diags = await client!.diagnostics(uri, (ds) => byRule(ds, 'volatile-relationship').length === 2);
      assert.deepEqual(byRule(diags, 'volatile-relationship').map((d) => d.severity), [2, 2]);
      assert.equal(byRule(diags, 'failed-to-protect').length, 0);
      // language not checked
      await client!.configChanged({ languages: ['markdown'] });
      diags = await client!.diagnostics(uri, (ds) => ds.length === 0);
      // file pattern excluded, then back to defaults
      await client!.configChanged({ files: { exclude: ['visit.txt'] } });
      await client!.configChanged({});
      diags = await client!.diagnostics(uri, has('failed-to-protect'));
      assert.equal(byRule(diags, 'failed-to-protect').length, 1);
    });

    it('shows at most caseNoteAudit.maxProblems findings, errors first, and one diagnostic that says how many there are', async () => {
      // the note has one error (failed-to-protect) after two warnings (volatile-relationship, in prose and quoted)
      client!.settings = { maxProblems: 1, quotedSpeech: 'report' };
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const diags = await client!.diagnostics(uri, has('too-many-findings'), 1);
      assert.deepEqual(diags.map((d) => d.code).sort(), ['failed-to-protect', 'too-many-findings']);
      assert.match(String(diags.find((d) => d.code === 'too-many-findings')!.message), /has 3 findings; the 1 most important/);
      // 0 is no limit
      await client!.configChanged({ maxProblems: 0, quotedSpeech: 'report' });
      const all = await client!.diagnostics(uri, hasNot('too-many-findings'));
      assert.equal(byRule(all, 'volatile-relationship').length, 2);
      assert.equal(byRule(all, 'failed-to-protect').length, 1);
    });

    it('US wording in suggestions', async () => {
      const text = 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\n\nMs Reid failed to protect the children.\n';
      client!.settings = { dialect: 'us' };
      const uri = noteIn(folder, 'us.txt', text);
      await client!.open(uri, text);
      const diags = await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const all = (byRule(diags, 'failed-to-protect')[0].data as FindingData).suggestions.join(' ');
      assert.match(all, /behaviors/);
      assert.doesNotMatch(all, /behaviours/);
    });

    it('dismisses a finding with a reason into the sidecar file and hides it', async () => {
      const second = `${NOTE}\nMs Reid failed to protect the children again in April.\n`;
      const uri = noteIn(folder, 'visit.txt', second);
      await client!.open(uri, second);
      const diags = await client!.diagnostics(uri, (ds) => byRule(ds, 'failed-to-protect').length === 2, 1);
      const [first] = byRule(diags, 'failed-to-protect');
      const data = first.data as FindingData;
      const res = await client!.request<DismissResult>(Methods.dismiss, { uri, ruleId: data.ruleId, fingerprint: data.fingerprint, reason: 'Quoting the 2019 court order verbatim' });
      const sidecar = path.join(folder, '.casenote-audit', 'dismissals.json');
      assert.equal(res.file, sidecar);
      assert.equal(res.count, 1);
      const after = await client!.diagnostics(uri, (ds) => byRule(ds, 'failed-to-protect').length === 1);
      assert.equal(byRule(after, 'failed-to-protect')[0].range.start.line, lineOf(second, 'again in April'), 'the same words in another context stay');
      const raw = fs.readFileSync(sidecar, 'utf8');
      const file = JSON.parse(raw);
      assert.equal(file.dismissals.length, 1);
      const d = file.dismissals[0];
      assert.equal(d.ruleId, 'failed-to-protect');
      assert.equal(d.fingerprint, data.fingerprint);
      assert.equal(d.reason, 'Quoting the 2019 court order verbatim');
      assert.ok(!Number.isNaN(Date.parse(d.date)));
      assert.equal(d.note, 'visit.txt');
      assert.ok(!/Reid|failed to protect/.test(raw), 'no words from the record in the sidecar');
      assert.equal(fs.readFileSync(path.join(folder, 'visit.txt'), 'utf8'), second, 'the note is untouched');
      // a dismissal needs a reason
      await assert.rejects(client!.request(Methods.dismiss, { uri, ruleId: data.ruleId, fingerprint: data.fingerprint, reason: '  ' }));
      // a fresh server reads the sidecar: still hidden
      await client!.stop();
      client = await LspClient.start({ pull: false, folder });
      await client.open(uri, second);
      const again = await client.diagnostics(uri, has('failed-to-protect'), 1);
      assert.equal(byRule(again, 'failed-to-protect').length, 1);
    });

    it('explains a rule on request', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      await client!.diagnostics(uri, has('failed-to-protect'), 1);
      const r = await client!.request<ExplainResult>(Methods.explain, { uri, ruleId: 'failed-to-protect', suggestions: ['A filled suggestion.'], text: 'failed to protect' });
      assert.match(r.title, /failed-to-protect/);
      assert.match(r.markdown, /^# failed-to-protect/);
      assert.match(r.markdown, /A filled suggestion\./);
      assert.match(r.markdown, /Why \(Safe & Together\)/);
      assert.equal(await client!.request(Methods.explain, { uri, ruleId: 'no-such-rule' }), null);
    });

    it('shows aligned findings only when showAligned is on, as hints', async () => {
      const rules = path.join(folder, 'aligned-rules');
      fs.mkdirSync(rules);
      fs.writeFileSync(path.join(rules, 'names-his-choice.yaml'), [
        'id: names-his-choice',
        'category: perpetrator-agency',
        'kind: aligned',
        'severity: hint',
        'message: "Names the abusive behaviour as a choice by the person causing harm."',
        'why: "Naming the behaviour as his choice keeps the focus on the person causing harm and away from the survivor."',
        'sources: ["https://example.org/source"]',
        'patterns: ["< chose to (hit|threaten|frighten) >"]',
        'examples:',
        '  flag: ["Mr Kerr [[chose to threaten]] Ms Reid."]',
        '  ok: ["Mr Kerr chose to leave early."]',
        '',
      ].join('\n'));
      const text = 'Mr Kerr chose to threaten Ms Reid in front of Lily.\n';
      const uri = noteIn(folder, 'aligned.txt', text);
      client!.settings = { ruleFolders: [rules] };
      await client!.open(uri, text);
      const off = await client!.diagnostics(uri, () => true, 1);
      assert.equal(byRule(off, 'names-his-choice').length, 0, 'not a diagnostic by default');
      await client!.configChanged({ ruleFolders: [rules], showAligned: true });
      const on = await client!.diagnostics(uri, has('names-his-choice'));
      const [d] = byRule(on, 'names-his-choice');
      assert.equal(d.severity, 4);
      assert.match(d.message as string, /^Aligned practice: /);
    });

    it('loads extra rule folders and reports schema problems in the YAML file at the right line', async () => {
      const rules = path.join(folder, 'my-rules');
      fs.mkdirSync(rules);
      fs.writeFileSync(path.join(rules, 'kicked-off.yaml'), KICKED_OFF_RULE);
      const broken = path.join(rules, 'broken-rule.yaml');
      fs.writeFileSync(broken, 'id: broken-rule\ncategory: failure-to-protect\nseverity: terrible\nmessage: "x"\n');
      const text = 'Mr Kerr kicked off at the school gate.\n';
      const uri = noteIn(folder, 'gate.txt', text);
      client!.settings = { ruleFolders: ['my-rules'] };
      await client!.open(uri, text);
      const diags = await client!.diagnostics(uri, has('kicked-off'), 1);
      assert.match(byRule(diags, 'kicked-off')[0].codeDescription!.href, /my-rules\/kicked-off\.yaml$/);
      const brokenUri = pathToFileURL(broken).toString();
      const problems = await client!.diagnostics(brokenUri, (ds) => ds.length > 0);
      assert.ok(problems.every((d) => d.source === 'casenote-audit' && d.severity === 1));
      const sev = problems.find((d) => /severity/.test(d.message as string));
      assert.ok(sev, problems.map((d) => d.message).join('\n'));
      assert.equal(sev!.range.start.line, 2, 'the severity line');
      // fixing the file clears its problems once the client reports the change
      fs.writeFileSync(broken, fs.readFileSync(path.join(rules, 'kicked-off.yaml'), 'utf8').replace(/kicked-off/g, 'broken-rule').replace(/kicked off/g, 'lost it'));
      await client!.watchedFilesChanged([{ uri: brokenUri, type: 2 }]);
      await client!.diagnostics(brokenUri, (ds) => ds.length === 0);
    });
  });

  describe('pull diagnostics', () => {
    beforeEach(async () => {
      folder = tempFolder();
      client = await LspClient.start({ pull: true, folder });
    });

    it('declares a pull provider and answers textDocument/diagnostic, unchanged when nothing changed', async () => {
      assert.deepEqual(client!.init.capabilities.diagnosticProvider, { identifier: 'casenote-audit', interFileDependencies: false, workspaceDiagnostics: false });
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const report = (await client!.pull(uri)) as FullDocumentDiagnosticReport;
      assert.equal(report.kind, 'full');
      assert.equal(byRule(report.items, 'failed-to-protect').length, 1);
      assert.equal(client!.published.has(uri), false, 'nothing pushed to a pull client');
      const again = await client!.pull(uri, report.resultId);
      assert.deepEqual(again, { kind: 'unchanged', resultId: report.resultId });
    });

    it('after an edit, the pull waits for the new version', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const first = (await client!.pull(uri)) as FullDocumentDiagnosticReport;
      const p = posOf(NOTE, 'Ms Reid failed to protect the children');
      await client!.change(uri, [{ range: { start: p, end: { line: p.line, character: p.character + 'Ms Reid failed to protect the children'.length } }, text: 'Mr Kerr frightened the children' }]);
      const second = (await client!.pull(uri, first.resultId)) as FullDocumentDiagnosticReport;
      assert.equal(second.kind, 'full');
      assert.equal(byRule(second.items, 'failed-to-protect').length, 0);
    });

    it('asks the client to refresh when settings change, and the next pull reflects them', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const first = (await client!.pull(uri)) as FullDocumentDiagnosticReport;
      const refreshed = client!.nextRefresh();
      await client!.configChanged({ rules: { 'failed-to-protect': 'warning' } });
      await refreshed;
      const second = (await client!.pull(uri, first.resultId)) as FullDocumentDiagnosticReport;
      assert.deepEqual(byRule(second.items, 'failed-to-protect').map((d) => d.severity), [2]);
    });

    it('refreshes after a dismissal', async () => {
      const uri = noteIn(folder);
      await client!.open(uri, NOTE);
      const first = (await client!.pull(uri)) as FullDocumentDiagnosticReport;
      const [ftp] = byRule(first.items, 'failed-to-protect');
      const data = ftp.data as FindingData;
      const refreshed = client!.nextRefresh();
      await client!.request(Methods.dismiss, { uri, ruleId: data.ruleId, fingerprint: data.fingerprint, reason: 'Agreed wording with the team manager' });
      await refreshed;
      const second = (await client!.pull(uri)) as FullDocumentDiagnosticReport;
      assert.equal(byRule(second.items, 'failed-to-protect').length, 0);
    });
  });

  describe('a 200,000-word note', () => {
    let big: string;
    before(() => {
      const dir = path.resolve(__dirname, '..', '..', '..', 'samples', 'notes');
      const unit = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n\n');
      // vary each copy so the paragraph memo cannot shortcut the first analysis
      const parts: string[] = [];
      let words = 0;
      for (let i = 0; words < 200000; i++) {
        const copy = unit.replace(/Friday/g, `Friday ${i}`).replace(/this month/g, `this month (${i})`);
        parts.push(copy);
        words += copy.split(/\s+/).length;
      }
      big = parts.join('\n\n');
    });

    beforeEach(async () => {
      folder = tempFolder();
      client = await LspClient.start({ pull: false, folder });
    });

    it('stays responsive: slices under 50 ms, requests answered during analysis, stale runs cancelled', async function () {
      this.timeout(120000);
      const uri = noteIn(folder, 'big.txt', big);
      await client!.open(uri, big);
      // an edit right away makes the first run stale: only version 2 is ever published
      const v2 = await client!.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Reviewed. ' }]);
      // while the server analyses, requests keep being answered (code actions need no analysis;
      // a hover waits for the current result, as it needs the findings)
      let answered = 0;
      let worst = 0;
      const done = client!.analysisDone(uri, v2);
      let finished = false;
      void done.then(() => { finished = true; });
      while (!finished) {
        const t = performance.now();
        await client!.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, []);
        worst = Math.max(worst, performance.now() - t);
        answered++;
        if (answered > 5000) break;
      }
      const stats = await done;
      const diags = await client!.diagnostics(uri, () => true, v2);
      assert.ok(diags.length > 100, `findings across the note (${diags.length})`);
      // The 50 ms target is measured by npm run bench on a quiet machine. Here, on a machine that
      // may be running other work, only the structure is asserted: work is cut into slices of
      // about 15 ms, so even a slow or busy machine stays far below a quarter of a second.
      assert.ok(stats.maxSliceMs < 250, `longest slice ${stats.maxSliceMs.toFixed(1)} ms wall (${stats.maxSliceCpuMs.toFixed(1)} ms of process CPU)`);
      assert.ok(stats.blocks > 1000);
      // structure, not speed: the run was cut into many slices, and requests were answered
      // between them (how many depends on the machine's speed and load)
      assert.ok(stats.slices >= 10, `slices: ${stats.slices}`);
      assert.ok(answered >= 1, `requests answered during the analysis: ${answered}`);
      // the worst round trip is wall-clock time and depends on machine load, so it is reported
      // (and measured by npm run bench), not asserted
      assert.equal(client!.analyses.filter((a) => a.uri === uri && a.version === 1).length, 0, 'the stale run was cancelled');
      assert.equal(client!.published.get(uri)!.version, v2);
      // a second edit re-analyses only the changed paragraph; the others come from the memo
      const v3 = await client!.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'Checked. ' }]);
      const again = await client!.analysisDone(uri, v3);
      assert.ok(stats.analysedBlocks > 1000, `first run analysed ${stats.analysedBlocks} blocks`);
      assert.equal(again.analysedBlocks, 1, `re-analysis after a one-paragraph edit analysed ${again.analysedBlocks} blocks`);
      console.log(`      200k words: ${stats.blocks} blocks, first analysis ${stats.elapsedMs.toFixed(0)} ms (longest slice ${stats.maxSliceCpuMs.toFixed(1)} ms CPU, ${stats.maxSliceMs.toFixed(1)} ms wall), ` +
        `after an edit ${again.elapsedMs.toFixed(0)} ms (${again.analysedBlocks} block analysed; first run ${stats.analysedBlocks} in ${stats.slices} slices); ${answered} request pairs answered during analysis, worst round trip ${worst.toFixed(0)} ms`);
    });
  });
});
