// The analyser: text in, findings with UTF-16 offsets out. It splits the text into blocks
// (paragraphs) and memoises each block's findings by its text, so re-analysing a document
// after an edit only re-analyses the blocks that changed. Blocks are independent except for
// the people in the note (roles), which are part of the memo key.

import {
  isAttributed, isFormLabel, isLegalCitation, isMetaLanguage, isNegated, isRebutted, isRiskToolOutput, hasAbuseWord, subjectOf, SubjectRole,
} from './context';
import { matchPattern, MatchEnv, PatternMatch, RoleIndex } from './pattern';
import { detectRoles, indexRoles, NameTable, nameTable, placeholderValue, Roles, ROLES_HEAD_CHARS, rolesKey } from './roles';
import { CompiledRule } from './ruleset';
import { RuleSet } from './ruleSetIndex';
import { Block, countWords, Sentence, splitBlocks, splitSentences, Token } from './text';
import { AnalysisResult, AnalyzeOptions, Finding, Severity, Suppressed, SuppressReason } from './types';

interface BlockResult {
  /** Offsets relative to the block start. */
  findings: Finding[];
  suppressed: Suppressed[];
  words: number;
}

/**
 * One sentence as the rules see it, and the matcher's environment for it: its role index is
 * built on first use (most sentences match no rule), and so are the guards' flags and the text
 * they read. A class with the getter on its prototype: per sentence this was an object literal
 * with a getter (slow to make and to read), a closure, a second object and a slice of the text.
 */
class Prepared implements MatchEnv {
  readonly tokens: Token[];
  flags: { meta: boolean; legal: boolean; risk: boolean; form: boolean } | undefined = undefined;
  private roleIndex: RoleIndex | undefined = undefined;
  constructor(readonly sentence: Sentence, private readonly block: PreparedBlock) {
    this.tokens = sentence.tokens;
  }
  get roles(): RoleIndex {
    return (this.roleIndex ??= indexRoles(this.tokens, this.block.table, this.block.refs));
  }
  /** The sentence's text (only the guards' flags read it). */
  get raw(): string {
    return this.block.text.slice(this.sentence.start, this.sentence.end);
  }
}

/** What every sentence of a block shares. */
interface PreparedBlock {
  text: string;
  table: NameTable;
  refs: RuleSet['refs'];
}

/** One analysis of one text: blocks can be run one at a time (the language server slices work this way). */
export class AnalysisSession {
  readonly blocks: Block[];
  readonly roles: Roles;
  private readonly results: Array<BlockResult | undefined>;
  /** `roles` overrides detection: a batch audit reads the people from a case file's header once and analyses each entry with them. */
  constructor(private readonly analyzer: Analyzer, readonly text: string, roles?: Roles) {
    this.roles = roles ?? analyzer.rolesOf(text);
    this.blocks = splitBlocks(text);
    this.results = new Array(this.blocks.length);
    analyzer.beginRun(this.roles);
  }
  /** Blocks this session analysed rather than found in the analyser's memo. */
  analysedBlocks = 0;
  /** Analyses block i (memoised); cheap when the block is unchanged since the last run. */
  runBlock(i: number): void {
    if (this.results[i] !== undefined) return;
    const before = this.analyzer.blocksAnalysed;
    this.results[i] = this.analyzer.blockResult(this.blocks[i]);
    this.analysedBlocks += this.analyzer.blocksAnalysed - before;
  }
  get done(): boolean {
    return this.results.every((r) => r !== undefined);
  }
  /**
   * Block i's findings with document offsets (runs the block if needed). With `end()`, lets a
   * caller assemble a huge document's findings in slices; `result()` does it in one go.
   */
  findingsOf(i: number): Finding[] {
    this.runBlock(i);
    const b = this.blocks[i];
    return this.results[i]!.findings.map((f) => ({ ...f, start: f.start + b.start, end: f.end + b.start, fixStart: f.fixStart + b.start, fixEnd: f.fixEnd + b.start }));
  }
  /** Ends the run: the analyser forgets blocks no longer in the text. */
  end(): void {
    this.analyzer.endRun();
  }
  /** Runs any blocks not yet analysed and assembles the document result. */
  result(): AnalysisResult {
    const findings: Finding[] = [];
    const suppressed: Suppressed[] = [];
    let words = 0;
    for (let i = 0; i < this.blocks.length; i++) {
      for (const f of this.findingsOf(i)) findings.push(f);
      const b = this.blocks[i];
      const r = this.results[i]!;
      words += r.words;
      for (const s of r.suppressed) suppressed.push({ ...s, start: s.start + b.start, end: s.end + b.start });
    }
    this.end();
    return { findings, suppressed, roles: this.roles, words };
  }
}

