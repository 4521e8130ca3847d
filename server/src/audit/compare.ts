// The language-change summary: two audits (baseline and follow-up) in, per category the rates,
// the change and a verdict read from the rate ratio's 95% confidence interval (stats.ts).

import { reportTime } from './aggregate';
import { AuditReport, ChangeRow, COMPARE_SCHEMA, COMPARE_SCHEMA_VERSION, CompareReport, PeriodFigures, PeriodSummary } from './schema';
import { CONTINUITY, ratePer1000, rateRatio, round, verdict, Z95 } from './stats';
import { titleOf } from './report/common';

function figures(count: number, entries: number, r: AuditReport): PeriodFigures {
  return {
    count,
    words: r.totals.words,
    entries,
    ratePer1000Words: round(ratePer1000(count, r.totals.words), 6),
    shareOfEntries: round(r.totals.entries ? entries / r.totals.entries : 0, 6),
  };
}

function change(id: string, a: PeriodFigures, b: PeriodFigures, higherIsBetter: boolean, covered: boolean): ChangeRow {
  const rr = rateRatio(a.count, a.words, b.count, b.words);
  return {
    id,
    baseline: a,
    followup: b,
    absoluteChange: round(b.ratePer1000Words - a.ratePer1000Words, 6),
    relativeChange: a.ratePer1000Words > 0 ? round((b.ratePer1000Words - a.ratePer1000Words) / a.ratePer1000Words, 6) : null,
    rateRatio: rr ? round(rr.ratio, 6) : null,
    ci: rr ? [round(rr.lower, 6), round(rr.upper, 6)] : null,
    continuityCorrected: rr?.corrected ?? false,
    verdict: covered || a.count + b.count > 0 ? verdict(rr, higherIsBetter) : 'not observed',
    covered,
  };
}

function summary(r: AuditReport): PeriodSummary {
  return { label: r.label, ruleset: r.ruleset, files: r.totals.files, entries: r.totals.entries, words: r.totals.words, period: { from: r.period.from, to: r.period.to } };
}

export function compareReports(base: AuditReport, follow: AuditReport, now?: Date): CompareReport {
  const coveredConcerns = new Set([...base.rules, ...follow.rules].filter((x) => x.kind === 'concern').map((x) => x.category));
  const coveredAligned = new Set([...base.rules, ...follow.rules].filter((x) => x.kind === 'aligned').map((x) => x.category));
  const catIds = [...new Set([...Object.keys(base.categories), ...Object.keys(follow.categories)])];
  const alIds = [...new Set([...Object.keys(base.aligned), ...Object.keys(follow.aligned)])];
  const concerns = catIds.map((id) => {
    const a = base.categories[id] ?? { count: 0, entries: 0 };
    const b = follow.categories[id] ?? { count: 0, entries: 0 };
    return change(id, figures(a.count, a.entries, base), figures(b.count, b.entries, follow), false, coveredConcerns.has(id));
  });
  const aligned = alIds.map((id) => {
    const a = base.aligned[id] ?? { count: 0, entries: 0 };
    const b = follow.aligned[id] ?? { count: 0, entries: 0 };
    return change(id, figures(a.count, a.entries, base), figures(b.count, b.entries, follow), true, coveredAligned.has(id));
  });
  const overall = {
    concerns: change('all concerns', figures(base.totals.concerns, base.totals.entriesWithConcerns, base), figures(follow.totals.concerns, follow.totals.entriesWithConcerns, follow), false, coveredConcerns.size > 0),
    aligned: change('all aligned language', figures(base.totals.aligned, base.totals.entriesWithAligned, base), figures(follow.totals.aligned, follow.totals.entriesWithAligned, follow), true, coveredAligned.size > 0),
  };
  const notImproved = concerns.filter((c) => c.verdict === 'no clear change' || c.verdict === 'worse').map((c) => c.id);
  const notes: string[] = [];
  const sameRuleset = base.ruleset === follow.ruleset;
  if (!sameRuleset) notes.push(`The two audits ran with different rule sets (${base.ruleset} and ${follow.ruleset}): some of the change may come from the rules, not the writing. Re-run both with the same version for a fair comparison.`);
  const uncovered = concerns.filter((c) => !c.covered).map((c) => c.id);
  if (uncovered.length > 0) notes.push(`The rule set has no rules yet for ${uncovered.length} concern categor${uncovered.length === 1 ? 'y' : 'ies'} (${uncovered.join(', ')}); they are "not observed", not "unchanged".`);
  for (const [r, name] of [[base, 'baseline'], [follow, 'follow-up']] as const) {
    if (r.errors.length > 0) notes.push(`The ${name} audit had ${r.errors.length} input problem${r.errors.length === 1 ? '' : 's'}; see its report.`);
    if (r.totals.words === 0) notes.push(`The ${name} audit has no words: nothing can be compared.`);
  }
  return {
    schema: COMPARE_SCHEMA,
    version: COMPARE_SCHEMA_VERSION,
    generated: reportTime(now),
    baseline: summary(base),
    followup: summary(follow),
    sameRuleset,
    method: {
      confidence: 0.95,
      z: Z95,
      continuityCorrection: CONTINUITY,
      test: 'Poisson rate ratio (follow-up / baseline) with words as exposure; 95% CI exp(ln RR ± z·sqrt(1/a + 1/b)); 0.5 added to both counts when either is zero',
    },
    overall,
    concerns,
    aligned,
    notImproved,
    summary: summaryOf(concerns, aligned, overall, notImproved),
    notes,
  };
}

