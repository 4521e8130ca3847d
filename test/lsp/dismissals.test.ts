// The dismissals sidecar as a shared file: several windows (several server processes) writing
// at once lose no entry, a file that cannot be read is reported with its path and kept as a
// backup, a lock left by a crashed writer does not block for ever. Tested on the store itself
// (the cheapest layer that has the behaviour); the writers are separate processes because that
// is where the race is (within one process a write is synchronous once the lock is held).

import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Dismissal, DismissalStore } from '../../server/src/lsp/dismissals';

const STORE = path.resolve(__dirname, '..', '..', 'server', 'src', 'lsp', 'dismissals.js');

const dismissal = (fingerprint: string, ruleId = 'failed-to-protect'): Dismissal =>
  ({ ruleId, fingerprint, reason: 'Quoting the court order', date: new Date(0).toISOString() });

/**
 * A writer process: says "ready", waits for "go" on stdin (so all writers start together), then
 * records `count` dismissals one after another and exits.
 */
const WRITER = `
const { DismissalStore } = require(process.argv[1]);
const [sidecar, tag, count] = process.argv.slice(2);
process.stdout.write('ready\\n');
process.stdin.once('data', async () => {
  const store = new DismissalStore();
  for (let i = 0; i < Number(count); i++) {
    await store.add(sidecar, { ruleId: 'r', fingerprint: tag + '-' + i, reason: 'concurrent', date: new Date().toISOString() });
  }
  process.exit(0);
});
`;

