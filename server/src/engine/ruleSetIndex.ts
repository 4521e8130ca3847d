// The runtime rule set: compiled rules plus an anchor index, so a sentence only runs the
// patterns whose rarest required word occurs in it (the cheap prefilter in front of matching).

import { PackedRulePack, planOf, rulesOf } from './packFormat';
import { CompiledRule, RulePack } from './ruleset';
import { RefPatterns } from './roles';
import { Token } from './text';
import { maxWordId, tokenWordIds, wordId } from './wordIds';

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
  /** Reused per call, stamped with `generation` so nothing is cleared between sentences. */
  private readonly stamp: Uint32Array;
  private readonly wordSeen: Uint32Array;
  /** Stamped with `generation` when the current sentence has a word of the set. */
  private readonly setOk: Uint32Array;
  private generation = 0;

  constructor(readonly version: string, readonly rules: CompiledRule[], readonly refs: RefPatterns) {
    const setIds = new Map<string, number>();
    // set id -> word ids; identical sets share an id
    const sets: Int32Array[] = [];
    const setId = (words: string[]) => {
      const key = [...new Set(words)].sort().join('\0');
      let id = setIds.get(key);
      if (id === undefined) { id = sets.length; setIds.set(key, id); sets.push(Int32Array.from(new Set(words), wordId)); }
      return id;
    };
    rules.forEach((r, ri) => {
      // a packed rule brings its plan, so no pattern tree is parsed or walked here
      planOf(r).forEach((plan, pi) => {
        const id = this.pairs.length;
        this.pairs.push([ri, pi]);
        // index on the rarest required set; the others are checked before matching
        this.required.push(plan.slice(1).map(setId));
        const anchors = plan[0];
        if (anchors.length === 0) this.unanchored.push(id);
        for (const a of new Set(anchors)) (this.index[wordId(a)] ??= []).push(id);
      });
    });
    this.stamp = new Uint32Array(this.pairs.length);
    const words = maxWordId() + 1;
    for (let w = 0; w < words; w++) this.index[w] ??= [];
    this.wordSeen = new Uint32Array(words);
    const byWord: number[][] = Array.from({ length: words }, () => []);
    sets.forEach((ws, sid) => { for (const w of ws) byWord[w].push(sid); });
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

  /** [ruleIndex, patternIndex] pairs that may match this sentence, in rule order. */
  candidates(tokens: Token[]): Array<[number, number]> {
    const gen = ++this.generation === 0xffffffff ? this.resetStamps() : this.generation;
    const ids: number[] = [];
    for (const id of this.unanchored) { this.stamp[id] = gen; ids.push(id); }
    const present: number[] = [];
    const words = tokenWordIds(tokens);
    const known = this.wordSeen.length;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w !== 0 && w < known && this.wordSeen[w] !== gen) {
        this.wordSeen[w] = gen;
        present.push(w);
        for (const sid of this.setsOfWord[w]) this.setOk[sid] = gen;
      }
    }
    for (const w of present) {
      for (const id of this.index[w]) {
        if (this.stamp[id] === gen) continue;
        this.stamp[id] = gen;
        const req = this.required[id];
        let ok = true;
        for (let k = 0; k < req.length && ok; k++) ok = this.setOk[req[k]] === gen;
        if (ok) ids.push(id);
      }
    }
    ids.sort((a, b) => a - b);
    return ids.map((id) => this.pairs[id]);
  }

  private resetStamps(): number {
    this.stamp.fill(0);
    this.wordSeen.fill(0);
    this.setOk.fill(0);
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
