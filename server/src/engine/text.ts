// Text segmentation: blocks (paragraphs), sentences and tokens, with UTF-16 offsets
// into the original document. Everything downstream (patterns, guards, roles) works
// on these tokens, so normalisation decisions made here apply to rules and text alike.

import { canonicalSpelling } from './spelling';
import { recordedIdHolds, recordedWordId } from './wordIds';

export const enum TokenKind {
  Word = 1,
  Number = 2,
  Punct = 3,
}

export interface Token {
  /** Surface text as written. */
  text: string;
  /** Normalised form used for matching (lower case, canonical spelling, expanded contractions). */
  norm: string;
  /** Absolute UTF-16 offsets into the document. */
  start: number;
  end: number;
  kind: TokenKind;
  /** First letter is upper case. */
  cap: boolean;
  /** Inside quotation marks. */
  quoted: boolean;
  /** Joined to the previous token by a hyphen ("one-off"). */
  hyphen: boolean;
  /**
   * @internal The word id of `norm` as tokenising found it (see recordedWordId in wordIds.ts);
   * read it through tokenWordIds, which checks it still holds. Absent on tokens made by hand.
   */
  wid?: number;
}

export interface Sentence {
  start: number;
  end: number;
  tokens: Token[];
}

export interface Block {
  /** Absolute offsets of the block in the document. */
  start: number;
  end: number;
  text: string;
}

/** Blocks larger than this are cut at a sentence end so memoisation and slicing stay fine-grained. */
export const MAX_BLOCK_CHARS = 8000;
/** Sentences longer than this many tokens are cut, which bounds the matcher's work per sentence. */
export const MAX_SENTENCE_TOKENS = 120;

const BLANK_LINE = /\r?\n[ \t\u00a0]*(?:\r?\n|\r)|\r[ \t\u00a0]*\r/g;

/** Splits a document into blocks at blank lines (the unit of memoisation). */
export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let pos = 0;
  const push = (s: number, e: number) => {
    // trim surrounding whitespace, keeping offsets exact
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e <= s) return;
    while (e - s > MAX_BLOCK_CHARS) {
      const cut = findCut(text, s, s + MAX_BLOCK_CHARS);
      blocks.push({ start: s, end: cut, text: text.slice(s, cut) });
      s = cut;
      while (s < e && isSpace(text.charCodeAt(s))) s++;
    }
    if (e > s) blocks.push({ start: s, end: e, text: text.slice(s, e) });
  };
  BLANK_LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BLANK_LINE.exec(text)) !== null) {
    push(pos, m.index);
    pos = m.index + m[0].length;
    // swallow further blank lines
    while (pos < text.length && (text[pos] === '\n' || text[pos] === '\r')) pos++;
    BLANK_LINE.lastIndex = pos;
  }
  push(pos, text.length);
  return blocks;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff;
}

/** A cut point near `limit`: after a sentence end if there is one, else at white space, never inside a surrogate pair. */
function findCut(text: string, from: number, limit: number): number {
  const floor = from + Math.floor((limit - from) / 2);
  for (let i = limit; i > floor; i--) {
    const c = text[i - 1];
    if ((c === '.' || c === '!' || c === '?' || c === '\n') && isSpace(text.charCodeAt(i))) return i;
  }
  for (let i = limit; i > floor; i--) if (isSpace(text.charCodeAt(i))) return i;
  let cut = limit;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return cut;
}

// ---------------------------------------------------------------------------
// Quotation regions

