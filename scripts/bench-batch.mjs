#!/usr/bin/env node
// Start-up and batch-audit benchmarks of the built bundle (issue 6 targets): `check` wall time on
// one small note, language server spawn-to-first-diagnostics, `audit` throughput with one and
// two workers, peak RSS, and time against corpus size (1x, 4x, 16x). Every figure is a median of
// separate processes; the machine is shared, so compare runs made in the same conditions.
//
//   node scripts/bench-batch.mjs [--json] [--dist DIR] [--cases N] [--scale-cases N]
//        [--reps N] [--batch-reps N] [--corpus DIR] [--only startup,server,batch,scale]
//
//   --dist DIR         the bundle to measure (default dist/); point it at a copy of an older
//                      build to compare before/after in the same conditions
//   --cases N          cases in the throughput corpus (default 2000, ~16 MB; the issue's
//                      figure is 10000, ~79 MB)
//   --scale-cases N    cases at 1x of the scaling runs (default 150; 16x = 2400)
//   --reps N           processes per start-up figure (default 7)
//   --batch-reps N     processes per batch figure (default 1; the one- and two-worker runs
//                      alternate, so each pair ran in the same conditions)
//   --corpus DIR       where the generated case files are kept between runs
//                      (default: $TMPDIR/casenote-bench-case-files)
//   --json             print rows {what, value, target, note} as JSON (for scripts/bench.mjs)
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { options, require, root, shared } from './lib/script-env.mjs';

const opt = options();
const num = (name, def) => { const v = opt(name); return v === undefined || v === true ? def : Number(v); };
const dist = path.resolve(typeof opt('--dist') === 'string' ? opt('--dist') : path.join(root, 'dist'));
const cases = num('--cases', 2000);
const scaleCases = num('--scale-cases', 150);
const reps = num('--reps', 7);
const batchReps = num('--batch-reps', 1);
// keyed on its size, so two benches of different sizes at once never regenerate (and delete
// subsets from) each other's corpus: that made a bench run fail once
const corpus = path.resolve(typeof opt('--corpus') === 'string' ? opt('--corpus')
  : path.join(os.tmpdir(), `casenote-bench-case-files-${Math.max(cases, 16 * scaleCases)}`));
const only = typeof opt('--only') === 'string' ? new Set(opt('--only').split(',')) : undefined;
const wants = (part) => !only || only.has(part);
const json = opt('--json') === true;

const cli = path.join(dist, 'cli.js');
const server = path.join(dist, 'server.js');
const preload = path.join(root, 'scripts', 'lib', 'maxrss-preload.cjs');
const note = path.join(root, 'samples', 'notes', 'home-visit.txt');
for (const f of [cli, server, note]) if (!fs.existsSync(f)) { console.error(`bench-batch: missing ${f} (run npm run build)`); process.exit(2); }

const MiB = 1024 * 1024;
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const log = (s) => process.stderr.write(`bench-batch: ${s}\n`);
const rows = [];
const row = (what, value, target, note = '') => rows.push({ what, value, target, note });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-bench-batch-'));

/** Runs node with the max-RSS preload; returns wall ms, peak RSS in MiB, and CPU ms of the process and of its main thread. */
function measure(args) {
  const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', preload, ...args], {
    env: { ...process.env, CASENOTE_BENCH_MAXRSS: rssFile, SOURCE_DATE_EPOCH: '1700000000' }, encoding: 'utf8', maxBuffer: 64 * MiB,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const m = JSON.parse(fs.readFileSync(rssFile, 'utf8'));
  return { ms, rss: m.maxRssKb / 1024, cpuMs: m.cpuMs, mainCpuMs: m.mainCpuMs };
}

// --- check start-up
if (wants('startup')) {
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(measure([cli, 'check', note, '--fail-on', 'none', '--format', 'json']));
  row('check one small note (wall, median)', `${median(runs.map((r) => r.ms)).toFixed(0)} ms`, '<= 200 ms', `${reps} processes; peak RSS ${median(runs.map((r) => r.rss)).toFixed(0)} MiB`);
  const bare = [];
  for (let i = 0; i < reps; i++) bare.push(measure(['-e', '0']).ms);
  row('node -e 0 (wall, median)', `${median(bare).toFixed(0)} ms`, '-', 'the floor: a Node process that does nothing');
}

