// Aggregation and every output format, against golden files (UPDATE_GOLDEN=1 npx mocha rewrites
// them after a deliberate change); redaction; the privacy default.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareReports } from '../../server/src/audit/compare';
import { renderAudit } from '../../server/src/audit/formats';
import { compareHtml, compareMarkdown } from '../../server/src/audit/report/compare';
import { Redactor } from '../../server/src/audit/redact';
import { runAudit } from '../../server/src/audit/run';
import { SarifCollector } from '../../server/src/audit/sarif';
import { AuditReport, DIMENSIONS } from '../../server/src/audit/schema';
import { detectRoles } from '../../server/src/engine';
import { audit, AUDIT_ID, CASE_FILES, FIXTURES, golden, NOW, testRules } from './helpers';

describe('audit: aggregation and reports', () => {
  let report: AuditReport;
  before(async () => {
    report = await audit([CASE_FILES], { by: [...DIMENSIONS] });
  });

  it('counts concerns, quoted speech, aligned language, words and entries', () => {
    const t = report.totals;
    assert.equal(t.files, 4);
    assert.equal(t.entries, 16);
    assert.equal(t.words % 4, 0, 'the same four entries in four formats');
    // the CSV export declares no people, so "Kirsty Reid" is not known as the survivor there
    const ftp = report.categories['failure-to-protect'];
    assert.deepEqual([ftp.count, ftp.entries], [7, 7]);
    const mut = report.categories['mutualising-couple-language'];
    assert.deepEqual([mut.count, mut.entries, mut.quoted], [4, 4, 4]);
    assert.equal(mut.ratePer1000Words, Math.round((4000 / t.words) * 1e4) / 1e4);
    assert.equal(mut.shareOfEntries, 0.25);
    assert.deepEqual([report.aligned['protective-efforts'].count, report.aligned['protective-efforts'].entries], [8, 8]);
    assert.deepEqual(t.bySeverity, { error: 7, warning: 4, information: 0, hint: 0 });
    assert.deepEqual([t.entriesWithConcerns, t.entriesWithAligned], [8, 8]);
    assert.deepEqual(report.period, { from: '2022-03-12', to: '2023-02-20', undated: 0 });
  });

  it('gives the same counts for the same entries in .txt, .md and .html', () => {
    const cases = report.groups.case!;
    assert.deepEqual(cases.map((c) => c.key), ['TC-0001', 'TC-0002', 'TC-0003', 'TC-0004']);
    for (const c of cases) if (c.key !== 'TC-0003') assert.deepEqual({ ...c, key: '', label: '' }, { ...cases[0], key: '', label: '' }, c.key);
    assert.equal(cases[2].words, cases[0].words, 'and the same words from .csv');
  });

  it('redacts phrases and pseudonymises authors by default', () => {
    assert.deepEqual(report.phrases['failure-to-protect'].map((p) => p.phrase), ['[mother] failed to protect [child 1]', '[mother] has failed to protect [child 2]', '[person] has failed to protect [child 1]']);
    assert.deepEqual(report.groups.author!.map((a) => [a.label, a.entries]), [['Author 1', 12], ['Author 2', 4]]);
    assert.equal(report.excerpts, undefined);
    const json = JSON.stringify(report);
    for (const name of ['Kirsty', 'Reid', 'Fiona', 'Grant', 'Baird', 'Lily', 'Jamie', '0131']) assert.ok(!json.includes(name), `${name} leaked into the JSON report`);
    for (const f of ['md', 'html', 'csv'] as const) {
      const text = renderAudit(report, f);
      for (const name of ['Kirsty', 'Reid', 'Fiona', 'Baird', 'Lily', 'Jamie']) assert.ok(!text.includes(name), `${name} leaked into the ${f} report`);
    }
  });

  it('includes excerpts and names only with --include-excerpts', async () => {
    const r = await audit([path.join(CASE_FILES, 'chronology.txt')], { includeExcerpts: true });
    assert.deepEqual(r.groups.author!.map((a) => a.label), ['SW Fiona Grant', 'SSW Tom Baird']);
    const ex = r.excerpts!['failure-to-protect'][0];
    assert.equal(ex.text.slice(ex.start, ex.end), 'Kirsty Reid failed to protect Lily');
    assert.equal(ex.line, 11);
    assert.match(renderAudit(r, 'html'), /CONFIDENTIAL/);
  });

  it('keeps author pseudonyms stable for one --audit-id and unlinkable across others', async () => {
    const a = await audit([path.join(CASE_FILES, 'chronology.txt')]);
    const b = await audit([path.join(CASE_FILES, 'chronology.md')]);
    const c = await audit([path.join(CASE_FILES, 'chronology.md')], { auditId: 'another-audit-id' });
    assert.deepEqual(a.groups.author!.map((x) => x.key), b.groups.author!.map((x) => x.key));
    assert.notDeepEqual(a.groups.author!.map((x) => x.key), c.groups.author!.map((x) => x.key));
    assert.equal(a.options.pseudonymScope, b.options.pseudonymScope);
    assert.ok(!JSON.stringify(a).includes(AUDIT_ID), 'the salt itself is never stored');
  });

  it('writes JSON, Markdown, CSV and HTML as in the golden files', () => {
    golden('audit.json', renderAudit(report, 'json'));
    golden('audit.md', renderAudit(report, 'md'));
    golden('audit.csv', renderAudit(report, 'csv'));
    golden('audit.html', renderAudit(report, 'html'));
  });

  it('writes SARIF 2.1.0 with locations that point at the match in the file', async () => {
    const sarif = new SarifCollector(testRules().rules, false);
    try {
      const r = (await runAudit({ ruleSet: testRules(), toolVersion: '0.0.0-test', now: NOW, auditId: AUDIT_ID, jobs: 1, cwd: FIXTURES, paths: [CASE_FILES], sarif })).reports[0];
      let text = '';
      await sarif.write(r, (s) => { text += s; });
      golden('audit.sarif', text);
      const log = JSON.parse(text);
      assert.equal(log.version, '2.1.0');
      const results = log.runs[0].results;
      assert.equal(results.length, 11);
      for (const res of results) {
        const loc = res.locations[0].physicalLocation;
        if (loc.artifactLocation.uri.endsWith('.html')) { assert.equal(loc.region, undefined, 'no lines for converted text'); continue; }
        const line = fs.readFileSync(path.join(FIXTURES, decodeURI(loc.artifactLocation.uri)), 'utf8').split(/\r?\n/)[loc.region.startLine - 1];
        const hit = line.slice(loc.region.startColumn - 1, loc.region.endColumn - 1);
        assert.match(hit, /fail|volatile relationship/, `${loc.artifactLocation.uri}:${loc.region.startLine}`);
        assert.doesNotMatch(res.message.text, /Kirsty|Jamie/, 'no names in messages by default');
      }
    } finally {
      sarif.dispose();
    }
  });

  it('writes self-contained HTML: strict CSP, no scripts, no external resources', () => {
    for (const html of [renderAudit(report, 'html'), compareHtml(compareReports(report, report, NOW))]) {
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
      assert.ok(csp, 'a CSP meta tag');
      assert.match(csp![1], /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/);
      assert.doesNotMatch(html, /<script|<link|<img|<iframe|@import|url\(/i);
      assert.doesNotMatch(html, /\s(?:src|href)="(?!#)/i, 'no external references');
      assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes (the CSP would block them)');
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
      const hash = require('node:crypto').createHash('sha256').update(style).digest('base64');
      assert.ok(csp![1].includes(`'sha256-${hash}'`), 'the CSP hash matches the style block');
      assert.match(html, /<svg /);
    }
  });

  it('writes the comparison as in the golden files', async () => {
    const both = await runAudit({ ruleSet: testRules(), toolVersion: '0.0.0-test', now: NOW, auditId: AUDIT_ID, jobs: 1, cwd: FIXTURES, paths: [CASE_FILES], splitBefore: '2023-01-01', splitLabels: ['baseline', 'follow-up'] });
    const [base, follow] = both.reports;
    assert.deepEqual([base.totals.entries, follow.totals.entries], [8, 8]);
    const c = compareReports(base, follow, NOW);
    golden('compare.json', JSON.stringify(c, null, 2) + '\n');
    golden('compare.md', compareMarkdown(c));
    golden('compare.html', compareHtml(c));
  });
});

describe('audit: redaction', () => {
  const roles = detectRoles('Children: Lily Kerr (7), Max Kerr (4)\nAdults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)');
  const r = new Redactor(roles);
  it('replaces declared people by role tokens', () => {
    assert.equal(r.phrase('Kirsty Reid failed to protect Lily'), '[mother] failed to protect [child 1]');
    assert.equal(r.phrase('Ms Reid let Jamie’s friend in'), "[mother] let [father]'s friend in");
    assert.equal(r.phrase('Mr Kerr hit Max and Lily'), '[father] hit [child 2] and [child 1]');
  });
  it('replaces other names, titled surnames and digits, and lower-cases the rest', () => {
    assert.equal(r.phrase('Ms Brodie failed to keep Aiden safe on 12 May'), '[person] failed to keep [person] safe on # may');
    assert.equal(new Redactor(undefined).phrase('Sarah Jones failed to protect'), '[person] failed to protect');
    assert.equal(r.phrase('Mum  failed to protect'), 'mum failed to protect');
    assert.equal(r.phrase('Police said Mum let Dad back'), 'police said mum let dad back');
  });
  it('uses neutral tokens when the roles share a relation word', () => {
    const same = new Redactor(detectRoles('Adults: Ann Bell (mother; non-abusing parent); Zoe Bell (mother; person causing harm)'));
    assert.equal(same.phrase('Ann Bell blamed Zoe Bell'), '[survivor] blamed [person causing harm]');
  });
});
