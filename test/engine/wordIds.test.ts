// Tokenising records each word's id (Token.wid) so the matcher and the prefilter need not look
// every token up again; what tokenWordIds returns must still equal a fresh look-up, also after
// patterns numbered more words (they do so lazily, on first use, and a user rule pack adds its own).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { tokenize, Token } from '../../server/src/engine/text';
import { recordedWordId, tokenWordIds, wordId } from '../../server/src/engine/wordIds';

/** Each token's id looked up now (recordedWordId is negative for a word without one). */
const fresh = (tokens: Token[]) => tokens.map((t) => Math.max(0, recordedWordId(t.norm)));

/** A word no rule uses, new at each call, so it stays unnumbered until a test numbers it. */
let count = 0;
const unusedWord = () => `zqx${(count++).toString(36).replace(/\d/g, (d) => 'abcdefghij'[+d])}`;

describe('word ids recorded while tokenising', () => {
  it('equal a fresh look-up of each token', () => {
    for (const w of ['protect', "'s", ',', 'not', '2021']) wordId(w);
    const toks = tokenize(`Ms Reid's failure to protect, "again", in 2021 — Mum can't cope. ${unusedWord()}`);
    const ids = Array.from(tokenWordIds(toks));
    assert.ok(ids.some((id) => id > 0) && ids.includes(0));
    assert.deepEqual(ids, fresh(toks));
  });

  it('follow words numbered after the tokens were made (by a pattern used later, or a user rule pack)', () => {
    const late = unusedWord();
    const text = `She said ${late} twice; ${late.toUpperCase()} again`;
    const before = tokenize(text);
    const at = before.findIndex((t) => t.norm === late);
    assert.equal(tokenWordIds(before)[at], 0);
    const id = wordId(late);
    // tokens made before the word was numbered, and tokens of the same forms made after
    assert.equal(tokenWordIds(before)[at], id);
    const after = tokenize(text);
    assert.deepEqual(Array.from(tokenWordIds(after)), fresh(after));
    assert.equal(tokenWordIds(after).filter((x) => x === id).length, 2);
  });

  it('works for tokens made by hand, without a recorded id', () => {
    const id = wordId('volatile');
    const hand: Token[] = [{ text: 'volatile', norm: 'volatile', start: 0, end: 8, kind: 1, cap: false, quoted: false, hyphen: false }];
    assert.deepEqual(Array.from(tokenWordIds(hand)), [id]);
  });

  it('equal a fresh look-up for any text, as words get numbered between and after tokenisations (fast-check)', () => {
    const piece = fc.constantFrom('Mum', 'mum', 'MUM', 'da', 'DA', 'cannot', "can't", "Kerr's", 'x-ray', 'behavior', 'Behaviour', '\n', '.', ',', '3.5', '2021', '“', '”', "'", 'Zoë', 'protect', '#', '7th');
    const text = fc.array(fc.oneof(piece, fc.constant('').map(unusedWord)), { maxLength: 30 }).map((a) => a.join(' '));
    fc.assert(
      fc.property(text, fc.array(fc.nat(29), { maxLength: 4 }), (t, numberLater) => {
        const toks = tokenize(t);
        assert.deepEqual(Array.from(tokenWordIds(toks)), fresh(toks));
        for (const k of numberLater) if (k < toks.length) wordId(toks[k].norm);
        assert.deepEqual(Array.from(tokenWordIds(toks)), fresh(toks));
        const again = tokenize(t);
        assert.deepEqual(Array.from(tokenWordIds(again)), fresh(again));
      }),
      { numRuns: 300 },
    );
  });
});
