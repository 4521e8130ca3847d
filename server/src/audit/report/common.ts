// Shared helpers of the reporters: names, number formatting, escaping, table rows.

import type { AuditReport, Dimension, GroupRow } from '../schema';

/** "failure-to-protect" -> "Failure to protect". */
export function titleOf(id: string): string {
  const s = id.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const DIMENSION_TITLES: Record<Dimension, string> = {
  file: 'By file', case: 'By case', author: 'By author', team: 'By team', month: 'By month', entry: 'By entry',
};

export const DIMENSION_KEY: Record<Dimension, string> = {
  file: 'File', case: 'Case', author: 'Author', team: 'Team', month: 'Month', entry: 'Entry',
};

export function int(n: number): string {
  return n.toLocaleString('en-GB');
}

/** A rate with 2 decimals (or 3 below 0.1). */
export function rate(x: number): string {
  if (x === 0) return '0';
  return x < 0.1 ? x.toFixed(3) : x.toFixed(2);
}

export function pct(x: number): string {
  if (x === 0) return '0%';
  const v = x * 100;
  return `${v < 1 ? v.toFixed(2) : v.toFixed(1)}%`;
}

export function per1000(count: number, words: number): number {
  return words > 0 ? (count * 1000) / words : 0;
}

export function rowConcerns(r: GroupRow): number {
  let n = 0;
  for (const v of Object.values(r.concerns)) n += v;
  return n;
}

export function rowAligned(r: GroupRow): number {
  let n = 0;
  for (const v of Object.values(r.aligned)) n += v;
  return n;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Escapes text for a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/([*_`<>[\]])/g, '\\$1');
}

/** Categories to show: those the rule set covers, plus any with findings. */
export function shownCategories(r: AuditReport): Array<{ id: string; covered: boolean }> {
  const covered = new Set(r.rules.filter((x) => x.kind === 'concern').map((x) => x.category));
  return Object.keys(r.categories).map((id) => ({ id, covered: covered.has(id) }));
}

export function shownAligned(r: AuditReport): Array<{ id: string; covered: boolean }> {
  const covered = new Set(r.rules.filter((x) => x.kind === 'aligned').map((x) => x.category));
  return Object.keys(r.aligned).map((id) => ({ id, covered: covered.has(id) }));
}

export function privacyLine(r: AuditReport): string {
  return r.options.includeExcerpts
    ? 'CONFIDENTIAL: this report contains verbatim excerpts from case notes and authors\' names (--include-excerpts).'
    : 'No names and no excerpts: people in phrases are replaced by role tokens and authors by pseudonyms.';
}

export function periodLine(r: AuditReport): string {
  const p = r.period;
  if (!p.from) return 'no dated entries';
  return `${p.from} to ${p.to}${p.undated ? ` (${int(p.undated)} undated entries)` : ''}`;
}

/** Rows shown in document reports; the entry table can be long, so it is capped there (CSV and JSON have all). */
export const MAX_DOC_ROWS = 500;

/** How an entry row's author (a pseudonym key) is shown: the author table's label when there is one. */
export function authorLabeller(r: AuditReport): (key: string | undefined) => string {
  const labels = new Map((r.groups.author ?? []).map((g) => [g.key, g.label]));
  return (key) => (key === undefined ? '' : labels.get(key) ?? `Author ${key.slice(0, 6)}`);
}
