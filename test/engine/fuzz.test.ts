// Property tests of the engine on generated text: it never throws, offsets are always inside
// the text and on code-point boundaries, output is deterministic, and memoised analysis after
// any sequence of edits equals a fresh full analysis. More than 10,000 cases per run.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Analyzer, Finding } from '../../server/src/engine';
import { bundledRules } from '../helpers/rules';

const FRAGMENTS = [
  'Mum failed to protect the children', 'The parents have a volatile relationship', 'Ms Reid was assaulted',
  'Mr Kerr', 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
  'Children: Lily Kerr (7)', 'There is no evidence that', "she said 'he just snapped'", '“it was mutual”', 'DASH: standard risk',
  'Plan: Mum to keep the doors locked.', 'Risk is now reduced', 'Dad moved out', 'had bruising to her neck', 'agencies',
  '.', ',', ';', ':', ' ', '  ', '\n', '\r\n', '\r', '\n\n', '\t', '"', "'", '‘', '’', '(', ')', '—', '-', '\u200b', '\ufeff',
  '\u00a0', '😀', '\ud83d', '\ude00', 'é', 'Ó Súilleabháin', '🏳️‍🌈', 'x'.repeat(300), 'word '.repeat(150),
];
const text = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 8 })), { maxLength: 30 }).map((a) => a.join(' ')) },
);

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
function checkOffsets(t: string, f: Finding) {
  assert.ok(f.start >= 0 && f.start < f.end && f.end <= t.length, `range ${f.start}-${f.end} in ${t.length}`);
  assert.ok(!(isLow(t.charCodeAt(f.start)) && isHigh(t.charCodeAt(f.start - 1))), 'start splits a surrogate pair');
  assert.ok(!(isHigh(t.charCodeAt(f.end - 1)) && isLow(t.charCodeAt(f.end))), 'end splits a surrogate pair');
  assert.equal(t.slice(f.start, f.end), f.text);
  assert.ok(f.fixStart <= f.start && f.fixEnd >= f.end && f.fixEnd <= t.length);
}

describe('engine properties (fast-check)', function () {
  this.timeout(120000);
  const rs = bundledRules();

  it('never throws; offsets inside the text, on code-point boundaries; deterministic (6,000 texts)', () => {
    fc.assert(
      fc.property(text, (t) => {
        const a = new Analyzer(rs).analyze(t);
        for (const f of a.findings) checkOffsets(t, f);
        assert.deepEqual(new Analyzer(rs).analyze(t).findings, a.findings);
      }),
      { numRuns: 6000 },
    );
  });

  it('memoised analysis after random edit sequences equals a fresh analysis (1,000 sequences, 5,000 edits)', () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 30 }), ins: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 10 })) });
    fc.assert(
      fc.property(text, fc.array(edit, { minLength: 5, maxLength: 5 }), (start, edits) => {
        const memo = new Analyzer(rs);
        let t = start;
        memo.analyze(t);
        for (const e of edits) {
          const at = t.length === 0 ? 0 : e.at % (t.length + 1);
          t = t.slice(0, at) + e.ins + t.slice(at + e.del);
          assert.deepEqual(memo.analyze(t).findings, new Analyzer(rs).analyze(t).findings);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('handles very long lines and deep unbalanced quotes', () => {
    const long = ('Mum failed to protect the children ' + '"'.repeat(3) + "'(").repeat(3000);
    const a = new Analyzer(rs).analyze(long);
    for (const f of a.findings) checkOffsets(long, f);
    assert.ok(a.findings.length > 0);
  });
});
