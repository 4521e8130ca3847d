// The runtime rule set: compiled rules plus an anchor index, so a sentence only runs the
// patterns whose rarest required word occurs in it (the cheap prefilter in front of matching).

import { PackedRulePack, planOf, rulesOf } from './packFormat';
import { CompiledRule, RulePack } from './ruleset';
import { RefPatterns } from './roles';
import { Token } from './text';

export class RuleSet {
  private readonly index = new Map<string, number[]>();
  private readonly unanchored: number[] = [];
  /** Reused per call: pattern ids already queued for the current sentence. */
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly pairs: Array<[number, number]> = [];
  /** Per pattern: sets of words that must all be present (one word of each) for it to match. */
  private readonly required: Array<Array<Set<string>>> = [];

  constructor(readonly version: string, readonly rules: CompiledRule[], readonly refs: RefPatterns) {
    rules.forEach((r, ri) => {
      // a packed rule brings its plan, so no pattern tree is parsed or walked here
      planOf(r).forEach((plan, pi) => {
        const id = this.pairs.length;
        this.pairs.push([ri, pi]);
        // index on the rarest required set; the others are checked before matching
        this.required.push(plan.slice(1).map((w) => new Set(w)));
        const anchors = plan[0];
        if (anchors.length === 0) this.unanchored.push(id);
        for (const a of anchors) {
          let list = this.index.get(a);
          if (!list) { list = []; this.index.set(a, list); }
          list.push(id);
        }
      });
    });
    this.stamp = new Uint32Array(this.pairs.length);
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
    let present: Set<string> | undefined;
    for (const t of tokens) {
      const list = this.index.get(t.norm);
      if (!list) continue;
      for (const id of list) {
        if (this.stamp[id] === gen) continue;
        this.stamp[id] = gen;
        const req = this.required[id];
        if (req.length > 0) {
          present ??= new Set(tokens.map((x) => x.norm));
          if (!req.every((set) => hasAny(set, present!))) continue;
        }
        ids.push(id);
      }
    }
    ids.sort((a, b) => a - b);
    return ids.map((id) => this.pairs[id]);
  }

  private resetStamps(): number {
    this.stamp.fill(0);
    this.generation = 1;
    return 1;
  }

  rule(id: string): CompiledRule | undefined {
    return this.rules.find((r) => r.id === id);
  }
}

function hasAny(set: Set<string>, present: Set<string>): boolean {
  if (set.size < present.size) { for (const w of set) if (present.has(w)) return true; return false; }
  for (const w of present) if (set.has(w)) return true;
  return false;
}
