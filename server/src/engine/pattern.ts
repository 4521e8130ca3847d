// The rule pattern language: word- and lemma-aware token patterns, compiled ahead of time.
//
//   word        a word (case-insensitive, canonical spelling; "mum's" and "didn't" split as in text)
//   word~       any inflection of word (fail~ = fail, fails, failed, failing)
//   (a|b c)     alternatives, each a sequence
//   x?          optional element
//   *N          a gap of 0..N words (never across ; : or a dash)
//   @name       a class from the lexicon, or a role: @survivor @perpetrator @child @professional @person
//   %pred       a token predicate: %name %word %num %ly %cap %quoted
//   !x          zero-width: what follows here does not start with x
//   < ... >     the part to underline (top level only; default: the whole match)
//
// There are no regular expressions from rule files anywhere in matching, and matching is
// a memoised walk over (node, position) pairs on sentences of bounded length, so a rule pack
// cannot make matching super-linear in the size of the text.

import { inflect } from './morphology';
import { CONTRACTION_TAILS, normWord, tokenize, Token, TokenKind } from './text';

export type RoleName = 'survivor' | 'perpetrator' | 'child' | 'professional' | 'person';
export const ROLE_NAMES: readonly RoleName[] = ['survivor', 'perpetrator', 'child', 'professional', 'person'];
export type PredName = 'name' | 'word' | 'num' | 'ly' | 'cap' | 'quoted';
const PRED_NAMES: readonly PredName[] = ['name', 'word', 'num', 'ly', 'cap', 'quoted'];

export type PNode =
  | { t: 'lit'; w: string[] }
  | { t: 'seq'; n: PNode[] }
  | { t: 'alt'; n: PNode[] }
  | { t: 'opt'; n: PNode }
  | { t: 'gap'; max: number }
  | { t: 'role'; r: RoleName }
  | { t: 'pred'; p: PredName }
  | { t: 'not'; n: PNode };

/** A compiled pattern: prefix <core> suffix, plus the prefilter anchors. */
export interface CompiledPattern {
  source: string;
  prefix: PNode;
  core: PNode;
  suffix: PNode;
  /** At least one of these token norms occurs in any match; empty = no anchor (always tried). */
  anchors: string[];
}

export class PatternError extends Error {
  constructor(message: string, readonly column?: number) {
    super(message);
  }
}

export const LIMITS = {
  patternChars: 2000,
  nodes: 4000,
  gap: 8,
  classDepth: 8,
};

interface Lexer { toks: Array<{ v: string; col: number }>; i: number }

function lex(src: string): Lexer {
  const toks: Array<{ v: string; col: number }> = [];
  const re = /\s+|([()|<>?])|(\*\d+)|([@%][a-z][a-z0-9-]*)|(!)|([^\s()|<>?!]+)/gy;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    m = re.exec(src);
    if (!m) throw new PatternError(`unexpected character '${src[at]}'`, at + 1);
    if (m[0].trim() === '') continue;
    toks.push({ v: m[0], col: at + 1 });
  }
  return { toks, i: 0 };
}

export type ClassResolver = (name: string) => PNode | undefined;

interface Ctx {
  resolveClass: ClassResolver;
  nodes: number;
  marks: number;
}

