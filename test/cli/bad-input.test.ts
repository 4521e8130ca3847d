// Hostile and messy input for `check` and `audit`, run as users run them (the built bin in a
// child process): odd encodings, a 50 MB single-line file, symbolic-link loops, files the user
// cannot read, corrupt .docx, malformed CSV, broken rule files. Each gives an error with the path
// and the reason, the rest of the run completes, and the exit code is the one docs/cli.md and
// docs/audit.md promise. Binary files, the 50 MB streamed audit and a CSV stray quote are in
// test/cli/check.test.ts and test/audit/cli.test.ts.
import * as assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { writeJson } from '../../server/src/cli/output';
import { ROOT } from '../helpers/rules';

const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Run { code: number | null; stdout: string; stderr: string; json: any }
function run(args: string[], opts: SpawnSyncOptions = {}, nodeArgs: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', maxBuffer: 256 * 1048576, ...opts, env: { ...process.env, NO_COLOR: '1', CASENOTE_AUDIT_ID: '', ...opts.env } });
  const stdout = String(r.stdout ?? '');
  let json;
  try { json = JSON.parse(stdout); } catch { /* text output */ }
  return { code: r.status, stdout, stderr: String(r.stderr ?? ''), json };
}
/** check and audit with JSON output: the errors as [file name, first word of the reason]. */
const errorsOf = (j: { errors: Array<{ path: string; message: string }> }) => j.errors.map((e) => [path.basename(e.path), e.message]).sort();

const NOTE = 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\n\n01/02/2022 10:00 | Home visit | SW Anna Bell (East)\nMum failed to protect the children.\n';
const MUM = NOTE.indexOf('Mum');

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(d, 0o755); // world-readable, for the run as an unprivileged user below
  return d;
}

