// `casenote-audit compare`: the language-change summary between a baseline and a follow-up
// audit. Each side is an audit JSON or a file/folder to audit now; or one set of inputs is
// split into the two periods at a date (--baseline-before).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareReports } from '../audit/compare';
import { writeAudit } from '../audit/formats';
import { compareHtml, compareMarkdown } from '../audit/report/compare';
import { parseAuditJson, ReportFormatError } from '../audit/report/json';
import { parseDate } from '../audit/dates';
import { AuditCancelled } from '../audit/run';
import { AuditReport, CompareReport } from '../audit/schema';
import { OptionSpec, parseArgs, Parsed, stringOption, UsageError } from './args';
import { AUDIT_OPTION_SPEC, auditSettings, AuditSettings, auditWithProgress, parseFormats } from './audit';
import { errorLine, Output } from './output';

export const COMPARE_OPTION_SPEC: Record<string, OptionSpec> = { ...AUDIT_OPTION_SPEC, 'baseline-before': { value: true }, 'baseline-label': { value: true }, 'followup-label': { value: true }, 'fail-if-worse': {} };

export const COMPARE_HELP = `Usage: casenote-audit compare <baseline> <followup> [options]
       casenote-audit compare <paths...> --baseline-before YYYY-MM-DD [options]

The language-change summary: per category the baseline and follow-up rates per 1,000 words,
the absolute and relative change, the rate ratio with its 95% confidence interval and a
verdict (improved / no clear change / worse); the same for aligned-language indicators, where
growth is the improvement; and the categories that did not improve.

<baseline> and <followup> are audit JSON files (from \`audit --format json\` or \`merge\`) or
files/folders, which are audited first with the audit options (see \`audit --help\`).
--baseline-before DATE audits the inputs once and splits the entries by date: before DATE is
the baseline, DATE and after the follow-up (undated entries are left out and counted).

Options:
  --out DIR             write compare.md, compare.html, compare.json (and baseline.json,
                        followup.json for inputs audited here) into DIR
  --format LIST         md,html,json (default md,html,json with --out; md on standard output)
  --baseline-label S, --followup-label S   names of the two periods in the reports
  --fail-if-worse       exit 1 when any concern category got worse
  (and every \`audit\` option, used when auditing files or folders)

Exit codes: 0 done; 1 with --fail-if-worse and a category got worse; 2 usage error or an
input that could not be read.`;

const COMPARE_FORMATS = ['md', 'html', 'json'] as const;
type CompareFormat = (typeof COMPARE_FORMATS)[number];

export function renderCompare(c: CompareReport, f: CompareFormat): string {
  return f === 'md' ? compareMarkdown(c) : f === 'html' ? compareHtml(c) : JSON.stringify(c, null, 2) + '\n';
}

function isAuditJson(p: string): boolean {
  if (!/\.json$/i.test(p)) return false;
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

export async function runCompareCli(argv: string[], out: Output): Promise<number> {
  let args: Parsed;
  let formats: CompareFormat[];
  let settings: AuditSettings | undefined;
  let before: string | undefined;
  try {
    args = parseArgs(argv, COMPARE_OPTION_SPEC);
    if (args.options.help) { out.stdout(COMPARE_HELP + '\n'); return 0; }
    const o = args.options;
    const outDir = stringOption(o, 'out');
    formats = parseFormats(o, COMPARE_FORMATS, outDir ? ['md', 'html', 'json'] : ['md']);
    if (!outDir && formats.length > 1) throw new UsageError('several formats need --out DIR (standard output takes one)');
    const b = stringOption(o, 'baseline-before');
    if (b !== undefined) {
      before = parseDate(b, 'dmy');
      if (!before || !/^\d{4}-\d{2}-\d{2}$/.test(b)) throw new UsageError(`--baseline-before takes a date as YYYY-MM-DD, not "${b}"`);
      if (args.positional.length === 0) throw new UsageError('name the files or folders to split by date');
      if (args.positional.some(isAuditJson)) throw new UsageError('--baseline-before splits case files by date; it cannot split an audit JSON');
    } else if (args.positional.length !== 2) throw new UsageError('name a baseline and a follow-up (audit JSON files, or files or folders to audit)');
    if (before !== undefined || !args.positional.every(isAuditJson)) settings = auditSettings(o);
  } catch (e) {
    if (e instanceof UsageError) return out.usage(e.message, COMPARE_HELP);
    throw e;
  }
  const o = args.options;
  const outDir = stringOption(o, 'out');
  const labels: [string, string] = [stringOption(o, 'baseline-label') ?? 'baseline', stringOption(o, 'followup-label') ?? 'follow-up'];
  let base: AuditReport;
  let follow: AuditReport;
  const audited: Array<[AuditReport, string]> = [];
  let undatedNote: string | undefined;
  try {
    if (before) {
      const res = await auditWithProgress(args.positional, settings!, { splitBefore: before, splitLabels: labels });
      [base, follow] = res.reports;
      for (const r of res.reports) r.errors.unshift(...settings!.ruleErrors);
      audited.push([base, 'baseline'], [follow, 'followup']);
      if (res.undatedSkipped > 0) undatedNote = `${res.undatedSkipped} entries without a date were left out of both periods.`;
    } else {
      const side = async (p: string, label: string, stem: string): Promise<AuditReport> => {
        if (isAuditJson(p)) return parseAuditJson(fs.readFileSync(p, 'utf8'), p);
        const res = await auditWithProgress([p], settings!, { label: settings!.run.label ?? label });
        const r = res.reports[0];
        r.errors.unshift(...settings!.ruleErrors);
        audited.push([r, stem]);
        return r;
      };
      base = await side(args.positional[0], labels[0], 'baseline');
      follow = await side(args.positional[1], labels[1], 'followup');
    }
  } catch (e) {
    if (e instanceof AuditCancelled) { out.stderr('casenote-audit: cancelled\n'); return 130; }
    if (e instanceof ReportFormatError) { out.stderr(`casenote-audit: ${e.message}\n`); return 2; }
    throw e;
  }
  if (stringOption(o, 'baseline-label')) base.label = labels[0];
  if (stringOption(o, 'followup-label')) follow.label = labels[1];
  const cmp = compareReports(base, follow);
  if (undatedNote) cmp.notes.push(undatedNote);
  if (outDir) {
    fs.mkdirSync(outDir, { recursive: true });
    const written: string[] = [];
    for (const [r, stem] of audited) written.push(...(await writeAudit(r, ['json'], outDir, stem)));
    for (const f of formats) {
      const p = path.join(outDir, `compare.${f}`);
      fs.writeFileSync(p, renderCompare(cmp, f));
      written.push(p);
    }
    for (const s of cmp.summary) out.stdout(`${s}\n`);
    for (const n of cmp.notes) out.stdout(`Note: ${n}\n`);
    out.stdout(`Reports: ${written.join(', ')}\n`);
  } else out.stdout(renderCompare(cmp, formats[0]));
  // inputs audited now that could not be read fail the command; problems recorded in audit JSON
  // files given as input were reported when those audits ran (and are noted in the summary)
  let failed = false;
  for (const [r, stem] of audited) {
    for (const e of r.errors) { out.stderr(`${out.paint('red', 'error')} (${stem}) ${errorLine(e)}\n`); failed = true; }
  }
  if (failed) return 2;
  if (o['fail-if-worse'] === true && cmp.concerns.some((c) => c.verdict === 'worse')) return 1;
  return 0;
}