/** Parses one pattern source into a compiled pattern (prefix / core / suffix). */
export function compilePattern(source: string, resolveClass: ClassResolver): CompiledPattern {
  if (source.length > LIMITS.patternChars) throw new PatternError(`pattern is longer than ${LIMITS.patternChars} characters`);
  const lx = lex(source);
  const ctx: Ctx = { resolveClass, nodes: 0, marks: 0 };
  // top level: a sequence that may contain < and >
  const parts: PNode[][] = [[]];
  let depthMarks = 0;
  while (lx.i < lx.toks.length) {
    const tk = lx.toks[lx.i];
    if (tk.v === '<') {
      if (depthMarks !== 0 || parts.length !== 1) throw new PatternError("'<' must appear once, before '>'", tk.col);
      depthMarks = 1; parts.push([]); lx.i++; continue;
    }
    if (tk.v === '>') {
      if (depthMarks !== 1) throw new PatternError("'>' without '<'", tk.col);
      depthMarks = 2; parts.push([]); lx.i++; continue;
    }
    if (tk.v === '|') throw new PatternError("'|' at the top level: write alternatives inside ( ) or as separate patterns", tk.col);
    if (tk.v === ')') throw new PatternError("unbalanced ')'", tk.col);
    parts[parts.length - 1].push(parseItem(lx, ctx));
  }
  if (depthMarks === 1) throw new PatternError("'<' without '>'");
  let prefix: PNode, core: PNode, suffix: PNode;
  if (parts.length === 1) {
    prefix = seq([]); core = seq(parts[0]); suffix = seq([]);
  } else {
    prefix = seq(parts[0]); core = seq(parts[1]); suffix = seq(parts[2] ?? []);
  }
  if (isEmptyable(core)) throw new PatternError('the underlined part of the pattern can match nothing');
  const whole = seq([prefix, core, suffix]);
  return { source, prefix, core, suffix, anchors: anchorsOf(whole) ?? [] };
}

function seq(n: PNode[]): PNode {
  return n.length === 1 ? n[0] : { t: 'seq', n };
}

function parseAlt(lx: Lexer, ctx: Ctx): PNode {
  const alts: PNode[] = [];
  let cur: PNode[] = [];
  for (;;) {
    const tk = lx.toks[lx.i];
    if (!tk) throw new PatternError("missing ')'");
    if (tk.v === ')') { lx.i++; alts.push(seq(cur)); break; }
    if (tk.v === '|') { lx.i++; alts.push(seq(cur)); cur = []; continue; }
    if (tk.v === '<' || tk.v === '>') throw new PatternError(`'${tk.v}' is only allowed at the top level`, tk.col);
    cur.push(parseItem(lx, ctx));
  }
  // merge single-word literal alternatives into one set lookup
  const lits = alts.filter((a): a is { t: 'lit'; w: string[] } => a.t === 'lit');
  const rest = alts.filter((a) => a.t !== 'lit');
  const merged: PNode[] = lits.length > 0 ? [{ t: 'lit', w: [...new Set(lits.flatMap((l) => l.w))] }, ...rest] : rest;
  return merged.length === 1 ? merged[0] : { t: 'alt', n: merged };
}

function parseItem(lx: Lexer, ctx: Ctx): PNode {
  if (++ctx.nodes > LIMITS.nodes) throw new PatternError(`pattern is too complex (more than ${LIMITS.nodes} elements)`);
  const tk = lx.toks[lx.i++];
  let node: PNode;
  if (tk.v === '(') {
    node = parseAlt(lx, ctx);
  } else if (tk.v === '!') {
    if (lx.i >= lx.toks.length) throw new PatternError("'!' must be followed by an element", tk.col);
    node = { t: 'not', n: parseItem(lx, ctx) };
    return node;
  } else if (tk.v === '?' || tk.v === '|' || tk.v === ')') {
    throw new PatternError(`unexpected '${tk.v}'`, tk.col);
  } else if (tk.v.startsWith('*')) {
    const max = Number(tk.v.slice(1));
    if (!(max >= 1 && max <= LIMITS.gap)) throw new PatternError(`gap ${tk.v} must be between *1 and *${LIMITS.gap}`, tk.col);
    node = { t: 'gap', max };
  } else if (tk.v.startsWith('@')) {
    const name = tk.v.slice(1);
    if ((ROLE_NAMES as readonly string[]).includes(name)) node = { t: 'role', r: name as RoleName };
    else {
      const resolved = ctx.resolveClass(name);
      if (!resolved) throw new PatternError(`unknown class @${name}`, tk.col);
      node = resolved;
    }
  } else if (tk.v.startsWith('%')) {
    const name = tk.v.slice(1);
    if (!(PRED_NAMES as readonly string[]).includes(name)) throw new PatternError(`unknown predicate %${name} (known: ${PRED_NAMES.map((p) => '%' + p).join(' ')})`, tk.col);
    node = { t: 'pred', p: name as PredName };
  } else {
    node = parseWord(tk.v, tk.col);
  }
  if (lx.toks[lx.i]?.v === '?') {
    lx.i++;
    node = { t: 'opt', n: node };
  }
  return node;
}

