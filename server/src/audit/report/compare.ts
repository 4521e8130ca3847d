// The language-change summary as Markdown and as self-contained HTML (before/after bars and a
// rate-ratio plot).

import { verdictText } from '../compare';
import type { ChangeRow, CompareReport } from '../schema';
import { escapeHtml as h, int, mdCell, pct, rate, titleOf } from './common';
import { page } from './html';
import { COLOURS, forest, hbars } from './svg';

function periodText(p: CompareReport['baseline']): string {
  const plain = /^(baseline|follow-?up)$/i.test(p.label.trim());
  return `${p.label && !plain ? `${p.label}: ` : ''}${int(p.files)} files, ${int(p.entries)} entries, ${int(p.words)} words${p.period.from ? `, ${p.period.from} to ${p.period.to}` : ''}`;
}

function ratio(c: ChangeRow): string {
  if (c.rateRatio === null || !c.ci) return '–';
  return `${c.rateRatio.toFixed(2)} (${c.ci[0].toFixed(2)}–${c.ci[1].toFixed(2)})${c.continuityCorrected ? '*' : ''}`;
}

function relative(c: ChangeRow): string {
  if (c.relativeChange === null) return c.followup.count > 0 ? 'new' : '–';
  const v = c.relativeChange * 100;
  return `${v > 0 ? '+' : ''}${v.toFixed(0)}%`;
}

function absolute(c: ChangeRow): string {
  const v = c.absoluteChange;
  return `${v > 0 ? '+' : ''}${rate(Math.abs(v)) === '0' ? '0' : (v < 0 ? '−' : '') + rate(Math.abs(v))}`;
}

