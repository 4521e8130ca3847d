#!/usr/bin/env node
// Measures the aligned-language indicator rules (kind: aligned) against the ground truth of the
// synthetic case files (../shared/corpus/case-files/{baseline,followup}: entries.csv, truth.jsonl,
// cases.jsonl) and counts aligned findings on the labelled development set (dev.jsonl).
//
// Each entry is analysed with a role header built from its case, so role references resolve
// to the people of that case:
//   Adults: <survivor> (<relationship>; non-abusing parent); <perpetrator> (<relationship>; person causing harm)
//   Children: <name> (<age>), ...
//
// Per aligned kind:
//   recall     truth phrases of that kind overlapped by an aligned finding of that kind
//   precision  aligned findings of that kind that overlap a truth phrase of that kind
//              (findings anywhere else, including on another kind's phrase, count as false)
//   loose      aligned findings of that kind that overlap any aligned truth phrase (for reference)
// Findings downgraded to hints (quoted or attributed speech) do not count.
//
//   npm run eval:aligned                        tables
//   npm run eval:aligned -- --misses KIND|all   list missed truth phrases
//   npm run eval:aligned -- --fps KIND|all      list false findings on the case files
//   npm run eval:aligned -- --dev [KIND|all]    list aligned findings on the dev set
//   npm run eval:aligned -- --json              machine-readable figures
//   npm run eval:aligned -- --data DIR          another case-files folder (default ../shared/corpus/case-files)
//   npm run eval:aligned -- --dev-data FILE     another dev set (default ../shared/corpus/dev.jsonl)
//   npm run eval:aligned -- --no-build          skip tsc -b server
//   npm run eval:aligned -- --no-timing         skip the aligned-off/on CPU time comparison
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDevEngine, options, root } from './lib/script-env.mjs';

const opt = options();
const dataDir = path.resolve(opt('--data') ?? path.join(root, '..', 'shared', 'corpus', 'case-files'));
const devPath = path.resolve(opt('--dev-data') ?? path.join(root, '..', 'shared', 'corpus', 'dev.jsonl'));

const { engine: { Analyzer, ALIGNED_KINDS }, ruleSet } = await loadDevEngine(opt);

// ---------------------------------------------------------------------------
// Input

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length > 1 || r[0] !== '').map((r) => Object.fromEntries(head.map((h, k) => [h, r[k] ?? ''])));
}

const readJsonl = (p) => fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

// "mother's partner" is written "partner": the engine's relation reader takes the first kinship
// word it sees, which would make a male partner of the mother female.
const relation = (r) => (/partner/i.test(r) ? 'partner' : r);

function header(c) {
  const s = c.non_abusing_parent;
  const p = c.person_causing_harm;
  const kids = c.children.map((k) => `${k.name} (${k.age})`).join(', ');
  return `Adults: ${s.name} (${relation(s.relationship)}; non-abusing parent); ${p.name} (${relation(p.relationship)}; person causing harm)\nChildren: ${kids}\n\n`;
}

const periods = ['baseline', 'followup'].filter((p) => fs.existsSync(path.join(dataDir, p, 'truth.jsonl')));
if (periods.length === 0) {
  console.log(`eval:aligned: no case files at ${dataDir}; nothing to evaluate`);
  process.exit(0);
}

// ---------------------------------------------------------------------------
// Case files

