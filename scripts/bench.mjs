#!/usr/bin/env node
// Benchmarks (not tests): prints a table of the figures the performance targets name, and,
// in the same run, a naive baseline (compromise parsing every sentence, then the same rules),
// so every speed-up is a ratio that holds on a noisy machine. Method: docs/performance.md.
//
//   npm run bench               everything
//   npm run bench -- --quick    fewer repetitions
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const { RuleSet, Analyzer, splitBlocks, splitSentences } = require(path.join(root, 'out/server/src/engine/index.js'));
const { matchPattern } = require(path.join(root, 'out/server/src/engine/pattern.js'));
const { indexRoles, nameTable, detectRoles } = require(path.join(root, 'out/server/src/engine/roles.js'));
const pack = JSON.parse(fs.readFileSync(path.join(root, 'dist/rules.json'), 'utf8'));
const ruleSet = RuleSet.fromPack(pack);

// --- inputs: the shared perf-corpus generator, deterministic by seed, into a temp dir
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-bench-'));
const gen = path.join(root, '..', 'shared', 'tools', 'perf-corpus.mjs');
if (!fs.existsSync(gen)) { console.error(`bench: needs ${gen}`); process.exit(2); }
execFileSync(process.execPath, [gen, '--out', tmp, '--sizes', '1m,10m', '--notes', '200'], { stdio: 'ignore' });
const big = fs.readFileSync(path.join(tmp, 'note-1m.txt'), 'utf8');
const blocks = big.split(/\n\s*\n/);
/** Consecutive paragraphs from `from` until `words` words. */
function noteOf(words, from) {
  const out = [];
  let n = 0;
  for (let i = from; n < words && i < blocks.length; i++) { out.push(blocks[i]); n += blocks[i].split(/\s+/).length; }
  return out.join('\n\n');
}

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };
const rows = [];
const row = (what, value, target, note = '') => rows.push({ what, value, target, note });

// --- warm up the JIT on unrelated text
{ const a = new Analyzer(ruleSet); for (let i = 0; i < 5; i++) a.analyze(noteOf(5000, 4000 + i * 300)); }

// --- first full analysis of a 5,000-word note (fresh analyser, unseen text)
const firsts = [];
for (let i = 0; i < (quick ? 5 : 15); i++) {
  const note = noteOf(5000, i * 250);
  const t0 = process.hrtime.bigint();
  new Analyzer(ruleSet).analyze(note);
  firsts.push(ms(t0));
}
row('first full analysis, 5,000-word note (median)', `${median(firsts).toFixed(1)} ms`, '<= 60 ms');

// --- one-paragraph edit in a 5,000-word note, memoised re-analysis
const note = noteOf(5000, 2000);
const analyzer = new Analyzer(ruleSet);
analyzer.analyze(note);
const paras = note.split('\n\n');
const edits = [];
for (let i = 0; i < (quick ? 50 : 200); i++) {
  const k = (i * 7) % paras.length;
  paras[k] = paras[k] + (i % 2 ? ' Mum failed to protect them.' : ' Home visit.');
  const text = paras.join('\n\n');
  const t0 = process.hrtime.bigint();
  analyzer.analyze(text);
  edits.push(ms(t0));
}
row('one-paragraph edit, 5,000-word note: median', `${median(edits).toFixed(2)} ms`, '<= 10 ms', 'engine time; server adds sync + publish');
row('one-paragraph edit, 5,000-word note: p95', `${p95(edits).toFixed(2)} ms`, '<= 30 ms');

// --- naive baseline: compromise parses every sentence, then the same rules run
const nlp = require('compromise');
const naiveNote = noteOf(5000, 1000);
function naive(text) {
  const roles = detectRoles(text);
  const table = nameTable(roles);
  let hits = 0;
  for (const b of splitBlocks(text)) {
    for (const s of splitSentences(b)) {
      nlp(text.slice(s.start, s.end)).verbs().json(); // the parse a grammar-first linter pays per sentence
      const env = { tokens: s.tokens, roles: indexRoles(s.tokens, table, ruleSet.refs) };
      for (const r of ruleSet.rules) for (const p of r.patterns) hits += matchPattern(p, env).length;
    }
  }
  return hits;
}
naive(noteOf(500, 100));
let t0 = process.hrtime.bigint();
naive(naiveNote);
const naiveMs = ms(t0);
t0 = process.hrtime.bigint();
new Analyzer(ruleSet).analyze(naiveNote);
const oursMs = ms(t0);
row('naive baseline (compromise every sentence), 5,000 words', `${naiveMs.toFixed(0)} ms`, '-', `ours ${oursMs.toFixed(1)} ms: ${(naiveMs / oursMs).toFixed(0)}x faster`);

// --- throughput: the whole 10 MB file through one analyser, and 200 single notes
t0 = process.hrtime.bigint();
const ten = fs.readFileSync(path.join(tmp, 'note-10m.txt'), 'utf8');
new Analyzer(ruleSet).analyze(ten);
const tenMs = ms(t0);
row('engine throughput, 10 MB single text', `${(Buffer.byteLength(ten) / 1e6 / (tenMs / 1000)).toFixed(1)} MB/s`, '>= 5 MB/s (batch)', `${(tenMs / 1000).toFixed(2)} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

// --- start-up: check on one small note, wall time of the whole process
const small = path.join(tmp, 'small.txt');
fs.writeFileSync(small, 'Home visit. Mum failed to protect the children when Dad came round.\n');
const cli = path.join(root, 'dist', 'cli.js');
const walls = [];
for (let i = 0; i < (quick ? 5 : 15); i++) {
  const s = process.hrtime.bigint();
  spawnSync(process.execPath, [cli, 'check', small], { stdio: 'ignore' });
  walls.push(ms(s));
}
row('start-up: check on one small note (wall)', `${median(walls).toFixed(0)} ms`, '<= 200 ms', `node -e 0 is ${(() => { const s = process.hrtime.bigint(); spawnSync(process.execPath, ['-e', '0']); return ms(s).toFixed(0); })()} ms here`);

fs.rmSync(tmp, { recursive: true, force: true });
const w = Math.max(...rows.map((r) => r.what.length));
console.log(`casenote-audit bench: ${ruleSet.rules.length} rules, rule set ${ruleSet.version}, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
console.log(`${'measure'.padEnd(w)}  ${'value'.padStart(12)}  ${'target'.padEnd(18)} note`);
for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value.padStart(12)}  ${r.target.padEnd(18)} ${r.note}`);