export class Analyzer {
  private memo = new Map<string, BlockResult>();
  /** Blocks analysed rather than answered from the memo, over the analyser's life. */
  blocksAnalysed = 0;
  private used = new Set<string>();
  private memoKey = '';
  private table: NameTable | undefined;
  private roles: Roles = { children: [] };
  private readonly options: Required<Omit<AnalyzeOptions, 'categories' | 'disabledRules' | 'severityOverrides'>> & AnalyzeOptions;
  private readonly active: boolean[];
  private lastRoles: { head: string; roles: Roles } | undefined;

  constructor(readonly ruleSet: RuleSet, options: AnalyzeOptions = {}) {
    this.options = { quotedSpeech: 'hint', aligned: true, dialect: 'uk', explain: false, templates: false, ...options };
    const cats = options.categories ? new Set(options.categories) : undefined;
    const off = new Set(options.disabledRules ?? []);
    this.active = ruleSet.rules.map((r) => !off.has(r.id) && (!cats || cats.has(r.category)) && (this.options.aligned || r.kind !== 'aligned'));
  }

  /** Analyses a whole text; `roles` (optional) are the people it is about, when known from elsewhere (e.g. a case-file header). */
  analyze(text: string, roles?: Roles): AnalysisResult {
    return new AnalysisSession(this, text, roles).result();
  }

  /** Starts a sliced analysis (see AnalysisSession). */
  session(text: string, roles?: Roles): AnalysisSession {
    return new AnalysisSession(this, text, roles);
  }

  /**
   * @internal The people in `text`. Detection reads only the head of a note (ROLES_HEAD_CHARS),
   * so after an edit further down, the last answer is still right: an editor's re-analysis
   * skips it. A new object is never returned for an unchanged head (callers treat Roles as read-only).
   */
  rolesOf(text: string): Roles {
    const head = text.length > ROLES_HEAD_CHARS ? text.slice(0, ROLES_HEAD_CHARS) : text;
    if (this.lastRoles && head === this.lastRoles.head) return this.lastRoles.roles;
    const roles = detectRoles(head);
    this.lastRoles = { head, roles };
    return roles;
  }

  /** @internal */
  beginRun(roles: Roles): void {
    // the same object as last run (a file's entries in a batch, an unchanged head in the
    // editor) has the same key: Roles are read-only
    if (roles === this.roles && this.table) {
      this.used = new Set();
      return;
    }
    const key = rolesKey(roles);
    if (key !== this.memoKey || !this.table) {
      this.memo.clear();
      this.memoKey = key;
      this.table = nameTable(roles);
    }
    this.roles = roles;
    this.used = new Set();
  }

  /** @internal Drops memo entries for blocks no longer in the document, so memory tracks the document. */
  endRun(): void {
    for (const k of this.memo.keys()) if (!this.used.has(k)) this.memo.delete(k);
  }

  /** @internal */
  blockResult(block: Block): BlockResult {
    this.used.add(block.text);
    const hit = this.memo.get(block.text);
    if (hit) return hit;
    this.blocksAnalysed++;
    const res = this.analyzeBlock({ start: 0, end: block.text.length, text: block.text });
    this.memo.set(block.text, res);
    return res;
  }

  private analyzeBlock(block: Block): BlockResult {
    const sentences = splitSentences(block);
    const shared: PreparedBlock = { text: block.text, table: this.table!, refs: this.ruleSet.refs };
    const prepared: Prepared[] = sentences.map((s) => new Prepared(s, shared));
    const findings: Finding[] = [];
    const suppressed: Suppressed[] = [];
    const rules = this.ruleSet.rules;
    // paragraph-level checks: the first passing match per rule, and how many passed
    const paragraphHits = new Map<number, { finding: Finding; count: number }>();
    for (let si = 0; si < prepared.length; si++) {
      const p = prepared[si];
      const cands = this.ruleSet.candidates(p.sentence.tokens, shared.table);
      for (let c = 0; c < cands.length; c++) {
        const ri = cands[c][0];
        const pi = cands[c][1];
        if (!this.active[ri]) continue;
        const rule = rules[ri];
        for (const m of matchPattern(rule.patterns[pi], p)) {
          const reason = this.check(rule, m, p, prepared, si);
          const toks = p.sentence.tokens;
          const start = toks[m.coreStart].start;
          const end = toks[m.coreEnd - 1].end;
          if (reason && reason !== 'quoted-speech' && reason !== 'attributed-speech') {
            if (this.options.explain) suppressed.push({ ruleId: rule.id, category: rule.category, start, end, text: block.text.slice(start, end), reason });
            continue;
          }
          if (reason && this.options.quotedSpeech === 'ignore') {
            if (this.options.explain) suppressed.push({ ruleId: rule.id, category: rule.category, start, end, text: block.text.slice(start, end), reason });
            continue;
          }
          const f = this.finding(rule, start, end, block.text, p.sentence, reason && this.options.quotedSpeech === 'hint' ? reason : undefined);
          if (rule.scope === 'paragraph') {
            const hit = paragraphHits.get(ri);
            if (hit) hit.count++;
            else paragraphHits.set(ri, { finding: f, count: 1 });
          } else findings.push(f);
        }
      }
    }
    for (const [ri, hit] of paragraphHits) {
      if (hit.count >= rules[ri].minMatches) findings.push(hit.finding);
      else if (this.options.explain) suppressed.push({ ruleId: hit.finding.ruleId, category: hit.finding.category, start: hit.finding.start, end: hit.finding.end, text: hit.finding.text, reason: 'requires' });
    }
    return { findings: dedupe(findings, suppressed, this.options.explain), suppressed, words: countWords(block.text) };
  }

