#!/usr/bin/env node
// Scores the batch audit against the planted truth of generated case files
// (../shared/corpus/case-files by default; see ../shared/tools/README.md):
//
//  1. recall, entry level by category: a planted problem phrase counts as found when the audit
//     reports at least one concern of its category in its entry (also by count: an entry with
//     two planted phrases of a category needs two findings);
//  2. aligned-language recall by kind, the same way;
//  3. findings in entries with nothing of that category planted (unplanted borderline wording
//     or false positives; those in entries with a trap of that category are listed apart);
//  4. the direction check: the change per category that the audit's comparison reports
//     against the change the planted truth implies (the same rate-ratio statistics on the
//     planted counts, with the audit's word totals as exposure).
//
//   npm run audit:truth                        txt exports of both periods
//   npm run audit:truth -- --format csv        the CSV exports (or md)
//   npm run audit:truth -- --data DIR          another generated set (DIR/baseline, DIR/followup)
//   npm run audit:truth -- --check             exit 1 below 90% recall or when a verdict differs from the truth's
//   npm run audit:truth -- --json              machine-readable figures
//   npm run audit:truth -- --no-build          use dist/ as built
//   npm run audit:truth -- --rules-src DIR     score the rules compiled from another rules/ folder
//                                              (e.g. a rule pack in progress); broken rules are skipped
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { options, require, root } from './lib/script-env.mjs';

const opt = options();
const data = path.resolve(opt('--data') ?? path.join(root, '..', 'shared', 'corpus', 'case-files'));
const format = opt('--format') ?? 'txt';
const jobs = opt('--jobs');
if (!['txt', 'md', 'csv'].includes(format)) { console.error('audit-truth: --format is txt, md or csv'); process.exit(2); }
if (!fs.existsSync(path.join(data, 'baseline', 'truth.jsonl'))) {
  console.log(`audit-truth: no generated case files with truth at ${data}; nothing to score`);
  process.exit(0);
}
if (!opt('--no-build')) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const { compareReports } = require(path.join(root, 'out/server/src/audit/compare.js'));
const { rateRatio, verdict } = require(path.join(root, 'out/server/src/audit/stats.js'));
const { CATEGORIES, ALIGNED_KINDS } = require(path.join(root, 'out/server/src/engine/index.js'));

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-truth-'));
let cli = path.join(root, 'dist', 'cli.js');
const rulesSrc = opt('--rules-src');
if (rulesSrc) {
  // a copy of the bundle with another compiled rule pack beside it (the CLI reads rules.json from its own folder)
  const { compilePackFromSources } = require(path.join(root, 'out/server/src/host/rulePack.js'));
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const { pack, problems } = compilePackFromSources(path.resolve(rulesSrc), version);
  if (problems.length) console.error(`audit-truth: ${problems.length} rule problem(s) in ${rulesSrc}; those rules are left out (first: ${problems[0].path}: ${problems[0].message})`);
  const bin = path.join(tmp, 'dist');
  fs.mkdirSync(bin);
  for (const f of ['cli.js', 'cli.bundle.js', 'cli.bundle.js.cache', 'audit-worker.js']) fs.copyFileSync(path.join(root, 'dist', f), path.join(bin, f));
  fs.writeFileSync(path.join(bin, 'rules.json'), JSON.stringify(pack));
  cli = path.join(bin, 'cli.js');
}
const audits = {};
const t0 = Date.now();
for (const period of ['baseline', 'followup']) {
  const input = path.join(data, period, format === 'csv' ? 'entries.csv' : format);
  const out = path.join(tmp, period);
  const r = spawnSync(process.execPath, [cli, 'audit', input, '--out', out, '--format', 'json', '--by', 'entry', '--label', period, '--no-progress', ...(jobs ? ['--jobs', String(jobs)] : [])], { encoding: 'utf8' });
  if (r.status === 2 || !fs.existsSync(path.join(out, 'audit.json'))) {
    console.error(r.stdout, r.stderr);
    console.error(`audit-truth: the audit of ${input} failed (exit ${r.status})`);
    process.exit(2);
  }
  audits[period] = JSON.parse(fs.readFileSync(path.join(out, 'audit.json'), 'utf8'));
}
const seconds = (Date.now() - t0) / 1000;
fs.rmSync(tmp, { recursive: true, force: true });

