// The audit as one self-contained HTML file: inline CSS and SVG, no scripts, no external
// resources of any kind, and a Content-Security-Policy that allows only the page's own style
// block (by hash). It opens the same from disk, from an e-mail attachment or in a VS Code
// webview with scripts disabled.

import { createHash } from 'node:crypto';
import type { AuditReport, Dimension, GroupRow } from '../schema';
import {
  authorLabeller, DIMENSION_KEY, DIMENSION_TITLES, escapeHtml as h, int, MAX_DOC_ROWS, pct, per1000, periodLine, privacyLine, rate, rowAligned, rowConcerns, shownAligned, shownCategories, titleOf,
} from './common';
import { summaryLines, TOP_PHRASES } from './markdown';
import { columns, COLOURS, hbars } from './svg';

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 1000px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; border-bottom: 1px solid #d8dde3; padding-bottom: 4px; }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
.meta { color: #5b6670; margin: 0 0 12px; }
.privacy { border-left: 4px solid #2f7d4f; background: #eef6f1; padding: 8px 12px; margin: 12px 0; }
.privacy.confidential { border-color: #b3423a; background: #fbeeed; font-weight: 600; }
.warn { border-left: 4px solid #c98a00; background: #fff6e0; padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.92em; }
th, td { border-bottom: 1px solid #e4e8ec; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f4f6f8; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; border-top: 2px solid #c4cbd2; }
.muted { color: #5b6670; }
.improved { color: #2f7d4f; font-weight: 600; }
.worse { color: #b3423a; font-weight: 600; }
.nochange { color: #8a6d00; font-weight: 600; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
mark { background: #ffe08a; }
ul.summary li { margin: 4px 0; }
.phrases { columns: 2; column-gap: 24px; }
.phrases section { break-inside: avoid; }
@media print { details { display: block; } }
`;

/** Wraps a body in the report page: doctype, strict CSP (style block by hash), no external anything. */
export function page(title: string, body: string): string {
  const hash = createHash('sha256').update(STYLE).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function auditHtml(r: AuditReport): string {
  const t = r.totals;
  const B: string[] = [];
  B.push(`<h1>Case-note language audit${r.label ? `: ${h(r.label)}` : ''}</h1>`);
  B.push(`<p class="meta">Rule set <code>${h(r.ruleset)}</code> · ${int(t.files)} file${t.files === 1 ? '' : 's'}, ${int(t.entries)} entries, ${int(t.words)} words · entries dated ${h(periodLine(r))} · generated ${h(r.generated)}</p>`);
  B.push(`<p class="privacy${r.options.includeExcerpts ? ' confidential' : ''}">${h(privacyLine(r))}</p>`);
  B.push('<h2 id="summary">Summary</h2>', `<ul class="summary">${summaryLines(r).map((s) => `<li>${h(s)}</li>`).join('')}</ul>`);

  const cats = shownCategories(r);
  B.push('<h2 id="concerns">Concerns by category</h2>');
  const charted = cats.filter((c) => c.covered || r.categories[c.id].count > 0);
  if (charted.length > 0) {
    B.push(hbars(charted.map((c) => ({ label: titleOf(c.id), values: [r.categories[c.id].ratePer1000Words], note: `${rate(r.categories[c.id].ratePer1000Words)} · ${pct(r.categories[c.id].shareOfEntries)}` })),
      { series: ['per 1,000 words'], colours: [COLOURS.concern], title: 'Concern findings per 1,000 words, by category', format: rate }));
  }
  B.push('<table><thead><tr><th>Category</th><th class="n">Findings</th><th class="n">Per 1,000 words</th><th class="n">Entries affected</th><th class="n">Share of entries</th><th class="n">In quoted or attributed speech (not counted)</th></tr></thead><tbody>');
  for (const { id, covered } of cats) {
    const c = r.categories[id];
    B.push(`<tr><td>${h(titleOf(id))}${covered ? '' : ' <span class="muted">(no rules yet)</span>'}</td><td class="n">${int(c.count)}</td><td class="n">${rate(c.ratePer1000Words)}</td><td class="n">${int(c.entries)}</td><td class="n">${pct(c.shareOfEntries)}</td><td class="n">${int(c.quoted)}</td></tr>`);
  }
  B.push(`<tr class="total"><td>All categories</td><td class="n">${int(t.concerns)}</td><td class="n">${rate(per1000(t.concerns, t.words))}</td><td class="n">${int(t.entriesWithConcerns)}</td><td class="n">${pct(t.entries ? t.entriesWithConcerns / t.entries : 0)}</td><td></td></tr></tbody></table>`);

  const al = shownAligned(r);
  B.push('<h2 id="aligned">Aligned-language indicators</h2>', '<p class="muted">Safe &amp; Together-aligned wording: more of it is better.</p>');
  const alCharted = al.filter((a) => a.covered || r.aligned[a.id].count > 0);
  if (alCharted.length > 0) {
    B.push(hbars(alCharted.map((a) => ({ label: titleOf(a.id), values: [r.aligned[a.id].ratePer1000Words], note: `${rate(r.aligned[a.id].ratePer1000Words)} · ${pct(r.aligned[a.id].shareOfEntries)}` })),
      { series: ['per 1,000 words'], colours: [COLOURS.aligned], title: 'Aligned-language indicators per 1,000 words', format: rate }));
  }
  B.push('<table><thead><tr><th>Indicator</th><th class="n">Count</th><th class="n">Per 1,000 words</th><th class="n">Entries</th><th class="n">Share of entries</th></tr></thead><tbody>');
  for (const { id, covered } of al) {
    const a = r.aligned[id];
    B.push(`<tr><td>${h(titleOf(id))}${covered ? '' : ' <span class="muted">(no rules yet)</span>'}</td><td class="n">${int(a.count)}</td><td class="n">${rate(a.ratePer1000Words)}</td><td class="n">${int(a.entries)}</td><td class="n">${pct(a.shareOfEntries)}</td></tr>`);
  }
  B.push(`<tr class="total"><td>All indicators</td><td class="n">${int(t.aligned)}</td><td class="n">${rate(per1000(t.aligned, t.words))}</td><td class="n">${int(t.entriesWithAligned)}</td><td class="n">${pct(t.entries ? t.entriesWithAligned / t.entries : 0)}</td></tr></tbody></table>`);

  if (r.groups.month && r.groups.month.length > 1) {
    const byMonth = new Map(r.groups.month.filter((m) => m.key !== 'unknown').map((m) => [m.key, m]));
    const months = monthRange([...byMonth.keys()]);
    B.push('<h2 id="trend">By month</h2>', '<h3>Concern findings per 1,000 words</h3>');
    B.push(columns(months.map((k) => { const m = byMonth.get(k); return { label: k, value: m ? per1000(rowConcerns(m), m.words) : null }; }), { title: 'Concern findings per 1,000 words, by month', colour: COLOURS.concern, format: rate }));
    if (t.aligned > 0) {
      B.push('<h3>Aligned-language indicators per 1,000 words</h3>');
      B.push(columns(months.map((k) => { const m = byMonth.get(k); return { label: k, value: m ? per1000(rowAligned(m), m.words) : null }; }), { title: 'Aligned-language indicators per 1,000 words, by month', colour: COLOURS.aligned, format: rate }));
    }
    B.push('<p class="muted">Months without entries are left empty.</p>');
  }

  B.push('<h2 id="phrases">Top phrases</h2>');
  const pcats = Object.keys(r.phrases);
  if (pcats.length === 0) B.push('<p>No concern findings.</p>');
  else {
    B.push('<div class="phrases">');
    for (const c of pcats) {
      const list = r.phrases[c];
      B.push(`<section><h3>${h(titleOf(c))}</h3><table><thead><tr><th>Phrase</th><th class="n">Count</th></tr></thead><tbody>`);
      for (const p of list.slice(0, TOP_PHRASES)) B.push(`<tr><td>${h(p.phrase)}</td><td class="n">${int(p.count)}</td></tr>`);
      B.push('</tbody></table>');
      if (list.length > TOP_PHRASES) B.push(`<p class="muted">${int(list.length - TOP_PHRASES)} more in the JSON and CSV reports.</p>`);
      B.push('</section>');
    }
    B.push('</div>');
  }

  for (const dim of Object.keys(r.groups) as Dimension[]) {
    const rows = r.groups[dim]!;
    B.push(`<h2 id="by-${dim}">${DIMENSION_TITLES[dim]}</h2>`);
    B.push(`<details${rows.length <= 40 ? ' open' : ''}><summary>${int(rows.length)} row${rows.length === 1 ? '' : 's'}</summary>${groupTable(dim, rows, authorLabeller(r))}</details>`);
  }

  if (r.excerpts) {
    B.push('<h2 id="excerpts">Excerpts</h2>', '<p class="privacy confidential">Verbatim text from case notes: confidential.</p>');
    for (const [c, list] of Object.entries(r.excerpts)) {
      B.push(`<h3>${h(titleOf(c))}</h3><ul>`);
      for (const e of list) B.push(`<li>${h(e.text.slice(0, e.start))}<mark>${h(e.text.slice(e.start, e.end))}</mark>${h(e.text.slice(e.end))} <span class="muted">(${h(e.file)}${e.line ? `:${e.line}` : ''}, ${h(e.entry)}, ${h(e.ruleId)})</span></li>`);
      B.push('</ul>');
    }
  }

  B.push('<h2 id="rules">Rules</h2><table><thead><tr><th>Rule</th><th>Category</th><th>Kind</th><th class="n">Findings</th></tr></thead><tbody>');
  for (const x of r.rules) B.push(`<tr><td><code>${h(x.id)}</code></td><td>${h(titleOf(x.category))}</td><td>${h(x.kind)}</td><td class="n">${int(x.count)}</td></tr>`);
  B.push('</tbody></table>');

  B.push('<h2 id="inputs">Inputs</h2>');
  B.push(`<details${r.inputs.length <= 20 ? ' open' : ''}><summary>${int(r.inputs.length)} file${r.inputs.length === 1 ? '' : 's'} read</summary><table><thead><tr><th>File</th><th>Format</th><th class="n">Entries</th><th class="n">Words</th><th>Status</th><th>Notes</th></tr></thead><tbody>`);
  for (const i of r.inputs.slice(0, MAX_DOC_ROWS * 4)) B.push(`<tr><td>${h(i.path)}</td><td>${h(i.format)}</td><td class="n">${int(i.entries)}</td><td class="n">${int(i.words)}</td><td>${h(i.status)}</td><td>${h((i.notes ?? []).join('; '))}</td></tr>`);
  B.push('</tbody></table></details>');
  B.push('<h2 id="errors">Files that could not be read</h2>');
  if (r.errors.length === 0) B.push('<p>None.</p>');
  else {
    B.push('<table><thead><tr><th>File</th><th class="n">Line</th><th>Reason</th></tr></thead><tbody>');
    for (const e of r.errors) B.push(`<tr><td>${h(e.path)}</td><td class="n">${e.line ?? ''}</td><td>${h(e.message)}</td></tr>`);
    B.push('</tbody></table>');
  }
  return page(`Case-note language audit${r.label ? `: ${r.label}` : ''}`, B.join('\n'));
}

function groupTable(dim: Dimension, rows: GroupRow[], author: (k: string | undefined) => string): string {
  const out: string[] = [];
  const entry = dim === 'entry';
  out.push(`<table><thead><tr><th>${DIMENSION_KEY[dim]}</th>${entry ? '<th>Date</th><th>Type</th><th>Author</th>' : ''}<th class="n">Entries</th><th class="n">Words</th><th class="n">Concerns</th><th class="n">Per 1,000 words</th><th class="n">Entries with concerns</th><th class="n">Aligned</th><th class="n">Aligned per 1,000 words</th><th>Categories</th></tr></thead><tbody>`);
  for (const row of rows.slice(0, MAX_DOC_ROWS)) {
    const c = rowConcerns(row);
    const a = rowAligned(row);
    const cats = Object.entries(row.concerns).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push(`<tr><td>${h(row.label)}</td>${entry ? `<td>${h(row.date ?? '')}</td><td>${h(row.type ?? '')}</td><td>${h(author(row.author))}</td>` : ''}<td class="n">${int(row.entries)}</td><td class="n">${int(row.words)}</td><td class="n">${int(c)}</td><td class="n">${rate(per1000(c, row.words))}</td><td class="n">${int(row.entriesWithConcerns)}</td><td class="n">${int(a)}</td><td class="n">${rate(per1000(a, row.words))}</td><td>${h(cats)}</td></tr>`);
  }
  out.push('</tbody></table>');
  if (rows.length > MAX_DOC_ROWS) out.push(`<p class="muted">${int(rows.length - MAX_DOC_ROWS)} more rows in the JSON and CSV reports.</p>`);
  return out.join('');
}

/** Every month from the first to the last (YYYY-MM), so gaps show on the time axis. */
export function monthRange(keys: string[]): string[] {
  const sorted = keys.filter((k) => /^\d{4}-\d{2}$/.test(k)).sort();
  if (sorted.length === 0) return [];
  const out: string[] = [];
  let [y, m] = sorted[0].split('-').map(Number);
  const [ly, lm] = sorted[sorted.length - 1].split('-').map(Number);
  while ((y < ly || (y === ly && m <= lm)) && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) { m = 1; y++; }
  }
  return out;
}
