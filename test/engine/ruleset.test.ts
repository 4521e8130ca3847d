// Rule files are validated with errors that name the file, line and field.
import * as assert from 'node:assert/strict';
import { compileRules, parseLexicon } from '../../server/src/engine';
import { rule } from '../helpers/rules';

const { lexicon } = parseLexicon({ path: 'lexicon.yaml', text: 'classes:\n  mum: "(mum|mother)"\n  loop-a: "@loop-b"\n  loop-b: "@loop-a"\n' });
const compile = (path: string, text: string) => compileRules([{ path, text }], lexicon);

describe('rule loading', () => {
  it('compiles a valid rule', () => {
    const r = compile('t-ok.yaml', rule('t-ok', ['@mum < fail~ to protect >']));
    assert.deepEqual(r.problems, []);
    assert.equal(r.rules[0].id, 't-ok');
  });
  it('reports a missing field at the file', () => {
    const text = rule('t-miss', ['x']).replace(/^why:.*$/m, '');
    const p = compile('t-miss.yaml', text).problems;
    assert.equal(p.length, 1);
    assert.match(p[0].message, /missing required field "why"/);
  });
  it('reports a bad value with its line and field', () => {
    const text = rule('t-bad', ['x']).replace('severity: warning', 'severity: catastrophic');
    const p = compile('t-bad.yaml', text).problems[0];
    assert.equal(p.field, 'severity');
    assert.equal(p.line, 3);
    assert.match(p.message, /error, warning, information, hint/);
  });
  it('reports unknown fields on their own line', () => {
    const p = compile('t-unk.yaml', rule('t-unk', ['x'], 'colour: red')).problems[0];
    assert.equal(p.field, 'colour');
    assert.match(p.message, /unknown field "colour"/);
    assert.equal(p.line, rule('t-unk', ['x'], 'colour: red').split('\n').findIndex((l) => l.startsWith('colour')) + 1);
  });
  it('reports a pattern error at the pattern', () => {
    const text = rule('t-pat', ['fine', '(broken']);
    const p = compile('t-pat.yaml', text).problems[0];
    assert.equal(p.field, 'patterns.1');
    assert.equal(p.line, text.split('\n').findIndex((l) => l.includes('(broken')) + 1);
    assert.match(p.message, /missing '\)'/);
  });
  it('reports YAML syntax errors, id/file mismatches, class loops and duplicates', () => {
    assert.match(compile('t-yaml.yaml', 'id: [unclosed\n').problems[0].message, /YAML/);
    assert.match(compile('other-name.yaml', rule('t-id', ['x'])).problems[0].message, /must equal the file name/);
    assert.match(compile('t-loop.yaml', rule('t-loop', ['@loop-a'])).problems[0].message, /refers to itself/);
    const dup = compileRules([{ path: 'a/t-d.yaml', text: rule('t-d', ['x']) }, { path: 'b/t-d.yaml', text: rule('t-d', ['x']) }], lexicon);
    assert.match(dup.problems[0].message, /duplicate rule id/);
    assert.equal(dup.rules.length, 1);
  });
  it('keeps the good rules when one file is broken', () => {
    const r = compileRules([{ path: 't-a.yaml', text: rule('t-a', ['x']) }, { path: 't-b.yaml', text: 'nonsense: [' }, { path: 't-c.yaml', text: rule('t-c', ['y']) }], lexicon);
    assert.deepEqual(r.rules.map((x) => x.id), ['t-a', 't-c']);
    assert.equal(r.problems.length, 1);
  });
  it('enforces the rule-count limit with a clear error', () => {
    const files = [1, 2, 3].map((i) => ({ path: `t-${i}.yaml`, text: rule(`t-${i}`, ['x']) }));
    const r = compileRules(files, lexicon, { maxRules: 2 });
    assert.equal(r.rules.length, 2);
    assert.match(r.problems[0].message, /rule limit reached/);
  });
});