function parseWord(raw: string, col: number): PNode {
  let word = raw;
  let lemma = false;
  if (word.endsWith('~')) { lemma = true; word = word.slice(0, -1); }
  if (word.includes('~')) throw new PatternError(`'~' goes at the end of a word: ${raw}`, col);
  // a contraction or possessive written on its own ("@survivor 's", "did n't") is the token the text splits off
  const tail = word.toLowerCase().replace(/’/g, "'");
  if (!lemma && tail in CONTRACTION_TAILS) return { t: 'lit', w: [CONTRACTION_TAILS[tail]] };
  if (!lemma && tail === "n't") return { t: 'lit', w: ['not'] };
  const toks = tokenize(word).filter((t) => t.kind !== TokenKind.Punct || t.text !== '-');
  if (toks.length === 0) throw new PatternError(`'${raw}' is not a word`, col);
  const lits: PNode[] = toks.map((t) => ({ t: 'lit', w: [t.norm] }));
  if (lemma) {
    const last = toks[toks.length - 1];
    lits[lits.length - 1] = { t: 'lit', w: [...new Set(inflect(last.text.toLowerCase()).map(normWord))] };
  }
  return seq(lits);
}

function isEmptyable(n: PNode): boolean {
  switch (n.t) {
    case 'lit': case 'role': case 'pred': return false;
    case 'opt': case 'gap': case 'not': return true;
    case 'seq': return n.n.every(isEmptyable);
    case 'alt': return n.n.some(isEmptyable);
  }
}

/** A set of token norms of which every match contains at least one, or undefined if none exists. */
function anchorsOf(n: PNode): string[] | undefined {
  switch (n.t) {
    case 'lit': return n.w;
    case 'role': case 'pred': case 'opt': case 'gap': case 'not': return undefined;
    case 'alt': {
      const all: string[] = [];
      for (const c of n.n) {
        const a = anchorsOf(c);
        if (!a) return undefined;
        all.push(...a);
      }
      return [...new Set(all)];
    }
    case 'seq': {
      let best: string[] | undefined;
      for (const c of n.n) {
        const a = anchorsOf(c);
        if (a && (!best || rarity(a) < rarity(best))) best = a;
      }
      return best;
    }
  }
}

/**
 * Every set of words of which a match must contain at least one, for the whole pattern: a
 * sentence missing any of them cannot match, which the rule set checks before matching.
 */
export function requiredSets(p: CompiledPattern): string[][] {
  const out: string[][] = [];
  const walk = (n: PNode) => {
    if (n.t === 'lit') out.push(n.w);
    else if (n.t === 'seq') n.n.forEach(walk);
    else if (n.t === 'alt') { const a = anchorsOf(n); if (a) out.push(a); }
  };
  walk(p.prefix); walk(p.core); walk(p.suffix);
  return out;
}

/** How common a set of words is in case notes (lower = rarer = a better anchor). */
export function commonness(words: readonly string[]): number {
  return rarity([...words]);
}

