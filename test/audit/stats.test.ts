// Statistics against values worked out by hand, the comparison's verdicts, merging shards,
// and the worker pool giving the same report as the in-process run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareReports } from '../../server/src/audit/compare';
import { MergeError, mergeReports } from '../../server/src/audit/merge';
import { AuditReport, DIMENSIONS } from '../../server/src/audit/schema';
import { runAudit, SMALL_INPUT_BYTES, threadsFor } from '../../server/src/audit/run';
import { workerScript } from '../../server/src/audit/pool';
import { ratePer1000, rateRatio, verdict } from '../../server/src/audit/stats';
import { audit, AUDIT_ID, CASE_FILES, FIXTURES, NOW, tempDir, testRules } from './helpers';

const close = (actual: number | undefined, expected: number, tol = 1e-6) => assert.ok(actual !== undefined && Math.abs(actual - expected) < tol, `${actual} is not ${expected}`);

describe('audit: statistics', () => {
  it('rate per 1,000 words', () => {
    assert.equal(ratePer1000(3, 1500), 2);
    assert.equal(ratePer1000(0, 1500), 0);
    assert.equal(ratePer1000(5, 0), 0);
  });
  it('rate ratio and 95% CI: 20 findings in 10,000 words, then 5 in 10,000', () => {
    // RR = (5/10000)/(20/10000) = 0.25; SE(ln RR) = sqrt(1/20 + 1/5) = sqrt(0.25) = 0.5;
    // CI = 0.25 * exp(±1.959964 * 0.5) = 0.25 * exp(±0.979982) = [0.093829, 0.666102]
    const r = rateRatio(20, 10000, 5, 10000)!;
    close(r.ratio, 0.25);
    close(r.lower, 0.093829);
    close(r.upper, 0.666102);
    assert.equal(r.corrected, false);
    assert.equal(verdict(r, false), 'improved');
    assert.equal(verdict(r, true), 'worse');
  });
  it('different exposures: 10 in 5,000 words, then 30 in 20,000', () => {
    // rates 2.0 and 1.5 per 1,000: RR = 0.75; SE = sqrt(1/10 + 1/30) = 0.365148;
    // CI = 0.75 * exp(±0.715677) = [0.366646, 1.534179], which includes 1
    const r = rateRatio(10, 5000, 30, 20000)!;
    close(r.ratio, 0.75);
    close(r.lower, 0.366646);
    close(r.upper, 1.534179);
    assert.equal(verdict(r, false), 'no clear change');
  });
  it('adds 0.5 to both counts when one is zero', () => {
    // 4 then 0 in 1,000 words each: (0.5/1000)/(4.5/1000) = 1/9; SE = sqrt(1/4.5 + 1/0.5) = 1.490712;
    // CI = (1/9) * exp(±2.921742) = [0.005982, 2.063735]
    const r = rateRatio(4, 1000, 0, 1000)!;
    close(r.ratio, 1 / 9);
    close(r.lower, 0.005982);
    close(r.upper, 2.063735);
    assert.equal(r.corrected, true);
    assert.equal(verdict(r, false), 'no clear change');
    // 0 in 800 words, then 3 in 1,000: (3.5/1000)/(0.5/800) = 5.6; SE = sqrt(2 + 1/3.5) = 1.511858
    const g = rateRatio(0, 800, 3, 1000)!;
    close(g.ratio, 5.6);
    close(g.lower, 0.289263);
    close(g.upper, 108.413611, 1e-5);
  });
  it('has nothing to compare when both counts are zero or a period has no words', () => {
    assert.equal(rateRatio(0, 1000, 0, 1000), null);
    assert.equal(rateRatio(3, 0, 1, 1000), null);
    assert.equal(verdict(null, false), 'not observed');
  });
  it('a large clear increase of a concern is "worse"', () => {
    assert.equal(verdict(rateRatio(5, 10000, 40, 10000), false), 'worse');
    assert.equal(verdict(rateRatio(5, 10000, 40, 10000), true), 'improved');
  });
});