describe('cli: bad input (check and audit)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => { dir = tmp('cna-bad-'); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('encodings are decoded, offsets are in the decoded text', () => {
    const utf16 = (s: string, be: boolean) => { const b = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]); if (be) b.swap16(); return b; };
    const cases: Array<[string, Buffer, string | undefined]> = [
      ['utf8-bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NOTE)]), undefined],
      ['utf16le.txt', utf16(NOTE, false), 'utf-16le'],
      ['utf16be.txt', utf16(NOTE, true), 'utf-16be'],
      // Windows-1252: 0x92 is a curly apostrophe, and the bytes are not valid UTF-8
      ['cp1252.txt', Buffer.from(NOTE.replace('Home visit', 'Caf\xe9 visit \x93planned\x94'), 'latin1'), 'windows-1252'],
    ];
    for (const [name, bytes, encoding] of cases) {
      it(`${name}: check finds the concern at the decoded offset; audit reads the entry`, () => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, bytes);
        const c = run(['check', f, '--format', 'json']);
        assert.equal(c.code, 1, c.stderr);
        assert.equal(c.json.files[0].encoding, encoding);
        const text = name === 'cp1252.txt' ? NOTE.replace('Home visit', 'Café visit “planned”') : NOTE;
        const fin = c.json.files[0].findings.find((x: { ruleId: string }) => x.ruleId === 'failed-to-protect');
        assert.ok(fin, 'the concern is found');
        assert.equal(text.slice(fin.start, fin.end), fin.text);
        assert.ok(fin.start >= MUM);
        if (encoding === 'windows-1252') assert.match(run(['check', f]).stderr, /cp1252\.txt: not valid UTF-8; decoded as Windows-1252/);
        const a = run(['audit', f, '--format', 'json']);
        assert.equal(a.code, 0, a.stderr);
        assert.deepEqual(a.json.inputs.map((i: { status: string; entries: number; encoding?: string }) => [i.status, i.entries, i.encoding]), [['ok', 1, encoding]]);
        assert.equal(a.json.categories['failure-to-protect'].count, 1);
      });
    }
  });

  it('check analyses a 50 MB single-line file in bounded memory, and refuses it over --max-size', function () {
    this.timeout(180000);
    // real case-note wording with every line break taken out, as a broken export might give it
    const samples = path.join(ROOT, 'samples', 'case-files', 'baseline', 'txt');
    const line = fs.readdirSync(samples).map((f) => fs.readFileSync(path.join(samples, f), 'utf8')).join(' ').replace(/\s+/g, ' ');
    const big = path.join(dir, 'one-line.txt');
    const fd = fs.openSync(big, 'w');
    let written = 0;
    const unit = Buffer.from(line);
    while (written < 50 * 1048576) written += fs.writeSync(fd, unit, 0, Math.min(unit.length, 50 * 1048576 - written));
    fs.closeSync(fd);
    const out = path.join(dir, 'one-line.json');
    const ofd = fs.openSync(out, 'w');
    try {
      // the V8 heap is capped: running out of it would crash the child (exit 134), not pass
      const r = run(['check', big, '--format', 'json'], { stdio: ['ignore', ofd, 'pipe'] }, ['--max-old-space-size=1024']);
      assert.equal(r.code, 1, r.stderr);
    } finally {
      fs.closeSync(ofd);
    }
    const j = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out);
    assert.deepEqual(j.errors, []);
    const findings = j.files[0].findings as Array<{ start: number; end: number; line: number }>;
    assert.ok(findings.length > 1000, `${findings.length} findings`);
    assert.ok(findings.every((f) => f.line === 1 && f.start < f.end && f.end <= 50 * 1048576));
    assert.ok(findings[findings.length - 1].start > 49 * 1048576, 'the end of the file was analysed too');
    const refused = run(['check', big, '--max-size', '10', '--format', 'json']);
    assert.equal(refused.code, 2);
    assert.deepEqual(errorsOf(refused.json), [['one-line.txt', 'file is 50.0 MB, over the 10 MB limit (raise it with --max-size)']]);
    fs.rmSync(big);
  });

  it('file names and note text cannot send escape sequences to the terminal; JSON keeps them exactly', () => {
    const d = path.join(dir, 'escapes');
    fs.mkdirSync(d);
    // OSC 52 would set the clipboard; ESC [2J clears the screen; a lone CR rewrites the line
    const name = 'visit\u001b]52;c;ZXZpbA==\u0007\r.txt';
    fs.writeFileSync(path.join(d, name), 'Mum failed to protect the children.\u001b[2J\u009b Dad said "it was \u001b]0;x\u0007 mutual".\n');
    fs.writeFileSync(path.join(d, 'bad\u001b[8m.csv'), 'when,who\n1,2\n');
    // check reads the .csv as text (a finding, exit 1); audit cannot find its text column (an error, exit 2)
    for (const [args, code] of [[['check', d, '--explain', '--ext', 'csv'], 1], [['audit', d], 2]] as const) {
      const r = run([...args]);
      assert.equal(r.code, code, r.stderr);
      const all = r.stdout + r.stderr;
      assert.doesNotMatch(all, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\r(?!\n)/, `${args[0]}: a raw control character reached the terminal`);
      const shown = args[0] === 'check' ? 'visit\\u001b]52;c;ZXZpbA==\\u0007\\u000d.txt' : 'bad\\u001b[8m.csv';
      assert.ok(all.includes(shown), `${args[0]}: the name is shown, escaped`);
    }
    const j = run(['check', d, '--format', 'json']).json;
    assert.deepEqual(j.files.map((f: { path: string }) => path.basename(f.path)), [name]);
  });

  it('reports symbolic-link loops in a folder, checks and audits the rest, and exits 2', () => {
    const d = path.join(dir, 'links');
    fs.mkdirSync(path.join(d, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(d, 'sub', 'note.txt'), NOTE);
    fs.symlinkSync('..', path.join(d, 'sub', 'up'));
    fs.symlinkSync('self', path.join(d, 'self'));
    const expected = [['self', 'too many symbolic links (a link loop?)'], ['up', 'folder already visited (symbolic link loop); skipped']];
    const c = run(['check', d, '--format', 'json']);
    assert.equal(c.code, 2);
    assert.deepEqual(errorsOf(c.json), expected);
    assert.deepEqual(c.json.files.map((f: { path: string }) => path.relative(d, f.path)), [path.join('sub', 'note.txt')]);
    const a = run(['audit', d, '--format', 'json']);
    assert.equal(a.code, 2);
    assert.deepEqual(errorsOf(a.json), expected);
    assert.equal(a.json.totals.entries, 1);
  });

  it('refuses pipes and devices named explicitly instead of blocking or reading for ever, and caps standard input', () => {
    const fifo = path.join(dir, 'fifo.txt');
    spawnSync('mkfifo', [fifo]);
    const good = path.join(dir, 'good.txt');
    fs.writeFileSync(good, NOTE);
    const NOT_REGULAR = 'not a regular file (a pipe, device or socket); not a text export';
    for (const cmd of ['check', 'audit']) {
      // nothing ever writes to the FIFO: a read would wait until the timeout kills the child
      const r = run([cmd, fifo, '/dev/zero', good, '--format', 'json'], { timeout: 30000 });
      assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
      assert.deepEqual(errorsOf(r.json), [['fifo.txt', NOT_REGULAR], ['zero', NOT_REGULAR]]);
    }
    const big = run(['check', '--stdin', '--max-size', '1', '--format', 'json'], { input: 'Mum failed to protect them. '.repeat(40000) });
    assert.equal(big.code, 2);
    assert.deepEqual(errorsOf(big.json), [['<stdin>', 'more than 1 MB on standard input, over the limit (raise it with --max-size)']]);
  });

  it('reports files and folders the user cannot read (EACCES), and reads the rest', function () {
    const d = path.join(dir, 'perm');
    fs.mkdirSync(path.join(d, 'locked'), { recursive: true });
    fs.writeFileSync(path.join(d, 'ok.txt'), NOTE);
    fs.writeFileSync(path.join(d, 'secret.txt'), NOTE);
    fs.writeFileSync(path.join(d, 'locked', 'inner.txt'), NOTE);
    fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(d, 'ok.txt'), 0o644);
    fs.chmodSync(path.join(d, 'secret.txt'), 0o000);
    fs.chmodSync(path.join(d, 'locked'), 0o000);
    // root reads anything whatever its mode: run the CLI as nobody, so the test meets EACCES
    const asUser: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534, cwd: d } : { cwd: d };
    const probe = spawnSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(path.join(d, 'secret.txt'))})`], asUser);
    if (probe.status === 0) this.skip(); // a file system that ignores modes: nothing to test
    try {
      const expected = [['locked', 'permission denied'], ['secret.txt', 'permission denied']];
      const c = run(['check', d, '--format', 'json'], asUser);
      assert.equal(c.code, 2, c.stderr);
      assert.deepEqual(errorsOf(c.json), expected);
      assert.deepEqual(c.json.files.map((f: { path: string }) => path.basename(f.path)), ['ok.txt']);
      const a = run(['audit', d, '--format', 'json'], asUser);
      assert.equal(a.code, 2, a.stderr);
      assert.deepEqual(errorsOf(a.json), expected);
      assert.equal(a.json.totals.entries, 1);
      assert.match(a.stderr, /secret\.txt: permission denied/);
    } finally {
      fs.chmodSync(path.join(d, 'locked'), 0o755);
    }
  });

  it('audit reports each corrupt .docx (zip bomb included) and malformed CSV with its reason and audits the rest', async () => {
    const d = path.join(dir, 'corrupt');
    fs.mkdirSync(d);
    const JSZip = require('jszip');
    const notWord = new JSZip();
    notWord.file('hello.txt', 'a zip, but not a Word document');
    fs.writeFileSync(path.join(d, 'not-word.docx'), await notWord.generateAsync({ type: 'nodebuffer' }));
    const doc = new JSZip();
    doc.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    doc.file('word/document.xml', `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${'<w:p><w:r><w:t>Mum failed to protect.</w:t></w:r></w:p>'.repeat(200)}</w:body></w:document>`);
    const whole: Buffer = await doc.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    fs.writeFileSync(path.join(d, 'truncated.docx'), whole.subarray(0, Math.floor(whole.length / 2)));
    // a zip bomb whose directory claims each part is 10 bytes: the sizes are not trusted
    const bomb = new JSZip();
    bomb.file('word/document.xml', `<w:document>${'<w:p><w:r><w:t>x</w:t></w:r></w:p>'.repeat(60000)}</w:document>`);
    const bombBuf: Buffer = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    for (let i = bombBuf.indexOf(Buffer.from([0x50, 0x4b, 1, 2])); i >= 0; i = bombBuf.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), i + 4)) bombBuf.writeUInt32LE(10, i + 24);
    fs.writeFileSync(path.join(d, 'bomb.docx'), bombBuf);
    fs.writeFileSync(path.join(d, 'random.docx'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    fs.writeFileSync(path.join(d, 'unclosed.csv'), 'date,text\n01/02/2022,"never closed\n02/02/2022,Fine.\n');
    fs.writeFileSync(path.join(d, 'no-text-column.csv'), 'when,who\n01/02/2022,A\n');
    fs.writeFileSync(path.join(d, 'good.txt'), NOTE);
    // --max-size 1: a .docx may hold 0.25 MB of XML (a quarter of the limit), so the bomb needs only 2 MB
    const a = run(['audit', d, '--format', 'json', '--max-size', '1']);
    assert.equal(a.code, 2, a.stderr);
    const errs = a.json.errors.map((e: { path: string; line?: number; message: string }) => [path.basename(e.path), e.line ?? null, e.message]);
    const byFile = Object.fromEntries(errs.map(([f, l, m]: [string, number | null, string]) => [f, `${l ?? ''} ${m}`]));
    assert.deepEqual(Object.keys(byFile).sort(), ['bomb.docx', 'no-text-column.csv', 'not-word.docx', 'random.docx', 'truncated.docx', 'unclosed.csv']);
    assert.equal(byFile['bomb.docx'], ' the .docx expands to more than 0.25 MB of document XML (a zip bomb, or a document too large to convert); raise the limit with --max-size');
    assert.match(byFile['not-word.docx'], /^ cannot read the \.docx \(corrupt or not a Word document\): \S/);
    assert.match(byFile['truncated.docx'], /^ cannot read the \.docx \(corrupt or not a Word document\): \S/);
    assert.match(byFile['random.docx'], /^ not a \.docx file \(no ZIP signature\)/);
    assert.match(byFile['unclosed.csv'], /^2 quoted field opened on line 2 is never closed; row skipped/);
    assert.match(byFile['no-text-column.csv'], /^ no text column found \(columns: when, who\); name it with --text-column/);
    assert.deepEqual(a.json.inputs.map((i: { path: string; status: string; entries: number }) => [path.basename(i.path), i.status, i.entries]), [['good.txt', 'ok', 1], ['unclosed.csv', 'partial', 1]]);
    for (const f of Object.keys(byFile)) assert.match(a.stderr, new RegExp(`${f.replace('.', '\\.')}(:\\d+)?: \\S`), `${f} on standard error`);
    // check reads only .txt and .md from folders; named explicitly, a zip is refused as binary
    const c = run(['check', path.join(d, 'not-word.docx'), path.join(d, 'good.txt'), '--format', 'json']);
    assert.equal(c.code, 2);
    assert.deepEqual(errorsOf(c.json), [['not-word.docx', 'binary file (contains NUL or control bytes); not a text export']]);
    assert.equal(c.json.files.length, 1);
  });

  describe('a rule file with a schema error: path, line, column and field; the other rules still run; exit 2', () => {
    let rules: string;
    before(() => {
      rules = path.join(dir, 'rules');
      fs.mkdirSync(rules);
      fs.writeFileSync(path.join(rules, 'bad-category.yaml'), 'id: bad-category\ncategory: nonsense\nseverity: warning\nmessage: "m"\n');
      fs.writeFileSync(path.join(rules, 'bad-yaml.yaml'), 'id: bad-yaml\npatterns: [unclosed\n');
      fs.writeFileSync(path.join(rules, 'note.txt'), NOTE);
    });
    it('a rule folder with a FIFO, an over-size file, YAML alias bombs and a subfolder the user cannot read', function () {
      const hostile = path.join(dir, 'hostile-rules');
      fs.mkdirSync(path.join(hostile, 'locked'), { recursive: true });
      fs.chmodSync(hostile, 0o755);
      spawnSync('mkfifo', [path.join(hostile, 'pipe.yaml')]);
      fs.writeFileSync(path.join(hostile, 'huge.yaml'), `id: huge\n# ${'x'.repeat(2 * 1048576)}\n`);
      fs.chmodSync(path.join(hostile, 'huge.yaml'), 0o644);
      // "billion laughs": nine levels of ten aliases each would expand to 10^9 items
      const laughs = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)];
      fs.writeFileSync(path.join(hostile, 'bomb.yaml'), ['id: bomb', ...laughs, 'patterns: *a8', ''].join('\n'));
      fs.writeFileSync(path.join(hostile, 'lexicon.yaml'), [...laughs, 'classes: *a8', ''].join('\n'));
      for (const f of ['bomb.yaml', 'lexicon.yaml']) fs.chmodSync(path.join(hostile, f), 0o644);
      fs.chmodSync(path.join(hostile, 'locked'), 0o000);
      const asUser: SpawnSyncOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      try {
        const r = run(['check', '--stdin', '--rules', hostile, '--format', 'json'], { ...asUser, input: 'Mum failed to protect the children.', timeout: 30000 });
        assert.equal(r.code, 2, r.stderr);
        assert.deepEqual(errorsOf(r.json), [
          ['bomb.yaml', '1:1: YAML: Excessive alias count indicates a resource exhaustion attack'],
          ['huge.yaml', '1:1: cannot read: 2.0 MB, over the 1 MB limit for a rule file'],
          ['lexicon.yaml', '1:1: YAML: Excessive alias count indicates a resource exhaustion attack'],
          ['locked', '1:1: cannot read rule folder: permission denied'],
          ['pipe.yaml', '1:1: cannot read: not a regular file'],
        ]);
        assert.equal(r.json.files[0].findings[0].ruleId, 'failed-to-protect', 'the bundled rules still ran');
      } finally {
        fs.chmodSync(path.join(hostile, 'locked'), 0o755);
      }
    });
    for (const cmd of ['check', 'audit']) {
      it(cmd, () => {
        const r = run([cmd, path.join(rules, 'note.txt'), '--rules', rules, '--format', 'json']);
        assert.equal(r.code, 2, r.stderr);
        const errs = r.json.errors.filter((e: { path: string }) => e.path.endsWith('.yaml'));
        const messages = errs.map((e: { path: string; message: string }) => `${path.basename(e.path)} ${e.message}`);
        // LINE:COLUMN: FIELD: MESSAGE, one per problem
        assert.ok(messages.some((m: string) => /^bad-category\.yaml 2:11: category: must be equal to one of the allowed values: failure-to-protect, /.test(m)), messages.join('\n'));
        assert.ok(messages.some((m: string) => /^bad-category\.yaml 1:1: why: missing required field "why"/.test(m)), messages.join('\n'));
        assert.ok(messages.some((m: string) => /^bad-yaml\.yaml \d+:\d+: YAML: /.test(m)), messages.join('\n'));
        // in text form the location joins the path, as compilers write it (clickable in editors)
        const text = run([cmd, path.join(rules, 'note.txt'), '--rules', rules, ...(cmd === 'audit' ? ['--format', 'md'] : [])]);
        assert.equal(text.code, 2);
        assert.match(text.stderr, /bad-category\.yaml:2:11: category: must be equal/);
        if (cmd === 'check') assert.ok(r.json.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'failed-to-protect'), 'the bundled rules still ran');
        else assert.equal(r.json.categories['failure-to-protect'].count, 1, 'the bundled rules still ran');
      });
    }
  });
});

