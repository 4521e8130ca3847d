// Expanding the paths a user names: each file is read once however many ways it is named (a
// folder given twice, a file given inside a folder also given, a link to a file or folder).
// Plain files in a folder take their real path from the folder's, so this is what keeps the
// shortcut honest.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandPaths } from '../../server/src/host/files';

describe('expanding input paths', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-expand-'));
    fs.mkdirSync(path.join(dir, 'real', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'other'));
    for (const f of ['a.txt', 'b.md', 'skip.bin', path.join('sub', 'c.txt')]) fs.writeFileSync(path.join(dir, 'real', f), 'x');
    fs.writeFileSync(path.join(dir, 'other', 'd.txt'), 'x');
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'alias'));
    fs.symlinkSync(path.join(dir, 'real', 'a.txt'), path.join(dir, 'other', 'link-to-a.txt'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists each file once, under the first name it was met by', () => {
    const exts = new Set(['.txt', '.md']);
    const rel = (inputs: string[]) => expandPaths(inputs.map((p) => path.join(dir, p)), exts).files.map((f) => path.relative(dir, f));
    const real = [path.join('real', 'a.txt'), path.join('real', 'b.md'), path.join('real', 'sub', 'c.txt')];
    assert.deepEqual(rel(['real', 'real', 'alias', path.join('real', 'a.txt'), path.join('alias', 'sub')]), real);
    assert.deepEqual(rel(['alias', 'real']), real.map((p) => p.replace(/^real/, 'alias')));
    assert.deepEqual(rel(['other', 'real']), [path.join('other', 'd.txt'), path.join('other', 'link-to-a.txt'), real[1], real[2]]);
    assert.deepEqual(rel([path.join('real', 'skip.bin')]), [path.join('real', 'skip.bin')], 'a file named explicitly is read whatever its extension');
  });
});
