// The runtime rule set: compiled rules plus an anchor index, so a sentence only runs the
// patterns whose rarest required word occurs in it (the cheap prefilter in front of matching).

import { PackedRulePack, planOf, rulesOf } from './packFormat';
import { commonness, isRoleWord, requiredSets, ROLE_NAMES, roleWord } from './pattern';
import { CompiledRule, RulePack } from './ruleset';
import { NameTable, possibleRoles, RefPatterns, RefsPossible, roleBit } from './roles';
import { Token } from './text';
import { maxWordId, tokenWordIds, wordId } from './wordIds';

const REF_KINDS = ['femaleRef', 'maleRef', 'survivorGeneric', 'perpetratorGeneric', 'childRef', 'professionalRef'] as const;

/** No candidates (shared, so frozen). */
const NONE: ReadonlyArray<[number, number]> = Object.freeze([]);

export class RuleSet {
  /**
   * By word id (wordIds.ts, shared with the matcher, so a sentence's words are looked up once
   * for both): the patterns indexed on that word (their rarest required set contains it).
   * Words numbered after this rule set was built are in none of its sets.
   */
  private readonly index: number[][] = [];
  private readonly unanchored: number[] = [];
  private readonly pairs: Array<[number, number]> = [];
  /** Per pattern: ids of the other sets of words that must all be present (one word of each). */
  private readonly required: number[][] = [];
  /**
   * Word id -> the sets containing it: a sentence marks the sets of the words it has, instead
   * of scanning each required set's words (a class can hold a hundred) for one it has.
   */
  private readonly setsOfWord: Int32Array[];
  /**
   * The commonest words ("the", "to", ...) are in a hundred sets each and in most sentences:
   * marking their sets was most of the prefilter's cost. Up to 62 of them are bits instead, in
   * two 31-bit masks (`hotBit`, `hotBit2` by word id); a set's `setHot`/`setHot2` hold the bits
   * of those it contains and the sentence's `hot`/`hot2` those it has, so such a set holds when
   * the masks meet.
   */
  private readonly hotBit: Int32Array;
  private readonly hotBit2: Int32Array;
  private readonly setHot: Int32Array;
  private readonly setHot2: Int32Array;
  private hot = 0;
  private hot2 = 0;
  /**
   * Per set: the roles (roleBit mask) whose role words it holds. Such a set also holds when
   * the sentence can refer to one of those roles, which is only worked out (possibleRoles) for
   * a sentence where a pattern needs it: most sentences have no such candidate.
   */
  private readonly setRoles: Uint8Array;
  /** Reused per call, stamped with `generation` so nothing is cleared between sentences. */
  private readonly stamp: Uint32Array;
  private readonly wordSeen: Uint32Array;
  /** Stamped with `generation` when the current sentence has a word of the set. */
  private readonly setOk: Uint32Array;
  private generation = 0;
  /** Per generic reference pattern (REF_KINDS order): the ids of the sets of words it needs. */
  private readonly refSets: number[][];
  private readonly refsPossible = {} as RefsPossible;
  /** The current sentence's possible roles, when `rolesGen` is the current generation. */
  private roles = 0;
  private rolesGen = 0;
  /** The current sentence's distinct words (reused: candidates() is not re-entered). */
  private readonly present: number[] = [];

