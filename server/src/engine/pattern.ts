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
import { hasBit, hasId, idBits, IdSet, idSet, tokenWordIds, WordIds } from './wordIds';

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

/**
 * A set of token norms of which every match contains at least one, or undefined if none exists.
 * With `roles`, a role node counts as its role words (ROLE_WORDS), so the set may mix words
 * and roles: "a match holds one of these words or a reference to one of these roles".
 */
function anchorsOf(n: PNode, roles = false): string[] | undefined {
  switch (n.t) {
    case 'lit': return n.w;
    case 'role': return roles ? ROLE_WORDS[n.r] : undefined;
    case 'pred': case 'opt': case 'gap': case 'not': return undefined;
    case 'alt': {
      const all: string[] = [];
      for (const c of n.n) {
        const a = anchorsOf(c, roles);
        if (!a) return undefined;
        all.push(...a);
      }
      return [...new Set(all)];
    }
    case 'seq': {
      let best: string[] | undefined;
      for (const c of n.n) {
        const a = anchorsOf(c, roles);
        if (a && (!best || rarity(a) < rarity(best))) best = a;
      }
      return best;
    }
  }
}

/**
 * The pseudo-words standing for role references in the rule set's required sets (a token's
 * norm never starts with '@': the tokenizer makes '@' a punctuation token of its own). A role
 * node matches references to its role; @person matches any reference but a professional one.
 */
export const roleWord = (r: RoleName): string => '@' + r;
export const isRoleWord = (w: string): boolean => w.charCodeAt(0) === 64; // '@'
export const ROLE_WORDS: Readonly<Record<RoleName, string[]>> = {
  survivor: [roleWord('survivor')],
  perpetrator: [roleWord('perpetrator')],
  child: [roleWord('child')],
  professional: [roleWord('professional')],
  person: (['survivor', 'perpetrator', 'child', 'person'] as const).map(roleWord),
};

/**
 * Every set of words of which a match must contain at least one, for the whole pattern: a
 * sentence missing any of them cannot match, which the rule set checks before matching.
 * With `roles`, sets may hold role words (see anchorsOf): the rule set's prefilter, which
 * knows which roles a sentence can refer to, reads them; the matcher's anchor does not.
 */
