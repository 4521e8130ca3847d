import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitBlocks, splitSentences, LineIndex, countWords } from '../../server/src/engine';
import { asciiTokenEnd, normWord, quoteRanges, tokenize, MAX_BLOCK_CHARS, TOKEN_RE } from '../../server/src/engine/text';

const sentences = (text: string) => splitSentences({ start: 0, end: text.length, text }).map((s) => text.slice(s.start, s.end));

describe('text: blocks', () => {
  it('splits at blank lines, with exact offsets (CRLF and CR too)', () => {
    const text = 'First para.\r\nStill first.\r\n\r\nSecond.\r\r\rThird.';
    const blocks = splitBlocks(text);
    assert.deepEqual(blocks.map((b) => b.text), ['First para.\r\nStill first.', 'Second.', 'Third.']);
    for (const b of blocks) assert.equal(text.slice(b.start, b.end), b.text);
  });
  it('cuts very long blocks at sentence ends', () => {
    const text = 'Mum was seen today. '.repeat(2000);
    const blocks = splitBlocks(text);
    assert.ok(blocks.length > 1);
    for (const b of blocks) {
      assert.ok(b.text.length <= MAX_BLOCK_CHARS);
      assert.ok(b.text.endsWith('.'), 'cut at a sentence end');
    }
  });
  it('never cuts a surrogate pair in a block without spaces', () => {
    const text = '😀'.repeat(MAX_BLOCK_CHARS);
    for (const b of splitBlocks(text)) {
      const c = b.text.charCodeAt(b.text.length - 1);
      assert.ok(!(c >= 0xd800 && c <= 0xdbff));
    }
  });
});

describe('text: sentences', () => {
  it('does not split after titles, initials or decimals', () => {
    assert.deepEqual(sentences('Mr. Kerr arrived at 3.30 p.m. today. Ms Reid left.'), ['Mr. Kerr arrived at 3.30 p.m. today.', 'Ms Reid left.']);
  });
  it('drops the full stop after a title, so "Mr. Kerr" has the tokens of "Mr Kerr"', () => {
    const text = 'Mr. Delgado minimizes it and Ms. Rivera left. Dr. Khan saw her.';
    const toks = splitSentences({ start: 0, end: text.length, text }).map((s) => s.tokens.map((t) => t.norm).join(' '));
    assert.deepEqual(toks, ['mr delgado minimises it and ms rivera left .', 'dr khan saw her .']);
  });
  it('keeps closing quotes with their sentence', () => {
    assert.deepEqual(sentences('She said "he hit me." Then she left.'), ['She said "he hit me."', 'Then she left.']);
  });
  it('treats a line break as a boundary but joins soft-wrapped lines', () => {
    assert.deepEqual(sentences('12/03/2022 | Home visit\nVisit to the family home'), ['12/03/2022 | Home visit', 'Visit to the family home']);
    assert.deepEqual(sentences('The parents have a volatile relationship which has been\ngoing on for years.'), ['The parents have a volatile relationship which has been\ngoing on for years.']);
  });
});

