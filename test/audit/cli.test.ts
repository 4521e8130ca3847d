// The audit, compare and merge commands as users run them (the built bin in a child process):
// exit codes, bad input that is reported without stopping the batch, a 50 MB file, streaming.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RawEntry } from '../../server/src/audit/entries';
import { readInput } from '../../server/src/audit/readers';
import { runAuditCli } from '../../server/src/cli/audit';
import { inputFiles } from '../../server/src/cli/batch';
import { COMMAND_HEAP, commandHeap, runIsolated } from '../../server/src/cli/isolated';
import { main } from '../../server/src/cli/main';
import { Output } from '../../server/src/cli/output';
import { ROOT } from '../helpers/rules';
import { CASE_FILES, tempDir } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
/** The module the command's worker thread runs, as compiled beside this test. */
const BATCH_SCRIPT = path.join(__dirname, '..', '..', 'server', 'src', 'cli', 'batch.js');
function run(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CASENOTE_AUDIT_ID: '' }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command in this process (faster; the exit code and output are the same as the bin's). */
async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, ...(['audit', 'compare'].includes(args[0]) && !args.includes('--help') ? ['--no-progress'] : [])], new Output((x) => { stdout += x; }, (x) => { stderr += x; }, false));
  return { code, stdout, stderr };
}

const NOTE = '01/02/2022 10:00 | Home visit | SW Anna Bell (East)\nMum failed to protect the children.\n';
/** A long entry (about 5 KB) for the 50 MB file: ten 500-character lines. */
const LONG_NOTE = `01/02/2022 10:00 | Home visit | SW Anna Bell (East)\n${`${'Lily was at school and Mum was at home when the visit took place. '.repeat(7)}\n`.repeat(10)}`;

describe('cli: audit', () => {
  let dir: string;
  before(() => {
    dir = tempDir('cna-audit-cli-');
    fs.mkdirSync(path.join(dir, 'good'));
    fs.writeFileSync(path.join(dir, 'good', 'a.txt'), NOTE);
    fs.writeFileSync(path.join(dir, 'good', 'b.md'), '## 02/02/2022 11:00: Phone call\n\n**Author:** SW Cara Dunn (West)\n\nThe parents have a volatile relationship.\n');
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'ok.txt'), NOTE);
    fs.writeFileSync(path.join(dir, 'bad', 'scan.txt'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'bad', 'empty.md'), '');
    fs.writeFileSync(path.join(dir, 'bad', 'broken.csv'), 'date,author,text\r\n01/02/2022,SW A,"Good row."\r\n02/02/2022,SW B,bad "quoting" here\r\n03/02/2022,SW C,"Another good row."\r\n');
    fs.writeFileSync(path.join(dir, 'bad', 'corrupt.docx'), 'PK\u0003\u0004 this is not really a zip file');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON report to standard output and exits 0', () => {
    const r = run(['audit', path.join(dir, 'good'), '--format', 'json', '--by', 'file,entry']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.schema, 'casenote-audit/audit');
    assert.equal(j.totals.files, 2);
    assert.equal(j.totals.entries, 2);
    assert.deepEqual(j.groups.entry.map((e: { key: string }) => e.key), ['a-01', 'b-01']);
    assert.deepEqual(j.errors, []);
    assert.equal(r.stderr, '', 'quiet when standard error is not a terminal');
  });

  it('exits 1 with --fail-on when a concern reaches the level', async () => {
    assert.equal((await cli(['audit', path.join(dir, 'good'), '--fail-on', 'warning'])).code, 1);
    assert.equal((await cli(['audit', path.join(dir, 'good'), '--fail-on', 'none'])).code, 0);
  });

  it('reports binary, empty, malformed and corrupt inputs with reasons, audits the rest, and exits 2', () => {
    const out = path.join(dir, 'out-bad');
    // in a child process with two worker threads: the bundled dist/audit-worker.js
    const r = run(['audit', path.join(dir, 'bad'), '--out', out, '--format', 'json,md,html,csv,sarif', '--jobs', '2']);
    assert.equal(r.code, 2);
    for (const f of ['audit.json', 'audit.md', 'audit.html', 'audit.csv', 'audit.sarif']) assert.ok(fs.existsSync(path.join(out, f)), f);
    const j = JSON.parse(fs.readFileSync(path.join(out, 'audit.json'), 'utf8'));
    const errs = j.errors.map((e: { path: string; line?: number; message: string }) => [path.basename(e.path), e.line ?? null, e.message.split(/[ (]/)[0]]);
    assert.deepEqual(errs.sort(), [['broken.csv', 3, 'stray'], ['corrupt.docx', null, 'cannot'], ['empty.md', null, 'empty'], ['scan.txt', null, 'binary']]);
    assert.deepEqual(j.inputs.map((i: { path: string; status: string; entries: number }) => [path.basename(i.path), i.status, i.entries]), [['broken.csv', 'partial', 2], ['ok.txt', 'ok', 1]]);
    assert.equal(j.totals.entries, 3);
    assert.match(r.stderr, /scan\.txt: binary file/);
    assert.match(fs.readFileSync(path.join(out, 'audit.md'), 'utf8'), /## Files that could not be read[\s\S]*broken\.csv \| 3 \| stray double quote/);
    const sarif = JSON.parse(fs.readFileSync(path.join(out, 'audit.sarif'), 'utf8'));
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 4);
  });

  it('refuses a 50 MB file over --max-size with a clear error and audits the others', async () => {
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    const block = Buffer.from(LONG_NOTE.repeat(Math.ceil(1048576 / LONG_NOTE.length)).slice(0, 1048576));
    const fd = fs.openSync(path.join(big, 'huge.txt'), 'w');
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(big, 'small.txt'), NOTE);
    const r = await cli(['audit', big, '--max-size', '10', '--format', 'json']);
    assert.equal(r.code, 2);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.errors.map((e: { path: string; message: string }) => [path.basename(e.path), e.message]), [['huge.txt', 'file is 50.0 MB, over the 10 MB limit (raise it with --max-size)']]);
    assert.equal(j.totals.entries, 1);
  });

  it('streams a 50 MB file: memory stays flat while every entry is read', async function () {
    this.timeout(60000);
    const file = path.join(dir, 'big', 'huge.txt');
    let entries = 0;
    let chars = 0;
    const before = process.memoryUsage().rss;
    let peak = before;
    await readInput(file, { dateOrder: 'dmy', columns: {} }, {
      entry: async (e: RawEntry) => {
        entries++;
        chars += e.text.length;
        if (entries % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      },
      rowError: () => assert.fail('no row errors expected'),
    });
    assert.ok(entries > 10_000, `${entries} entries`);
    assert.ok(chars > 45_000_000, `${chars} characters`);
    assert.ok(peak - before < 150 * 1048576, `RSS grew by ${((peak - before) / 1048576).toFixed(0)} MB while reading 50 MB`);
  });

  it('rejects bad usage with exit 2 and a message', async () => {
    for (const args of [['audit'], ['audit', 'x', '--bogus'], ['audit', 'x', '--format', 'md,html'], ['audit', 'x', '--format', 'pdf'], ['audit', 'x', '--by', 'colour'], ['audit', 'x', '--jobs', '0'], ['audit', 'x', '--audit-id', 'short'], ['compare', 'one'], ['merge']]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /casenote-audit: /, args.join(' '));
    }
  });
});