function writer(sidecar: string, tag: string, count: number): { ready: Promise<void>; go: () => void; done: Promise<number | null>; stderr: () => string } {
  const p = spawn(process.execPath, ['-e', WRITER, STORE, sidecar, tag, String(count)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const ready = new Promise<void>((resolve) => p.stdout!.once('data', () => resolve()));
  const done = new Promise<number | null>((resolve) => p.once('exit', (code) => resolve(code)));
  return { ready, go: () => p.stdin!.write('go\n'), done, stderr: () => err };
}

describe('dismissals file', function () {
  this.timeout(60000);
  let dir: string;
  let sidecar: string;
  let reports: string[];
  let store: DismissalStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-dismiss-'));
    sidecar = path.join(dir, '.casenote-audit', 'dismissals.json');
    reports = [];
    store = new DismissalStore((m) => reports.push(m));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('four processes writing at once lose no entry', async () => {
    const perWriter = 60;
    const writers = ['a', 'b', 'c', 'd'].map((tag) => writer(sidecar, tag, perWriter));
    await Promise.all(writers.map((w) => w.ready));
    for (const w of writers) w.go();
    const codes = await Promise.all(writers.map((w) => w.done));
    assert.deepEqual(codes, [0, 0, 0, 0], writers.map((w) => w.stderr()).join('\n'));
    const { file, problem } = DismissalStore.read(sidecar);
    assert.equal(problem, undefined);
    const got = new Set(file.dismissals.map((d) => d.fingerprint));
    const missing = ['a', 'b', 'c', 'd'].flatMap((t) => Array.from({ length: perWriter }, (_, i) => `${t}-${i}`)).filter((f) => !got.has(f));
    assert.deepEqual(missing, [], `${missing.length} entries lost`);
    assert.equal(file.dismissals.length, 4 * perWriter);
    const left = fs.readdirSync(path.dirname(sidecar)).filter((f) => f !== 'dismissals.json');
    assert.deepEqual(left, [], 'no lock or temporary file left behind');
  });

  it('a malformed file is reported with its path, used for nothing, and left untouched by reading', () => {
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    fs.writeFileSync(sidecar, '{ "version": 1, "dismissals": [ { "ruleId": "x", ');
    assert.equal(store.keys(sidecar).size, 0);
    assert.equal(reports.length, 1);
    assert.ok(reports[0].includes(sidecar), reports[0]);
    assert.match(reports[0], /not valid JSON/);
    store.invalidate();
    store.keys(sidecar);
    assert.equal(reports.length, 1, 'the same broken file is reported once');
    assert.equal(fs.readFileSync(sidecar, 'utf8'), '{ "version": 1, "dismissals": [ { "ruleId": "x", ');
  });

  it('a dismissal into a malformed file keeps the old file as a backup and says where', async () => {
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    const broken = '{ "version": 1, "dismissals": [ { "ruleId": "x", ';
    fs.writeFileSync(sidecar, broken);
    assert.equal(await store.add(sidecar, dismissal('f1')), 1);
    const backups = fs.readdirSync(path.dirname(sidecar)).filter((f) => f.startsWith('dismissals.json.bak-'));
    assert.equal(backups.length, 1);
    assert.equal(fs.readFileSync(path.join(path.dirname(sidecar), backups[0]), 'utf8'), broken, 'the backup is the old file, byte for byte');
    assert.equal(reports.length, 1);
    assert.ok(reports[0].includes(sidecar) && reports[0].includes(backups[0]), reports[0]);
    assert.deepEqual(DismissalStore.read(sidecar).file.dismissals.map((d) => d.fingerprint), ['f1']);
  });

  it('entries that are not dismissals are reported; the good ones are used and kept', async () => {
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    fs.writeFileSync(sidecar, JSON.stringify({ version: 1, dismissals: [dismissal('good'), { ruleId: 'no-fingerprint' }] }));
    assert.deepEqual([...store.keys(sidecar)], ['failed-to-protect\0good']);
    assert.match(reports[0], /1 entry is not a dismissal/);
    await store.add(sidecar, dismissal('new'));
    assert.deepEqual(DismissalStore.read(sidecar).file.dismissals.map((d) => d.fingerprint), ['good', 'new']);
    assert.equal(fs.readdirSync(path.dirname(sidecar)).filter((f) => f.startsWith('dismissals.json.bak-')).length, 1);
  });

  it('a missing or empty file is simply no dismissals (nothing reported, no backup)', async () => {
    assert.equal(store.keys(sidecar).size, 0);
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    fs.writeFileSync(sidecar, '');
    assert.equal(store.keys(sidecar).size, 0);
    await store.add(sidecar, dismissal('f1'));
    assert.deepEqual(reports, []);
    assert.deepEqual(fs.readdirSync(path.dirname(sidecar)), ['dismissals.json']);
  });

  it('the same rule and fingerprint again replaces the entry (a new reason), not a duplicate', async () => {
    await store.add(sidecar, dismissal('f1'));
    assert.equal(await store.add(sidecar, { ...dismissal('f1'), reason: 'Agreed with the manager' }), 1);
    assert.equal(DismissalStore.read(sidecar).file.dismissals[0].reason, 'Agreed with the manager');
  });

  it('waits for a writer holding the lock, takes over a stale lock, and gives up with a clear message', async () => {
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    const lock = `${sidecar}.lock`;
    fs.writeFileSync(lock, '99999\n');
    const quick = new DismissalStore(() => undefined, { timeoutMs: 100, staleMs: 60000 });
    await assert.rejects(quick.add(sidecar, dismissal('f1')), (e: Error) => e.message.includes(lock));
    assert.equal(fs.existsSync(sidecar), false, 'nothing written without the lock');
    // the holder releases: the waiting writer goes ahead
    const waiting = new DismissalStore().add(sidecar, dismissal('f2'));
    fs.rmSync(lock);
    assert.equal(await waiting, 1);
    // a lock left by a process that died mid-write (old mtime) is taken over
    fs.writeFileSync(lock, '99999\n');
    const old = new Date(Date.now() - 60000);
    fs.utimesSync(lock, old, old);
    assert.equal(await new DismissalStore(() => undefined, { staleMs: 10000 }).add(sidecar, dismissal('f3')), 2);
    assert.equal(fs.existsSync(lock), false);
  });
});