export function compareMarkdown(c: CompareReport): string {
  const L: string[] = [];
  L.push('# Language-change summary', '');
  L.push(`- Baseline: ${mdCell(periodText(c.baseline))}`);
  L.push(`- Follow-up: ${mdCell(periodText(c.followup))}`);
  L.push(`- Rule set: ${c.sameRuleset ? `\`${c.baseline.ruleset}\`` : `**different** (\`${c.baseline.ruleset}\` and \`${c.followup.ruleset}\`)`}`, '');
  for (const n of c.notes) L.push(`> ${mdCell(n)}`, '');
  L.push('## Summary', '');
  for (const s of c.summary) L.push(`- ${s}`);
  L.push('');
  L.push('## Concerns by category', '', 'Lower is better. Rates are per 1,000 words.', '');
  L.push(...table(c.concerns, false, c.overall.concerns), '');
  L.push('## Aligned-language indicators', '', 'Higher is better.', '');
  L.push(...table(c.aligned, true, c.overall.aligned), '');
  if (c.notImproved.length > 0) {
    L.push('## Categories that did not improve', '');
    for (const id of c.notImproved) {
      const row = c.concerns.find((x) => x.id === id)!;
      L.push(`- **${titleOf(id)}**: ${rate(row.baseline.ratePer1000Words)} → ${rate(row.followup.ratePer1000Words)} per 1,000 words, rate ratio ${ratio(row)}: ${verdictText(row.verdict, false)}.`);
    }
    L.push('');
  }
  L.push('## Method', '');
  L.push(`Findings are counted as Poisson events with the words written as exposure. The rate ratio is the follow-up rate divided by the baseline rate; its ${Math.round(c.method.confidence * 100)}% confidence interval is exp(ln RR ± ${c.method.z.toFixed(2)} × √(1/a + 1/b)) for counts a and b. When either count is zero, ${c.method.continuityCorrection} is added to both (marked *). A category **improved** when the whole interval lies below 1 (above 1 for aligned language), got **worse** when it lies on the other side, and shows **no clear change** when the interval includes 1. Entries are not independent (one writer, one case), so treat borderline intervals with care.`, '');
  return L.join('\n');
}

function table(rows: ChangeRow[], aligned: boolean, total: ChangeRow): string[] {
  const L: string[] = [];
  L.push(`| ${aligned ? 'Indicator' : 'Category'} | Baseline (count) | Follow-up (count) | Change | Relative | Rate ratio (95% CI) | Entries affected | Verdict |`);
  L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of [...rows, total]) {
    const name = r === total ? `**${aligned ? 'All indicators' : 'All categories'}**` : `${titleOf(r.id)}${r.covered ? '' : ' (no rules yet)'}`;
    L.push(`| ${name} | ${rate(r.baseline.ratePer1000Words)} (${int(r.baseline.count)}) | ${rate(r.followup.ratePer1000Words)} (${int(r.followup.count)}) | ${absolute(r)} | ${relative(r)} | ${ratio(r)} | ${pct(r.baseline.shareOfEntries)} → ${pct(r.followup.shareOfEntries)} | ${r.verdict} |`);
  }
  return L;
}

export function compareHtml(c: CompareReport): string {
  const B: string[] = [];
  B.push('<h1>Language-change summary</h1>');
  B.push(`<p class="meta">Baseline: ${h(periodText(c.baseline))}<br>Follow-up: ${h(periodText(c.followup))}<br>Rule set: ${c.sameRuleset ? `<code>${h(c.baseline.ruleset)}</code>` : `<strong>different</strong> (<code>${h(c.baseline.ruleset)}</code> and <code>${h(c.followup.ruleset)}</code>)`} · generated ${h(c.generated)}</p>`);
  B.push('<p class="privacy">No names and no excerpts: this summary holds counts and rates only.</p>');
  for (const n of c.notes) B.push(`<p class="warn">${h(n)}</p>`);
  B.push('<h2>Summary</h2>', `<ul class="summary">${c.summary.map((s) => `<li>${h(s)}</li>`).join('')}</ul>`);

  const shown = c.concerns.filter((r) => r.covered || r.baseline.count + r.followup.count > 0);
  B.push('<h2>Concerns by category</h2>', '<p class="muted">Per 1,000 words, baseline and follow-up. Lower is better.</p>');
  if (shown.length > 0) {
    B.push(hbars(shown.map((r) => ({ label: titleOf(r.id), values: [r.baseline.ratePer1000Words, r.followup.ratePer1000Words], note: `${rate(r.baseline.ratePer1000Words)} → ${rate(r.followup.ratePer1000Words)}` })),
      { series: ['Baseline', 'Follow-up'], colours: [COLOURS.baseline, COLOURS.followup], title: 'Concern findings per 1,000 words, before and after', format: rate }));
    B.push('<h3>Rate ratio (follow-up ÷ baseline) with 95% confidence interval</h3><p class="muted">Left of the line: less of it after training.</p>');
    B.push(forest(shown.map((r) => ({ label: titleOf(r.id), ratio: r.rateRatio, lower: r.ci?.[0] ?? null, upper: r.ci?.[1] ?? null, colour: colourOf(r.verdict) })), { title: 'Rate ratios of concern categories' }));
  }
  B.push(htmlTable(c.concerns, false, c.overall.concerns));

  const alShown = c.aligned.filter((r) => r.covered || r.baseline.count + r.followup.count > 0);
  B.push('<h2>Aligned-language indicators</h2>', '<p class="muted">Per 1,000 words. Higher is better.</p>');
  if (alShown.length > 0) {
    B.push(hbars(alShown.map((r) => ({ label: titleOf(r.id), values: [r.baseline.ratePer1000Words, r.followup.ratePer1000Words], note: `${rate(r.baseline.ratePer1000Words)} → ${rate(r.followup.ratePer1000Words)}` })),
      { series: ['Baseline', 'Follow-up'], colours: [COLOURS.baseline, COLOURS.aligned], title: 'Aligned-language indicators per 1,000 words, before and after', format: rate }));
  }
  B.push(htmlTable(c.aligned, true, c.overall.aligned));

  if (c.notImproved.length > 0) {
    B.push('<h2>Categories that did not improve</h2><ul>');
    for (const id of c.notImproved) {
      const row = c.concerns.find((x) => x.id === id)!;
      B.push(`<li><strong>${h(titleOf(id))}</strong>: ${rate(row.baseline.ratePer1000Words)} → ${rate(row.followup.ratePer1000Words)} per 1,000 words, rate ratio ${h(ratio(row))}: <span class="${cls(row.verdict)}">${h(verdictText(row.verdict, false))}</span>.</li>`);
    }
    B.push('</ul>');
  }
  B.push('<h2>Method</h2>');
  B.push(`<p>Findings are counted as Poisson events with the words written as exposure. The rate ratio is the follow-up rate divided by the baseline rate; its ${Math.round(c.method.confidence * 100)}% confidence interval is exp(ln RR ± ${c.method.z.toFixed(2)} × √(1/a + 1/b)) for counts a and b. When either count is zero, ${c.method.continuityCorrection} is added to both (marked *). A category <strong>improved</strong> when the whole interval lies below 1 (above 1 for aligned language), got <strong>worse</strong> when it lies on the other side, and shows <strong>no clear change</strong> when the interval includes 1. Entries are not independent (one writer, one case), so treat borderline intervals with care.</p>`);
  return page('Language-change summary', B.join('\n'));
}

function cls(v: ChangeRow['verdict']): string {
  return v === 'improved' ? 'improved' : v === 'worse' ? 'worse' : v === 'no clear change' ? 'nochange' : 'muted';
}

function colourOf(v: ChangeRow['verdict']): string {
  return v === 'improved' ? COLOURS.aligned : v === 'worse' ? COLOURS.concern : v === 'no clear change' ? '#8a6d00' : COLOURS.muted;
}

function htmlTable(rows: ChangeRow[], aligned: boolean, total: ChangeRow): string {
  const out: string[] = [];
  out.push(`<table><thead><tr><th>${aligned ? 'Indicator' : 'Category'}</th><th class="n">Baseline (count)</th><th class="n">Follow-up (count)</th><th class="n">Change</th><th class="n">Relative</th><th class="n">Rate ratio (95% CI)</th><th class="n">Entries affected</th><th>Verdict</th></tr></thead><tbody>`);
  for (const r of [...rows, total]) {
    const name = r === total ? (aligned ? 'All indicators' : 'All categories') : `${h(titleOf(r.id))}${r.covered ? '' : ' <span class="muted">(no rules yet)</span>'}`;
    out.push(`<tr${r === total ? ' class="total"' : ''}><td>${name}</td><td class="n">${rate(r.baseline.ratePer1000Words)} (${int(r.baseline.count)})</td><td class="n">${rate(r.followup.ratePer1000Words)} (${int(r.followup.count)})</td><td class="n">${h(absolute(r))}</td><td class="n">${h(relative(r))}</td><td class="n">${h(ratio(r))}</td><td class="n">${pct(r.baseline.shareOfEntries)} → ${pct(r.followup.shareOfEntries)}</td><td class="${cls(r.verdict)}">${h(r.verdict)}</td></tr>`);
  }
  out.push('</tbody></table>');
  return out.join('');
}