describe('text: tokens', () => {
  it('splits possessives and contractions and expands them', () => {
    const t = tokenize("Mum's partner didn't stop. She can't. He cannot.");
    assert.deepEqual(t.map((x) => x.norm).filter((n) => n !== '.'), ['mum', "'s", 'partner', 'did', 'not', 'stop', 'she', 'can', 'not', 'he', 'can', 'not']);
  });
  it('maps curly apostrophes and US spellings to one form', () => {
    assert.deepEqual(tokenize('Dad’s behavior').map((x) => x.norm), ['dad', "'s", 'behaviour']);
    assert.equal(tokenize('prioritized')[0].norm, tokenize('prioritised')[0].norm);
  });
  it('splits hyphenated compounds into words marked as joined', () => {
    const t = tokenize('a failure-to-protect approach');
    assert.deepEqual(t.map((x) => x.norm), ['a', 'failure', 'to', 'protect', 'approach']);
    assert.deepEqual(t.map((x) => x.hyphen), [false, false, true, true, false]);
  });
  it('tells Scots "da" (dad) from DA (domestic abuse)', () => {
    assert.notEqual(tokenize('da')[0].norm, tokenize('DA')[0].norm);
  });
  it('normalises words that are names of Object.prototype members like any other word', () => {
    // the spelling table was an object literal: "constructor" found Object's constructor function
    const words = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
    assert.deepEqual(tokenize(words.join(' ')).map((x) => x.norm), words.map((w) => w.toLowerCase()));
  });
  it('gives the same norm and capital flag whether or not a word form was seen before', () => {
    const text = 'Behavior behavior BEHAVIOR Éclair éclair Zoë da Da DA cannot Cannot';
    const first = tokenize(text).map((x) => [x.norm, x.cap]);
    assert.deepEqual(tokenize(text).map((x) => [x.norm, x.cap]), first);
    assert.deepEqual(first.map(([, cap]) => cap), [true, false, true, true, false, true, false, true, true, false, false, true, false]);
  });
  it('gives the same tokens after the table of word forms filled up and was cleared', () => {
    // tokenize caches plain word forms in a bounded table; more distinct words than it holds, and
    // long ones that fill its character pool, must only cost time
    const text = 'Mum’s Behavior was calm; DA da cannot ZOË zoë wasn’t x-ray 3.5 Re-referral';
    const shape = (toks: ReturnType<typeof tokenize>) => toks.map(({ text, norm, start, end, kind, cap, quoted, hyphen }) => [text, norm, start, end, kind, cap, quoted, hyphen]);
    const before = shape(tokenize(text));
    const many = Array.from({ length: 40000 }, (_, i) => `Qw${i.toString(36).replace(/\d/g, (d) => 'ghijklmnop'[+d])}`);
    const manyToks = tokenize(many.join(' '));
    assert.deepEqual(manyToks.map((t) => [t.text, t.norm, t.cap]), many.map((w) => [w, normWord(w), true]));
    const long = Array.from({ length: 20000 }, (_, i) => `${'x'.repeat(40)}${i.toString(36).replace(/\d/g, (d) => 'ghijklmnop'[+d])}`);
    assert.deepEqual(tokenize(long.join(' ')).map((t) => t.norm), long.map(normWord));
    assert.deepEqual(shape(tokenize(text)), before);
  });
  it('gives UTF-16 offsets that slice back to the token', () => {
    const text = 'Zoë 😀 said “no” to Mr Ó Súilleabháin’s plan.';
    for (const t of tokenize(text)) assert.equal(text.slice(t.start, t.end), t.text);
  });
  it('scans ASCII tokens exactly as the token expression matches them, or defers to it (fast-check)', () => {
    // the hand scanner must end every token where TOKEN_RE does, next to any character
    const piece = fc.constantFrom('a', 'Z', 'q', '7', '0', "'", '’', '-', '.', ',', ':', '/', ' ', '\n', '\u00a0', 'é', '\u0301', '٣', '½', '😀', '!', '_', '\u0000', "n't", "'s", '3.5', 'x-ray');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }).map((a) => a.join('')), (t) => {
        const re = new RegExp(TOKEN_RE.source, 'uy');
        for (let i = 0; i < t.length; i++) {
          const c = t.charCodeAt(i);
          if (c >= 128 || c === 32 || (c >= 9 && c <= 13)) continue;
          const e = asciiTokenEnd(t, i);
          if (e < 0) continue;
          re.lastIndex = i;
          const m = re.exec(t);
          assert.equal(m && i + m[0].length, e, `${JSON.stringify(t)} at ${i}`);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('text: quotation marks', () => {
  it('finds straight, curly and single quotes but not apostrophes', () => {
    const text = `Ms Reid said he 'just snapped' and “it's fine” but the kids' room was "a mess".`;
    const q = quoteRanges(text).map(([s, e]) => text.slice(s, e));
    assert.deepEqual(q, [`'just snapped'`, '“it\'s fine”', '"a mess"']);
  });
  it('finds the ranges the character-by-character definition finds (fast-check)', () => {
    // quoteRanges jumps from quotation mark to quotation mark; this is the loop it replaced
    const reference = (text: string): Array<[number, number]> => {
      const ranges: Array<[number, number]> = [];
      let dOpen = -1;
      let sOpen = -1;
      const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '“' || c === '«') {
          if (dOpen < 0) dOpen = i;
        } else if (c === '”' || c === '»') {
          if (dOpen >= 0) { ranges.push([dOpen, i + 1]); dOpen = -1; }
        } else if (c === '"') {
          if (dOpen >= 0) { ranges.push([dOpen, i + 1]); dOpen = -1; } else dOpen = i;
        } else if (c === "'" || c === '‘' || c === '’') {
          const prev = text[i - 1];
          const pl = isAlnum(prev);
          const nl = isAlnum(text[i + 1]);
          if (pl && nl) continue;
          if (c === '‘' || (!pl && nl)) {
            if (sOpen < 0) sOpen = i;
          } else if (pl && !nl) {
            if (sOpen >= 0) { ranges.push([sOpen, i + 1]); sOpen = -1; }
          } else if (sOpen >= 0 && prev !== undefined && /[.,!?;:)…]/.test(prev)) {
            ranges.push([sOpen, i + 1]);
            sOpen = -1;
          }
        }
      }
      if (dOpen >= 0 && text.length - dOpen <= 300) ranges.push([dOpen, text.length]);
      if (sOpen >= 0 && text.length - sOpen <= 300) ranges.push([sOpen, text.length]);
      return ranges.sort((a, b) => a[0] - b[0]);
    };
    const piece = fc.constantFrom('"', "'", '‘', '’', '“', '”', '«', '»', 'a', 'Zoë', '٣', '7', ' ', '.', ',', '!', ')', '…', ';', '\n', '😀', 'x'.repeat(120));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((a) => a.join('')), (t) => assert.deepEqual(quoteRanges(t), reference(t))),
      { numRuns: 3000 },
    );
  });
  it('marks tokens inside quotes', () => {
    const text = "He said it was 'a volatile relationship' again.";
    const toks = splitSentences({ start: 0, end: text.length, text })[0].tokens;
    assert.deepEqual(toks.filter((t) => t.quoted && t.kind === 1).map((t) => t.norm), ['a', 'volatile', 'relationship']);
  });
});

describe('text: positions and counts', () => {
  it('maps offsets to lines and columns across CRLF', () => {
    const li = new LineIndex('ab\r\ncd\nef');
    assert.deepEqual(li.position(0), { line: 0, character: 0 });
    assert.deepEqual(li.position(5), { line: 1, character: 1 });
    assert.deepEqual(li.position(7), { line: 2, character: 0 });
  });
  it('counts words', () => {
    assert.equal(countWords("Mum's ex-partner hit her twice in 2021."), 7);
  });
});
