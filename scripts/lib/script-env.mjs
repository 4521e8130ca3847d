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
