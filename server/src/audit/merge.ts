// Merging audits of shards into one audit, exactly: every figure in the report is a count or a
// word total, so the merge is a sum and the rates are recomputed from the sums. Shards must
// agree on what was counted (rule set, quoted-speech mode, categories, disabled rules) and on
// the pseudonym scope (the same --audit-id), or author rows could not be matched.

import { EXCERPTS_PER_CATEGORY, inc, labelAuthors, MAX_PHRASES_PER_CATEGORY, orderRows, reportTime, sortPhrases } from './aggregate';
import { AlignedCounts, AuditReport, CategoryCounts, Dimension, DIMENSIONS, Excerpt, GroupRow, RuleInfo } from './schema';
import { round } from './stats';

export class MergeError extends Error {}

export interface MergeOptions {
  label?: string;
  /** Merge even though the shards used different --audit-id values, leaving the author table out. */
  dropAuthors?: boolean;
  now?: Date;
}

export interface MergeResult {
  report: AuditReport;
  notes: string[];
}

function addRecord(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

function sortedKeys<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

export function mergeReports(reports: AuditReport[], opts: MergeOptions = {}): MergeResult {
  if (reports.length === 0) throw new MergeError('nothing to merge');
  const first = reports[0];
  const notes: string[] = [];
  const same = <T>(what: string, get: (r: AuditReport) => T) => {
    const v0 = JSON.stringify(get(first));
    const odd = reports.findIndex((r) => JSON.stringify(get(r)) !== v0);
    if (odd >= 0) throw new MergeError(`the audits differ in ${what} (${v0} and ${JSON.stringify(get(reports[odd]))}); merge only shards of one audit run`);
  };
  same('rule set', (r) => r.ruleset);
  same('quoted-speech mode', (r) => r.options.quotedSpeech);
  same('categories', (r) => r.options.categories);
  same('disabled rules', (r) => [...r.options.disabledRules].sort());
  let dropAuthors = false;
  if (reports.some((r) => r.options.pseudonymScope !== first.options.pseudonymScope)) {
    if (!opts.dropAuthors) {
      throw new MergeError('the audits were made with different --audit-id values (or none), so their author pseudonyms cannot be matched; audit every shard with the same --audit-id, or merge with --drop-authors to leave the author table out');
    }
    dropAuthors = true;
    notes.push('author table left out: the shards used different --audit-id values');
  }
  let by = DIMENSIONS.filter((d) => reports.every((r) => r.options.by.includes(d)));
  if (dropAuthors) by = by.filter((d) => d !== 'author');
  for (const d of new Set(reports.flatMap((r) => r.options.by))) if (!by.includes(d) && !(dropAuthors && d === 'author')) notes.push(`"${d}" table left out: not every shard has it`);

  const includeExcerpts = reports.some((r) => r.options.includeExcerpts);
  const totals = { files: 0, entries: 0, words: 0, bytes: 0, entriesWithConcerns: 0, entriesWithAligned: 0, concerns: 0, aligned: 0, bySeverity: { error: 0, warning: 0, information: 0, hint: 0 } };
  const catCounts = new Map<string, { count: number; entries: number; quoted: number }>();
  const alCounts = new Map<string, { count: number; entries: number }>();
  const phrases = new Map<string, Map<string, number>>();
  const phrasesOther: Record<string, number> = {};
  const rules = new Map<string, RuleInfo>();
  const groups = new Map<Dimension, Map<string, GroupRow>>();
  const entryRows: GroupRow[] = [];
  const excerpts = new Map<string, Excerpt[]>();
  const authorNames = new Map<string, string>();
  let from: string | null = null;
  let to: string | null = null;
  let undated = 0;

  for (const r of reports) {
    const t = r.totals;
    totals.files += t.files; totals.entries += t.entries; totals.words += t.words; totals.bytes += t.bytes;
    totals.entriesWithConcerns += t.entriesWithConcerns; totals.entriesWithAligned += t.entriesWithAligned;
    totals.concerns += t.concerns; totals.aligned += t.aligned;
    for (const k of ['error', 'warning', 'information', 'hint'] as const) totals.bySeverity[k] += t.bySeverity?.[k] ?? 0;
    for (const [id, c] of Object.entries(r.categories)) {
      const m = catCounts.get(id) ?? { count: 0, entries: 0, quoted: 0 };
      m.count += c.count; m.entries += c.entries; m.quoted += c.quoted;
      catCounts.set(id, m);
    }
    for (const [id, a] of Object.entries(r.aligned)) {
      const m = alCounts.get(id) ?? { count: 0, entries: 0 };
      m.count += a.count; m.entries += a.entries;
      alCounts.set(id, m);
    }
    for (const [c, list] of Object.entries(r.phrases)) {
      let m = phrases.get(c);
      if (!m) { m = new Map(); phrases.set(c, m); }
      for (const p of list) {
        if (m.has(p.phrase) || m.size < MAX_PHRASES_PER_CATEGORY) inc(m, p.phrase, p.count);
        else phrasesOther[c] = (phrasesOther[c] ?? 0) + p.count;
      }
    }
    addRecord(phrasesOther, r.phrasesOther ?? {});
    for (const x of r.rules) {
      const m = rules.get(x.id);
      if (m) m.count += x.count;
      else rules.set(x.id, { ...x });
    }
    for (const dim of by) {
      const rows = r.groups[dim] ?? [];
      if (dim === 'entry') { entryRows.push(...rows.map((x) => ({ ...x }))); continue; }
      let map = groups.get(dim);
      if (!map) { map = new Map(); groups.set(dim, map); }
      for (const row of rows) {
        if (dim === 'author' && r.options.includeExcerpts && row.key !== 'unknown') authorNames.set(row.key, row.label);
        const m = map.get(row.key);
        if (!m) { map.set(row.key, { ...row, concerns: { ...row.concerns }, concernEntries: { ...row.concernEntries }, aligned: { ...row.aligned } }); continue; }
        m.entries += row.entries; m.words += row.words; m.entriesWithConcerns += row.entriesWithConcerns; m.entriesWithAligned += row.entriesWithAligned;
        addRecord(m.concerns, row.concerns); addRecord(m.concernEntries, row.concernEntries); addRecord(m.aligned, row.aligned);
      }
    }
    for (const [c, list] of Object.entries(r.excerpts ?? {})) {
      const m = excerpts.get(c) ?? [];
      for (const e of list) if (m.length < EXCERPTS_PER_CATEGORY) m.push(e);
      excerpts.set(c, m);
    }
    if (r.period.from && (!from || r.period.from < from)) from = r.period.from;
    if (r.period.to && (!to || r.period.to > to)) to = r.period.to;
    undated += r.period.undated;
  }

  const categories: Record<string, CategoryCounts> = {};
  for (const [id, c] of catCounts) categories[id] = { ...c, ratePer1000Words: round(totals.words ? (c.count * 1000) / totals.words : 0), shareOfEntries: round(totals.entries ? c.entries / totals.entries : 0) };
  const aligned: Record<string, AlignedCounts> = {};
  for (const [id, a] of alCounts) aligned[id] = { ...a, ratePer1000Words: round(totals.words ? (a.count * 1000) / totals.words : 0), shareOfEntries: round(totals.entries ? a.entries / totals.entries : 0) };
  const outGroups: AuditReport['groups'] = {};
  for (const dim of by) {
    if (dim === 'entry') { outGroups.entry = entryRows; continue; }
    const rows = [...(groups.get(dim)?.values() ?? [])].map((row) => ({ ...row, concerns: sortedKeys(row.concerns), concernEntries: sortedKeys(row.concernEntries), aligned: sortedKeys(row.aligned) }));
    outGroups[dim] = orderRows(dim, rows);
    if (dim === 'author') labelAuthors(outGroups.author!, includeExcerpts ? authorNames : undefined);
  }
  if (dropAuthors) for (const row of entryRows) delete row.author;
  const labels = [...new Set(reports.map((r) => r.label))];
  const report: AuditReport = {
    schema: first.schema,
    version: first.version,
    tool: first.tool,
    ruleset: first.ruleset,
    label: opts.label ?? (labels.length === 1 ? labels[0] : ''),
    generated: reportTime(opts.now),
    options: { ...first.options, by, includeExcerpts, randomSalt: reports.some((r) => r.options.randomSalt) },
    period: { from, to, undated },
    totals,
    categories,
    aligned,
    phrases: Object.fromEntries([...phrases].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([c, m]) => [c, sortPhrases(m)])),
    phrasesOther: sortedKeys(phrasesOther),
    groups: outGroups,
    rules: [...rules.values()],
    inputs: reports.flatMap((r) => r.inputs),
    errors: reports.flatMap((r) => r.errors),
  };
  if (includeExcerpts) report.excerpts = Object.fromEntries([...excerpts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { report, notes };
}