/** Returns sorted [start, end) character ranges of text inside quotation marks. */
export function quoteRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let dOpen = -1; // double quote open position
  let sOpen = -1; // single quote open position
  // a regular expression finds the next quotation mark several times faster than a loop over
  // every character of every block
  QUOTE_MARK.lastIndex = 0;
  for (let m = QUOTE_MARK.exec(text); m !== null; m = QUOTE_MARK.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 0x201c || c === 0xab) { // “ «
      if (dOpen < 0) dOpen = i;
    } else if (c === 0x201d || c === 0xbb) { // ” »
      if (dOpen >= 0) { ranges.push([dOpen, i + 1]); dOpen = -1; }
    } else if (c === 34) { // "
      if (dOpen >= 0) { ranges.push([dOpen, i + 1]); dOpen = -1; } else dOpen = i;
    } else if (c === 39 || c === 0x2018 || c === 0x2019) { // ' ‘ ’
      const pl = isAlnumAt(text, i - 1);
      const nl = isAlnumAt(text, i + 1);
      if (pl && nl) continue; // apostrophe inside a word
      if (c === 0x2018 || (!pl && nl)) {
        if (sOpen < 0) sOpen = i;
      } else if (pl && !nl) {
        if (sOpen >= 0) { ranges.push([sOpen, i + 1]); sOpen = -1; }
        // otherwise a plural possessive ("parents'") or a stray mark
      } else if (sOpen >= 0 && i > 0 && closesClause(text.charCodeAt(i - 1))) {
        ranges.push([sOpen, i + 1]);
        sOpen = -1;
      }
    }
  }
  // An unclosed quote near the end still marks speech; a distant one is more likely a stray mark.
  const UNCLOSED_LIMIT = 300;
  if (dOpen >= 0 && text.length - dOpen <= UNCLOSED_LIMIT) ranges.push([dOpen, text.length]);
  if (sOpen >= 0 && text.length - sOpen <= UNCLOSED_LIMIT) ranges.push([sOpen, text.length]);
  ranges.sort((a, b) => a[0] - b[0]);
  return ranges;
}

const QUOTE_MARK = /["'“”«»‘’]/g;

/** A letter or digit (one UTF-16 unit, as the quote scanner has always read it) at i; false outside the text. */
function isAlnumAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  return c < 128 ? isAlnum(c) : LETTER_OR_DIGIT.test(text[i]);
}
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** . , ! ? ; : ) … before a closing single quote. */
function closesClause(c: number): boolean {
  return c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58 || c === 41 || c === 0x2026;
}

// ---------------------------------------------------------------------------
// Tokens

/** @internal The definition of a token (tokenize scans ASCII by hand and agrees with it, as a test checks). */
export const TOKEN_RE = /(\p{N}+(?:[.,:/]\p{N}+)*(?:\p{L}+)?)|([\p{L}\p{M}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}]+)*(?:-[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*)*)|(\S)/gu;

export const CONTRACTION_TAILS: Record<string, string> = {
  "'s": "'s", "'re": 'are', "'ve": 'have', "'ll": 'will', "'d": 'would', "'m": 'am',
};

/** Normalises one word for matching; shared by rule compilation and analysis. */
export function normWord(w: string): string {
  const lower = w.toLowerCase().replace(/’/g, "'");
  return canonicalSpelling(lower);
}

