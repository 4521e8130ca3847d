#!/usr/bin/env node
// Quality evaluation on the labelled development set (../shared/corpus/dev.jsonl).
// An item counts as flagged when the engine reports at least one concern finding in the
// writer's own voice (findings downgraded for quoted or attributed speech do not count).
//
//   npm run eval                      summary tables
//   npm run eval -- --misses CAT      list missed flag items of a category (or "all")
//   npm run eval -- --fps [TRAP]      list false positives (optionally of one trap type)
//   npm run eval -- --json            machine-readable figures
//   npm run eval -- --data FILE       another JSONL file in the same format
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDevEngine, options, root } from './lib/script-env.mjs';

const opt = options();
const dataPath = opt('--data') ?? path.join(root, '..', 'shared', 'corpus', 'dev.jsonl');
if (!fs.existsSync(dataPath)) {
  console.log(`eval: no development set at ${dataPath}; nothing to evaluate`);
  process.exit(0);
}
const { engine: { Analyzer, CATEGORIES }, ruleSet } = await loadDevEngine(opt);
const items = fs.readFileSync(dataPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const analyzer = new Analyzer(ruleSet, { explain: true });
const t0 = process.hrtime.bigint();
const results = items.map((item) => {
  const r = analyzer.analyze(item.text);
  const concerns = r.findings.filter((f) => f.kind === 'concern' && !f.downgraded);
  return { item, concerns, all: r.findings, suppressed: r.suppressed };
});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;

let tp = 0, fp = 0, fn = 0, tn = 0;
const cat = Object.fromEntries(CATEGORIES.map((c) => [c, { gold: 0, hit: 0, predicted: 0, correct: 0 }]));
const traps = {};
let spans = 0, spansHit = 0;
for (const { item, concerns } of results) {
  const flagged = concerns.length > 0;
  if (item.label === 'flag') {
    if (flagged) tp++; else fn++;
    for (const c of item.categories) {
      cat[c].gold++;
      if (concerns.some((f) => f.category === c)) cat[c].hit++;
    }
    for (const s of item.spans) {
      spans++;
      const at = item.text.indexOf(s);
      if (concerns.some((f) => f.start < at + s.length && at < f.end)) spansHit++;
    }
  } else {
    if (flagged) fp++; else tn++;
    const t = (traps[item.trap] ??= { n: 0, fp: 0 });
    t.n++;
    if (flagged) t.fp++;
  }
  for (const c of new Set(concerns.map((f) => f.category))) {
    if (!cat[c]) continue;
    cat[c].predicted++;
    if (item.label === 'flag' && item.categories.includes(c)) cat[c].correct++;
  }
}
const precision = tp / Math.max(1, tp + fp);
const recall = tp / Math.max(1, tp + fn);
const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
const pct = (x) => (100 * x).toFixed(1).padStart(5) + '%';

const show = opt('--misses');
const showFp = opt('--fps');
if (show) {
  for (const { item, concerns, suppressed } of results) {
    if (item.label !== 'flag') continue;
    const miss = show === true || show === 'all' ? concerns.length === 0 : item.categories.includes(show) && !concerns.some((f) => f.category === show);
    if (!miss) continue;
    console.log(`MISS ${item.id} [${item.categories.join(', ')}] ${item.text}\n     spans: ${JSON.stringify(item.spans)}${concerns.length ? `\n     found: ${concerns.map((f) => `${f.category}:"${f.text}"`).join(' ')}` : ''}${suppressed.length ? `\n     suppressed: ${suppressed.map((s) => `${s.ruleId}:"${s.text}":${s.reason}`).join(' ')}` : ''}`);
  }
}
if (showFp) {
  for (const { item, concerns } of results) {
    if (concerns.length === 0) continue;
    const wrongCat = item.label === 'flag' ? concerns.filter((f) => !item.categories.includes(f.category)) : concerns;
    if (item.label === 'ok' && (showFp === true || showFp === item.trap)) console.log(`FP   ${item.id} (${item.trap}) ${item.text}\n     found: ${concerns.map((f) => `${f.ruleId}:"${f.text}"`).join(' ')}`);
    else if (item.label === 'flag' && showFp === 'category' && wrongCat.length) console.log(`XCAT ${item.id} [${item.categories.join(', ')}] ${item.text}\n     found: ${wrongCat.map((f) => `${f.ruleId}:"${f.text}"`).join(' ')}`);
  }
}

const summary = {
  items: items.length, rules: ruleSet.rules.length, ruleset: ruleSet.version, ms: Math.round(ms),
  precision, recall, f1, tp, fp, fn, tn, spanRecall: spansHit / Math.max(1, spans),
  categories: Object.fromEntries(Object.entries(cat).map(([c, v]) => [c, { ...v, recall: v.hit / Math.max(1, v.gold), precision: v.correct / Math.max(1, v.predicted) }])),
  traps: Object.fromEntries(Object.entries(traps).map(([t, v]) => [t, { ...v, fpRate: v.fp / Math.max(1, v.n) }])),
};
if (opt('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  const lines = [];
  lines.push(`category                         gold  recall  precision`);
  for (const [c, v] of Object.entries(summary.categories)) lines.push(`${c.padEnd(31)} ${String(v.gold).padStart(5)}  ${pct(v.recall)}  ${v.predicted ? pct(v.precision) : '     -'}`);
  lines.push('');
  lines.push(`trap                 items  FP rate`);
  for (const [t, v] of Object.entries(summary.traps).sort()) lines.push(`${t.padEnd(20)} ${String(v.n).padStart(5)}  ${pct(v.fpRate)}`);
  lines.push('');
  lines.push(`overall: precision ${pct(precision)}  recall ${pct(recall)}  F1 ${pct(f1)}  span recall ${pct(summary.spanRecall)}  (tp ${tp} fp ${fp} fn ${fn} tn ${tn})`);
  lines.push(`${items.length} items, ${ruleSet.rules.length} rules, rule set ${ruleSet.version}, ${ms.toFixed(0)} ms`);
  console.log(lines.join('\n'));
}
