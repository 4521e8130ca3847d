// `casenote-audit audit`: the batch audit of exported case files (docs/audit.md).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalyzeOptions, formatProblem, QuotedSpeechMode, RuleSet, SEVERITIES, Severity } from '../engine';
import { loadRuleSet, packageRoot } from '../host/rulePack';
import { ColumnRole, COLUMN_ROLES } from '../audit/csv';
import { DateOrder } from '../audit/dates';
import { AUDIT_FORMATS, AuditFormat, renderAudit, writeAudit } from '../audit/formats';
import { ProgressBar } from '../audit/progress';
import { AuditCancelled, RunOptions, runAudit } from '../audit/run';
import { SarifCollector } from '../audit/sarif';
import { AuditReport, DEFAULT_DIMENSIONS, Dimension, DIMENSIONS } from '../audit/schema';
import { int, per1000, rate, titleOf } from '../audit/report/common';
import { listOption, OptionSpec, parseArgs, Parsed, stringOption, UsageError } from './args';
import { errorLine, Output } from './output';

export const AUDIT_HELP = `Usage: casenote-audit audit <paths...> [options]

Audits folders of exported case files: rates of each kind of concern wording per 1,000 words,
the share of entries affected, aligned-language indicators, top phrases, and tables by file,
author, team and month. Reads .txt, .md, .csv, .docx and .html (folders recursively) and
splits chronologies into entries at their header lines. Nothing leaves this machine.

Output:
  --out DIR             write the reports into DIR as audit.<format> (created if missing)
  --format LIST         md,html,json,csv,sarif (default md,html,json with --out;
                        md on standard output without it, which takes one format)
  --by LIST             breakdowns: file,case,author,team,month,entry
                        (default file,author,team,month)
  --label NAME          a name for this audit in the reports (e.g. baseline)
  --include-excerpts    put verbatim excerpts and authors' names in the reports
                        (CONFIDENTIAL; by default reports hold no names and no excerpts)
  --audit-id ID         secret salt for author pseudonyms: give every shard of one audit the
                        same ID so \`merge\` can combine their author rows (or set
                        CASENOTE_AUDIT_ID); without it the salt is random
  --fail-on LEVEL       exit 1 when a concern at or above LEVEL is found:
                        error|warning|information|hint|none (default none)
  --progress, --no-progress   progress bar on standard error (default: on a terminal)

Input:
  --ext LIST            also read files with these extensions from folders (as text)
  --max-size MB         refuse larger files (default: no limit for .txt/.md/.csv, which are
                        streamed; 64 MB for .docx/.html, which are read whole)
  --date-order dmy|mdy  how to read dates like 03/04/2022 (default dmy)
  --text-column NAME    the CSV column with the note text (default: detected from headers
                        such as text, note, body, narrative); likewise --date-column,
                        --time-column, --author-column, --team-column, --type-column,
                        --case-column, --id-column (a header name or a 1-based number)
  --delimiter C         CSV delimiter: , ; or tab (default: detected)
  --jobs N              worker threads analysing entries (default: the number of
                        cores minus one, at least one); inputs under 1 MB with one
                        job run in this thread

Rules:
  --rules DIR           also load the rules in DIR (repeatable)
  --category LIST       only these categories; --disable LIST  rules off by id
  --quoted MODE         quoted or attributed speech: hint (default, not counted), ignore,
                        report (counted as the writer's own)

Exit codes: 0 done; 1 a concern at or above --fail-on; 2 usage error or an input that could
not be read (listed in the report with its reason; the rest of the batch is still audited).`;

export const AUDIT_OPTION_SPEC: Record<string, OptionSpec> = {
  out: { value: true }, format: { value: true, repeat: true }, by: { value: true, repeat: true }, label: { value: true },
  'include-excerpts': {}, 'audit-id': { value: true }, 'fail-on': { value: true }, progress: {},
  ext: { value: true, repeat: true }, 'max-size': { value: true }, 'date-order': { value: true }, delimiter: { value: true }, jobs: { value: true },
  rules: { value: true, repeat: true }, category: { value: true, repeat: true }, disable: { value: true, repeat: true }, quoted: { value: true },
  color: {}, help: { alias: 'h' },
  ...Object.fromEntries(COLUMN_ROLES.map((r) => [`${r}-column`, { value: true }])),
};

export function toolVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}