const COMMON = new Set([
  'the', 'a', 'an', 'to', 'of', 'and', 'in', 'is', 'was', 'be', 'has', 'have', 'had', 'her', 'his', 'he', 'she', 'not',
  'on', 'at', 'for', 'with', 'by', 'that', 'it', 'were', 'are', "'s", 'as', 'from', 'this', 'they', 'them', 'their',
  'no', 'or', 'but', 'will', 'would', 'can', 'could', 'been', 'being', 'there', 'if', 'when', 'which', 'who', 'what',
  'so', 'up', 'out', 'about', 'into', 'after', 'before', 'all', 'any', 'some', 'more', 'also', 'than', 'then', 'him',
  'i', 'we', 'me', 'my', 'our', 'you', 'your', 'do', 'did', 'does', 'said', 'told', 'say', 'says', 'mum', 'dad', 'mother',
  'father', 'ms', 'mr', 'children', 'child', 'police', 'school', 'home', 'visit', 'back', 'time', 'should', 'may', 'must',
  'one', 'two', 'since', 'because', 'while', 'get', 'got', 'go', 'went', 'come', 'came', 'see', 'seen', 'saw', 'made',
]);
function rarity(words: string[]): number {
  return words.reduce((s, w) => s + (COMMON.has(w) ? 50 : 1), 0);
}

// ---------------------------------------------------------------------------
// Matching

/** Role references found in a sentence: for token index i, the roles starting there and their lengths. */
export type RoleIndex = Map<number, Array<{ role: RoleName; len: number }>>;

export interface MatchEnv {
  tokens: Token[];
  roles: RoleIndex;
}

export interface PatternMatch {
  /** Token indices: the whole match [start, end) and the underlined part [coreStart, coreEnd). */
  start: number;
  end: number;
  coreStart: number;
  coreEnd: number;
}

const BARRIER = new Set([';', ':', '—', '–', '|', '(', ')', '[', ']']);

/**
 * Runtime form of a pattern, built once per rule set: literal sets become Set lookups, every
 * node gets a number for the memo, and the pattern gets the set of words a match can start
 * with, so most start positions are rejected with one lookup. Compiled packs stay plain JSON.
 */
interface Prepared {
  ids: Map<PNode, number>;
  sets: Map<PNode, Set<string>>;
  /** What a match can start with; undefined when it can start anywhere (a leading gap). */
  first: Starts | undefined;
  /** The rarest set of words every match contains, and the longest a match can be: a match
   * must start within maxLen tokens before an occurrence of one of these words. */
  anchor: Set<string> | undefined;
  maxLen: number;
}
const prepared = new WeakMap<CompiledPattern, Prepared>();

/** The ways a match can begin: one of these words, a role reference, or a token passing a predicate. */
interface Starts {
  words: Set<string>;
  roles: boolean;
  preds: PredName[];
}

function prepare(p: CompiledPattern): Prepared {
  let r = prepared.get(p);
  if (r) return r;
  const ids = new Map<PNode, number>();
  const sets = new Map<PNode, Set<string>>();
  const walk = (n: PNode) => {
    if (ids.has(n)) return;
    ids.set(n, ids.size);
    if (n.t === 'lit') sets.set(n, new Set(n.w));
    else if (n.t === 'seq' || n.t === 'alt') n.n.forEach(walk);
    else if (n.t === 'opt' || n.t === 'not') walk(n.n);
  };
  walk(p.prefix); walk(p.core); walk(p.suffix);
  const f = firstOf({ t: 'seq', n: [p.prefix, p.core, p.suffix] });
  const req = requiredSets(p).sort((a, b) => commonness(a) - commonness(b));
  r = {
    ids, sets,
    first: f.any ? undefined : { words: f.words, roles: f.roles, preds: [...f.preds] },
    anchor: req.length > 0 ? new Set(req[0]) : undefined,
    maxLen: maxLength({ t: 'seq', n: [p.prefix, p.core, p.suffix] }),
  };
  prepared.set(p, r);
  return r;
}

/** Longest role reference the matcher expects ("the children's mother", "Mr John Paul Kerr"). */
const MAX_ROLE_TOKENS = 8;

