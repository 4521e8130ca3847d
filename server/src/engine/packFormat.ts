// The packed form of a compiled rule pack, which dist/rules.json holds and worker threads
// receive. Start-up used to parse 3.7 MB of pattern trees into objects and then walk every
// pattern to build the anchor index: most of a short `check` run. Packed, each rule keeps its
// pattern trees as one JSON string, parsed the first time the rule is needed (a sentence holds
// one of its anchor words, or a caller asks for its patterns), and carries its anchor plan, the
// index the rule set would otherwise compute, so no tree is walked at load.

import { commonness, CompiledPattern, PNode, requiredSets } from './pattern';
import { CompiledRule, RulePack } from './ruleset';
import { RefPatterns } from './roles';

/** Per pattern: [anchor words, ...other required word sets]. See `patternPlan`. */
export type PatternPlan = string[][];

const TREES = ['patterns', 'requires', 'unless', 'unlessParagraph', 'requiresParagraph'] as const;
type TreeField = typeof TREES[number];
type Trees = Pick<CompiledRule, TreeField>;

/** A rule with its pattern trees as a JSON string (`t`) and its anchor plan (`plan`). */
export type PackedRule = Omit<CompiledRule, TreeField> & { t: string; plan: PatternPlan[] };

export interface PackedRulePack {
  /** Tells a packed pack from a plain one (`RulePack`, whose rules hold their trees). */
  packed: 1;
  version: string;
  rules: PackedRule[];
  refs: RefPatterns;
}

export function isPacked(pack: RulePack | PackedRulePack): pack is PackedRulePack {
  return (pack as PackedRulePack).packed === 1;
}

/**
 * The words a sentence must hold for the pattern to match: the rarest required set first (the
 * rule set indexes the pattern on it) and the others after (checked before matching). With no
 * required set, the pattern's own anchors (possibly none: the pattern is always tried). A set
 * may hold role words (ROLE_WORDS in pattern.ts): a pattern needing "@survivor" is only tried
 * on a sentence that can refer to the survivor.
 */
export function patternPlan(p: CompiledPattern): PatternPlan {
  const req = requiredSets(p, true).sort((a, b) => commonness(a) - commonness(b));
  return req.length > 0 ? req : [p.anchors];
}

/** The anchor plans of a rule's patterns, without parsing a packed rule's trees. */
export function planOf(r: CompiledRule): PatternPlan[] {
  return r instanceof LazyRule ? r.plan : r.patterns.map(patternPlan);
}

/** A compiled rule whose pattern trees are parsed from their JSON on first use. */
export class LazyRule implements CompiledRule {
  declare id: string;
  declare category: string;
  declare kind: CompiledRule['kind'];
  declare severity: CompiledRule['severity'];
  declare message: string;
  declare why: string;
  declare sources: string[];
  declare suggestions: string[];
  declare fix: CompiledRule['fix'];
  declare scope: CompiledRule['scope'];
  declare minMatches: number;
  declare subject: CompiledRule['subject'];
  declare context: CompiledRule['context'];
  declare agent: CompiledRule['agent'];
  declare guards: CompiledRule['guards'];
  declare examples: CompiledRule['examples'];
  declare path?: string;
  private trees: Trees | undefined;
  /** The trees' JSON until they are parsed: dropped then, since the parsed trees say the same. */
  private t: string | undefined;
  readonly plan: PatternPlan[];

  constructor(packed: PackedRule, private readonly nodes: NodeInterner) {
    const { t, plan, ...meta } = packed;
    Object.assign(this, meta);
    this.t = t;
    this.plan = plan;
  }

  get patterns(): CompiledPattern[] { return (this.trees ??= this.parse()).patterns; }
  get requires(): CompiledPattern[] { return (this.trees ??= this.parse()).requires; }
  get unless(): CompiledPattern[] { return (this.trees ??= this.parse()).unless; }
  get unlessParagraph(): CompiledPattern[] { return (this.trees ??= this.parse()).unlessParagraph; }
  get requiresParagraph(): CompiledPattern[] { return (this.trees ??= this.parse()).requiresParagraph; }

  private parse(): Trees {
    const t = JSON.parse(this.t!) as CompiledPattern[][];
    this.t = undefined;
    for (const list of t) for (const p of list) { p.prefix = this.nodes.node(p.prefix); p.core = this.nodes.node(p.core); p.suffix = this.nodes.node(p.suffix); }
    this.nodes.parsed();
    return { patterns: t[0], requires: t[1], unless: t[2], unlessParagraph: t[3], requiresParagraph: t[4] };
  }

