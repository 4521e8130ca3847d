// Generated documentation must match the sources it is generated from.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePackFromSources } from '../server/src/host/rulePack';
import { ruleCatalogue } from '../server/src/host/ruleDocs';
import { ROOT } from './helpers/rules';

describe('docs', () => {
  it('docs/rules.md is up to date with the rule files (run npm run build)', () => {
    const { pack } = compilePackFromSources(path.join(ROOT, 'rules'), 'docs');
    const expected = ruleCatalogue(pack.rules, pack.version);
    const actual = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    assert.ok(actual === expected, 'docs/rules.md is stale: run `npm run build` and commit it');
  });
  it('every rule has a heading the language server can link to', () => {
    const { pack } = compilePackFromSources(path.join(ROOT, 'rules'), 'docs');
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
    for (const r of pack.rules) assert.ok(doc.includes(`\n### ${r.id}\n`), r.id);
  });
});