describe('cli: compare and merge', () => {
  let dir: string;
  before(() => { dir = tempDir('cna-compare-cli-'); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('compares two folders, writing both audits and the summary', async () => {
    const out = path.join(dir, 'cmp');
    const r = await cli(['compare', path.join(CASE_FILES, 'chronology.txt'), path.join(CASE_FILES, 'chronology.md'), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['baseline.json', 'followup.json', 'compare.md', 'compare.html', 'compare.json']) assert.ok(fs.existsSync(path.join(out, f)), f);
    const c = JSON.parse(fs.readFileSync(path.join(out, 'compare.json'), 'utf8'));
    assert.equal(c.schema, 'casenote-audit/compare');
    assert.equal(c.baseline.entries, 4);
    assert.equal(c.followup.entries, 4);
    assert.ok(c.concerns.every((x: { verdict: string }) => ['improved', 'no clear change', 'worse', 'not observed'].includes(x.verdict)));
    assert.match(r.stdout, /Reports: /);
  });

  it('splits one export by date with --baseline-before', async () => {
    const r = await cli(['compare', CASE_FILES, '--baseline-before', '2023-01-01', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const c = JSON.parse(r.stdout);
    assert.deepEqual([c.baseline.entries, c.followup.entries], [8, 8]);
    assert.equal((await cli(['compare', CASE_FILES, '--baseline-before', '1/1/2023'])).code, 2);
  });

  it('merges shard audits made with one --audit-id, and refuses others', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    const c = path.join(dir, 'c.json');
    fs.writeFileSync(a, (await cli(['audit', path.join(CASE_FILES, 'chronology.txt'), '--format', 'json', '--audit-id', 'shard-secret-1'])).stdout);
    fs.writeFileSync(b, (await cli(['audit', path.join(CASE_FILES, 'chronology.md'), '--format', 'json', '--audit-id', 'shard-secret-1'])).stdout);
    fs.writeFileSync(c, (await cli(['audit', path.join(CASE_FILES, 'notes.csv'), '--format', 'json'])).stdout);
    const m = run(['merge', a, b]);
    assert.equal(m.code, 0, m.stderr);
    const j = JSON.parse(m.stdout);
    assert.equal(j.totals.entries, 8);
    assert.deepEqual(j.groups.author.map((x: { label: string; entries: number }) => [x.label, x.entries]), [['Author 1', 6], ['Author 2', 2]]);
    const bad = await cli(['merge', a, c]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--audit-id/);
    fs.writeFileSync(path.join(dir, 'not.json'), '{"hello": 1}');
    const nj = await cli(['merge', a, path.join(dir, 'not.json')]);
    assert.equal(nj.code, 2);
    assert.match(nj.stderr, /not a casenote-audit audit report/);
  });
});

describe('cli: audit and compare in a thread of their own', () => {
  // isolated.ts: the bin runs them in a worker thread with a capped heap. Reports carry their
  // time of making, so every run here is made at one fixed time.
  let epoch: string | undefined;
  before(() => { epoch = process.env.SOURCE_DATE_EPOCH; process.env.SOURCE_DATE_EPOCH = '1700000000'; });
  after(() => { if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH; else process.env.SOURCE_DATE_EPOCH = epoch; });
  it('give the bin the same reports, output and exit codes as a run in this thread', async function () {
    this.timeout(60000);
    {
      for (const [cmd, extra] of [['audit', ['--fail-on', 'warning']], ['compare', ['--baseline-before', '2023-01-01']]] as const) {
        const args = [cmd, CASE_FILES, '--format', 'json', '--audit-id', 'thread-test-salt', ...extra];
        const bin = run(args);
        const here = await cli(args);
        assert.equal(bin.code, here.code, cmd);
        assert.deepEqual(JSON.parse(bin.stdout), JSON.parse(here.stdout), cmd);
      }
    }
  });

  it('run the command again in this thread, and say so, when its own thread runs out of heap', async function () {
    this.timeout(60000);
    let stdout = '';
    let stderr = '';
    const out = new Output((x) => { stdout += x; }, (x) => { stderr += x; }, false);
    // a heap far too small for the rule pack: the command's thread dies of it at once
    const code = await runIsolated('audit', [CASE_FILES, '--format', 'json', '--no-progress', '--audit-id', 'thread-test-salt'], out, runAuditCli, BATCH_SCRIPT, { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 });
    assert.equal(code, 0);
    assert.match(stderr, /the audit needed more than 2 MB for its tables; it runs again without that bound/);
    const here = await cli(['audit', CASE_FILES, '--format', 'json', '--audit-id', 'thread-test-salt']);
    assert.deepEqual(JSON.parse(stdout), JSON.parse(here.stdout));
  });
});

describe('cli: the command thread\'s heap', () => {
  it('is capped, the more the more files there are, except for a table by entry, which grows with the input by design', () => {
    assert.deepEqual(commandHeap(['dir', '--by', 'file,author'], 10000), COMMAND_HEAP);
    assert.deepEqual(commandHeap(['dir'], 0), COMMAND_HEAP);
    // 100,000 files: room for 6 kB each, more than twice the 2.8 kB measured with every table
    const big = commandHeap(['dir'], 100000).maxOldGenerationSizeMb!;
    assert.ok(big >= (100000 * 2 * 2.8) / 1024 && big < 1024, String(big));
    assert.equal(commandHeap(['dir'], 100000).maxYoungGenerationSizeMb, COMMAND_HEAP.maxYoungGenerationSizeMb);
    for (const argv of [['dir', '--by', 'file,entry'], ['dir', '--by=entry'], ['dir', '--by', 'month', '--by', ' entry']]) {
      assert.equal(commandHeap(argv, 10).maxOldGenerationSizeMb, undefined, argv.join(' '));
      assert.equal(commandHeap(argv, 10).maxYoungGenerationSizeMb, COMMAND_HEAP.maxYoungGenerationSizeMb);
    }
  });
  it('is sized from the files the command will read, as the command itself finds them', () => {
    assert.equal(inputFiles('audit', [CASE_FILES, '--format', 'json', '--by', 'file']), fs.readdirSync(CASE_FILES).filter((f) => /\.(txt|md|csv|docx|html?)$/.test(f)).length);
    assert.equal(inputFiles('compare', [CASE_FILES, '--baseline-before', '2023-01-01']), inputFiles('audit', [CASE_FILES]));
    assert.equal(inputFiles('audit', ['--no-such-option']), 0);
  });
});