/** The audit settings shared by `audit` and `compare` (when compare audits folders itself). */
export interface AuditSettings {
  run: Omit<RunOptions, 'paths'>;
  ruleErrors: Array<{ path: string; message: string }>;
  progress?: boolean;
}

/** Reads the shared audit options; throws UsageError on bad values. */
export function auditSettings(o: Parsed['options']): AuditSettings {
  const by = listOption(o, 'by');
  for (const d of by) if (!(DIMENSIONS as readonly string[]).includes(d)) throw new UsageError(`--by takes ${DIMENSIONS.join(', ')}; not "${d}"`);
  const quoted = (stringOption(o, 'quoted') ?? 'hint') as QuotedSpeechMode;
  if (!['hint', 'ignore', 'report'].includes(quoted)) throw new UsageError('--quoted must be hint, ignore or report');
  const dateOrder = (stringOption(o, 'date-order') ?? 'dmy') as DateOrder;
  if (dateOrder !== 'dmy' && dateOrder !== 'mdy') throw new UsageError('--date-order must be dmy or mdy');
  let jobs: number | undefined;
  const j = stringOption(o, 'jobs');
  if (j !== undefined) {
    jobs = Number(j);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError('--jobs must be a whole number from 1 to 256');
  }
  let maxBytes: number | undefined;
  const ms = stringOption(o, 'max-size');
  if (ms !== undefined) {
    const mb = Number(ms);
    if (!(mb > 0)) throw new UsageError('--max-size must be a positive number of MB');
    maxBytes = mb * 1048576;
  }
  let delimiter = stringOption(o, 'delimiter');
  if (delimiter !== undefined) {
    if (delimiter === 'tab' || delimiter === '\\t') delimiter = '\t';
    if (![',', ';', '\t', '|'].includes(delimiter)) throw new UsageError('--delimiter must be , ; | or tab');
  }
  const columns: Partial<Record<ColumnRole, string>> = {};
  for (const r of COLUMN_ROLES) {
    const v = stringOption(o, `${r}-column`);
    if (v !== undefined) columns[r] = v;
  }
  const auditId = stringOption(o, 'audit-id') ?? (process.env.CASENOTE_AUDIT_ID || undefined);
  if (auditId !== undefined && auditId.length < 8) throw new UsageError('--audit-id must be at least 8 characters (it is the secret that keeps author pseudonyms from being reversed)');

  const { ruleSet, problems } = loadRuleSet(listOption(o, 'rules'));
  const categories = listOption(o, 'category');
  const analyze: AnalyzeOptions = { quotedSpeech: quoted, disabledRules: listOption(o, 'disable'), ...(categories.length > 0 ? { categories } : {}) };
  const unknownRules = (analyze.disabledRules ?? []).filter((id) => !ruleSet.rule(id));
  if (unknownRules.length > 0) throw new UsageError(`unknown rule id(s): ${unknownRules.join(', ')}`);
  return {
    run: {
      ruleSet: ruleSet as RuleSet,
      toolVersion: toolVersion(),
      analyze,
      by: by.length > 0 ? (by as Dimension[]) : DEFAULT_DIMENSIONS,
      includeExcerpts: o['include-excerpts'] === true,
      auditId,
      label: stringOption(o, 'label'),
      jobs,
      blockingReads: true,
      extensions: listOption(o, 'ext'),
      maxBytes,
      dateOrder,
      columns,
      delimiter,
    },
    ruleErrors: problems.map((p) => ({ path: p.path, message: formatProblem(p).slice(p.path.length + 1) })),
    progress: typeof o.progress === 'boolean' ? o.progress : undefined,
  };
}

export function parseFormats<T extends string>(o: Parsed['options'], allowed: readonly T[], dflt: readonly T[]): T[] {
  const f = listOption(o, 'format');
  for (const x of f) if (!(allowed as readonly string[]).includes(x)) throw new UsageError(`--format takes ${allowed.join(', ')}; not "${x}"`);
  return f.length > 0 ? [...new Set(f as T[])] : [...dflt];
}

/** Runs an audit with a progress bar on a terminal and Ctrl-C handling; returns the reports. */
export async function auditWithProgress(paths: string[], s: AuditSettings, extra: Partial<RunOptions> = {}): Promise<Awaited<ReturnType<typeof runAudit>>> {
  const bar = ProgressBar.forStderr(s.progress);
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    return await runAudit({ ...s.run, ...extra, paths, signal: ac.signal, onProgress: bar ? (p) => bar.update(p) : undefined });
  } finally {
    process.removeListener('SIGINT', onSigint);
    bar?.done();
  }
}

