// The statistics of the language-change summary (docs/audit.md, "Method").
//
// Findings are treated as Poisson counts with the number of words written as the exposure.
// For baseline count a over Wa words and follow-up count b over Wb words:
//
//   rate ratio   RR = (b / Wb) / (a / Wa)
//   95% CI       exp(ln RR ± z · sqrt(1/a + 1/b)),  z = 1.959964
//
// When a or b is zero the log is undefined, so 0.5 is added to both counts (the Haldane-Anscombe
// correction) before computing RR and its interval; the row is marked continuity-corrected.
// When both are zero there is nothing to compare ("not observed").
//
// Verdicts read the interval, not the point estimate: for a concern category the change is
// "improved" when the whole interval lies below 1 (the rate fell), "worse" when it lies above 1,
// and "no clear change" otherwise. For aligned-language indicators growth is the improvement.

import { Verdict } from './schema';

export const Z95 = 1.959964;
export const CONTINUITY = 0.5;

/** Count per 1,000 words (0 when there are no words). */
export function ratePer1000(count: number, words: number): number {
  return words > 0 ? (count * 1000) / words : 0;
}

export interface RateRatio {
  ratio: number;
  lower: number;
  upper: number;
  corrected: boolean;
}

/** Rate ratio follow-up/baseline with its confidence interval, or null when both counts are zero or a period has no words. */
export function rateRatio(a: number, wa: number, b: number, wb: number, z = Z95): RateRatio | null {
  if ((a === 0 && b === 0) || wa <= 0 || wb <= 0) return null;
  const corrected = a === 0 || b === 0;
  const ac = corrected ? a + CONTINUITY : a;
  const bc = corrected ? b + CONTINUITY : b;
  const ratio = (bc / wb) / (ac / wa);
  const se = Math.sqrt(1 / ac + 1 / bc);
  return { ratio, lower: ratio * Math.exp(-z * se), upper: ratio * Math.exp(z * se), corrected };
}

/** improved / worse / no clear change from the interval; `higherIsBetter` for aligned language. */
export function verdict(rr: RateRatio | null, higherIsBetter: boolean): Verdict {
  if (!rr) return 'not observed';
  if (rr.upper < 1) return higherIsBetter ? 'worse' : 'improved';
  if (rr.lower > 1) return higherIsBetter ? 'improved' : 'worse';
  return 'no clear change';
}

/** Rounds for reports and JSON (keeps JSON diffs and golden files stable). */
export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