describe('audit: compare', () => {
  it('reports rates, changes, ratios and verdicts per category and calls out what did not improve', async () => {
    const base = await audit([CASE_FILES]);
    const follow = JSON.parse(JSON.stringify(base)) as AuditReport;
    follow.totals.words = base.totals.words * 4; // the same counts in four times the words: rates fall to a quarter
    follow.categories['mutualising-couple-language'].count = 8; // twice as many in four times the words: half the rate, within noise
    follow.ruleset = 'other';
    const c = compareReports(base, follow, NOW);
    const ftp = c.concerns.find((r) => r.id === 'failure-to-protect')!;
    close(ftp.rateRatio!, 0.25);
    close(ftp.relativeChange!, -0.75);
    close(ftp.absoluteChange, ftp.followup.ratePer1000Words - ftp.baseline.ratePer1000Words);
    assert.equal(ftp.verdict, 'improved');
    const mut = c.concerns.find((r) => r.id === 'mutualising-couple-language')!;
    assert.equal(mut.verdict, 'no clear change');
    assert.deepEqual(c.notImproved, ['mutualising-couple-language']);
    assert.equal(c.aligned.find((r) => r.id === 'protective-efforts')!.verdict, 'worse');
    assert.equal(c.concerns.find((r) => r.id === 'separation-as-safety')!.verdict, 'not observed');
    assert.equal(c.concerns.find((r) => r.id === 'separation-as-safety')!.covered, false);
    assert.equal(c.sameRuleset, false);
    assert.match(c.notes[0], /different rule sets/);
    assert.match(c.summary.join('\n'), /Improved: failure to protect\./);
    assert.match(c.summary.join('\n'), /Did not improve \(worth a look in training and supervision\): no clear change: mutualising couple language\./);
  });
  it('names each category that did not improve once, grouped by verdict', async () => {
    const base = await audit([CASE_FILES]);
    const follow = JSON.parse(JSON.stringify(base)) as AuditReport;
    follow.categories['failure-to-protect'].count = base.categories['failure-to-protect'].count * 20; // a large clear rise
    const summary = compareReports(base, follow, NOW).summary.join('\n');
    assert.match(summary, /Did not improve \(worth a look in training and supervision\): worse: failure to protect; no clear change: [a-z ,]+\./);
    assert.equal(summary.match(/failure to protect/g)!.length, 1, summary);
    assert.doesNotMatch(summary, /^Worse:|^No clear change:/m);
  });
});

describe('audit: merge', () => {
  const strip = (r: AuditReport) => JSON.parse(JSON.stringify({ ...r, generated: '' }));
  it('the audit of A and B together equals the merge of the audits of A and of B', async () => {
    const files = ['chronology.html', 'chronology.md', 'chronology.txt', 'notes.csv'].map((f) => path.join(CASE_FILES, f));
    const by = [...DIMENSIONS];
    const all = await audit([CASE_FILES], { by });
    const a = await audit(files.slice(0, 2), { by });
    const b = await audit(files.slice(2), { by });
    const { report, notes } = mergeReports([a, b], { now: NOW });
    assert.deepEqual(notes, []);
    assert.deepEqual(strip(report), strip(all));
    // merging is associative, whatever the shards
    const parts = await Promise.all(files.map((f) => audit([f], { by })));
    assert.deepEqual(strip(mergeReports(parts, { now: NOW }).report), strip(all));
  });
  it('refuses shards that counted differently or cannot match authors', async () => {
    const a = await audit([path.join(CASE_FILES, 'chronology.txt')]);
    const other = await audit([path.join(CASE_FILES, 'chronology.md')], { auditId: 'a-different-audit-id' });
    assert.throws(() => mergeReports([a, other]), (e: Error) => e instanceof MergeError && /--audit-id/.test(e.message));
    const dropped = mergeReports([a, other], { dropAuthors: true });
    assert.equal(dropped.report.groups.author, undefined);
    assert.equal(dropped.report.totals.entries, 8);
    assert.throws(() => mergeReports([a, { ...a, ruleset: 'x' }]), /differ in rule set/);
    assert.throws(() => mergeReports([a, { ...a, options: { ...a.options, quotedSpeech: 'report' } }]), /quoted-speech/);
    const narrow = await audit([path.join(CASE_FILES, 'chronology.md')], { by: ['file'] });
    const m = mergeReports([a, narrow]);
    assert.deepEqual(Object.keys(m.report.groups), ['file']);
    assert.match(m.notes.join('\n'), /"author" table left out/);
  });
});