export function textSummary(r: AuditReport, seconds: number): string {
  const t = r.totals;
  const lines: string[] = [];
  lines.push(`Audited ${int(t.files)} file${t.files === 1 ? '' : 's'}: ${int(t.entries)} entries, ${int(t.words)} words, ${(t.bytes / 1048576).toFixed(2)} MB in ${seconds.toFixed(1)} s (${seconds > 0 ? (t.bytes / 1048576 / seconds).toFixed(2) : '-'} MB/s). Rule set ${r.ruleset}.`);
  lines.push(`Concerns: ${int(t.concerns)} (${rate(per1000(t.concerns, t.words))} per 1,000 words) in ${int(t.entriesWithConcerns)} entries; aligned-language indicators: ${int(t.aligned)} in ${int(t.entriesWithAligned)} entries.`);
  const top = Object.entries(r.categories).filter(([, c]) => c.count > 0).sort((a, b) => b[1].count - a[1].count).slice(0, 5);
  for (const [id, c] of top) lines.push(`  ${titleOf(id).padEnd(32)} ${String(c.count).padStart(7)}  ${rate(c.ratePer1000Words).padStart(6)} per 1,000 words`);
  return lines.join('\n') + '\n';
}

const RANK: Record<Severity, number> = { hint: 1, information: 2, warning: 3, error: 4 };

export async function runAuditCli(argv: string[], out: Output): Promise<number> {
  let args: Parsed;
  let settings: AuditSettings;
  let formats: AuditFormat[];
  try {
    args = parseArgs(argv, AUDIT_OPTION_SPEC);
    if (args.options.help) { out.stdout(AUDIT_HELP + '\n'); return 0; }
    if (args.positional.length === 0) throw new UsageError('name at least one file or folder to audit');
    const outDir = stringOption(args.options, 'out');
    formats = parseFormats(args.options, AUDIT_FORMATS, outDir ? ['md', 'html', 'json'] : ['md']);
    if (!outDir && formats.length > 1) throw new UsageError('several formats need --out DIR (standard output takes one)');
    const failOn = stringOption(args.options, 'fail-on') ?? 'none';
    if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) throw new UsageError('--fail-on must be one of error, warning, information, hint, none');
    settings = auditSettings(args.options);
  } catch (e) {
    if (e instanceof UsageError) return out.usage(e.message, AUDIT_HELP);
    throw e;
  }
  const o = args.options;
  if (o.color === false) out.color = false;
  const outDir = stringOption(o, 'out');
  const sarif = formats.includes('sarif') ? new SarifCollector(settings.run.ruleSet.rules, settings.run.includeExcerpts ?? false) : undefined;
  const t0 = Date.now();
  let report: AuditReport;
  try {
    const res = await auditWithProgress(args.positional, settings, { sarif });
    for (const n of res.notes) out.stderr(`casenote-audit: note: ${n}\n`);
    report = res.reports[0];
    report.errors.unshift(...settings.ruleErrors);
    const secs = (Date.now() - t0) / 1000;
    if (outDir) {
      const written = await writeAudit(report, formats, outDir, 'audit', sarif);
      out.stdout(textSummary(report, secs));
      out.stdout(`Reports: ${written.join(', ')}\n`);
    } else if (formats[0] === 'sarif') {
      await sarif!.write(report, (s) => out.stdout(s));
    } else out.stdout(renderAudit(report, formats[0]));
  } catch (e) {
    if (e instanceof AuditCancelled) { out.stderr('casenote-audit: audit cancelled\n'); return 130; }
    throw e;
  } finally {
    sarif?.dispose();
  }
  for (const e of report.errors) out.stderr(`${out.paint('red', 'error')} ${errorLine(e)}\n`);
  for (const i of report.inputs) for (const n of i.notes ?? []) out.stderr(`${i.path}: ${n}\n`);
  if (report.errors.length > 0) return 2;
  const failOn = stringOption(o, 'fail-on') ?? 'none';
  if (failOn !== 'none') {
    const failing = (Object.entries(report.totals.bySeverity) as Array<[Severity, number]>).some(([sev, n]) => n > 0 && RANK[sev] >= RANK[failOn as Severity]);
    if (failing) return 1;
  }
  return 0;
}