  /** Runs the guards in order; returns why the match must not be reported as is, or undefined. */
  private check(rule: CompiledRule, m: PatternMatch, p: Prepared, all: Prepared[], si: number): SuppressReason | undefined {
    const toks = p.sentence.tokens;
    const g = rule.guards;
    let flags = p.flags;
    if (flags === undefined) {
      const raw = p.raw;
      flags = p.flags = { meta: isMetaLanguage(toks), legal: isLegalCitation(toks, raw), risk: isRiskToolOutput(raw), form: isFormLabel(raw) };
    }
    if (g.meta && flags.meta) return 'meta-language';
    if (g.legal && flags.legal) return 'legal-citation';
    if (g.riskTool && flags.risk) return 'risk-tool-output';
    if (g.formLabel && flags.form) return 'form-label';
    if (rule.requires.length > 0 && !rule.requires.some((q) => matchPattern(q, p).length > 0)) return 'requires';
    if (rule.unless.some((q) => matchPattern(q, p).length > 0)) return 'unless';
    if (rule.unlessParagraph.length > 0 && all.some((q) => rule.unlessParagraph.some((u) => matchPattern(u, q).length > 0))) return 'unless';
    if (rule.requiresParagraph.length > 0 && !all.some((q) => rule.requiresParagraph.some((u) => matchPattern(u, q).length > 0))) return 'requires';
    if (g.negation && (isNegated(toks, m.start) || isRebutted(toks, m.start, m.end))) return 'negation';
    if (rule.subject) {
      const role: SubjectRole = subjectOf(toks, p.roles, m.start).role;
      if (!rule.subject.includes(role)) return 'subject';
    }
    if (rule.context === 'domestic-abuse' && !hasAbuseWord(toks, m.coreStart, m.coreEnd) && !all.some((q, i) => i !== si && hasAbuseWord(q.sentence.tokens))) return 'no-abuse-context';
    if (rule.agent === 'absent' && agentNamed(toks, p.roles, m, all[si + 1]?.roles, all[si + 1]?.sentence)) return 'agent-named';
    if (g.quoted && this.options.quotedSpeech !== 'report') {
      let quoted = false;
      for (let i = m.coreStart; i < m.coreEnd && !quoted; i++) quoted = toks[i].quoted;
      if (quoted) return 'quoted-speech';
    }
    if (g.attribution && this.options.quotedSpeech !== 'report' && isAttributed(toks, p.roles, m.start, m.coreEnd)) return 'attributed-speech';
    return undefined;
  }

  private finding(rule: CompiledRule, start: number, end: number, text: string, s: Sentence, downgraded: Finding['downgraded']): Finding {
    const override = this.options.severityOverrides?.[rule.id];
    const base: Severity = override ?? rule.severity;
    const severity: Severity = downgraded ? 'hint' : base;
    const templates = this.options.templates === true;
    const fill = (t: string) => (templates ? t : fillPlaceholders(t, this.roles, this.options.dialect));
    const fixStart = rule.fix === 'match' ? start : s.start;
    const fixEnd = rule.fix === 'match' ? end : s.end;
    return {
      ruleId: rule.id,
      category: rule.category,
      kind: rule.kind,
      severity,
      ruleSeverity: rule.severity,
      start,
      end,
      text: text.slice(start, end),
      message: fill(rule.message),
      // the rule's own array for templates: findings are read-only
      suggestions: templates ? rule.suggestions : rule.suggestions.map(fill),
      fixStart,
      fixEnd,
      ...(downgraded ? { downgraded } : {}),
    };
  }
}