/** The most tokens a node can consume. */
function maxLength(n: PNode): number {
  switch (n.t) {
    case 'lit': case 'pred': return 1;
    case 'role': return MAX_ROLE_TOKENS;
    case 'gap': return n.max;
    case 'not': return 0;
    case 'opt': return maxLength(n.n);
    case 'alt': return Math.max(0, ...n.n.map(maxLength));
    case 'seq': return n.n.reduce((a, c) => a + maxLength(c), 0);
  }
}

interface FirstInfo { words: Set<string>; roles: boolean; preds: Set<PredName>; empty: boolean; any: boolean }

/** What a node can start with; `empty` when it can match nothing; `any` when unbounded (a gap). */
function firstOf(n: PNode): FirstInfo {
  const none = (): FirstInfo => ({ words: new Set(), roles: false, preds: new Set(), empty: false, any: false });
  switch (n.t) {
    case 'lit': return { ...none(), words: new Set(n.w) };
    case 'role': return { ...none(), roles: true };
    case 'pred': return { ...none(), preds: new Set([n.p]) };
    case 'gap': return { ...none(), empty: true, any: true };
    case 'not': return { ...none(), empty: true };
    case 'opt': { const f = firstOf(n.n); return { ...f, empty: true }; }
    case 'alt': case 'seq': {
      const acc = none();
      acc.empty = n.t === 'alt' ? false : true;
      for (const c of n.n) {
        const f = firstOf(c);
        f.words.forEach((w) => acc.words.add(w));
        f.preds.forEach((x) => acc.preds.add(x));
        acc.roles ||= f.roles;
        acc.any ||= f.any;
        if (n.t === 'alt') acc.empty ||= f.empty;
        else if (!f.empty) { acc.empty = false; return acc; }
      }
      return acc;
    }
  }
}

function canStart(f: Starts, env: MatchEnv, pos: number): boolean {
  const t = env.tokens[pos];
  if (f.words.has(t.norm)) return true;
  if (f.roles && env.roles.has(pos)) return true;
  for (const p of f.preds) if (testPred(p, t, pos, env.tokens)) return true;
  return false;
}

type Memo = Map<number, number[]>;

/** Matches a compiled pattern against a sentence; returns non-overlapping matches, leftmost first. */
export function matchPattern(p: CompiledPattern, env: MatchEnv): PatternMatch[] {
  const prep = prepare(p);
  const out: PatternMatch[] = [];
  const n = env.tokens.length;
  let memo: Memo | undefined;
  // starts are only possible within maxLen tokens before an anchor word
  let allowedFrom = -1;
  let nextAnchor = -1;
  const findAnchor = (from: number) => {
    for (let q = from; q < n; q++) if (prep.anchor!.has(env.tokens[q].norm)) return q;
    return n + prep.maxLen;
  };
  let from = 0;
  for (let s = from; s < n; s++) {
    if (s < from) continue;
    if (prep.anchor) {
      if (nextAnchor < s) { nextAnchor = findAnchor(s); allowedFrom = nextAnchor - prep.maxLen + 1; }
      if (nextAnchor >= n) break;
      if (s < allowedFrom) { s = allowedFrom - 1; continue; }
    }
    if (prep.first && !canStart(prep.first, env, s)) continue;
    memo ??= new Map();
    const ctx: Ctx2 = { env, memo, prep };
    const pre = ends(p.prefix, s, ctx);
    let best: PatternMatch | undefined;
    for (const e of pre) {
      const cores = ends(p.core, e, ctx);
      for (const c of cores) {
        if (c === e) continue;
        const suf = ends(p.suffix, c, ctx);
        if (suf.length === 0) continue;
        let end = suf[0];
        for (const x of suf) if (x > end) end = x;
        if (!best || c - e > best.coreEnd - best.coreStart) best = { start: s, end, coreStart: e, coreEnd: c };
      }
    }
    if (best) {
      out.push(best);
      from = Math.max(best.coreEnd, s + 1);
    }
  }
  return out;
}

interface Ctx2 { env: MatchEnv; memo: Memo; prep: Prepared }

