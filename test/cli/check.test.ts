// The `check` command, run as a user runs it: the built bin in a child process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers/rules';

const CLI = path.join(ROOT, 'dist', 'cli.js');
function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: check', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-check-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.txt'), 'Intro line.\nMum failed to protect the children.\n');
    fs.writeFileSync(path.join(dir, 'sub', 'b.md'), '# Visit\n\nThe parents have a volatile relationship.\n');
    fs.writeFileSync(path.join(dir, 'sub', 'ignored.csv'), 'Mum failed to protect the children.\n');
    fs.writeFileSync(path.join(dir, 'clean.txt'), 'Home visit. Lily is doing well at school.\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the documented JSON contract', () => {
    const r = run(['check', dir, '--format', 'json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.version, 1);
    assert.match(j.ruleset, /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
    assert.deepEqual(j.errors, []);
    assert.deepEqual(j.files.map((f: { path: string }) => path.relative(dir, f.path)).sort(), ['a.txt', 'clean.txt', path.join('sub', 'b.md')]);
    const a = j.files.find((f: { path: string }) => f.path.endsWith('a.txt'));
    const f = a.findings[0];
    assert.deepEqual(Object.keys(f).slice(0, 11), ['ruleId', 'category', 'kind', 'severity', 'start', 'end', 'line', 'column', 'text', 'message', 'suggestions']);
    const text = fs.readFileSync(path.join(dir, 'a.txt'), 'utf8');
    assert.equal(text.slice(f.start, f.end), f.text);
    assert.equal(f.line, 2);
    assert.equal(f.column, 5);
    assert.equal(f.category, 'failure-to-protect');
    assert.equal(f.kind, 'concern');
  });
  it('prints path:line:col severity rule message lines and a summary', () => {
    const r = run(['check', path.join(dir, 'a.txt')]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /a\.txt:2:5 error failed-to-protect /);
    assert.match(r.stdout, /1 finding \(1 error\) in 1 file/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when not a terminal');
  });
  it('reads --stdin', () => {
    const r = run(['check', '--stdin', '--format', 'json'], 'Ms Reid failed to protect Lily.');
    assert.equal(JSON.parse(r.stdout).files[0].path, '<stdin>');
    assert.equal(r.code, 1);
  });
  it('exits 0 when nothing reaches --fail-on', () => {
    assert.equal(run(['check', path.join(dir, 'clean.txt')]).code, 0);
    assert.equal(run(['check', path.join(dir, 'sub', 'b.md'), '--fail-on', 'error']).code, 0);
    assert.equal(run(['check', path.join(dir, 'sub', 'b.md'), '--fail-on', 'warning']).code, 1);
  });
  it('reports unreadable and binary files in errors, checks the rest, and exits 2', () => {
    const bin = path.join(dir, 'binary.txt');
    fs.writeFileSync(bin, Buffer.from([0, 1, 2, 3, 0, 255]));
    try {
      const r = run(['check', bin, path.join(dir, 'a.txt'), path.join(dir, 'missing.txt'), '--format', 'json']);
      assert.equal(r.code, 2);
      const j = JSON.parse(r.stdout);
      assert.equal(j.files.length, 1);
      assert.equal(j.files[0].findings.length, 1);
      assert.deepEqual(j.errors.map((e: { path: string; message: string }) => [path.basename(e.path), e.message.split(' ')[0]]).sort(), [['binary.txt', 'binary'], ['missing.txt', 'no']]);
    } finally {
      fs.rmSync(bin);
    }
  });
  it('decodes UTF-16 exports and reports offsets in the decoded text', () => {
    const p = path.join(dir, 'utf16.txt');
    fs.writeFileSync(p, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Mum failed to protect them.', 'utf16le')]));
    try {
      const j = JSON.parse(run(['check', p, '--format', 'json']).stdout);
      assert.equal(j.files[0].encoding, 'utf-16le');
      assert.equal(j.files[0].findings[0].start, 4);
    } finally {
      fs.rmSync(p);
    }
  });
  it('decodes Windows-1252 exports, curly quotes included', () => {
    const p = path.join(dir, 'cp1252.txt');
    // 0x93 and 0x94 are “ and ” in Windows-1252 (C1 controls in Latin-1); 0xE9 is é
    fs.writeFileSync(p, Buffer.concat([Buffer.from('Ren'), Buffer.from([0xe9]), Buffer.from(' said '), Buffer.from([0x93]), Buffer.from('fine'), Buffer.from([0x94]), Buffer.from('. Mum failed to protect them.')]));
    try {
      const j = JSON.parse(run(['check', p, '--format', 'json']).stdout);
      assert.equal(j.files[0].encoding, 'windows-1252');
      const f = j.files[0].findings[0];
      assert.equal(f.start, 'René said “fine”. Mum '.length);
    } finally {
      fs.rmSync(p);
    }
  });
  it('loads extra rule folders and reports broken rule files with file and line', () => {
    const rules = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-rules-'));
    try {
      fs.writeFileSync(path.join(rules, 'local-term.yaml'), [
        'id: local-term', 'category: minimising-euphemism', 'severity: warning', 'message: "A local term the team agreed to avoid."',
        'why: "Our local audit found this phrase hides the behaviour of the person causing harm."', 'sources: [https://example.org/local]',
        'patterns: ["< handbags at dawn >"]', 'suggestions: ["{perpetrator} [behaviour]."]', 'examples:', '  flag: ["It was [[handbags at dawn]]."]', '  ok: ["A handbag."]',
      ].join('\n'));
      fs.writeFileSync(path.join(rules, 'broken.yaml'), 'id: broken\ncategory: nonsense\n');
      const r = run(['check', '--stdin', '--rules', rules, '--format', 'json'], 'It was handbags at dawn again.');
      const j = JSON.parse(r.stdout);
      assert.equal(j.files[0].findings[0].ruleId, 'local-term');
      assert.ok(j.errors.some((e: { path: string; message: string }) => e.path.endsWith('broken.yaml') && /^\d+:\d+: /.test(e.message)));
      assert.equal(r.code, 2);
    } finally {
      fs.rmSync(rules, { recursive: true, force: true });
    }
  });
  it('rejects bad usage with exit 2 and a message', () => {
    for (const args of [['check'], ['check', '--bogus', 'x'], ['check', 'x', '--format', 'xml'], ['check', 'x', '--fail-on', 'sometimes'], ['nonsense']]) {
      const r = run(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /casenote-audit: /);
    }
  });
  it('explains a rule', () => {
    const r = run(['rules', 'failed-to-protect']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Why: /);
  });
});