function summaryOf(concerns: ChangeRow[], aligned: ChangeRow[], overall: CompareReport['overall'], notImproved: string[]): string[] {
  const out: string[] = [];
  const oc = overall.concerns;
  if (oc.rateRatio !== null) {
    out.push(`Overall, concern wording went from ${oc.baseline.ratePer1000Words.toFixed(2)} to ${oc.followup.ratePer1000Words.toFixed(2)} per 1,000 words (rate ratio ${oc.rateRatio.toFixed(2)}, 95% CI ${oc.ci![0].toFixed(2)} to ${oc.ci![1].toFixed(2)}): ${verdictText(oc.verdict, false)}.`);
  } else out.push('No concern wording was found in either period.');
  const oa = overall.aligned;
  if (oa.rateRatio !== null) out.push(`Aligned language went from ${oa.baseline.ratePer1000Words.toFixed(2)} to ${oa.followup.ratePer1000Words.toFixed(2)} per 1,000 words (rate ratio ${oa.rateRatio.toFixed(2)}, 95% CI ${oa.ci![0].toFixed(2)} to ${oa.ci![1].toFixed(2)}): ${verdictText(oa.verdict, true)}.`);
  const improved = concerns.filter((c) => c.verdict === 'improved').map((c) => titleOf(c.id).toLowerCase());
  if (improved.length > 0) out.push(`Improved: ${improved.join(', ')}.`);
  // the categories that did not improve are the worse ones and the unchanged ones: one line
  // names them once each, by verdict, rather than a line per verdict and then all of them again
  const named = (ids: string[]) => ids.map((c) => titleOf(c).toLowerCase()).join(', ');
  const worse = notImproved.filter((id) => concerns.find((c) => c.id === id)?.verdict === 'worse');
  const flat = notImproved.filter((id) => !worse.includes(id));
  const parts = [...(worse.length > 0 ? [`worse: ${named(worse)}`] : []), ...(flat.length > 0 ? [`no clear change: ${named(flat)}`] : [])];
  if (parts.length > 0) out.push(`Did not improve (worth a look in training and supervision): ${parts.join('; ')}.`);
  const grew = aligned.filter((a) => a.verdict === 'improved').map((a) => titleOf(a.id).toLowerCase());
  if (grew.length > 0) out.push(`Aligned language that grew: ${grew.join(', ')}.`);
  return out;
}

export function verdictText(v: ChangeRow['verdict'], higherIsBetter: boolean): string {
  switch (v) {
    case 'improved': return higherIsBetter ? 'improved (more aligned language)' : 'improved (less of it)';
    case 'worse': return higherIsBetter ? 'worse (less aligned language)' : 'worse (more of it)';
    case 'no clear change': return 'no clear change';
    default: return 'not observed';
  }
}
