// Case notes are confidential: the CLI must not open any network connection. Each command
// runs with every outbound path replaced by a recorder that fails; nothing may be recorded.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from '../helpers/rules';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const DENY = path.join(ROOT, 'test', 'helpers', 'deny-network.cjs');

describe('privacy: no network', () => {
  let dir: string;
  let netlog: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-priv-'));
    netlog = path.join(dir, 'net.log');
    fs.writeFileSync(path.join(dir, 'note.txt'), 'Adults: Kirsty Reid (mother; non-abusing parent)\n\nThe mother of the two boys, known to services since 2019, failed to protect them.\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the recorder does catch a connection attempt (so the test can fail)', () => {
    const r = spawnSync(process.execPath, ['--require', DENY, '-e', "require('node:http').get('http://127.0.0.1:9/')"], { env: { ...process.env, CASENOTE_NETLOG: netlog }, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(fs.readFileSync(netlog, 'utf8'), /http\.get/);
    fs.rmSync(netlog);
  });

  // audit with --jobs 2 runs worker threads, which inherit the --require and so the recorder
  for (const args of [['check', 'NOTE', '--format', 'json'], ['check', 'NOTE', '--explain'], ['audit', 'NOTE', '--jobs', '2', '--out', 'OUT', '--format', 'md,html,json,csv,sarif'], ['rules'], ['rules', 'failed-to-protect'], ['--version']]) {
    it(`casenote-audit ${args.join(' ')} opens no connection`, () => {
      const resolve = (a: string) => (a === 'NOTE' ? path.join(dir, 'note.txt') : a === 'OUT' ? path.join(dir, 'out') : a);
      const r = spawnSync(process.execPath, ['--require', DENY, CLI, ...args.map(resolve)], { env: { ...process.env, CASENOTE_NETLOG: netlog, NO_COLOR: '1' }, encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.equal(fs.existsSync(netlog) ? fs.readFileSync(netlog, 'utf8') : '', '');
    });
  }
});
