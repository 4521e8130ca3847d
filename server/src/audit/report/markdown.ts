// The audit as Markdown: summary, categories, aligned indicators, top phrases, breakdowns,
// rules, inputs and failures.

import type { AuditReport, Dimension, GroupRow } from '../schema';
import {
  authorLabeller, DIMENSION_KEY, DIMENSION_TITLES, int, MAX_DOC_ROWS, mdCell, pct, per1000, periodLine, privacyLine, rate, rowAligned, rowConcerns, shownAligned, shownCategories, titleOf,
} from './common';

export const TOP_PHRASES = 10;

export function auditMarkdown(r: AuditReport): string {
  const L: string[] = [];
  const t = r.totals;
  L.push(`# Case-note language audit${r.label ? `: ${mdCell(r.label)}` : ''}`, '');
  L.push(`Rule set \`${r.ruleset}\` · ${int(t.files)} file${t.files === 1 ? '' : 's'}, ${int(t.entries)} entries, ${int(t.words)} words · entries dated ${periodLine(r)} · generated ${r.generated}`, '');
  L.push(`> ${privacyLine(r)}`, '');
  L.push('## Summary', '');
  for (const s of summaryLines(r)) L.push(`- ${s}`);
  L.push('');

  L.push('## Concerns by category', '');
  L.push('| Category | Findings | Per 1,000 words | Entries affected | Share of entries | In quoted or attributed speech (not counted) |');
  L.push('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { id, covered } of shownCategories(r)) {
    const c = r.categories[id];
    L.push(`| ${titleOf(id)}${covered ? '' : ' (no rules yet)'} | ${int(c.count)} | ${rate(c.ratePer1000Words)} | ${int(c.entries)} | ${pct(c.shareOfEntries)} | ${int(c.quoted)} |`);
  }
  L.push(`| **All categories** | **${int(t.concerns)}** | **${rate(per1000(t.concerns, t.words))}** | **${int(t.entriesWithConcerns)}** | **${pct(t.entries ? t.entriesWithConcerns / t.entries : 0)}** | |`, '');

  L.push('## Aligned-language indicators', '');
  L.push('Safe & Together-aligned wording: more of it is better.', '');
  L.push('| Indicator | Count | Per 1,000 words | Entries | Share of entries |');
  L.push('| --- | ---: | ---: | ---: | ---: |');
  for (const { id, covered } of shownAligned(r)) {
    const a = r.aligned[id];
    L.push(`| ${titleOf(id)}${covered ? '' : ' (no rules yet)'} | ${int(a.count)} | ${rate(a.ratePer1000Words)} | ${int(a.entries)} | ${pct(a.shareOfEntries)} |`);
  }
  L.push(`| **All indicators** | **${int(t.aligned)}** | **${rate(per1000(t.aligned, t.words))}** | **${int(t.entriesWithAligned)}** | **${pct(t.entries ? t.entriesWithAligned / t.entries : 0)}** |`, '');

  L.push('## Top phrases', '');
  const cats = Object.keys(r.phrases);
  if (cats.length === 0) L.push('No concern findings.', '');
  for (const c of cats) {
    L.push(`### ${titleOf(c)}`, '');
    L.push('| Phrase | Count |', '| --- | ---: |');
    for (const p of r.phrases[c].slice(0, TOP_PHRASES)) L.push(`| ${mdCell(p.phrase)} | ${int(p.count)} |`);
    const more = r.phrases[c].length - TOP_PHRASES;
    if (more > 0 || r.phrasesOther[c]) L.push(`| *${more > 0 ? `${int(more)} more phrase${more === 1 ? '' : 's'}` : ''}${r.phrasesOther[c] ? `${more > 0 ? '; ' : ''}${int(r.phrasesOther[c])} findings beyond the phrase limit` : ''}* | |`);
    L.push('');
  }

  for (const dim of Object.keys(r.groups) as Dimension[]) {
    const rows = r.groups[dim]!;
    L.push(`## ${DIMENSION_TITLES[dim]}`, '');
    L.push(...groupTable(dim, rows, authorLabeller(r)), '');
  }

  if (r.excerpts) {
    L.push('## Excerpts', '', '> Verbatim text from case notes: confidential.', '');
    for (const [c, list] of Object.entries(r.excerpts)) {
      L.push(`### ${titleOf(c)}`, '');
      for (const e of list) L.push(`- ${mdCell(e.text.slice(0, e.start))}**${mdCell(e.text.slice(e.start, e.end))}**${mdCell(e.text.slice(e.end))} (${mdCell(e.file)}${e.line ? `:${e.line}` : ''}, ${mdCell(e.entry)}, \`${e.ruleId}\`)`);
      L.push('');
    }
  }

  L.push('## Rules', '');
  L.push('| Rule | Category | Kind | Findings |', '| --- | --- | --- | ---: |');
  for (const x of r.rules) L.push(`| \`${x.id}\` | ${titleOf(x.category)} | ${x.kind} | ${int(x.count)} |`);
  L.push('');

  L.push('## Inputs', '');
  L.push(...inputLines(r), '');
  L.push('## Files that could not be read', '');
  if (r.errors.length === 0) L.push('None.');
  else {
    L.push('| File | Line | Reason |', '| --- | ---: | --- |');
    for (const e of r.errors) L.push(`| ${mdCell(e.path)} | ${e.line ?? ''} | ${mdCell(e.message)} |`);
  }
  L.push('');
  return L.join('\n');
}