/** Tokenises `text` (offsets relative to `base`). */
export function tokenize(text: string, base = 0, quotes: Array<[number, number]> = []): Token[] {
  const out: Token[] = [];
  let qi = 0;
  // most blocks quote nobody: then the hot paths make no call
  const anyQuotes = quotes.length > 0;
  const inQuote = (pos: number) => {
    while (qi < quotes.length && quotes[qi][1] <= pos) qi++;
    return qi < quotes.length && quotes[qi][0] <= pos && pos < quotes[qi][1];
  };
  // ASCII tokens are scanned by hand (the regular expression's match arrays and Unicode
  // classes were a large part of tokenising); a token that starts with, contains or is
  // followed by any other character goes to TOKEN_RE, which stays the definition.
  const len = text.length;
  let i = 0;
  while (i < len) {
    let c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) { i++; continue; }
    if (isLetter(c)) {
      // Most tokens are plain ASCII words: hash one while scanning it and find it in the word table
      // without slicing it out (a word ending at ' - or past ASCII takes the long way below).
      let h = FNV_OFFSET;
      let j = i;
      do {
        h = Math.imul(h ^ c, FNV_PRIME);
        c = text.charCodeAt(++j);
      } while (isAlnum(c));
      if (!(c >= 128 || c === 39 || c === 45)) {
        const k = wordIndex(text, i, j, h);
        if (k < 0) pushWord(text.slice(i, j), i, false);
        else out.push(mkToken(wordTexts[k], wordNorms[k], base + i, TokenKind.Word, wordCaps[k] === 1, anyQuotes && inQuote(i), false, entryWordId(k)));
        i = j;
        continue;
      }
      c = text.charCodeAt(i);
    }
    if (c < 128) {
      const e = asciiTokenEnd(text, i);
      if (e >= 0) {
        if (isDigit(c)) number(text.slice(i, e), i);
        else if (isLetter(c)) word(text.slice(i, e), i);
        else punct(text[i], i);
        i = e;
        continue;
      }
    }
    TOKEN_RE.lastIndex = i;
    const m = TOKEN_RE.exec(text);
    if (m === null) break;
    if (m[1] !== undefined) number(m[0], m.index);
    else if (m[2] !== undefined) word(m[0], m.index);
    else punct(m[0], m.index);
    i = TOKEN_RE.lastIndex;
  }
  return out;

  function number(raw: string, s: number) {
    out.push(mk(raw, raw.toLowerCase(), s, TokenKind.Number, false));
  }

  function word(raw: string, s: number) {
    // hyphenated compounds become separate word tokens joined by `hyphen`; most words have
    // no hyphen, and splitting them anyway allocated an array per word
    if (raw.indexOf('-') < 0) { pushWord(raw, s, false); return; }
    let off = 0;
    const parts = raw.split('-');
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (part.length > 0) pushWord(part, s + off, p > 0);
      off += part.length + 1;
    }
  }

  function punct(raw: string, s: number) {
    const norm = raw === '’' || raw === '‘' ? "'" : raw;
    out.push(mkToken(raw, norm, base + s, TokenKind.Punct, false, anyQuotes && inQuote(s), false, punctId(norm)));
  }

  function mk(t: string, norm: string, s: number, kind: TokenKind, hyphen: boolean): Token {
    return mkToken(t, norm, base + s, kind, kind === TokenKind.Word && isCap(t), inQuote(s), hyphen, recordedWordId(norm));
  }

  function pushWord(word: string, s: number, hyphen: boolean) {
    const hasApostrophe = word.includes("'") || word.includes('’');
    if (!hasApostrophe) {
      const k = wordIndex(text, s, s + word.length, hashOf(word));
      if (k >= 0) {
        out.push(mkToken(wordTexts[k], wordNorms[k], base + s, TokenKind.Word, wordCaps[k] === 1, inQuote(s), hyphen, entryWordId(k)));
        return;
      }
    }
    const lower = hasApostrophe ? word.toLowerCase().replace(/’/g, "'") : word.toLowerCase();
    // contractions and possessives split into their own tokens
    const nt = /^(.+?)(n't)$/.exec(lower);
    if (nt) {
      let head = nt[1];
      if (head === 'ca') head = 'can';
      else if (head === 'wo') head = 'will';
      else if (head === 'sha') head = 'shall';
      const hl = nt[1].length;
      out.push(mk(word.slice(0, hl), canonicalSpelling(head), s, TokenKind.Word, hyphen));
      out.push(mk(word.slice(hl), 'not', s + hl, TokenKind.Word, false));
      return;
    }
    const ap = /^(.+?)('(?:s|re|ve|ll|d|m))$/.exec(lower);
    if (ap) {
      const hl = ap[1].length;
      out.push(mk(word.slice(0, hl), canonicalSpelling(ap[1]), s, TokenKind.Word, hyphen));
      out.push(mk(word.slice(hl), CONTRACTION_TAILS[ap[2]], s + hl, TokenKind.Word, false));
      return;
    }
    // Scots "da" (dad) and the acronym "DA" (domestic abuse) differ only in case
    if (lower === 'da' && word !== 'DA') {
      out.push(mk(word, 'da/dad', s, TokenKind.Word, hyphen));
      return;
    }
    if (lower === 'cannot') {
      out.push(mk(word.slice(0, 3), 'can', s, TokenKind.Word, hyphen));
      out.push(mk(word.slice(3), 'not', s + 3, TokenKind.Word, false));
      return;
    }
    out.push(mk(word, canonicalSpelling(lower), s, TokenKind.Word, hyphen));
  }
}

/** Every token is made here, so all have one shape (the matcher and guards read millions). */
function mkToken(text: string, norm: string, start: number, kind: TokenKind, cap: boolean, quoted: boolean, hyphen: boolean, wid: number): Token {
  return { text, norm, start, end: start + text.length, kind, cap, quoted, hyphen, wid };
}

/** Recorded ids of ASCII punctuation (0: not looked up yet), a tenth of all tokens. */
const PUNCT_IDS = new Int32Array(128);
function punctId(norm: string): number {
  const c = norm.charCodeAt(0);
  if (norm.length !== 1 || c >= 128) return recordedWordId(norm);
  const w = PUNCT_IDS[c];
  return w !== 0 && recordedIdHolds(w) ? w : (PUNCT_IDS[c] = recordedWordId(norm));
}

/** First letter is upper case; ASCII without allocating (only A-Z differ from their lower case). */
function isCap(t: string): boolean {
  const first = t.charCodeAt(0);
  return first < 0xd800 && (first < 128 ? first >= 65 && first <= 90 : t[0] !== t[0].toLowerCase());
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isAlnum = (c: number) => isDigit(c) || isLetter(c);

/*
 * The hand scanners below follow TOKEN_RE's number and word alternatives over ASCII only. Each
 * returns where the token ends, or -1 as soon as the answer could depend on a character
 * outside ASCII (a letter, mark, digit or ’ that TOKEN_RE's Unicode classes would take in), so
 * the caller asks TOKEN_RE. Past the end of the text charCodeAt is NaN: every test is false.
 */

/**
 * @internal Where TOKEN_RE's match at i ends, for a character at i in ASCII and not white
 * space; -1 when only TOKEN_RE can tell.
 */
export function asciiTokenEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return isDigit(c) ? scanNumber(text, i) : isLetter(c) ? scanWord(text, i) : i + 1;
}

/** \p{N}+(?:[.,:/]\p{N}+)*(?:\p{L}+)? from a digit at i. */
function scanNumber(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    while (isDigit(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c >= 128) return -1;
    if (c !== 46 && c !== 44 && c !== 58 && c !== 47) break;
    const n = text.charCodeAt(j + 1);
    if (n >= 128) return -1;
    if (!isDigit(n)) break;
    j += 2;
  }
  while (isLetter(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) >= 128 ? -1 : j;
}

/** The word alternative of TOKEN_RE from a letter at i. */
function scanWord(text: string, i: number): number {
  let j = scanApostrophes(text, scanAlnums(text, i + 1));
  while (j >= 0 && text.charCodeAt(j) === 45) {
    const n = text.charCodeAt(j + 1);
    if (n >= 128) return -1;
    if (!isAlnum(n)) break;
    j = scanApostrophes(text, scanAlnums(text, j + 2));
  }
  return j;
}

function scanAlnums(text: string, j: number): number {
  while (isAlnum(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) >= 128 ? -1 : j;
}

/** (?:['’][\p{L}\p{M}]+)* from j (-1 passes through). */
function scanApostrophes(text: string, j: number): number {
  while (j >= 0 && text.charCodeAt(j) === 39) {
    const n = text.charCodeAt(j + 1);
    if (n >= 128) return -1;
    if (!isLetter(n)) break;
    j += 2;
    while (isLetter(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) >= 128) return -1;
  }
  return j;
}

/*
 * Plain words (no apostrophe or hyphen) as written, with their norms and word ids, cached: a
 * note repeats a few thousand word forms, and slicing each word out, lower-casing it, its
 * canonical spelling and two map look-ups (norm, then word id) were most of tokenising. An
 * open-addressing table keyed by a hash of the characters, so a word is found in the text
 * without slicing it out first (a token's `text` is then the cached string). Its parts are
 * typed arrays, the characters in one pool: a look-up touches a few compact arrays instead of
 * an entry object and its string scattered over the heap, which mattered more than the
 * instructions once the matcher had filled the caches. Bounded, and cleared when full, so a
 * huge text cannot grow it without limit.
 */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
const SLOT_BITS = 15;
const SLOT_MASK = (1 << SLOT_BITS) - 1;
/** At most half the slots are used, so probes stay short. */
const MAX_WORDS = 1 << (SLOT_BITS - 1);
/** Longer words are not cached (they are rare, and the pool has a fixed size). */
const MAX_CACHED_LENGTH = 48;
const POOL_CHARS = MAX_WORDS * 16;
/** Entry index + 1 by slot; 0 is an empty slot. */
const slots = new Int32Array(1 << SLOT_BITS);
const wordHashes = new Int32Array(MAX_WORDS);
const wordStarts = new Int32Array(MAX_WORDS);
const wordLengths = new Uint8Array(MAX_WORDS);
const pool = new Uint16Array(POOL_CHARS);
const wordTexts: string[] = [];
const wordNorms: string[] = [];
const wordCaps = new Uint8Array(MAX_WORDS);
/** Ids as recordedWordId gave them; refreshed when the vocabulary has grown since (see wordId). */
const wordIds = new Int32Array(MAX_WORDS);
let wordCount = 0;
let poolUsed = 0;

function hashOf(w: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * The entry of the plain word text[s, e), whose hashOf is h (made on first sight); -1 for a
 * word too long to cache and for "da" and "cannot" in any case, which split or depend on case.
 */
function wordIndex(text: string, s: number, e: number, h: number): number {
  const n = e - s;
  if (n > MAX_CACHED_LENGTH) return -1;
  let slot = h & SLOT_MASK;
  for (let k = slots[slot]; k !== 0; k = slots[slot]) {
    const i = k - 1;
    if (wordHashes[i] === h && wordLengths[i] === n && samePoolChars(wordStarts[i], text, s, n)) return i;
    slot = (slot + 1) & SLOT_MASK;
  }
  const word = text.slice(s, e);
  const lower = word.toLowerCase();
  if (lower === 'da' || lower === 'cannot') return -1;
  if (wordCount === MAX_WORDS || poolUsed + n > POOL_CHARS) {
    slots.fill(0);
    wordCount = 0;
    poolUsed = 0;
    slot = h & SLOT_MASK;
  }
  const i = wordCount++;
  slots[slot] = i + 1;
  wordHashes[i] = h;
  wordStarts[i] = poolUsed;
  wordLengths[i] = n;
  for (let j = 0; j < n; j++) pool[poolUsed + j] = text.charCodeAt(s + j);
  poolUsed += n;
  const norm = canonicalSpelling(lower);
  wordTexts[i] = word;
  wordNorms[i] = norm;
  wordCaps[i] = isCap(word) ? 1 : 0;
  wordIds[i] = recordedWordId(norm);
  return i;
}

function samePoolChars(at: number, text: string, s: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (pool[at + j] !== text.charCodeAt(s + j)) return false;
  return true;
}

/** Entry k's word id, looked up again if the vocabulary grew since it was recorded. */
function entryWordId(k: number): number {
  const w = wordIds[k];
  return recordedIdHolds(w) ? w : (wordIds[k] = recordedWordId(wordNorms[k]));
}

// ---------------------------------------------------------------------------
// Sentences

const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'prof', 'rev', 'sgt', 'pc', 'dc', 'insp', 'no', 'vs', 'approx', 'etc', 'ref',
  'tel', 'dept', 'cllr', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'e', 'g', 'i', 'cf', 'al', 'para', 's', 'ss', 'fig', 'mt', 'ave', 'rd',
]);

/** Titles written before a name, with or without a full stop. */
const TITLES = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'miss', 'prof', 'rev', 'sgt', 'pc', 'dc', 'insp', 'cllr']);