/** For agentless-passive rules: is the person who acted named by "by X" after the match or in the next sentence? */
function agentNamed(toks: Sentence['tokens'], roles: RoleIndex, m: PatternMatch, nextRoles?: RoleIndex, next?: Sentence): boolean {
  for (let i = m.coreEnd; i < toks.length; i++) {
    if (toks[i].norm === 'by') {
      const refs = roles.get(i + 1) ?? roles.get(i + 2);
      if (refs && refs.some((r) => r.role === 'perpetrator' || r.role === 'person')) return true;
      // "seen by the GP", "by police": a professional is not the person who acted
      if (refs && refs.some((r) => r.role === 'professional')) continue;
      const nx = toks[i + 1];
      const nx2 = toks[i + 2];
      if ((nx && nx.cap) || (nx2 && nx2.cap && ['her', 'his', 'the', 'a'].includes(nx.norm))) return true;
      if (nx && ['her', 'his', 'their'].includes(nx.norm) && nx2 && /^(partner|boyfriend|ex|husband|father|dad|stepfather|brother|son|uncle)$/.test(nx2.norm)) return true;
    }
    if (toks[i].norm === ';') break;
  }
  if (next && nextRoles) {
    for (const refs of nextRoles.values()) if (refs.some((r) => r.role === 'perpetrator')) return true;
  }
  return false;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 4, warning: 3, information: 2, hint: 1 };

/** One finding per category per overlapping span: the most severe (then the longest) wins. */
function dedupe(findings: Finding[], suppressed: Suppressed[], explain: boolean): Finding[] {
  findings.sort((a, b) => a.start - b.start || b.end - a.end || a.ruleId.localeCompare(b.ruleId));
  const out: Finding[] = [];
  for (const f of findings) {
    const clash = out.findIndex((o) => o.category === f.category && o.start < f.end && f.start < o.end);
    if (clash < 0) { out.push(f); continue; }
    const o = out[clash];
    const better = SEVERITY_RANK[f.severity] > SEVERITY_RANK[o.severity] || (SEVERITY_RANK[f.severity] === SEVERITY_RANK[o.severity] && f.end - f.start > o.end - o.start);
    const loser = better ? o : f;
    if (better) out[clash] = f;
    if (explain) suppressed.push({ ruleId: loser.ruleId, category: loser.category, start: loser.start, end: loser.end, text: loser.text, reason: 'overlap' });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
  return out;
}

const US_SPELLING: Array<[RegExp, string]> = [
  [/\bbehaviour/g, 'behavior'], [/\bBehaviour/g, 'Behavior'], [/\bprogramme/g, 'program'], [/\bProgramme/g, 'Program'],
  [/\bjudgement/g, 'judgment'], [/\bcounselling/g, 'counseling'], [/\bprioritis/g, 'prioritiz'], [/\brecognis/g, 'recogniz'],
  [/\bminimis/g, 'minimiz'], [/\borganis/g, 'organiz'], [/\bcentre/g, 'center'], [/\bdefence/g, 'defense'], [/\bneighbour/g, 'neighbor'],
];

/** Fills {perpetrator} {survivor} {child}; unknown roles stay visible as [perpetrator] etc. */
export function fillPlaceholders(template: string, roles: Roles, dialect: 'uk' | 'us' = 'uk'): string {
  const parts = templateParts(template);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const { which, atStart } = parts[i] as Placeholder;
    const v = placeholderValue(roles, which) ?? `[${which}]`;
    out += (atStart && /^[a-z]/.test(v) ? v[0].toUpperCase() + v.slice(1) : v) + (parts[i + 1] as string);
  }
  if (dialect === 'us') for (const [re, s] of US_SPELLING) out = out.replace(re, s);
  return out;
}

interface Placeholder {
  which: 'perpetrator' | 'survivor' | 'child';
  /** Starts a sentence: a value in lower case ("mum") is capitalised there. */
  atStart: boolean;
}

/**
 * A template cut at its placeholders: text, placeholder, text, ... (text first and last). Every
 * finding fills its rule's message and suggestions, a few hundred templates again and again,
 * so each is cut once. Bounded (callers may pass any text), cleared when full.
 */
const TEMPLATES = new Map<string, Array<string | Placeholder>>();
const TEMPLATES_MAX = 2000;
function templateParts(template: string): Array<string | Placeholder> {
  let parts = TEMPLATES.get(template);
  if (parts !== undefined) return parts;
  parts = [];
  let last = 0;
  for (const m of template.matchAll(/\{(perpetrator|survivor|child)\}/g)) {
    const offset = m.index!;
    parts.push(template.slice(last, offset), { which: m[1] as Placeholder['which'], atStart: offset === 0 || /[.!?]\s+$/.test(template.slice(0, offset)) });
    last = offset + m[0].length;
  }
  parts.push(template.slice(last));
  if (TEMPLATES.size >= TEMPLATES_MAX) TEMPLATES.clear();
  TEMPLATES.set(template, parts);
  return parts;
}

export { countWords };
