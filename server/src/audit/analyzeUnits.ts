// The analysis step of the batch audit, the same in a worker thread and in-process: entries'
// texts in, compact per-entry results out (words and one small record per finding). Findings
// themselves never leave this step, only what the aggregation needs: category, kind, rule,
// severity, a redacted phrase and, when asked for, a location and the sentence.

import { AnalyzeOptions, Analyzer, fillPlaceholders, LineIndex, PackedRulePack, packRules, RuleSet, Roles, Severity } from '../engine';
import { isBlank } from './entries';
import { RedactorCache } from './redact';

export interface WorkUnit {
  text: string;
  roles?: Roles;
}

export interface FoundItem {
  /** Category (concern) or aligned kind. */
  c: string;
  /** Aligned-language indicator. */
  a: boolean;
  /** Downgraded: quoted or attributed speech, not the writer's own voice. */
  q: boolean;
  r: string;
  s: Severity;
  /** Redacted, normalised phrase. */
  p: string;
  /** 0-based [line, column, endLine, endColumn] in the unit's text (when locations are wanted). */
  loc?: [number, number, number, number];
  /** Only with excerpts: the sentence around the match, the match within it, and the filled message. */
  ex?: { text: string; start: number; end: number; line: number; message: string };
}

export interface UnitResult {
  words: number;
  found: FoundItem[];
  /** Set when the engine threw on this text (the entry is then reported, not counted). */
  error?: string;
}

export interface AnalyzerConfig {
  pack: PackedRulePack;
  analyze: AnalyzeOptions;
  excerpts: boolean;
  locations: boolean;
}

/**
 * The rule set as worker threads receive it: packed, so what is copied to each thread is one
 * string per rule rather than every pattern tree as objects, and a worker parses only the
 * trees its entries need.
 */
export const packOf = (rs: RuleSet): PackedRulePack => packRules({ version: rs.version, rules: rs.rules, refs: rs.refs });

export class UnitAnalyzer {
  private readonly analyzer: Analyzer;
  private readonly redactors = new RedactorCache();
  /** The config without its pack: the rule set holds what it needs of it (see worker.ts). */
  private readonly cfg: Omit<AnalyzerConfig, 'pack'>;

  constructor(cfg: AnalyzerConfig) {
    // messages are filled only for the excerpts that show them
    this.analyzer = new Analyzer(RuleSet.fromPack(cfg.pack), { ...cfg.analyze, explain: false, templates: true });
    this.cfg = { analyze: cfg.analyze, excerpts: cfg.excerpts, locations: cfg.locations };
  }

  run(units: WorkUnit[]): UnitResult[] {
    return units.map((u) => this.one(u));
  }

  private one(u: WorkUnit): UnitResult {
    if (isBlank(u.text)) return { words: 0, found: [] };
    let res;
    try {
      res = this.analyzer.analyze(u.text, u.roles);
    } catch (e) {
      return { words: 0, found: [], error: String((e as Error).message ?? e) };
    }
    if (res.findings.length === 0) return { words: res.words, found: [] };
    const redactor = this.redactors.get(res.roles);
    let lines: LineIndex | undefined;
    const found: FoundItem[] = res.findings.map((f) => {
      const item: FoundItem = { c: f.category, a: f.kind === 'aligned', q: f.downgraded !== undefined, r: f.ruleId, s: f.severity, p: redactor.phrase(f.text) };
      if (this.cfg.locations || this.cfg.excerpts) lines ??= new LineIndex(u.text);
      if (this.cfg.locations) {
        const a = lines!.position(f.start);
        const b = lines!.position(f.end);
        item.loc = [a.line, a.character, b.line, b.character];
      }
      if (this.cfg.excerpts && !item.a && !item.q) {
        const [s, e] = sentenceAround(u.text, f.start, f.end);
        const message = fillPlaceholders(f.message, res.roles, this.cfg.analyze.dialect);
        item.ex = { text: u.text.slice(s, e), start: f.start - s, end: f.end - s, line: lines!.position(f.start).line, message };
      }
      return item;
    });
    return { words: res.words, found };
  }
}

/** The sentence around [start, end): back to the previous sentence end or line break, on to the next, at most ~300 characters each way. */
export function sentenceAround(text: string, start: number, end: number): [number, number] {
  let s = start;
  const minS = Math.max(0, start - 300);
  while (s > minS && !/[.!?\n]/.test(text[s - 1])) s--;
  while (s < start && /\s/.test(text[s])) s++;
  let e = end;
  const maxE = Math.min(text.length, end + 300);
  while (e < maxE && !/[.!?\n]/.test(text[e])) e++;
  if (e < text.length && /[.!?]/.test(text[e])) e++;
  return [s, e];
}