// --- language server: spawn to the first published diagnostics of a small note
async function serverReady() {
  const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');
  const t0 = process.hrtime.bigint();
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const uri = pathToFileURL(note).toString();
  const first = new Promise((resolve) => conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === uri) resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, count: p.diagnostics.length });
  }));
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.listen();
  const folder = pathToFileURL(path.dirname(note)).toString();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'notes' }],
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await conn.sendNotification('initialized', {});
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'casenote', version: 1, text: fs.readFileSync(note, 'utf8') } });
  const r = await first;
  proc.kill();
  conn.dispose();
  await new Promise((res) => (proc.exitCode !== null ? res() : proc.once('exit', res)));
  return r;
}
if (wants('server')) {
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await serverReady());
  row('server: spawn to first diagnostics (median)', `${median(runs.map((r) => r.ms)).toFixed(0)} ms`, '<= 500 ms', `${reps} processes, ${runs[0].count} diagnostics`);
}

// --- batch corpus: generated once (deterministic by seed), subsets hard-linked
function corpusOf(n) {
  const full = path.join(corpus, 'baseline', 'txt');
  const manifest = path.join(corpus, 'manifest.json');
  const have = fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).cases_per_period ?? 0 : 0;
  if (have < n) {
    const want = Math.max(n, cases, wants('scale') ? 16 * scaleCases : 0);
    log(`generating ${want} cases into ${corpus}`);
    const gen = path.join(shared, 'tools', 'case-files', 'gen-case-files.mjs');
    const r = spawnSync(process.execPath, [gen, '--out', corpus, '--cases', String(want), '--period', 'baseline', '--formats', 'txt'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error('the case-file generator failed');
    for (const d of fs.readdirSync(corpus)) if (d.startsWith('subset-')) fs.rmSync(path.join(corpus, d), { recursive: true });
  }
  const files = fs.readdirSync(full).filter((f) => f.endsWith('.txt')).sort();
  if (n >= files.length) return { dir: full, bytes: files.reduce((s, f) => s + fs.statSync(path.join(full, f)).size, 0) };
  const dir = path.join(corpus, `subset-${n}`);
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir + '.tmp', { recursive: true });
    for (const f of files.slice(0, n)) fs.linkSync(path.join(full, f), path.join(dir + '.tmp', f));
    fs.renameSync(dir + '.tmp', dir);
  }
  return { dir, bytes: files.slice(0, n).reduce((s, f) => s + fs.statSync(path.join(full, f)).size, 0) };
}

/** One audit process; its output is deleted. */
function auditOnce(c, jobs, i) {
  const out = path.join(tmp, `audit-${jobs}-${i}`);
  const r = measure([cli, 'audit', c.dir, '--jobs', String(jobs), '--format', 'json', '--out', out, '--no-progress', '--audit-id', 'bench-batch-salt']);
  fs.rmSync(out, { recursive: true, force: true });
  return r;
}

/** Medians over runs of one configuration: wall, CPU, main-thread CPU; the largest peak RSS. */
function summary(c, runs) {
  const ms = median(runs.map((r) => r.ms));
  const cpuMs = median(runs.map((r) => r.cpuMs));
  const mainCpuMs = runs[0].mainCpuMs === null ? null : median(runs.map((r) => r.mainCpuMs));
  const mbs = (r) => c.bytes / 1e6 / (r.ms / 1000);
  return {
    ms, mbs: c.bytes / 1e6 / (ms / 1000), mbsRange: [Math.min(...runs.map(mbs)), Math.max(...runs.map(mbs))], rss: Math.max(...runs.map((r) => r.rss)),
    cpuMs, mbsCpu: c.bytes / MiB / (cpuMs / 1000), mainCpuMs, runs: runs.length,
  };
}

function audit(c, jobs) {
  const runs = [];
  for (let i = 0; i < batchReps; i++) runs.push(auditOnce(c, jobs, i));
  return summary(c, runs);
}