const analyzer = new Analyzer(ruleSet, { explain: true });
const allTexts = []; // (header + entry) texts, for the timing comparison below
const kinds = [...ALIGNED_KINDS];
const stat = Object.fromEntries(kinds.map((k) => [k, { gold: 0, hit: 0, found: 0, correct: 0, loose: 0 }]));
const misses = [];
const fps = [];
let entries = 0;
let ms = 0;
for (const period of periods) {
  const dir = path.join(dataDir, period);
  const rows = parseCsv(fs.readFileSync(path.join(dir, 'entries.csv'), 'utf8'));
  const truth = readJsonl(path.join(dir, 'truth.jsonl'));
  const cases = new Map(readJsonl(path.join(dir, 'cases.jsonl')).map((c) => [c.case_ref, c]));
  if (rows.length !== truth.length) throw new Error(`${period}: ${rows.length} CSV rows but ${truth.length} truth lines`);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const t = truth[i];
    if (row.entry_id !== t.entry_id) throw new Error(`${period}: row ${i + 1} is ${row.entry_id} but truth has ${t.entry_id}`);
    const c = cases.get(row.case_ref);
    if (!c) throw new Error(`${period}: no case ${row.case_ref} in cases.jsonl`);
    const head = header(c);
    const text = row.text;
    allTexts.push(head + text);
    const t0 = process.hrtime.bigint();
    const res = analyzer.analyze(head + text);
    ms += Number(process.hrtime.bigint() - t0) / 1e6;
    entries++;
    const found = res.findings
      .filter((f) => f.kind === 'aligned' && !f.downgraded && f.start >= head.length)
      .map((f) => ({ ...f, start: f.start - head.length, end: f.end - head.length }));
    // every occurrence of each truth phrase
    const gold = [];
    t.aligned.forEach((phrase, k) => {
      for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) gold.push({ kind: t.aligned_kinds[k], phrase, start: at, end: at + phrase.length });
    });
    const overlaps = (a, b) => a.start < b.end && b.start < a.end;
    t.aligned.forEach((phrase, k) => {
      const kind = t.aligned_kinds[k];
      if (!stat[kind]) return;
      stat[kind].gold++;
      const spots = gold.filter((g) => g.phrase === phrase && g.kind === kind);
      if (found.some((f) => f.category === kind && spots.some((g) => overlaps(f, g)))) stat[kind].hit++;
      else misses.push({ kind, id: t.entry_id, phrase, text, other: found.filter((f) => spots.some((g) => overlaps(f, g))).map((f) => f.category) });
    });
    for (const f of found) {
      const s = stat[f.category];
      if (!s) continue;
      s.found++;
      if (gold.some((g) => g.kind === f.category && overlaps(f, g))) s.correct++;
      else fps.push({ kind: f.category, id: t.entry_id, rule: f.ruleId, text, f, on: gold.filter((g) => overlaps(f, g)).map((g) => g.kind) });
      if (gold.some((g) => overlaps(f, g))) s.loose++;
    }
  }
}

// Cost of the aligned rules: CPU time over the same texts with aligned rules off and on, measured
// alternately after a warm-up, best of 5 each (the machine may be shared; the minimum is the most stable).
const cpuOnce = (opts) => {
  const a = new Analyzer(ruleSet, opts);
  const t0 = process.cpuUsage();
  for (const t of allTexts) a.analyze(t);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
};
const measure = () => {
  cpuOnce({ aligned: false });
  cpuOnce({});
  let off = Infinity, on = Infinity;
  for (let k = 0; k < 5; k++) {
    off = Math.min(off, cpuOnce({ aligned: false }));
    on = Math.min(on, cpuOnce({}));
  }
  return { alignedOff: off, alignedOn: on };
};
const timing = opt('--no-timing') ? undefined : measure();

// ---------------------------------------------------------------------------
// Development set: aligned findings on ok (model-practice and other) and flag items

const dev = { modelPractice: { items: 0, withFinding: 0, findings: 0 }, otherOk: { items: 0, withFinding: 0, findings: 0 }, flag: { items: 0, withFinding: 0, findings: 0 } };
const devByKind = Object.fromEntries(kinds.map((k) => [k, { modelPractice: 0, otherOk: 0, flag: 0 }]));
const devList = [];
if (fs.existsSync(devPath)) {
  for (const item of readJsonl(devPath)) {
    const r = analyzer.analyze(item.text);
    const al = r.findings.filter((f) => f.kind === 'aligned' && !f.downgraded);
    const bucket = item.label === 'flag' ? 'flag' : item.trap === 'model-practice' ? 'modelPractice' : 'otherOk';
    dev[bucket].items++;
    dev[bucket].findings += al.length;
    if (al.length) dev[bucket].withFinding++;
    for (const f of al) if (devByKind[f.category]) devByKind[f.category][bucket]++;
    devList.push({ item, bucket, al });
  }
}

// ---------------------------------------------------------------------------
// Output