export function summaryLines(r: AuditReport): string[] {
  const t = r.totals;
  const out: string[] = [];
  out.push(`${pct(t.entries ? t.entriesWithConcerns / t.entries : 0)} of entries (${int(t.entriesWithConcerns)} of ${int(t.entries)}) contain at least one concern; ${rate(per1000(t.concerns, t.words))} concerns per 1,000 words.`);
  out.push(`${pct(t.entries ? t.entriesWithAligned / t.entries : 0)} of entries (${int(t.entriesWithAligned)}) use Safe & Together-aligned language; ${rate(per1000(t.aligned, t.words))} indicators per 1,000 words.`);
  const top = Object.entries(r.categories).filter(([, c]) => c.count > 0).sort((a, b) => b[1].count - a[1].count).slice(0, 3);
  if (top.length > 0) out.push(`Most frequent: ${top.map(([id, c]) => `${titleOf(id).toLowerCase()} (${rate(c.ratePer1000Words)} per 1,000 words)`).join(', ')}.`);
  const uncovered = Object.keys(r.categories).filter((c) => !r.rules.some((x) => x.category === c));
  if (uncovered.length > 0) out.push(`The rule set has no rules yet for ${uncovered.length} of ${Object.keys(r.categories).length} categories, so their zeros mean "not audited".`);
  if (r.errors.length > 0) out.push(`${int(r.errors.length)} problem${r.errors.length === 1 ? '' : 's'} reading the input (see the end of this report).`);
  return out;
}

function groupTable(dim: Dimension, rows: GroupRow[], author: (k: string | undefined) => string): string[] {
  const L: string[] = [];
  const extra = dim === 'entry' ? ' Date | Type | Author |' : '';
  L.push(`| ${DIMENSION_KEY[dim]} |${extra} Entries | Words | Concerns | Per 1,000 words | Entries with concerns | Aligned | Aligned per 1,000 words | Categories |`);
  L.push(`| --- |${dim === 'entry' ? ' --- | --- | --- |' : ''} ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |`);
  for (const row of rows.slice(0, MAX_DOC_ROWS)) {
    const c = rowConcerns(row);
    const a = rowAligned(row);
    const cats = Object.entries(row.concerns).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    const pre = dim === 'entry' ? ` ${row.date ?? ''} | ${mdCell(row.type ?? '')} | ${mdCell(author(row.author))} |` : '';
    L.push(`| ${mdCell(row.label)} |${pre} ${int(row.entries)} | ${int(row.words)} | ${int(c)} | ${rate(per1000(c, row.words))} | ${int(row.entriesWithConcerns)} | ${int(a)} | ${rate(per1000(a, row.words))} | ${mdCell(cats)} |`);
  }
  if (rows.length > MAX_DOC_ROWS) L.push('', `*${int(rows.length - MAX_DOC_ROWS)} more rows in the JSON and CSV reports.*`);
  return L;
}

function inputLines(r: AuditReport): string[] {
  const byFormat = new Map<string, { files: number; bytes: number; entries: number }>();
  for (const i of r.inputs) {
    const f = byFormat.get(i.format) ?? { files: 0, bytes: 0, entries: 0 };
    f.files++; f.bytes += i.bytes; f.entries += i.entries;
    byFormat.set(i.format, f);
  }
  const L: string[] = [];
  L.push(`${int(r.inputs.length)} file${r.inputs.length === 1 ? '' : 's'} read: ${[...byFormat].map(([k, v]) => `${int(v.files)} ${k} (${int(v.entries)} entries, ${(v.bytes / 1048576).toFixed(2)} MB)`).join(', ') || 'none'}.`);
  const noted = r.inputs.filter((i) => i.notes || i.status !== 'ok');
  if (r.inputs.length <= 50 || noted.length > 0) {
    L.push('', '| File | Format | Entries | Words | Status | Notes |', '| --- | --- | ---: | ---: | --- | --- |');
    for (const i of r.inputs.length <= 50 ? r.inputs : noted) L.push(`| ${mdCell(i.path)} | ${i.format} | ${int(i.entries)} | ${int(i.words)} | ${i.status} | ${mdCell((i.notes ?? []).join('; '))} |`);
  }
  return L;
}