// On a shared machine wall-clock MiB/s says as much about the other jobs as about the audit, so
// every batch row also gives CPU figures: MiB per CPU-second of the whole process (equal for 1
// and 2 workers when running two costs no extra work), and the main thread's CPU. The main
// thread only relays the terminal since the command runs in a thread of its own
// (server/src/cli/isolated.ts); reading and aggregating are in the process's figure.
const cpuNote = (r) => `CPU ${(r.cpuMs / 1000).toFixed(1)} s (${r.mbsCpu.toFixed(2)} MiB per CPU-s)` +
  (r.mainCpuMs === null ? '' : `; main thread (the terminal relay) ${(r.mainCpuMs / 1000).toFixed(1)} s CPU`);

// MB/s and MB are the units: 10^6 bytes (the corpus size is also given in MiB)
const mb = (mib) => (mib * MiB) / 1e6;
if (wants('batch')) {
  const c = corpusOf(cases);
  const size = `${cases} cases, ${(c.bytes / 1e6).toFixed(1)} MB (${(c.bytes / MiB).toFixed(1)} MiB)`;
  log(`audit ${size} with 1 and 2 workers, ${batchReps} time${batchReps > 1 ? 's' : ''} each, alternated`);
  const runs1 = [];
  const runs2 = [];
  for (let i = 0; i < batchReps; i++) { runs1.push(auditOnce(c, 1, i)); runs2.push(auditOnce(c, 2, i)); }
  const one = summary(c, runs1);
  const two = summary(c, runs2);
  const range = (r) => (r.runs > 1 ? `median of ${r.runs} (${r.mbsRange[0].toFixed(2)}-${r.mbsRange[1].toFixed(2)}); ` : '');
  row('audit, 1 worker (MB/s)', one.mbs.toFixed(2), '>= 5', `${range(one)}${size}; ${(one.ms / 1000).toFixed(1)} s; ${cpuNote(one)}`);
  const pairs = runs1.map((r, i) => r.ms / runs2[i].ms);
  row('audit, 2 workers (MB/s)', two.mbs.toFixed(2), `>= ${(1.7 * one.mbs).toFixed(2)} (1.7x)`, `${range(two)}${(two.mbs / one.mbs).toFixed(2)}x of 1 worker (run by run: ${pairs.map((x) => x.toFixed(2)).join(', ')}); ${(two.ms / 1000).toFixed(1)} s; ${cpuNote(two)}`);
  row('audit, 2 vs 1 worker on CPU time', `${(one.cpuMs / two.cpuMs).toFixed(2)}`, '~1', 'CPU of 1 worker / CPU of 2: below 1 means two workers cost extra work; the wall-time speed-up on free cores is at most 2x this');
  row('audit peak RSS, 1 worker', `${mb(one.rss).toFixed(0)} MB`, '<= 300 MB', `${(one.rss).toFixed(0)} MiB; the largest of ${one.runs}`);
  row('audit peak RSS, 2 workers', `${mb(two.rss).toFixed(0)} MB`, '<= 300 MB', `${(two.rss).toFixed(0)} MiB; the largest of ${two.runs}`);
}

if (wants('scale')) {
  for (const jobs of [1, 2]) {
    const base = [];
    for (const k of [1, 4, 16]) {
      const c = corpusOf(k * scaleCases);
      log(`audit ${k}x (${k * scaleCases} cases) with ${jobs} worker${jobs > 1 ? 's' : ''}`);
      const r = audit(c, jobs);
      base.push({ k, ...r, bytes: c.bytes });
    }
    const perMiB = base.map((b) => b.cpuMs / (b.bytes / MiB));
    for (const [i, b] of base.entries()) {
      row(`audit ${b.k}x (${b.k * scaleCases} cases, ${jobs} worker${jobs > 1 ? 's' : ''})`, `${(b.ms / 1000).toFixed(2)} s`, 'linear',
        `${(b.bytes / MiB).toFixed(1)} MiB; CPU ${(b.cpuMs / 1000).toFixed(1)} s, ${perMiB[i].toFixed(0)} CPU-ms/MiB (${(perMiB[i] / perMiB[0]).toFixed(2)}x of 1x); peak RSS ${mb(b.rss).toFixed(0)} MB (<= 300)`);
    }
  }
}

fs.rmSync(tmp, { recursive: true, force: true });
if (json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const w = Math.max(...rows.map((r) => r.what.length));
  console.log(`${'measure'.padEnd(w)}  ${'value'.padStart(10)}  ${'target'.padEnd(16)} note`);
  for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value.padStart(10)}  ${r.target.padEnd(16)} ${r.note}`);
}
