// Aggregation as the results come in: counts per category, aligned kind, rule, phrase, and per
// group (file, case, author, team, month; entry rows only when asked for). Nothing per finding
// is kept, so memory depends on the number of groups, not on the size of the input.

import { createHash, createHmac } from 'node:crypto';
import { ALIGNED_KINDS, CATEGORIES, CompiledRule, Severity } from '../engine';
import type { UnitResult } from './analyzeUnits';
import { monthOf } from './dates';
import type { EntryMeta } from './entries';
import {
  AUDIT_SCHEMA, AUDIT_SCHEMA_VERSION, AlignedCounts, AuditOptionsRecord, AuditReport, CategoryCounts, Dimension, Excerpt, GroupRow, InputError, InputRecord, PhraseCount,
} from './schema';
import { round } from './stats';

/** Distinct phrases kept per category; the counts of any beyond go to phrasesOther. */
export const MAX_PHRASES_PER_CATEGORY = 2000;
export const EXCERPTS_PER_CATEGORY = 5;

export interface UnitMeta extends EntryMeta {
  /** Display path of the file. */
  file: string;
  segment?: 'first' | 'middle' | 'last';
}

/**
 * One entry's counts while its segments come in. Its maps are made only for a finding: most
 * entries have none, and four maps per entry were 8% of what the main thread allocated.
 */
export interface EntryCounts {
  words: number;
  concerns?: Map<string, number>;
  aligned?: Map<string, number>;
}

/** The counts of a group of entries. */
export class Counter {
  entries = 0;
  words = 0;
  withConcerns = 0;
  withAligned = 0;
  concerns = new Map<string, number>();
  concernEntries = new Map<string, number>();
  aligned = new Map<string, number>();
  alignedEntries = new Map<string, number>();

  /** Adds one finished entry's counts. */
  addEntry(e: EntryCounts): void {
    this.entries++;
    this.words += e.words;
    if (e.concerns) {
      this.withConcerns++;
      for (const [k, v] of e.concerns) { inc(this.concerns, k, v); inc(this.concernEntries, k, 1); }
    }
    if (e.aligned) {
      this.withAligned++;
      for (const [k, v] of e.aligned) { inc(this.aligned, k, v); inc(this.alignedEntries, k, 1); }
    }
  }

  row(key: string, label: string): GroupRow {
    return {
      key,
      label,
      entries: this.entries,
      words: this.words,
      entriesWithConcerns: this.withConcerns,
      entriesWithAligned: this.withAligned,
      concerns: sortedRecord(this.concerns),
      concernEntries: sortedRecord(this.concernEntries),
      aligned: sortedRecord(this.aligned),
    };
  }
}

export function inc(m: Map<string, number>, k: string, by = 1): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** The fingerprint of a pseudonym salt that reports carry (never the salt). */
export function pseudonymScope(salt: string): string {
  return createHash('sha256').update(`casenote-audit/pseudonym-scope\0${salt}`).digest('hex').slice(0, 12);
}

/** An author's pseudonymous key: an HMAC of the normalised name under the salt. */
export function authorKey(salt: string, author: string): string {
  return createHmac('sha256', salt).update(author.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()).digest('hex').slice(0, 16);
}

