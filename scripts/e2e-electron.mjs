#!/usr/bin/env node
// `npm run test:e2e:electron`: the same extension-host suite (test/e2e/suite) in desktop VS Code,
// downloaded by @vscode/test-electron. For desktop machines with internet access only: it
// needs update.code.visualstudio.com, which CI here cannot reach (CI runs `npm run test:e2e`,
// the code-server route). Pass a VS Code version with CASENOTE_E2E_VSCODE (default 1.100.3).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
const suiteDir = path.join(root, 'out', 'e2e', 'suite');
const suiteSrc = path.join(root, 'test', 'e2e', 'suite');
fs.rmSync(suiteDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: fs.readdirSync(suiteSrc).filter((f) => f.endsWith('.ts')).map((f) => path.join(suiteSrc, f)),
  outdir: suiteDir, bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: 'inline', external: ['vscode', 'mocha'],
});
const run = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-e2e-electron-'));
const ws = path.join(run, 'ws');
fs.cpSync(path.join(root, 'test', 'e2e', 'fixture'), ws, { recursive: true });
let code = 0;
try {
  await runTests({
    version: process.env.CASENOTE_E2E_VSCODE ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(suiteDir, 'index'),
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(run, 'ud'), '--skip-welcome', '--skip-release-notes'],
  });
} catch (e) {
  console.error(`e2e (electron): ${e.message}`);
  code = 1;
} finally {
  fs.rmSync(run, { recursive: true, force: true });
}
process.exit(code);