export function requiredSets(p: CompiledPattern, roles = false): string[][] {
  const out: string[][] = [];
  const walk = (n: PNode) => {
    if (n.t === 'lit') out.push(n.w);
    else if (n.t === 'seq') n.n.forEach(walk);
    else if (n.t === 'alt' || (roles && n.t === 'role')) { const a = anchorsOf(n, roles); if (a) out.push(a); }
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
/** Role words count as very common: a sentence's roles are only known after its words, and most sentences can refer to the survivor. */
function rarity(words: string[]): number {
  return words.reduce((s, w) => s + (isRoleWord(w) ? 1000 : COMMON.has(w) ? 50 : 1), 0);
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
 * Runtime form of a pattern, built once per pattern (compiled packs stay plain JSON). Each
 * node knows its memo slot, its literal set and, when every match of it starts with a word,
 * the set of those words, as word ids (wordIds.ts): a node that cannot start at a token is
 * rejected by comparing integers, before any memo work. Alternatives are dispatched on the
 * token's word, so a class of a hundred phrases tries only the phrases that begin with the
 * word at hand, in their original order (the order decides ties between equally long
 * matches, so it must not change).
 */
interface RNode {
  t: PNode['t'];
  /** Memo slot (unique per pattern); -1 for word nodes and the empty sequence, which need none and are shared between patterns. */
  id: number;
  /** lit: the accepted norms. */
  set?: IdSet;
  /** seq / alt children; opt / not child. */
  kids?: RNode[];
  kid?: RNode;
  max?: number;
  r?: RoleName;
  p?: PredName;
  /** When set, every match of this node starts with one of these words (it never matches empty). */
  firstWords?: IdSet;
  /** alt: the children (indices into kids) worth trying at a token with this word id, and those for any other token. */
  byWord?: Map<number, number[]>;
  rest?: number[];
}

/**
 * A runtime node with every field present, in one order: nodes of every kind then share one
 * hidden class, so the matcher's reads of a node's fields stay monomorphic. With the fields
 * each kind needs added as it was built, nodes had eight shapes and those reads went through
 * V8's megamorphic lookups.
 */
function rnode(t: PNode['t'], id: number): RNode {
  return { t, id, set: undefined, kids: undefined, kid: undefined, max: undefined, r: undefined, p: undefined, firstWords: undefined, byWord: undefined, rest: undefined };
}

/**
 * What a runtime node derives from its source node alone: its word sets and an alternative's
 * dispatch table. A rule pack shares equal subtrees between patterns (packFormat.ts interns
 * them), so keyed by source node these are built once per pack instead of once per pattern
 * using a class: the per-pattern copies were most of a worker's heap once its patterns were
 * prepared. Runtime nodes themselves stay per pattern, since their memo slots are.
 */
interface NodeInfo { firstWords?: IdSet; set?: IdSet; byWord?: Map<number, number[]>; rest?: number[] }
const nodeInfos = new WeakMap<PNode, NodeInfo>();
const litNodes = new WeakMap<PNode, RNode>();

interface Prepared {
  prefix: RNode;
  core: RNode;
  suffix: RNode;
  /** What a match can start with; undefined when it can start anywhere (a leading gap). */
  first: Starts | undefined;
  /** The rarest set of words every match contains, and the longest a match can be: a match
   * must start within maxLen tokens before an occurrence of one of these words. */
  anchor: Uint32Array | undefined;
  maxLen: number;
  /** Runtime nodes in the pattern (memo slots 0..nodes-1). */
  nodes: number;
  /**
   * The prefix / suffix is empty (no `<`, or nothing before `<` or after `>`: most patterns).
   * Then it ends where it starts, which the match loop uses directly instead of asking `ends`
   * at every start (about a tenth of `ends` calls on the case-file corpus).
   */
  bareStart: boolean;
  bareEnd: boolean;
}
/**
 * A pattern's runtime form, kept on the pattern under a symbol (JSON of the pattern ignores it):
 * looked up on every match call, where a WeakMap lookup was a tenth of a failing call's cost.
 */
const PREPARED = Symbol('prepared');
type WithPrepared = CompiledPattern & { [PREPARED]?: Prepared };

/** The ways a match can begin: one of these words, a role reference, or a token passing a predicate. */
interface Starts {
  words: Uint32Array;
  roles: boolean;
  preds: PredName[];
}

function prepare(p: CompiledPattern): Prepared {
  let r = (p as WithPrepared)[PREPARED];
  if (r) return r;
  // class nodes can be shared between places in a pattern: one runtime node per source node
  const built = new Map<PNode, RNode>();
  const firsts = new Map<PNode, FirstInfo>();
  // first-word sets are shared between nodes, and so are their id sets
  const idSets = new Map<ReadonlySet<string>, IdSet>();
  const ids = (words: ReadonlySet<string>): IdSet => {
    let r = idSets.get(words);
    if (!r) idSets.set(words, (r = idSet(words)));
    return r;
  };
  const infoOf = (n: PNode, kids: RNode[] | undefined): NodeInfo => {
    let info = nodeInfos.get(n);
    if (info) return info;
    info = {};
    const f = firstOf(n, firsts);
    if (!f.empty && !f.any && !f.roles && f.preds.size === 0) info.firstWords = ids(f.words);
    if (n.t === 'lit') info.set = ids(f.words);
    if (n.t === 'alt') {
      // each list keeps the children in their original order
      const byWord = new Map<number, number[]>();
      const rest: number[] = [];
      kids!.forEach((k, i) => {
        if (!k.firstWords) {
          rest.push(i);
          for (const list of byWord.values()) list.push(i);
          return;
        }
        for (const w of k.firstWords) {
          let list = byWord.get(w);
          if (!list) byWord.set(w, (list = [...rest]));
          list.push(i);
        }
      });
      info.byWord = byWord;
      info.rest = rest;
    }
    nodeInfos.set(n, info);
    return info;
  };
  const build = (n: PNode): RNode => {
    if (n.t === 'lit') {
      // a word node is decided by its first-word test alone (see `ends`) and never takes a memo
      // slot, so one runtime node serves every pattern that holds the source node
      let l = litNodes.get(n);
      if (!l) {
        const info = infoOf(n, undefined);
        l = rnode('lit', -1);
        l.set = info.set;
        l.firstWords = info.firstWords;
        litNodes.set(n, l);
      }
      return l;
    }
    // an empty sequence ends where it starts: no memo slot either (see `ends`)
    if (isEmptySeq(n)) return EMPTY_SEQ;
    let b = built.get(n);
    if (b) return b;
    b = rnode(n.t, built.size);
    built.set(n, b);
    switch (n.t) {
      case 'gap': b.max = n.max; break;
      case 'role': b.r = n.r; break;
      case 'pred': b.p = n.p; break;
      case 'opt': case 'not': b.kid = build(n.n); break;
      case 'seq': case 'alt': b.kids = n.n.map(build); break;
    }
    const info = infoOf(n, b.kids);
    b.firstWords = info.firstWords;
    b.set = info.set;
    b.byWord = info.byWord;
    b.rest = info.rest;
    return b;
  };
  const prefix = build(p.prefix);
  const core = build(p.core);
  const suffix = build(p.suffix);
  const f = firstOf({ t: 'seq', n: [p.prefix, p.core, p.suffix] }, firsts);
  const req = requiredSets(p).sort((a, b) => commonness(a) - commonness(b));
  r = {
    prefix, core, suffix,
    first: f.any ? undefined : { words: idBits(ids(f.words)), roles: f.roles, preds: [...f.preds] },
    anchor: req.length > 0 ? idBits(idSet(req[0])) : undefined,
    maxLen: maxLength({ t: 'seq', n: [p.prefix, p.core, p.suffix] }),
    nodes: built.size,
    bareStart: isEmptySeq(p.prefix),
    bareEnd: isEmptySeq(p.suffix),
  };
  Object.defineProperty(p, PREPARED, { value: r });
  return r;
}

const isEmptySeq = (n: PNode): boolean => n.t === 'seq' && n.n.length === 0;
/** The runtime node of every empty sequence (an empty branch, an empty prefix), shared like word nodes. */
const EMPTY_SEQ: RNode = Object.assign(rnode('seq', -1), { kids: [] });

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

interface FirstInfo { words: ReadonlySet<string>; roles: boolean; preds: ReadonlySet<PredName>; empty: boolean; any: boolean }

/**
 * What a node can start with; `empty` when it can match nothing; `any` when unbounded (a gap).
 * `memo` (per pattern) keeps preparing a pattern linear in its size: every node asks this of its children.
 */
function firstOf(n: PNode, memo?: Map<PNode, FirstInfo>): FirstInfo {
  const hit = memo?.get(n);
  if (hit) return hit;
  const f = computeFirst(n, memo);
  memo?.set(n, f);
  return f;
}

// shared empty sets of the leaves' first-infos: nothing adds to a first-info once computed
const NO_WORDS: ReadonlySet<string> = new Set();
const NO_PREDS: ReadonlySet<PredName> = new Set();

function computeFirst(n: PNode, memo?: Map<PNode, FirstInfo>): FirstInfo {
  switch (n.t) {
    case 'lit': return { words: new Set(n.w), roles: false, preds: NO_PREDS, empty: false, any: false };
    case 'role': return { words: NO_WORDS, roles: true, preds: NO_PREDS, empty: false, any: false };
    case 'pred': return { words: NO_WORDS, roles: false, preds: new Set([n.p]), empty: false, any: false };
    case 'gap': return { words: NO_WORDS, roles: false, preds: NO_PREDS, empty: true, any: true };
    case 'not': return { words: NO_WORDS, roles: false, preds: NO_PREDS, empty: true, any: false };
    case 'opt': { const f = firstOf(n.n, memo); return { ...f, empty: true }; }
    case 'alt': case 'seq': {
      const words = new Set<string>();
      const preds = new Set<PredName>();
      const acc: FirstInfo = { words, roles: false, preds, empty: false, any: false };
      acc.empty = n.t === 'alt' ? false : true;
      // a sequence starting with something that cannot be empty starts as it does (shared, never mutated)
      if (n.t === 'seq' && n.n.length > 0) {
        const f0 = firstOf(n.n[0], memo);
        if (!f0.empty) return f0;
      }
      if (n.t === 'alt' && n.n.length === 1) return firstOf(n.n[0], memo);
      for (const c of n.n) {
        const f = firstOf(c, memo);
        f.words.forEach((w) => words.add(w));
        f.preds.forEach((x) => preds.add(x));
        acc.roles ||= f.roles;
        acc.any ||= f.any;
        if (n.t === 'alt') acc.empty ||= f.empty;
        else if (!f.empty) { acc.empty = false; return acc; }
      }
      return acc;
    }
  }
}

function canStart(f: Starts, env: MatchEnv, ids: WordIds, pos: number): boolean {
  const t = env.tokens[pos];
  if (hasBit(f.words, ids[pos])) return true;
  if (f.roles && env.roles.has(pos)) return true;
  for (const p of f.preds) if (testPred(p, t, pos, env.tokens)) return true;
  return false;
}

/**
 * The (node, position) -> end positions memo of one matchPattern call, in flat arrays reused
 * from call to call: slot node.id * stride + position, valid when its stamp is the call's
 * generation, so nothing is cleared or allocated per call. A fresh Map per call and a Map
 * lookup per (node, position) were the largest single cost of matching. Matching can re-enter
 * (a role node builds the sentence's role index, which matches the reference patterns), so
 * each nesting depth has its own table.
 */
class MemoTable {
  stamps = new Uint32Array(0);
  vals: Array<number[] | undefined> = [];
  gen = 0;
  stride = 0;
  /** Starts a call on a sentence of n tokens for a pattern of `nodes` nodes. */
  begin(nodes: number, n: number): void {
    this.stride = n + 1;
    const size = nodes * this.stride;
    if (size > this.stamps.length) {
      this.stamps = new Uint32Array(Math.max(size, this.stamps.length * 2));
      this.vals = new Array(this.stamps.length);
      this.gen = 0;
    }
    if (++this.gen === 0xffffffff) { this.stamps.fill(0); this.gen = 1; }
  }
}
const memoTables: MemoTable[] = [];
let memoDepth = 0;

/** What most calls return (nine in ten find nothing): shared, so frozen. */
const NO_MATCHES: PatternMatch[] = Object.freeze([]) as unknown as PatternMatch[];

/** Matches a compiled pattern against a sentence; returns non-overlapping matches, leftmost first (callers must not modify the array). */
export function matchPattern(p: CompiledPattern, env: MatchEnv): PatternMatch[] {
  const prep = prepare(p);
  let out = NO_MATCHES;
  const n = env.tokens.length;
  // after prepare: the pattern's words are numbered before the sentence's are looked up
  const ids = tokenWordIds(env.tokens);
  let ctx: Ctx2 | undefined;
  // starts are only possible within maxLen tokens before an anchor word
  const anchor = prep.anchor;
  let allowedFrom = -1;
  let nextAnchor = -1;
  let from = 0;
  try {
    for (let s = from; s < n; s++) {
      if (s < from) continue;
      if (anchor) {
        if (nextAnchor < s) {
          nextAnchor = s;
          while (nextAnchor < n && !hasBit(anchor, ids[nextAnchor])) nextAnchor++;
          if (nextAnchor === n) nextAnchor = n + prep.maxLen;
          allowedFrom = nextAnchor - prep.maxLen + 1;
        }
        if (nextAnchor >= n) break;
        if (s < allowedFrom) { s = allowedFrom - 1; continue; }
      }
      if (prep.first && !canStart(prep.first, env, ids, s)) continue;
      if (!ctx) {
        // claimed only now: canStart above may itself match (the role index), at this depth
        const memo = (memoTables[memoDepth] ??= new MemoTable());
        memoDepth++;
        memo.begin(prep.nodes, n);
        ctx = { env, ids, n, memo };
      }
      const pre = prep.bareStart ? single(s) : ends(prep.prefix, s, ctx);
      let best: PatternMatch | undefined;
      for (const e of pre) {
        const cores = ends(prep.core, e, ctx);
        for (const c of cores) {
          if (c === e) continue;
          let end = c;
          if (!prep.bareEnd) {
            const suf = ends(prep.suffix, c, ctx);
            if (suf.length === 0) continue;
            end = suf[0];
            for (const x of suf) if (x > end) end = x;
          }
          if (!best || c - e > best.coreEnd - best.coreStart) best = { start: s, end, coreStart: e, coreEnd: c };
        }
      }
      if (best) {
        if (out === NO_MATCHES) out = [];
        out.push(best);
        from = Math.max(best.coreEnd, s + 1);
      }
    }
  } finally {
    if (ctx) memoDepth--;
  }
  return out;
}

interface Ctx2 { env: MatchEnv; ids: WordIds; n: number; memo: MemoTable }

const EMPTY: number[] = [];
/** Shared one-position results: end-position arrays are never mutated, and most hold one position. */
const SINGLES: number[][] = [];
const single = (p: number): number[] => (SINGLES[p] ??= [p]);
/** Shared runs pos, pos+1, ..., pos+k (a gap's ends), by pos then k: a gap made a fresh array at every (node, position). */
const RUNS: number[][][] = [];
function run(pos: number, k: number): number[] {
  const byLen = (RUNS[pos] ??= []);
  let r = byLen[k];
  if (r === undefined) {
    r = [];
    for (let i = 0; i <= k; i++) r.push(pos + i);
    byLen[k] = r;
  }
  return r;
}

/** Shared lists [pos, end] for end > pos (an optional node that can also end later), by pos then end - pos. */
const PAIRS: number[][][] = [];
function pair(pos: number, end: number): number[] {
  const byGap = (PAIRS[pos] ??= []);
  return (byGap[end - pos] ??= [pos, end]);
}

/**
 * `acc` with the positions of `more` it lacks appended, in the order a Set would keep (the
 * order decides ties between equally long matches). Lists hold a few positions, so a scan
 * beats a Set, and `acc` itself is returned when nothing is new (lists are never mutated).
 */
function union(acc: number[], more: number[]): number[] {
  let out: number[] | undefined;
  for (let j = 0; j < more.length; j++) {
    const x = more[j];
    if (acc.includes(x) || (out !== undefined && out.includes(x))) continue;
    if (out === undefined) out = acc.slice();
    out.push(x);
  }
  return out ?? acc;
}

/** All positions where `node` can end when started at `pos` (memoised per sentence). */
function ends(node: RNode, pos: number, ctx: Ctx2): number[] {
  if (node.firstWords) {
    // the cheap rejection: most nodes cannot start at most tokens
    if (pos >= ctx.n || !hasId(node.firstWords, ctx.ids[pos])) return EMPTY;
    if (node.t === 'lit') return single(pos + 1);
  }
  // the shared empty sequence (word nodes, the other shared nodes, were answered above)
  if (node.id < 0) return single(pos);
  // a pattern is a tree (classes are expanded when compiled), so a node never waits on itself
  const memo = ctx.memo;
  const key = node.id * memo.stride + pos;
  if (memo.stamps[key] === memo.gen) return memo.vals[key]!;
  const res = compute(node, pos, ctx);
  // compute may have re-entered matching, but deeper calls use other tables: this one is intact
  memo.stamps[key] = memo.gen;
  memo.vals[key] = res;
  return res;
}

function compute(node: RNode, pos: number, ctx: Ctx2): number[] {
  const toks = ctx.env.tokens;
  switch (node.t) {
    case 'lit': {
      return pos < ctx.n && hasId(node.set!, ctx.ids[pos]) ? single(pos + 1) : EMPTY;
    }
    case 'pred': {
      const t = toks[pos];
      return t !== undefined && testPred(node.p!, t, pos, toks) ? single(pos + 1) : EMPTY;
    }
    case 'role': {
      const refs = ctx.env.roles.get(pos);
      if (!refs) return EMPTY;
      let r: number[] = EMPTY;
      for (const ref of refs) {
        if (ref.role !== node.r && (node.r !== 'person' || ref.role === 'professional')) continue;
        // "person" takes both adults: two references of one length are one end
        if (r === EMPTY) r = single(pos + ref.len);
        else if (!r.includes(pos + ref.len)) r = r.concat(pos + ref.len);
      }
      return r;
    }
    case 'gap': {
      let k = 0;
      for (; k < node.max!; k++) {
        const t = toks[pos + k];
        if (t === undefined || (t.kind === TokenKind.Punct && BARRIER.has(t.text))) break;
      }
      return run(pos, k);
    }
    case 'opt': {
      const inner = ends(node.kid!, pos, ctx);
      if (inner.length === 0) return single(pos);
      if (inner.length === 1 && inner[0] > pos) return pair(pos, inner[0]);
      return inner.includes(pos) ? inner : [pos, ...inner];
    }
    case 'not':
      return ends(node.kid!, pos, ctx).length > 0 ? EMPTY : single(pos);
    case 'alt': {
      const tried = (pos < ctx.n && node.byWord!.get(ctx.ids[pos])) || node.rest!;
      const kids = node.kids!;
      let acc: number[] | undefined;
      for (const i of tried) {
        const e = ends(kids[i], pos, ctx);
        if (e.length === 0) continue;
        if (!acc) acc = e;
        else if (acc !== e) acc = union(acc, e);
      }
      return acc ?? EMPTY;
    }
    case 'seq': {
      let cur: number[] = single(pos);
      for (const c of node.kids!) {
        if (cur.length === 1) { cur = ends(c, cur[0], ctx); if (cur.length === 0) return EMPTY; continue; }
        let next = EMPTY;
        for (const p of cur) {
          const e = ends(c, p, ctx);
          if (e.length !== 0) next = next === EMPTY ? e : next === e ? next : union(next, e);
        }
        if (next.length === 0) return EMPTY;
        cur = next;
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

/** /^[A-Z]$/ without a regular expression: %name is tested at every word of many sentences. */
function isCapitalLetter(text: string): boolean {
  if (text.length !== 1) return false;
  const c = text.charCodeAt(0);
  return c >= 65 && c <= 90;
}

function testPred(p: PredName, t: Token, _pos: number, _toks: Token[]): boolean {
  switch (p) {
    case 'word': return t.kind === TokenKind.Word;
    case 'num': return t.kind === TokenKind.Number;
    case 'cap': return t.cap;
    case 'ly': return t.kind === TokenKind.Word && t.norm.length > 4 && t.norm.endsWith('ly');
    case 'name':
      // anonymised records: "Mr A", "Ms B" (a single capital after a title is a name, not the article)
      if (t.kind === TokenKind.Word && isCapitalLetter(t.text) && TITLES.has(_toks[_pos - 1]?.norm ?? '')) return true;
      return t.cap && t.kind === TokenKind.Word && !NOT_NAMES.has(t.norm) && t.norm !== "'s";
    case 'quoted': return t.quoted;
  }
}