describe('audit: worker threads', () => {
  it('analyse in a capped worker even with --jobs 1, except on inputs under 1 MB', () => {
    assert.equal(threadsFor(1, SMALL_INPUT_BYTES - 1, 8), 0);
    assert.equal(threadsFor(undefined, SMALL_INPUT_BYTES - 1, 8), 0);
    assert.equal(threadsFor(1, SMALL_INPUT_BYTES, 8), 1);
    // one core is left to the main thread, which reads, splits and aggregates for the workers
    assert.equal(threadsFor(undefined, SMALL_INPUT_BYTES, 8), 7);
    assert.equal(threadsFor(undefined, SMALL_INPUT_BYTES, 2), 1);
    assert.equal(threadsFor(undefined, SMALL_INPUT_BYTES, 1), 1);
    assert.equal(threadsFor(2, 10, 8), 2);
    assert.equal(threadsFor(3, 100 * SMALL_INPUT_BYTES, 2), 3);
  });
  it('fall back to this thread when the workers fail, losing nothing', async function () {
    this.timeout(30000);
    const dir = tempDir();
    try {
      const broken = path.join(dir, 'broken-worker.js');
      fs.writeFileSync(broken, 'throw new Error("this worker cannot start");');
      const one = await audit([CASE_FILES], { jobs: 1 });
      const res = await runAudit({ ruleSet: testRules(), toolVersion: '0.0.0-test', now: NOW, auditId: AUDIT_ID, cwd: FIXTURES, paths: [CASE_FILES], jobs: 2, workerScript: broken });
      assert.deepEqual(res.reports[0], one);
      assert.match(res.notes.join(), /worker thread failed \(.*cannot start.*\); its entries were analysed in the main thread/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('lose no batch when a worker thread ends part-way without an error, with batches posted to it', async function () {
    this.timeout(30000);
    const dir = tempDir();
    try {
      // 40 copies of a 4-entry chronology: 160 entries, three batches (64 entries at most each)
      const input = path.join(dir, 'in');
      fs.mkdirSync(input);
      for (let i = 0; i < 40; i++) fs.copyFileSync(path.join(CASE_FILES, 'chronology.txt'), path.join(input, `c${String(i).padStart(2, '0')}.txt`));
      // the real worker, which exits when its second batch arrives (having answered the first)
      const dying = path.join(dir, 'dying-worker.js');
      fs.writeFileSync(dying, `let n = 0; require('node:worker_threads').parentPort.on('message', () => { if (++n === 2) process.exit(3); }); require(${JSON.stringify(workerScript())});`);
      const opts = { ruleSet: testRules(), toolVersion: '0.0.0-test', now: NOW, auditId: AUDIT_ID, cwd: FIXTURES, paths: [input] };
      const here = await runAudit({ ...opts, jobs: 1 });
      const res = await runAudit({ ...opts, jobs: 2, workerScript: dying, blockingReads: true });
      assert.equal(res.reports[0].totals.entries, 160);
      assert.deepEqual(res.reports[0], here.reports[0]);
      assert.match(res.notes.join(), /worker thread failed \(the worker thread stopped \(exit code 3\)\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('give the same report as the in-process run', async function () {
    this.timeout(30000);
    const by = [...DIMENSIONS];
    const one = await audit([CASE_FILES], { by, jobs: 1 });
    const two = await audit([CASE_FILES], { by, jobs: 2 });
    assert.deepEqual(two, one);
  });
});