const EMPTY: number[] = [];

/** All positions where `node` can end when started at `pos` (memoised per sentence). */
function ends(node: PNode, pos: number, ctx: Ctx2): number[] {
  if (node.t === 'lit') {
    const t = ctx.env.tokens[pos];
    return t !== undefined && ctx.prep.sets.get(node)!.has(t.norm) ? [pos + 1] : EMPTY;
  }
  const key = ctx.prep.ids.get(node)! * 4096 + pos;
  const hit = ctx.memo.get(key);
  if (hit) return hit;
  ctx.memo.set(key, EMPTY); // guards against cycles through empty matches
  const res = compute(node, pos, ctx);
  ctx.memo.set(key, res);
  return res;
}

function compute(node: PNode, pos: number, ctx: Ctx2): number[] {
  const toks = ctx.env.tokens;
  switch (node.t) {
    case 'lit':
      return ends(node, pos, ctx);
    case 'pred': {
      const t = toks[pos];
      return t !== undefined && testPred(node.p, t, pos, toks) ? [pos + 1] : EMPTY;
    }
    case 'role': {
      const refs = ctx.env.roles.get(pos);
      if (!refs) return EMPTY;
      const r: number[] = [];
      for (const ref of refs) if (ref.role === node.r || (node.r === 'person' && ref.role !== 'professional')) r.push(pos + ref.len);
      return r;
    }
    case 'gap': {
      const r = [pos];
      for (let k = 1; k <= node.max; k++) {
        const t = toks[pos + k - 1];
        if (t === undefined || (t.kind === TokenKind.Punct && BARRIER.has(t.text))) break;
        r.push(pos + k);
      }
      return r;
    }
    case 'opt': {
      const inner = ends(node.n, pos, ctx);
      return inner.includes(pos) ? inner : [pos, ...inner];
    }
    case 'not':
      return ends(node.n, pos, ctx).length > 0 ? EMPTY : [pos];
    case 'alt': {
      let acc: number[] | undefined;
      for (const c of node.n) {
        const e = ends(c, pos, ctx);
        if (e.length === 0) continue;
        if (!acc) acc = e;
        else { if (acc === e) continue; const set = new Set(acc); for (const x of e) set.add(x); acc = [...set]; }
      }
      return acc ?? EMPTY;
    }
    case 'seq': {
      let cur: number[] = [pos];
      for (const c of node.n) {
        if (cur.length === 1) { cur = ends(c, cur[0], ctx); if (cur.length === 0) return EMPTY; continue; }
        const next = new Set<number>();
        for (const p of cur) for (const e of ends(c, p, ctx)) next.add(e);
        if (next.size === 0) return EMPTY;
        cur = [...next];
      }
      return cur;
    }
  }
}

const NOT_NAMES = new Set([
  'the', 'a', 'an', 'i', 'he', 'she', 'they', 'we', 'it', 'this', 'that', 'there', 'mum', 'dad', 'mother', 'father',
  'police', 'school', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january',
  'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
]);

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'adult', 'child', 'baby', 'sibling', 'mother', 'father', 'person', 'male', 'female']);

function testPred(p: PredName, t: Token, _pos: number, _toks: Token[]): boolean {
  switch (p) {
    case 'word': return t.kind === TokenKind.Word;
    case 'num': return t.kind === TokenKind.Number;
    case 'cap': return t.cap;
    case 'ly': return t.kind === TokenKind.Word && t.norm.length > 4 && t.norm.endsWith('ly');
    case 'name':
      // anonymised records: "Mr A", "Ms B" (a single capital after a title is a name, not the article)
      if (t.kind === TokenKind.Word && /^[A-Z]$/.test(t.text) && TITLES.has(_toks[_pos - 1]?.norm ?? '')) return true;
      return t.cap && t.kind === TokenKind.Word && !NOT_NAMES.has(t.norm) && t.norm !== "'s";
    case 'quoted': return t.quoted;
  }
}
