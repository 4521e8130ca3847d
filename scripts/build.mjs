#!/usr/bin/env node
// Builds everything: type-checks and emits out/ (tests run from there), compiles the rule
// pack to dist/rules.json (failing on any rule problem), bundles the CLI, the language server
// and the VS Code client with esbuild, and regenerates docs/rules.md.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const t0 = Date.now();
const step = (name) => process.stdout.write(`build: ${name}\n`);

step('type-check and emit (tsc -b)');
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });

step('compile rules');
const { compilePackFromSources } = require(path.join(root, 'out/server/src/host/rulePack.js'));
const { formatProblem, packRules } = require(path.join(root, 'out/server/src/engine/index.js'));
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const { pack, problems } = compilePackFromSources(path.join(root, 'rules'), version);
if (problems.length > 0) {
  for (const p of problems) console.error(formatProblem(p));
  console.error(`build: ${problems.length} rule problem(s); fix them and build again`);
  process.exit(1);
}
fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
// packed: pattern trees as one string per rule, parsed on first use, and the anchor index precomputed.
// Written as pure ASCII (the two dozen other characters as \u escapes, which parse to the same
// strings): a file with any character above 127 decodes to a two-byte string, and reading and
// parsing that 4.8 MB cost `check` about 30 ms more CPU on every start.
const asciiJson = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
fs.writeFileSync(path.join(root, 'dist/rules.json'), asciiJson({ ...packRules(pack), lexicon: pack.lexicon }));
step(`  ${pack.rules.length} rules, version ${pack.version}`);

step('bundle (esbuild)');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
// cli.js and server.js are launchers (scripts/lib/launcher.cjs) of these bundles, which load
// them with a V8 code cache made below
// the batch commands are a bundle of their own, loaded by the CLI on first use
// (server/src/cli/commands.ts), so `check` does not read or compile them
const batchApart = {
  name: 'batch-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/batch$/ }, (a) => (a.importer.endsWith(path.join('server', 'src', 'cli', 'commands.ts')) ? { path: './cli-batch.js', external: true } : undefined));
  },
};
const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.bundle.js', plugins: [batchApart] },
  { entryPoints: ['server/src/cli/batch.ts'], outfile: 'dist/cli-batch.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.bundle.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/audit/worker.ts'], outfile: 'dist/audit-worker.js' },
].filter((e) => fs.existsSync(path.join(root, e.entryPoints[0])));
await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));

step('launchers and code caches');
const launcher = fs.readFileSync(path.join(root, 'scripts/lib/launcher.cjs'), 'utf8');
const dist = (f) => path.join(root, 'dist', f);
for (const [name, banner] of [['cli', '#!/usr/bin/env node\n'], ['server', '']]) {
  fs.writeFileSync(dist(`${name}.js`), banner + launcher.replace('__BUNDLE__', `${name}.bundle.js`));
  fs.rmSync(dist(`${name}.bundle.js.cache`), { force: true });
}
fs.chmodSync(dist('cli.js'), 0o755);
// the cache holds what a run compiled: for the CLI a check of a short note, for the server its
// start-up (it exits when its input closes, and the launcher writes the cache at exit)
const cacheRun = (name, args, input) => execFileSync(process.execPath, [dist(`${name}.js`), ...args], {
  cwd: root, input, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, CASENOTE_AUDIT_CODE_CACHE_OUT: dist(`${name}.bundle.js.cache`) },
});
cacheRun('cli', ['check', 'samples/notes/home-visit.txt', '--format', 'json', '--fail-on', 'none'], '');
try { cacheRun('server', ['--stdio'], ''); } catch { /* exits 1 when its input closes without a shutdown request */ }
for (const name of ['cli', 'server']) if (!fs.existsSync(dist(`${name}.bundle.js.cache`))) throw new Error(`build: no code cache for ${name}`);

const settingsSchema = path.join(root, 'scripts/gen-package-settings.mjs');
if (fs.existsSync(settingsSchema)) {
  step('settings schema of rule ids (package.json)');
  execFileSync(process.execPath, [settingsSchema], { cwd: root, stdio: 'inherit' });
}

const docs = path.join(root, 'scripts/gen-rule-docs.cjs');
if (fs.existsSync(docs)) {
  step('rule catalogue (docs/rules.md)');
  execFileSync(process.execPath, [docs], { cwd: root, stdio: 'inherit' });
}
step(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