  constructor(readonly version: string, readonly rules: CompiledRule[], readonly refs: RefPatterns) {
    const setIds = new Map<string, number>();
    // set id -> word ids; identical sets share an id
    const sets: Int32Array[] = [];
    // word id -> how common the word is (pattern.ts' rarity heuristic), for the words of the sets
    const weight = new Map<number, number>();
    const setId = (words: string[]) => {
      const key = [...new Set(words)].sort().join('\0');
      let id = setIds.get(key);
      if (id === undefined) {
        id = sets.length;
        setIds.set(key, id);
        sets.push(Int32Array.from(new Set(words), wordId));
        for (const w of words) if (!isRoleWord(w)) weight.set(wordId(w), commonness([w]));
      }
      return id;
    };
    rules.forEach((r, ri) => {
      // a packed rule brings its plan, so no pattern tree is parsed or walked here
      planOf(r).forEach((plan, pi) => {
        const id = this.pairs.length;
        this.pairs.push([ri, pi]);
        // index on the rarest required set; the others are checked before matching. Role
        // words sort last: a pattern whose rarest set holds one needs roles and no word, so it
        // is tried on every sentence, after a check of all its sets
        const anchors = plan[0];
        const byRole = anchors.some(isRoleWord);
        this.required.push((byRole ? plan : plan.slice(1)).map(setId));
        if (anchors.length === 0 || byRole) this.unanchored.push(id);
        else for (const a of new Set(anchors)) (this.index[wordId(a)] ??= []).push(id);
      });
    });
    this.refSets = REF_KINDS.map((k) => requiredSets(refs[k]).map(setId));
    const roleBits = new Map(ROLE_NAMES.map((r) => [wordId(roleWord(r)), roleBit(r)]));
    this.setRoles = Uint8Array.from(sets, (ws) => ws.reduce((m, w) => m | (roleBits.get(w) ?? 0), 0));
    this.stamp = new Uint32Array(this.pairs.length);
    const words = maxWordId() + 1;
    for (let w = 0; w < words; w++) this.index[w] ??= [];
    this.wordSeen = new Uint32Array(words);
    const byWord: number[][] = Array.from({ length: words }, () => []);
    sets.forEach((ws, sid) => { for (const w of ws) if (!roleBits.has(w)) byWord[w].push(sid); });
    // the hot words: the most marking work by an estimate, sets of the word times how common it is
    const hot = [...weight].map(([w, c]) => [w, byWord[w].length * c]).filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 62);
    this.hotBit = new Int32Array(words);
    this.hotBit2 = new Int32Array(words);
    hot.forEach(([w], k) => { if (k < 31) this.hotBit[w] = 1 << k; else this.hotBit2[w] = 1 << (k - 31); byWord[w] = []; });
    this.setHot = Int32Array.from(sets, (ws) => ws.reduce((m, w) => m | this.hotBit[w], 0));
    this.setHot2 = Int32Array.from(sets, (ws) => ws.reduce((m, w) => m | this.hotBit2[w], 0));
    this.setsOfWord = byWord.map((l) => Int32Array.from(l));
    this.setOk = new Uint32Array(sets.length);
  }

  /** From a pack as compiled (`RulePack`) or as dist/rules.json holds it (`PackedRulePack`). */
  static fromPack(pack: RulePack | PackedRulePack): RuleSet {
    return new RuleSet(pack.version, rulesOf(pack), pack.refs);
  }

  /** A rule set with extra rules appended (user rule folders); ids already present are replaced. */
  withRules(extra: CompiledRule[], version = this.version): RuleSet {
    const ids = new Set(extra.map((r) => r.id));
    return new RuleSet(version, [...this.rules.filter((r) => !ids.has(r.id)), ...extra], this.refs);
  }

  /**
   * [ruleIndex, patternIndex] pairs that may match this sentence, in rule order. With the
   * note's name table, a pattern needing a reference to a role the sentence cannot refer to
   * is left out (possibleRoles); without one, every role counts as possible.
   */
  candidates(tokens: Token[], table?: NameTable): ReadonlyArray<[number, number]> {
    const gen = ++this.generation === 0xffffffff ? this.resetStamps() : this.generation;
    const ids: number[] = [];
    const present = this.present;
    present.length = 0;
    const words = tokenWordIds(tokens);
    const known = this.wordSeen.length;
    let hot = 0;
    let hot2 = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w !== 0 && w < known && this.wordSeen[w] !== gen) {
        this.wordSeen[w] = gen;
        present.push(w);
        hot |= this.hotBit[w];
        hot2 |= this.hotBit2[w];
        const sets = this.setsOfWord[w];
        for (let k = 0; k < sets.length; k++) this.setOk[sets[k]] = gen;
      }
    }
    this.hot = hot;
    this.hot2 = hot2;
    for (const id of this.unanchored) { this.stamp[id] = gen; if (this.requiredHeld(id, gen, tokens, table)) ids.push(id); }
    for (let j = 0; j < present.length; j++) {
      const anchored = this.index[present[j]];
      for (let k = 0; k < anchored.length; k++) {
        const id = anchored[k];
        if (this.stamp[id] === gen) continue;
        this.stamp[id] = gen;
        if (this.requiredHeld(id, gen, tokens, table)) ids.push(id);
      }
    }
    // most sentences have no candidate, or one
    if (ids.length === 0) return NONE;
    if (ids.length > 1) ids.sort((a, b) => a - b);
    return ids.map((id) => this.pairs[id]);
  }

  /** Whether the current sentence holds a word, or can refer to a role, of every other set pattern `id` needs. */
  private requiredHeld(id: number, gen: number, tokens: Token[], table: NameTable | undefined): boolean {
    const req = this.required[id];
    for (let k = 0; k < req.length; k++) {
      const sid = req[k];
      if (this.wordHeld(sid, gen)) continue;
      const roles = this.setRoles[sid];
      if (roles === 0 || !table) return roles !== 0;
      if (this.rolesGen !== gen) {
        this.rolesGen = gen;
        this.roles = possibleRoles(tokens, table, this.refsOk(gen));
      }
      if ((this.roles & roles) === 0) return false;
    }
    return true;
  }

  /** Whether the current sentence has a word of set `sid`. */
  private wordHeld(sid: number, gen: number): boolean {
    return this.setOk[sid] === gen || (this.setHot[sid] & this.hot) !== 0 || (this.setHot2[sid] & this.hot2) !== 0;
  }

  /** Which generic reference patterns have all the words they need in the sentence just marked. */
  private refsOk(gen: number): RefsPossible {
    for (let k = 0; k < REF_KINDS.length; k++) {
      const req = this.refSets[k];
      let ok = true;
      for (let j = 0; j < req.length && ok; j++) ok = this.wordHeld(req[j], gen);
      this.refsPossible[REF_KINDS[k]] = ok;
    }
    return this.refsPossible;
  }

  private resetStamps(): number {
    this.stamp.fill(0);
    this.wordSeen.fill(0);
    this.setOk.fill(0);
    this.rolesGen = 0;
    this.generation = 1;
    return 1;
  }

  private byId?: Map<string, CompiledRule>;

  /** Looked up per diagnostic on every edit, so by map rather than a scan of the rules. */
  rule(id: string): CompiledRule | undefined {
    this.byId ??= new Map(this.rules.map((r) => [r.id, r]));
    return this.byId.get(id);
  }
}