  /**
   * The packed record this rule stands for (what goes to a worker thread). Unparsed, its JSON
   * as received; parsed, the trees serialised again, which gives the same string (JSON of plain
   * data parses and serialises back unchanged, and interning only shares equal subtrees).
   */
  toPacked(): PackedRule {
    return { ...metaOf(this), t: this.t ?? JSON.stringify(TREES.map((k) => this.trees![k])), plan: this.plan };
  }

  /** Serialises as the plain rule it stands for, so JSON.stringify of a rule is unchanged. */
  toJSON(): CompiledRule { return unpackedRule(this); }
}

/**
 * Shares equal pattern subtrees between the rules of a pack. The compiler expands a lexicon
 * class into every pattern that names it, so the same phrase lists (hundreds of nodes each)
 * came out of JSON.parse once per use: most of a worker's heap once its rules were parsed.
 * Matching never mutates a node and already handles a node met at several places of a pattern
 * (one runtime node per distinct source node), so equal subtrees can be one object. The table
 * is dropped once every rule of the pack has been parsed: nothing is left to share with.
 */
export class NodeInterner {
  private byKey: Map<string, PNode> | undefined = new Map();
  private ids = new Map<PNode, number>();
  constructor(private unparsed: number) {}

  node(n: PNode): PNode {
    if (!this.byKey) return n;
    let key: string;
    switch (n.t) {
      case 'lit': key = 'l' + n.w.join('\0'); break;
      case 'seq': case 'alt': {
        for (let i = 0; i < n.n.length; i++) n.n[i] = this.node(n.n[i]);
        key = n.t + n.n.map((c) => this.ids.get(c)).join(',');
        break;
      }
      case 'opt': case 'not': n.n = this.node(n.n); key = n.t + this.ids.get(n.n); break;
      case 'gap': key = 'g' + n.max; break;
      case 'role': key = 'r' + n.r; break;
      case 'pred': key = 'p' + n.p; break;
    }
    const hit = this.byKey.get(key);
    if (hit) return hit;
    this.byKey.set(key, n);
    this.ids.set(n, this.ids.size);
    return n;
  }

  parsed(): void {
    if (--this.unparsed <= 0) { this.byKey = undefined; this.ids = new Map(); }
  }
}

function unpackedRule(r: CompiledRule): CompiledRule {
  const out: Record<string, unknown> = {};
  for (const k of RULE_FIELDS) if (r[k] !== undefined) out[k] = r[k];
  return out as unknown as CompiledRule;
}

/** The fields of CompiledRule in their declared order (so a re-serialised rule reads the same). */
const RULE_FIELDS: ReadonlyArray<keyof CompiledRule> = [
  'id', 'category', 'kind', 'severity', 'message', 'why', 'sources', 'suggestions', 'fix', 'patterns', 'requires', 'unless', 'unlessParagraph',
  'requiresParagraph', 'scope', 'minMatches', 'subject', 'context', 'agent', 'guards', 'examples', 'path',
];

/** A rule's fields other than its trees, in declared order. */
function metaOf(r: CompiledRule): Omit<CompiledRule, TreeField> {
  const meta: Record<string, unknown> = {};
  for (const k of RULE_FIELDS) if (!(TREES as readonly string[]).includes(k) && r[k] !== undefined) meta[k] = r[k];
  return meta as Omit<CompiledRule, TreeField>;
}

export function packRule(r: CompiledRule): PackedRule {
  if (r instanceof LazyRule) return r.toPacked();
  return { ...metaOf(r), t: JSON.stringify(TREES.map((k) => r[k])), plan: r.patterns.map(patternPlan) };
}

export function packRules(pack: RulePack): PackedRulePack {
  return { packed: 1, version: pack.version, rules: pack.rules.map(packRule), refs: pack.refs };
}

/** The rules of a pack, packed or plain. */
export function rulesOf(pack: RulePack | PackedRulePack): CompiledRule[] {
  if (!isPacked(pack)) return pack.rules;
  const nodes = new NodeInterner(pack.rules.length);
  return pack.rules.map((r) => new LazyRule(r, nodes));
}