const readTruth = (period) => fs.readFileSync(path.join(data, period, 'truth.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const blank = (ids) => Object.fromEntries(ids.map((c) => [c, { gold: 0, entryHit: 0, countHit: 0 }]));
const result = { data, format, ruleset: audits.baseline.ruleset, seconds, periods: {}, recall: {}, aligned: {}, extra: {}, direction: [] };
const rec = blank(CATEGORIES);
const al = blank(ALIGNED_KINDS);
const extra = Object.fromEntries(CATEGORIES.map((c) => [c, { unplanted: 0, onTrap: 0 }]));
const planted = { baseline: {}, followup: {} };
const missingEntries = [];
for (const period of ['baseline', 'followup']) {
  const rows = new Map((audits[period].groups.entry ?? []).map((r) => [r.key, r]));
  const truth = readTruth(period);
  let matched = 0;
  for (const t of truth) {
    const row = rows.get(t.entry_id);
    if (!row) { missingEntries.push(`${period}/${t.entry_id}`); continue; }
    matched++;
    const byCat = new Map();
    for (const p of t.problems) byCat.set(p.category, (byCat.get(p.category) ?? 0) + 1);
    for (const [c, n] of byCat) {
      planted[period][c] = (planted[period][c] ?? 0) + n;
      const found = row.concerns[c] ?? 0;
      rec[c] ??= { gold: 0, entryHit: 0, countHit: 0 };
      rec[c].gold += n;
      if (found > 0) rec[c].entryHit += n;
      rec[c].countHit += Math.min(n, found);
    }
    const byKind = new Map();
    for (const k of t.aligned_kinds ?? []) byKind.set(k, (byKind.get(k) ?? 0) + 1);
    for (const [k, n] of byKind) {
      al[k] ??= { gold: 0, entryHit: 0, countHit: 0 };
      al[k].gold += n;
      const found = row.aligned[k] ?? 0;
      if (found > 0) al[k].entryHit += n;
      al[k].countHit += Math.min(n, found);
    }
    for (const [c, n] of Object.entries(row.concerns)) {
      if (byCat.has(c)) continue;
      extra[c] ??= { unplanted: 0, onTrap: 0 };
      if ((t.traps ?? []).some((x) => x.category === c)) extra[c].onTrap += n;
      else extra[c].unplanted += n;
    }
  }
  result.periods[period] = { entries: truth.length, matched, words: audits[period].totals.words, concerns: audits[period].totals.concerns };
}
result.recall = rec;
result.aligned = al;
result.extra = extra;
const sum = (o, k) => Object.values(o).reduce((a, x) => a + x[k], 0);
result.overall = { gold: sum(rec, 'gold'), entryHit: sum(rec, 'entryHit'), countHit: sum(rec, 'countHit') };
result.overall.entryRecall = result.overall.gold ? result.overall.entryHit / result.overall.gold : 0;

// direction: the audit's comparison against the change the planted counts imply
const cmp = compareReports(audits.baseline, audits.followup);
const wb = audits.baseline.totals.words;
const wf = audits.followup.totals.words;
const sign = (x) => (x === null ? 0 : x < 1 ? -1 : x > 1 ? 1 : 0);
for (const c of CATEGORIES) {
  const a = planted.baseline[c] ?? 0;
  const b = planted.followup[c] ?? 0;
  const truthRR = rateRatio(a, wb, b, wf);
  const truthVerdict = verdict(truthRR, false);
  const row = cmp.concerns.find((x) => x.id === c);
  const auditVerdict = row?.verdict ?? 'not observed';
  result.direction.push({
    category: c, planted: [a, b], truthRatio: truthRR?.ratio ?? null, truthVerdict,
    found: [row?.baseline.count ?? 0, row?.followup.count ?? 0], auditRatio: row?.rateRatio ?? null, auditVerdict,
    covered: row?.covered ?? false,
    sameDirection: sign(truthRR?.ratio ?? null) === sign(row?.rateRatio ?? null), sameVerdict: truthVerdict === auditVerdict,
  });
}
result.covered = result.direction.filter((d) => d.covered).length;
result.directionAgreement = result.direction.filter((d) => d.sameDirection).length;
result.verdictAgreement = result.direction.filter((d) => d.sameVerdict).length;

if (opt('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pc = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '   -  ');
  console.log(`audit-truth: ${data} (${format}), rule set ${result.ruleset}, both periods audited in ${seconds.toFixed(1)} s`);
  for (const [p, x] of Object.entries(result.periods)) console.log(`  ${p}: ${x.matched}/${x.entries} truth entries found in the audit, ${x.words} words, ${x.concerns} concerns`);
  if (missingEntries.length) console.log(`  entries in the truth but not in the audit: ${missingEntries.slice(0, 10).join(', ')}${missingEntries.length > 10 ? ' ...' : ''}`);
  console.log('\nRecall of planted problem phrases (entry level, by category)');
  console.log(`  ${'category'.padEnd(32)} ${'planted'.padStart(7)} ${'entry'.padStart(7)} ${'count'.padStart(7)}   unplanted  on-trap`);
  for (const c of CATEGORIES) {
    const r = rec[c];
    console.log(`  ${c.padEnd(32)} ${String(r.gold).padStart(7)} ${pc(r.entryHit, r.gold).padStart(7)} ${pc(r.countHit, r.gold).padStart(7)}   ${String(extra[c].unplanted).padStart(9)} ${String(extra[c].onTrap).padStart(8)}`);
  }
  console.log(`  ${'all'.padEnd(32)} ${String(result.overall.gold).padStart(7)} ${pc(result.overall.entryHit, result.overall.gold).padStart(7)} ${pc(result.overall.countHit, result.overall.gold).padStart(7)}   ${String(sum(extra, 'unplanted')).padStart(9)} ${String(sum(extra, 'onTrap')).padStart(8)}`);
  console.log('\nRecall of planted aligned phrases (entry level, by kind)');
  for (const k of ALIGNED_KINDS) console.log(`  ${k.padEnd(32)} ${String(al[k].gold).padStart(7)} ${pc(al[k].entryHit, al[k].gold).padStart(7)} ${pc(al[k].countHit, al[k].gold).padStart(7)}`);
  console.log('\nDirection of change, follow-up vs baseline (planted truth vs audit)');
  console.log(`  ${'category'.padEnd(32)} ${'planted'.padStart(9)} ${'truth RR'.padStart(8)} ${'truth verdict'.padEnd(16)} ${'found'.padStart(9)} ${'audit RR'.padStart(8)} audit verdict`);
  for (const d of result.direction) {
    const rr = (x) => (x === null ? '-' : x.toFixed(2));
    console.log(`  ${d.category.padEnd(32)} ${`${d.planted[0]}/${d.planted[1]}`.padStart(9)} ${rr(d.truthRatio).padStart(8)} ${d.truthVerdict.padEnd(16)} ${`${d.found[0]}/${d.found[1]}`.padStart(9)} ${rr(d.auditRatio).padStart(8)} ${d.auditVerdict}${d.sameVerdict ? '' : d.sameDirection ? '  (same direction)' : d.covered ? '  MISMATCH' : '  (no rules yet)'}`);
  }
  console.log(`\nEntry-level recall ${pc(result.overall.entryHit, result.overall.gold)} (target 90%); direction agrees for ${result.directionAgreement}/${CATEGORIES.length} categories, verdict for ${result.verdictAgreement}/${CATEGORIES.length}; the rule set covers ${result.covered}/${CATEGORIES.length} categories.`);
}
if (opt('--check')) {
  // the verdict (improved / no clear change / worse) is the direction with its uncertainty: for a
  // category whose planted change is within noise the sign of the point estimate means nothing
  const ok = result.overall.entryRecall >= 0.9 && result.direction.every((d) => d.sameVerdict);
  process.exit(ok ? 0 : 1);
}
