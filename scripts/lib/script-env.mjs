// What the development scripts (eval, eval-aligned, audit-truth, bench) share: the repository
// root, a require for the compiled TypeScript in out/, the shared corpus paths and a small
// option reader (`--name value` or a bare `--flag`).
import { createRequire } from 'node:module';
import * as path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const require = createRequire(path.join(root, 'package.json'));
export const shared = path.join(root, '..', 'shared');

export function options(argv = process.argv.slice(2)) {
  return (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? (argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : true) : undefined;
  };
}

/**
 * Compiles the TypeScript (unless --no-build) and loads the engine with the rules read from
 * rules/ (so rule edits need no rebuild); exits on any rule problem.
 */
export async function loadDevEngine(opt) {
  const { execFileSync } = await import('node:child_process');
  if (!opt('--no-build')) execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'server'], { cwd: root, stdio: 'inherit' });
  process.env.CASENOTE_AUDIT_RULES_FROM_SOURCE = '1';
  const { loadRuleSet } = require(path.join(root, 'out/server/src/host/rulePack.js'));
  const engine = require(path.join(root, 'out/server/src/engine/index.js'));
  const { ruleSet, problems } = loadRuleSet();
  if (problems.length) {
    for (const p of problems) console.error(`${p.path}:${p.line}: ${p.field}: ${p.message}`);
    process.exit(1);
  }
  return { engine, ruleSet };
}
