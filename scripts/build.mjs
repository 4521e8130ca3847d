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
// packed: pattern trees as one string per rule, parsed on first use, and the anchor index precomputed
fs.writeFileSync(path.join(root, 'dist/rules.json'), JSON.stringify({ ...packRules(pack), lexicon: pack.lexicon }));
step(`  ${pack.rules.length} rules, version ${pack.version}`);

step('bundle (esbuild)');
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };
const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/audit/worker.ts'], outfile: 'dist/audit-worker.js' },
].filter((e) => fs.existsSync(path.join(root, e.entryPoints[0])));
await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);

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
