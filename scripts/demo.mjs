#!/usr/bin/env node
// `npm run demo`: audits the bundled sample case files (baseline and follow-up) and writes the
// language-change summary, with both audits, into reports/demo/. Run after `npm run build`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'reports', 'demo');
const cli = path.join(root, 'dist', 'cli.js');
const samples = path.join(root, 'samples', 'case-files');
fs.mkdirSync(out, { recursive: true });

const run = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) {
    process.stdout.write(r.stdout ?? '');
    console.error(`demo: casenote-audit ${args[0]} failed (exit ${r.status})`);
    process.exit(r.status ?? 2);
  }
  return r.stdout;
};

console.log('demo: auditing the sample case files (fictional data, nothing leaves this machine)\n');
for (const period of ['baseline', 'followup']) {
  const s = run(['audit', path.join(samples, period, 'txt'), '--out', path.join(out, period), '--format', 'md,html,json,csv', '--label', period, '--by', 'file,author,team,month,entry', '--audit-id', 'casenote-audit-demo']);
  console.log(`${period}: ${s.split('\n')[0]}`);
}
console.log('');
const c = run(['compare', path.join(out, 'baseline', 'audit.json'), path.join(out, 'followup', 'audit.json'), '--out', out]);
process.stdout.write(c.split('\n').filter((l) => !l.startsWith('Reports:')).join('\n'));
const rel = (p) => path.relative(process.cwd(), path.join(out, p)) || '.';
console.log(`Open the comparison: ${rel('compare.html')} (also compare.md, compare.json)`);
console.log(`Audits of each period: ${rel('baseline/audit.html')}, ${rel('followup/audit.html')}`);