/** Splits a block into sentences of tokens. Offsets stay absolute. */
export function splitSentences(block: Block): Sentence[] {
  const quotes = quoteRanges(block.text);
  const tokens = tokenize(block.text, block.start, quotes.map(([s, e]) => [s, e] as [number, number]));
  const sentences: Sentence[] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length > 0) {
      sentences.push({ start: cur[0].start, end: cur[cur.length - 1].end, tokens: cur });
      cur = [];
    }
  };
  const text = block.text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = cur.length > 0 ? cur[cur.length - 1] : undefined;
    if (prev && hardBreakBetween(text, block.start, prev, t)) flush();
    cur.push(t);
    if (t.kind === TokenKind.Punct && (t.text === '.' || t.text === '!' || t.text === '?' || t.text === '…')) {
      // take closing quotes and brackets with the sentence
      while (i + 1 < tokens.length && tokens[i + 1].kind === TokenKind.Punct && /^[)"”'’\]]$/.test(tokens[i + 1].text) && tokens[i + 1].start === cur[cur.length - 1].end) {
        cur.push(tokens[++i]);
      }
      const next = tokens[i + 1];
      if (t.text === '.' && prev && isAbbreviation(prev, next, text, block.start)) {
        // "Mr. Kerr" reads as "Mr Kerr": the title's full stop is not a token, so "mr %name" matches both
        if (TITLES.has(prev.norm) && next && next.kind === TokenKind.Word && next.cap) cur.pop();
        continue;
      }
      if (next && next.kind === TokenKind.Word && !next.cap && next.start - t.end <= 1 && t.text === '.') continue;
      flush();
    } else if (cur.length >= MAX_SENTENCE_TOKENS) {
      flush();
    }
  }
  flush();
  return sentences;
}