describe('cli: a reader that goes away', () => {
  it('check and audit stop quietly when their output pipe closes early (| head), with no stack trace', function () {
    this.timeout(60000);
    const d = tmp('cna-pipe-');
    try {
      // 400 entries: megabytes of JSON, far more than a pipe holds, so writing goes on after head has left
      const entry = (i: number) => `${String(1 + (i % 28)).padStart(2, '0')}/02/2022 10:00 | Home visit | SW Anna Bell (East)\nMum failed to protect the children. The parents have a volatile relationship.\n`;
      const note = path.join(d, 'long.txt');
      fs.writeFileSync(note, 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\n\n' + Array.from({ length: 400 }, (_, i) => entry(i)).join('\n'));
      for (const args of [['check', note, '--format', 'json', '--explain'], ['audit', note, '--format', 'json', '--by', 'entry', '--include-excerpts', '--audit-id', 'pipe-test-salt']]) {
        const r = spawnSync('sh', ['-c', `"$0" "$@" | head -c 1 >/dev/null`, process.execPath, CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        assert.equal(r.status, 0, args[0]);
        assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|at .*\.js:\d+/, `${args[0]}: ${r.stderr}`);
      }
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('cli: JSON written in pieces', () => {
  it('is byte for byte JSON.stringify(value, null, 2) (500 values)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      let s = '';
      writeJson(v, (x) => { s += x; });
      assert.equal(s, JSON.stringify(v, null, 2) + '\n');
    }), { numRuns: 500 });
    let s = '';
    writeJson({ a: undefined, b: [undefined, 1], c: {}, d: [] }, (x) => { s += x; });
    assert.equal(s, JSON.stringify({ a: undefined, b: [undefined, 1], c: {}, d: [] }, null, 2) + '\n');
  });
});