export function reportTime(now?: Date): string {
  if (now) return now.toISOString();
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

export interface AccumulatorOptions {
  by: readonly Dimension[];
  includeExcerpts: boolean;
  salt: string;
  randomSalt: boolean;
  ruleset: string;
  rules: readonly CompiledRule[];
  toolVersion: string;
  label: string;
  quotedSpeech: string;
  categories: string[] | null;
  disabledRules: string[];
  now?: Date;
}

export class AuditAccumulator {
  readonly totals = new Counter();
  private readonly quoted = new Map<string, number>();
  private readonly ruleCounts = new Map<string, number>();
  private readonly severities: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  private readonly phrases = new Map<string, Map<string, number>>();
  private readonly phrasesOther = new Map<string, number>();
  private readonly groups = new Map<Dimension, Map<string, Counter>>();
  private readonly entryRows: GroupRow[] = [];
  private readonly authorKeys = new Map<string, string>();
  private readonly authorNames = new Map<string, string>();
  private readonly excerpts = new Map<string, Excerpt[]>();
  private open: EntryCounts | undefined;
  private from: string | undefined;
  private to: string | undefined;
  private undated = 0;
  bytes = 0;

  constructor(private readonly opts: AccumulatorOptions) {
    for (const d of opts.by) if (d !== 'entry') this.groups.set(d, new Map());
  }

  /** Adds the result of one entry, or of one segment of a long entry. */
  add(meta: UnitMeta, res: UnitResult): void {
    const e = (this.open ??= { words: 0 });
    e.words += res.words;
    for (const f of res.found) {
      if (f.a) { inc((e.aligned ??= new Map()), f.c); continue; }
      if (f.q) { inc(this.quoted, f.c); continue; }
      inc((e.concerns ??= new Map()), f.c);
      inc(this.ruleCounts, f.r);
      this.severities[f.s]++;
      this.addPhrase(f.c, f.p);
      if (f.ex && this.opts.includeExcerpts) {
        const list = this.excerpts.get(f.c) ?? [];
        if (list.length < EXCERPTS_PER_CATEGORY) {
          list.push({ file: meta.file, entry: meta.id, line: meta.converted ? 0 : fileLine(meta, f.ex.line), text: f.ex.text, start: f.ex.start, end: f.ex.end, ruleId: f.r });
          this.excerpts.set(f.c, list);
        }
      }
    }
    if (meta.segment === 'first' || meta.segment === 'middle') return;
    this.open = undefined;
    this.finishEntry(meta, e);
  }

  private addPhrase(cat: string, phrase: string): void {
    let m = this.phrases.get(cat);
    if (!m) { m = new Map(); this.phrases.set(cat, m); }
    if (m.has(phrase) || m.size < MAX_PHRASES_PER_CATEGORY) inc(m, phrase);
    else inc(this.phrasesOther, cat);
  }

  private finishEntry(meta: UnitMeta, e: EntryCounts): void {
    this.totals.addEntry(e);
    if (meta.date) {
      if (!this.from || meta.date < this.from) this.from = meta.date;
      if (!this.to || meta.date > this.to) this.to = meta.date;
    } else this.undated++;
    const author = meta.author ? this.author(meta.author) : 'unknown';
    for (const [dim, map] of this.groups) {
      const key = dim === 'file' ? meta.file : dim === 'case' ? meta.case ?? 'unknown' : dim === 'author' ? author : dim === 'team' ? meta.team ?? 'unknown' : monthOf(meta.date);
      let c = map.get(key);
      if (!c) { c = new Counter(); map.set(key, c); }
      c.addEntry(e);
    }
    if (this.opts.by.includes('entry')) {
      const c = new Counter();
      c.addEntry(e);
      const row = c.row(meta.id, meta.id);
      row.file = meta.file;
      if (!meta.converted) row.line = meta.line;
      if (meta.date) row.date = meta.date;
      if (meta.type) row.type = meta.type;
      if (meta.author) row.author = author;
      if (meta.team) row.team = meta.team;
      if (meta.case) row.case = meta.case;
      this.entryRows.push(row);
    }
  }

  private author(name: string): string {
    let k = this.authorKeys.get(name);
    if (!k) {
      k = authorKey(this.opts.salt, name);
      this.authorKeys.set(name, k);
      if (this.opts.includeExcerpts) this.authorNames.set(k, name);
    }
    return k;
  }

  toReport(inputs: InputRecord[], errors: InputError[]): AuditReport {
    const t = this.totals;
    const categories: Record<string, CategoryCounts> = {};
    const catIds = unique([...CATEGORIES, ...this.opts.rules.filter((r) => r.kind === 'concern').map((r) => r.category), ...t.concerns.keys(), ...this.quoted.keys()]);
    for (const c of catIds) {
      const count = t.concerns.get(c) ?? 0;
      const entries = t.concernEntries.get(c) ?? 0;
      categories[c] = { count, entries, quoted: this.quoted.get(c) ?? 0, ratePer1000Words: round(t.words ? (count * 1000) / t.words : 0), shareOfEntries: round(t.entries ? entries / t.entries : 0) };
    }
    const aligned: Record<string, AlignedCounts> = {};
    for (const k of unique([...ALIGNED_KINDS, ...this.opts.rules.filter((r) => r.kind === 'aligned').map((r) => r.category), ...t.aligned.keys()])) {
      const count = t.aligned.get(k) ?? 0;
      const entries = t.alignedEntries.get(k) ?? 0;
      aligned[k] = { count, entries, ratePer1000Words: round(t.words ? (count * 1000) / t.words : 0), shareOfEntries: round(t.entries ? entries / t.entries : 0) };
    }
    const phrases: Record<string, PhraseCount[]> = {};
    for (const [c, m] of [...this.phrases].sort((a, b) => cmp(a[0], b[0]))) phrases[c] = sortPhrases(m);
    const groups: AuditReport['groups'] = {};
    for (const dim of this.opts.by) {
      if (dim === 'entry') { groups.entry = this.entryRows; continue; }
      const rows = [...this.groups.get(dim)!].map(([k, c]) => c.row(k, k));
      groups[dim] = orderRows(dim, rows);
      if (dim === 'author') labelAuthors(groups.author!, this.authorNames);
    }
    const options: AuditOptionsRecord = {
      by: [...this.opts.by],
      includeExcerpts: this.opts.includeExcerpts,
      quotedSpeech: this.opts.quotedSpeech,
      categories: this.opts.categories,
      disabledRules: this.opts.disabledRules,
      pseudonymScope: pseudonymScope(this.opts.salt),
      randomSalt: this.opts.randomSalt,
    };
    const report: AuditReport = {
      schema: AUDIT_SCHEMA,
      version: AUDIT_SCHEMA_VERSION,
      tool: { name: 'casenote-audit', version: this.opts.toolVersion },
      ruleset: this.opts.ruleset,
      label: this.opts.label,
      generated: reportTime(this.opts.now),
      options,
      period: { from: this.from ?? null, to: this.to ?? null, undated: this.undated },
      totals: {
        files: inputs.length,
        entries: t.entries,
        words: t.words,
        bytes: this.bytes,
        entriesWithConcerns: t.withConcerns,
        entriesWithAligned: t.withAligned,
        concerns: sum(t.concerns),
        aligned: sum(t.aligned),
        bySeverity: { ...this.severities },
      },
      categories,
      aligned,
      phrases,
      phrasesOther: sortedRecord(this.phrasesOther),
      groups,
      rules: this.opts.rules.map((r) => ({ id: r.id, category: r.category, kind: r.kind, severity: r.severity, count: this.ruleCounts.get(r.id) ?? 0 })),
      inputs,
      errors,
    };
    if (this.opts.includeExcerpts) report.excerpts = Object.fromEntries([...this.excerpts].sort((a, b) => cmp(a[0], b[0])));
    return report;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const unique = (xs: string[]) => [...new Set(xs)];
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

export function sortPhrases(m: Map<string, number>): PhraseCount[] {
  return [...m].map(([phrase, count]) => ({ phrase, count })).sort((a, b) => b.count - a.count || cmp(a.phrase, b.phrase));
}

/** The order rows are listed in: months and keys ascending; authors by entries (their labels follow that order). */
export function orderRows(dim: Dimension, rows: GroupRow[]): GroupRow[] {
  if (dim === 'author') return rows.sort((a, b) => (a.key === 'unknown' ? 1 : 0) - (b.key === 'unknown' ? 1 : 0) || b.entries - a.entries || cmp(a.key, b.key));
  if (dim === 'entry') return rows;
  return rows.sort((a, b) => cmp(a.key, b.key));
}

/** "Author 1", "Author 2"... in row order (most entries first); the name instead when names were kept. */
export function labelAuthors(rows: GroupRow[], names?: ReadonlyMap<string, string>): void {
  let n = 0;
  for (const r of rows) {
    if (r.key === 'unknown') { r.label = 'Author not recorded'; continue; }
    n++;
    r.label = names?.get(r.key) ?? `Author ${n}`;
  }
}

/** File line of line `i` of an entry's text. */
export function fileLine(meta: EntryMeta, i: number): number {
  return meta.lines?.[i] ?? meta.line + i;
}