function isAbbreviation(prev: Token, next: Token | undefined, text: string, base: number): boolean {
  if (prev.kind !== TokenKind.Word) return false;
  if (!ABBREVIATIONS.has(prev.norm)) return false;
  // "Mr. Kerr", "e.g. the", "approx. 3": the next token continues the sentence
  if (!next) return false;
  const gap = text.slice(prev.end - base + 1, next.start - base);
  if (gap.includes('\n')) return false;
  if (prev.text.length === 1 && prev.cap && next.cap) return true; // initials
  return prev.cap || next.kind !== TokenKind.Word || !next.cap || ['mr', 'mrs', 'ms', 'dr', 'st', 'pc', 'dc', 'sgt', 'cllr', 'prof', 'rev', 'insp'].includes(prev.norm);
}

/** A line break ends a sentence unless it is a soft wrap inside running text. */
function hardBreakBetween(text: string, base: number, prev: Token, next: Token): boolean {
  // called for every pair of tokens: scan the gap (usually one space) without slicing it
  let lineBreak = false;
  for (let i = prev.end - base, e = next.start - base; i < e && !lineBreak; i++) {
    const c = text.charCodeAt(i);
    lineBreak = c === 10 || c === 13;
  }
  if (!lineBreak) return false;
  if (next.kind !== TokenKind.Word || next.cap) return true;
  if (prev.kind === TokenKind.Punct && /[.!?:;|]/.test(prev.text)) return true;
  // lower-case continuation after an unpunctuated line is a soft wrap
  const lineStart = text.lastIndexOf('\n', prev.end - base - 1) + 1;
  return prev.end - base - lineStart < 40;
}