const pct = (x) => (100 * x).toFixed(1).padStart(5) + '%';
const ratio = (a, b) => (b ? pct(a / b) : '     -');
const mark = (text, a, b) => `${text.slice(Math.max(0, a - 60), a).replace(/\n/g, ' ')}[[${text.slice(a, b)}]]${text.slice(b, b + 60).replace(/\n/g, ' ')}`;

const showMiss = opt('--misses');
if (showMiss) for (const m of misses) if (showMiss === true || showMiss === 'all' || showMiss === m.kind) console.log(`MISS ${m.kind} ${m.id}: ${m.phrase}${m.other.length ? `   (found as ${m.other.join(', ')})` : ''}\n     ${m.text.replace(/\n/g, ' / ')}`);
const showFp = opt('--fps');
if (showFp) for (const x of fps) if (showFp === true || showFp === 'all' || showFp === x.kind) console.log(`FP   ${x.kind} ${x.rule} ${x.id}${x.on.length ? ` (on a ${x.on.join('/')} phrase)` : ''}: ${mark(x.text, x.f.start, x.f.end)}`);
const showDev = opt('--dev');
if (showDev) {
  for (const d of devList) {
    const al = d.al.filter((f) => showDev === true || showDev === 'all' || f.category === showDev);
    if (al.length) console.log(`DEV  ${d.item.id} (${d.bucket}) ${d.item.text}\n     ${al.map((f) => `${f.category}:"${f.text}"`).join('  ')}`);
  }
}

const summary = {
  dataDir, periods, entries, ms: Math.round(ms),
  rules: ruleSet.rules.filter((r) => r.kind === 'aligned').length,
  kinds: Object.fromEntries(kinds.map((k) => {
    const s = stat[k];
    return [k, { ...s, recall: s.hit / Math.max(1, s.gold), precision: s.correct / Math.max(1, s.found), loosePrecision: s.loose / Math.max(1, s.found) }];
  })),
  dev, devByKind, timing,
};
const tot = kinds.reduce((a, k) => ({ gold: a.gold + stat[k].gold, hit: a.hit + stat[k].hit, found: a.found + stat[k].found, correct: a.correct + stat[k].correct, loose: a.loose + stat[k].loose }), { gold: 0, hit: 0, found: 0, correct: 0, loose: 0 });
summary.total = { ...tot, recall: tot.hit / Math.max(1, tot.gold), precision: tot.correct / Math.max(1, tot.found) };

if (opt('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const L = [];
  L.push(`aligned kind                truth  recall  found  precision  (loose)   dev: model-practice  other ok  flag`);
  for (const k of kinds) {
    const s = stat[k];
    const d = devByKind[k];
    L.push(`${k.padEnd(27)} ${String(s.gold).padStart(5)}  ${ratio(s.hit, s.gold)}  ${String(s.found).padStart(5)}     ${ratio(s.correct, s.found)}   ${ratio(s.loose, s.found)}   ${String(d.modelPractice).padStart(17)}  ${String(d.otherOk).padStart(8)}  ${String(d.flag).padStart(4)}`);
  }
  L.push(`${'all'.padEnd(27)} ${String(tot.gold).padStart(5)}  ${ratio(tot.hit, tot.gold)}  ${String(tot.found).padStart(5)}     ${ratio(tot.correct, tot.found)}   ${ratio(tot.loose, tot.found)}`);
  L.push('');
  L.push(`dev set (aligned findings)   items  with a finding  findings`);
  for (const [b, label] of [['modelPractice', 'ok, model-practice'], ['otherOk', 'ok, other traps'], ['flag', 'flag (warning sign)']]) {
    const v = dev[b];
    L.push(`${label.padEnd(27)} ${String(v.items).padStart(6)}  ${String(v.withFinding).padStart(14)}  ${String(v.findings).padStart(8)}`);
  }
  L.push('');
  L.push(`${entries} case-file entries (${periods.join(' + ')}) in ${ms.toFixed(0)} ms, ${summary.rules} aligned rules, rule set ${ruleSet.version}`);
  if (timing) L.push(`CPU time on these entries (best of 5): aligned rules off ${timing.alignedOff.toFixed(0)} ms, on ${timing.alignedOn.toFixed(0)} ms (+${(100 * (timing.alignedOn / timing.alignedOff - 1)).toFixed(0)}%)`);
  console.log(L.join('\n'));
}
