// Layering rules from ARCHITECTURE.md, checked on the sources.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './helpers/rules';

function imports(dir: string): Array<{ file: string; spec: string }> {
  const out: Array<{ file: string; spec: string }> = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile() || !e.name.endsWith('.ts')) continue;
    const file = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    const src = fs.readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'|require\('([^']+)'\)|import\('([^']+)'\)/g)) out.push({ file, spec: m[1] ?? m[2] ?? m[3] });
  }
  return out;
}

describe('architecture', () => {
  it('the engine imports no vscode, no LSP, no file system, no network', () => {
    const bad = imports(path.join(ROOT, 'server/src/engine')).filter(({ spec }) =>
      /^(vscode|vscode-languageserver|vscode-languageclient|fs|node:fs|fs\/promises|node:fs\/promises|child_process|node:child_process|net|node:net|http|node:http|https|node:https|worker_threads|node:worker_threads)$/.test(spec) || spec.startsWith('../host') || spec.startsWith('../lsp') || spec.startsWith('../cli') || spec.startsWith('../audit'));
    assert.deepEqual(bad, []);
  });
  it('the client imports nothing from server/ but the protocol', () => {
    const dir = path.join(ROOT, 'client/src');
    if (!fs.existsSync(dir)) return;
    const bad = imports(dir).filter(({ spec }) => spec.includes('server/') && !spec.includes('server/src/protocol'));
    assert.deepEqual(bad, []);
  });
});

describe('packaging', () => {
  it('the .vsix allow-list ships every bundle the extension loads at run time', () => {
    const allow = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim());
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { main: string };
    // the client starts dist/server.js, which loads dist/server.bundle.js (its V8 code cache is left
    // out: VS Code's Electron would not accept it); the server loads dist/rules.json and runs
    // audits in dist/audit-worker.js
    for (const f of [pkg.main.replace(/^\.\//, ''), 'dist/server.js', 'dist/server.bundle.js', 'dist/rules.json', 'dist/audit-worker.js']) {
      assert.ok(allow.includes(f), `${f} is not shipped in the .vsix`);
    }
  });
});