/** Counts words the way the audit reports rates: runs of letters and digits, joined by ' ’ or -. */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let alnum: boolean;
    if (c < 128) alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    else alnum = WORD_CHAR.test(text[i]) || (c >= 0xd800 && c <= 0xdfff && /[\p{L}\p{N}]/u.test(text.slice(i, i + 2)));
    if (alnum) {
      if (!inWord) { n++; inWord = true; }
    } else if (inWord && (c === 39 || c === 0x2019 || c === 45) && i + 1 < text.length && isWordStart(text, i + 1)) {
      // an apostrophe or hyphen inside a word joins its two halves
    } else inWord = false;
  }
  return n;
}
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
function isWordStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD_CHAR.test(text[i]);
}

/**
 * Maps UTF-16 offsets to 0-based lines and characters (line breaks \n, \r\n and \r). The line
 * starts are found on construction, or a slice at a time with `scan` when built with
 * `{ lazy: true }`, so a caller that must not block (the language server on a 10 MB note) can
 * spread the work.
 */
export class LineIndex {
  private readonly starts: number[] = [0];
  private scanned = 0;
  constructor(private readonly text: string, opts: { lazy?: boolean } = {}) {
    if (!opts.lazy) this.scan(Infinity);
  }

  /** Finds the line starts in about `chars` more characters; true once the whole text is indexed. */
  scan(chars: number): boolean {
    const t = this.text;
    const end = Math.min(t.length, this.scanned + chars);
    let i = this.scanned;
    for (; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && t.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
    this.scanned = i;
    return this.scanned >= t.length;
  }

  /** Line starts found so far (all of them once `scan` returned true). */
  get lineStarts(): readonly number[] {
    return this.starts;
  }

  /** 0-based line and character, as LSP positions. */
  position(offset: number): { line: number; character: number } {
    const line = lineAt(this.starts, offset);
    return { line, character: offset - this.starts[line] };
  }
}

/** The line holding `offset`, by binary search over sorted line starts (the first is 0). */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
