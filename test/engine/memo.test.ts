// The language server relies on paragraph memoisation: re-analysing after an edit must give
// exactly what a fresh full analysis gives, and unchanged paragraphs must not be re-analysed.
import * as assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/engine';
import { bundledRules, rule, rulesFromYaml } from '../helpers/rules';

const NOTE = [
  'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
  'The parents have a volatile relationship. Police attended twice.',
  'Ms Reid failed to protect the children when Mr Kerr came round.',
  'There is no evidence that Ms Reid failed to protect Lily.',
  'Visit to school. Lily is doing well.',
].join('\n\n');

describe('paragraph memoisation', () => {
  it('gives the same findings as a full analysis after a sequence of edits', () => {
    const rs = bundledRules();
    const memo = new Analyzer(rs);
    let text = NOTE;
    const edits: Array<(t: string) => string> = [
      (t) => t.replace('Police attended twice.', 'Police attended twice. Mum has a toxic relationship with Dad.'),
      (t) => t + '\n\nMs Reid did not protect the baby.',
      (t) => t.replace('Visit to school. ', ''),
      (t) => t.replace('Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)', 'Adults: Kirsty Reid (mother); Jamie Kerr (father)'),
      (t) => t.replace(/\n\n/g, '\n\n\n'),
    ];
    for (const edit of edits) {
      text = edit(text);
      const a = memo.analyze(text).findings;
      const b = new Analyzer(rs).analyze(text).findings;
      assert.deepEqual(a, b);
    }
  });
  it('re-analyses only changed paragraphs', () => {
    const rs = rulesFromYaml(rule('t-vol', ['< volatile relationship >']));
    const analyzer = new Analyzer(rs);
    let calls = 0;
    const orig = (analyzer as unknown as { analyzeBlock: (...a: unknown[]) => unknown }).analyzeBlock;
    (analyzer as unknown as { analyzeBlock: (...a: unknown[]) => unknown }).analyzeBlock = function (this: unknown, ...a: unknown[]) { calls++; return orig.apply(this, a); };
    analyzer.analyze('One volatile relationship.\n\nTwo.\n\nThree.');
    assert.equal(calls, 3);
    calls = 0;
    const r = analyzer.analyze('One volatile relationship.\n\nTwo, edited.\n\nThree.');
    assert.equal(calls, 1);
    assert.equal(r.findings.length, 1);
  });
});
