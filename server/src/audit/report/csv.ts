// The audit as one tidy CSV (RFC 4180, CRLF) for spreadsheets and pivot tables: one row per
// table, group and category. Columns:
//
//   table     total | file | case | author | team | month | entry | phrase | rule | input | error
//   key       the group key (path, case, author label, team, YYYY-MM, entry id, phrase, rule id)
//   category  a concern category or aligned kind; "(all)" for the group's totals
//   kind      concern | aligned
//   count, per_1000_words, entries_affected, share_of_entries, entries, words
//   detail    free text (entry date/type, input status and notes, error reason)

import type { AuditReport, Dimension } from '../schema';
import { round } from '../stats';
import { authorLabeller, per1000, rowAligned, rowConcerns } from './common';

const HEADER = ['table', 'key', 'line', 'category', 'kind', 'count', 'per_1000_words', 'entries_affected', 'share_of_entries', 'entries', 'words', 'detail'];

export function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  // a text cell a spreadsheet would run as a formula is prefixed with an apostrophe
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsv(r: AuditReport): string {
  const out: string[] = [HEADER.join(',')];
  const row = (cells: Array<string | number | undefined>) => out.push(cells.map(csvField).join(','));
  const t = r.totals;
  const author = authorLabeller(r);
  const share = (n: number, of: number) => (of ? round(n / of, 6) : 0);
  row(['total', '', '', '(all)', 'concern', t.concerns, round(per1000(t.concerns, t.words), 6), t.entriesWithConcerns, share(t.entriesWithConcerns, t.entries), t.entries, t.words, r.label]);
  row(['total', '', '', '(all)', 'aligned', t.aligned, round(per1000(t.aligned, t.words), 6), t.entriesWithAligned, share(t.entriesWithAligned, t.entries), t.entries, t.words, r.label]);
  for (const [id, c] of Object.entries(r.categories)) row(['total', '', '', id, 'concern', c.count, round(per1000(c.count, t.words), 6), c.entries, share(c.entries, t.entries), t.entries, t.words, c.quoted ? `${c.quoted} in quoted or attributed speech (not counted)` : '']);
  for (const [id, a] of Object.entries(r.aligned)) row(['total', '', '', id, 'aligned', a.count, round(per1000(a.count, t.words), 6), a.entries, share(a.entries, t.entries), t.entries, t.words, '']);
  for (const dim of Object.keys(r.groups) as Dimension[]) {
    for (const g of r.groups[dim]!) {
      const detail = dim === 'entry' ? [g.date, g.type, g.author === undefined ? undefined : author(g.author), g.team, g.file].filter(Boolean).join(' | ') : '';
      const c = rowConcerns(g);
      const a = rowAligned(g);
      row([dim, g.label, g.line, '(all)', 'concern', c, round(per1000(c, g.words), 6), g.entriesWithConcerns, share(g.entriesWithConcerns, g.entries), g.entries, g.words, detail]);
      row([dim, g.label, g.line, '(all)', 'aligned', a, round(per1000(a, g.words), 6), g.entriesWithAligned, share(g.entriesWithAligned, g.entries), g.entries, g.words, detail]);
      for (const [k, v] of Object.entries(g.concerns)) row([dim, g.label, g.line, k, 'concern', v, round(per1000(v, g.words), 6), g.concernEntries[k] ?? 0, share(g.concernEntries[k] ?? 0, g.entries), g.entries, g.words, detail]);
      for (const [k, v] of Object.entries(g.aligned)) row([dim, g.label, g.line, k, 'aligned', v, round(per1000(v, g.words), 6), undefined, undefined, g.entries, g.words, detail]);
    }
  }
  for (const [c, list] of Object.entries(r.phrases)) for (const p of list) row(['phrase', p.phrase, undefined, c, 'concern', p.count, undefined, undefined, undefined, undefined, undefined, '']);
  for (const x of r.rules) row(['rule', x.id, undefined, x.category, x.kind, x.count, round(per1000(x.count, t.words), 6), undefined, undefined, undefined, undefined, x.severity]);
  for (const i of r.inputs) row(['input', i.path, undefined, undefined, undefined, undefined, undefined, undefined, undefined, i.entries, i.words, [i.format, i.status, i.encoding, ...(i.notes ?? [])].filter(Boolean).join(' | ')]);
  for (const e of r.errors) row(['error', e.path, e.line, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, e.message]);
  return out.join('\r\n') + '\r\n';
}
