// The audit report's JSON shape (docs/audit.md). It is the input of `compare` and `merge`, so it
// stores raw counts and word totals: every rate in it can be recomputed, and merging shards is a
// sum. Everything here is plain data; nothing in it names a person unless the audit was run with
// --include-excerpts.

export const AUDIT_SCHEMA = 'casenote-audit/audit';
export const AUDIT_SCHEMA_VERSION = 1;
export const COMPARE_SCHEMA = 'casenote-audit/compare';
export const COMPARE_SCHEMA_VERSION = 1;

/** The ways an audit can be broken down. */
export const DIMENSIONS = ['file', 'case', 'author', 'team', 'month', 'entry'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const DEFAULT_DIMENSIONS: readonly Dimension[] = ['file', 'author', 'team', 'month'];

/** Counts for one concern category. */
export interface CategoryCounts {
  /** Findings in the writer's own voice. */
  count: number;
  /** Entries with at least one such finding. */
  entries: number;
  /** Matches inside quoted or attributed speech: reported for information, never counted as concerns. */
  quoted: number;
  /** Derived: count per 1,000 words. */
  ratePer1000Words: number;
  /** Derived: entries / total entries. */
  shareOfEntries: number;
}

/** Counts for one aligned-language indicator. */
export interface AlignedCounts {
  count: number;
  entries: number;
  ratePer1000Words: number;
  shareOfEntries: number;
}

export interface Totals {
  files: number;
  entries: number;
  words: number;
  /** Bytes of the input files read. */
  bytes: number;
  /** Entries with at least one concern finding / at least one aligned indicator. */
  entriesWithConcerns: number;
  entriesWithAligned: number;
  concerns: number;
  aligned: number;
  /** Concern findings by severity (after context). */
  bySeverity: { error: number; warning: number; information: number; hint: number };
}

/** One row of a breakdown table (a file, case, author, team, month or entry). */
export interface GroupRow {
  /** The group's key: a path, case ref, pseudonymous author key, team, YYYY-MM or entry id. */
  key: string;
  /** What reports show: for authors "Author N" (or the name with --include-excerpts). */
  label: string;
  entries: number;
  words: number;
  entriesWithConcerns: number;
  entriesWithAligned: number;
  /** Concern findings per category (categories with none are left out). */
  concerns: Record<string, number>;
  /** Entries with at least one finding per concern category. */
  concernEntries: Record<string, number>;
  /** Aligned indicators per kind. */
  aligned: Record<string, number>;
  /** Entry rows only: where the entry is and what its header said (author as pseudonym key). */
  file?: string;
  line?: number;
  date?: string;
  type?: string;
  author?: string;
  team?: string;
  case?: string;
}

export interface PhraseCount {
  /** The matched wording, lower-cased, people replaced by role tokens ([mother], [child 1], [person]) and digits by #. */
  phrase: string;
  count: number;
}

export interface Excerpt {
  file: string;
  entry: string;
  /** 1-based file line; 0 for text converted from .docx or .html. */
  line: number;
  /** The sentence, verbatim. */
  text: string;
  /** UTF-16 offsets of the match in `text`. */
  start: number;
  end: number;
  ruleId: string;
}

export interface InputRecord {
  path: string;
  format: InputFormat;
  bytes: number;
  entries: number;
  words: number;
  /** 'partial' when some rows or parts could not be read (see errors). */
  status: 'ok' | 'partial' | 'failed';
  encoding?: string;
  notes?: string[];
}

export type InputFormat = 'txt' | 'md' | 'csv' | 'docx' | 'html';

export interface InputError {
  path: string;
  /** 1-based line, when the problem is at a place in the file (malformed CSV rows). */
  line?: number;
  message: string;
}

export interface RuleInfo {
  id: string;
  category: string;
  kind: 'concern' | 'aligned';
  severity: string;
  /** Findings of this rule in the writer's own voice. */
  count: number;
}

export interface AuditOptionsRecord {
  by: Dimension[];
  includeExcerpts: boolean;
  quotedSpeech: string;
  categories: string[] | null;
  disabledRules: string[];
  /** A fingerprint of the pseudonym salt (--audit-id): shards with the same scope merge their author rows. Never the salt itself. */
  pseudonymScope: string;
  /** True when the salt was chosen at random for this run (author keys then match no other report). */
  randomSalt: boolean;
}

export interface AuditReport {
  schema: typeof AUDIT_SCHEMA;
  version: number;
  tool: { name: 'casenote-audit'; version: string };
  /** The rule-set version the audit ran with (package version + hash of the rules). */
  ruleset: string;
  /** A label for the audit (e.g. "baseline"), from --label. */
  label: string;
  /** ISO time the report was made (SOURCE_DATE_EPOCH when set). */
  generated: string;
  options: AuditOptionsRecord;
  /** First and last entry date seen (YYYY-MM-DD), or null when no entry had a date. */
  period: { from: string | null; to: string | null; undated: number };
  totals: Totals;
  categories: Record<string, CategoryCounts>;
  aligned: Record<string, AlignedCounts>;
  /** Every distinct (redacted) phrase per category, most frequent first. */
  phrases: Record<string, PhraseCount[]>;
  /** Phrases per category were capped (see docs); counts of the dropped phrases are in `phrasesOther`. */
  phrasesOther: Record<string, number>;
  groups: Partial<Record<Dimension, GroupRow[]>>;
  rules: RuleInfo[];
  /** Only with --include-excerpts: the first few examples per category. */
  excerpts?: Record<string, Excerpt[]>;
  inputs: InputRecord[];
  errors: InputError[];
}

// ---------------------------------------------------------------------------
// Comparison

export type Verdict = 'improved' | 'no clear change' | 'worse' | 'not observed';

export interface PeriodFigures {
  count: number;
  words: number;
  entries: number;
  ratePer1000Words: number;
  shareOfEntries: number;
}

export interface ChangeRow {
  /** The concern category or aligned kind. */
  id: string;
  baseline: PeriodFigures;
  followup: PeriodFigures;
  /** Follow-up rate minus baseline rate, per 1,000 words. */
  absoluteChange: number;
  /** (follow-up - baseline) / baseline; null when the baseline rate is 0. */
  relativeChange: number | null;
  /** Follow-up rate / baseline rate, with its 95% confidence interval; null when neither period has a finding. */
  rateRatio: number | null;
  ci: [number, number] | null;
  /** 0.5 was added to both counts because one of them was zero. */
  continuityCorrected: boolean;
  verdict: Verdict;
  /** False when the rule set has no rule for this category, so a zero means "not audited". */
  covered: boolean;
}

export interface PeriodSummary {
  label: string;
  ruleset: string;
  files: number;
  entries: number;
  words: number;
  period: { from: string | null; to: string | null };
}

export interface CompareReport {
  schema: typeof COMPARE_SCHEMA;
  version: number;
  generated: string;
  baseline: PeriodSummary;
  followup: PeriodSummary;
  /** False when the two audits ran with different rule sets: changes may then come from the rules, not the writing. */
  sameRuleset: boolean;
  method: { confidence: number; z: number; continuityCorrection: number; test: string };
  overall: { concerns: ChangeRow; aligned: ChangeRow };
  concerns: ChangeRow[];
  aligned: ChangeRow[];
  /** Concern categories with findings whose verdict is not "improved". */
  notImproved: string[];
  summary: string[];
  notes: string[];
}
