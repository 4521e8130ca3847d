// Numbered words. Every word a pattern or the rule set's prefilter tests gets a number (from
// 1; 0 is "a word no pattern tests"), and a sentence's tokens are looked up once, so the
// matcher and the prefilter compare integers instead of hashing token strings again for every
// pattern, node and position: those string lookups were the largest share of matching.

import { Token } from './text';

/**
 * Grows only with the words of patterns and rule sets (a few thousand for the built-in rules;
 * a user rule folder adds its own), never with the words of a text, so it needs no bound.
 */
const VOCAB = new Map<string, number>();

/** The number of a pattern word, assigned on first use. */
export function wordId(w: string): number {
  let id = VOCAB.get(w);
  if (id === undefined) {
    id = VOCAB.size + 1;
    VOCAB.set(w, id);
  }
  return id;
}

/** The largest id assigned so far. */
export function maxWordId(): number {
  return VOCAB.size;
}

/**
 * A word's id as tokenising records it (Token.wid): the id if the word has one, else ~n (a
 * negative number) for "no id while the vocabulary had n words". Patterns number their words
 * lazily, on first use, so the vocabulary can grow after a token was made: a recorded ~n with
 * n no longer the vocabulary's size is looked up again.
 */
export function recordedWordId(norm: string): number {
  return VOCAB.get(norm) ?? ~VOCAB.size;
}

/** Whether a recorded id (see recordedWordId) still holds. */
export function recordedIdHolds(wid: number): boolean {
  return wid > 0 || wid === ~VOCAB.size;
}

// The last sentence's ids: a sentence is matched by several patterns in a row (its candidates,
// then the role references), so one entry catches nearly every repeat.
let lastTokens: Token[] | undefined;
let lastSize = -1;
let lastIds: WordIds = [];

/** A sentence's word ids by token. A plain array: made for every sentence, and a typed array cost twice as much to make. */
export type WordIds = readonly number[];

/**
 * The word id of each token (0 for words no pattern tests). Ids stay valid for the words
 * numbered when they were computed: a pattern numbers its words before it asks for a
 * sentence's ids, so an id computed earlier can only be 0 for a word that pattern lacks.
 * Tokenising already looked each word up (Token.wid), so this reads those ids, and looks a
 * word up again only if the vocabulary grew since (or for a token made by hand, without one).
 */
export function tokenWordIds(tokens: Token[]): WordIds {
  const size = VOCAB.size;
  if (tokens === lastTokens && lastSize === size) return lastIds;
  const ids: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    let w = t.wid;
    if (w === undefined || !recordedIdHolds(w)) w = t.wid = recordedWordId(t.norm);
    ids.push(w > 0 ? w : 0);
  }
  lastTokens = tokens;
  lastSize = size;
  lastIds = ids;
  return ids;
}

/** A set of word ids, sorted: small sets (most) are scanned, large ones searched. */
export type IdSet = Int32Array;

export function idSet(words: Iterable<string>): IdSet {
  const ids = new Set<number>();
  for (const w of words) ids.add(wordId(w));
  return Int32Array.from(ids).sort();
}

export function hasId(set: IdSet, id: number): boolean {
  if (id === 0) return false;
  const n = set.length;
  if (n <= 8) {
    for (let i = 0; i < n; i++) if (set[i] === id) return true;
    return false;
  }
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = set[mid];
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * The same set as a bitmap over ids: one test per token however large the set. For the
 * per-pattern sets tested at every token of a sentence (a pattern's anchor and first words);
 * a node's set stays an IdSet, since a bitmap per node would cost memory for little.
 */
export function idBits(set: IdSet): Uint32Array {
  const bits = new Uint32Array(set.length === 0 ? 1 : (set[set.length - 1] >>> 5) + 1);
  for (const id of set) bits[id >>> 5] |= 1 << (id & 31);
  return bits;
}

export function hasBit(bits: Uint32Array, id: number): boolean {
  const k = id >>> 5;
  return k < bits.length && (bits[k] & (1 << (id & 31))) !== 0;
}
