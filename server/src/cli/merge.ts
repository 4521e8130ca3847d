// `casenote-audit merge`: audits of shards in, one audit out (exact sums; docs/audit.md).

import * as fs from 'node:fs';
import { AUDIT_FORMATS, AuditFormat, renderAudit, writeAudit } from '../audit/formats';
import { MergeError, mergeReports } from '../audit/merge';
import { parseAuditJson, ReportFormatError } from '../audit/report/json';
import { AuditReport } from '../audit/schema';
import { ioReason } from '../host/readText';
import { parseArgs, Parsed, stringOption, UsageError } from './args';
import { parseFormats } from './audit';
import { Output } from './output';

export const MERGE_HELP = `Usage: casenote-audit merge <audit.json...> [options]

Combines audits of shards (e.g. one per machine or per area) into one audit, exactly: counts
and word totals are summed and rates recomputed, so the merge of the shards' audits equals
the audit of all their inputs at once. The shards must have been audited with the same rule
set and options, and with the same --audit-id so author pseudonyms match.

Options:
  --out DIR             write audit.<format> into DIR
  --format LIST         json,md,html,csv (default json on standard output; json,md,html with --out)
  --label NAME          a name for the merged audit
  --drop-authors        merge shards audited with different --audit-id values, without the
                        author table

Exit codes: 0 merged; 2 usage error, or an input that is not a readable audit JSON, or shards
that cannot be merged (different rule sets or options).`;

const MERGE_FORMATS = AUDIT_FORMATS.filter((f): f is Exclude<AuditFormat, 'sarif'> => f !== 'sarif');

export async function runMergeCli(argv: string[], out: Output): Promise<number> {
  let args: Parsed;
  let formats: Array<Exclude<AuditFormat, 'sarif'>>;
  try {
    args = parseArgs(argv, { out: { value: true }, format: { value: true, repeat: true }, label: { value: true }, 'drop-authors': {}, help: { alias: 'h' } });
    if (args.options.help) { out.stdout(MERGE_HELP + '\n'); return 0; }
    if (args.positional.length === 0) throw new UsageError('name the audit JSON files to merge');
    const outDir = stringOption(args.options, 'out');
    if (listFormats(args).includes('sarif')) throw new UsageError('SARIF needs the findings\' locations, which audit JSON does not keep; audit the inputs with --format sarif instead');
    formats = parseFormats(args.options, MERGE_FORMATS, outDir ? ['json', 'md', 'html'] : ['json']);
    if (!outDir && formats.length > 1) throw new UsageError('several formats need --out DIR (standard output takes one)');
  } catch (e) {
    if (e instanceof UsageError) return out.usage(e.message, MERGE_HELP);
    throw e;
  }
  const reports: AuditReport[] = [];
  for (const p of args.positional) {
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch (e) {
      out.stderr(`casenote-audit: ${p}: ${ioReason(e)}\n`);
      return 2;
    }
    try {
      reports.push(parseAuditJson(text, p));
    } catch (e) {
      if (e instanceof ReportFormatError) { out.stderr(`casenote-audit: ${e.message}\n`); return 2; }
      throw e;
    }
  }
  let merged;
  try {
    merged = mergeReports(reports, { label: stringOption(args.options, 'label'), dropAuthors: args.options['drop-authors'] === true });
  } catch (e) {
    if (e instanceof MergeError) { out.stderr(`casenote-audit: ${e.message}\n`); return 2; }
    throw e;
  }
  for (const n of merged.notes) out.stderr(`casenote-audit: note: ${n}\n`);
  const outDir = stringOption(args.options, 'out');
  if (outDir) {
    const written = await writeAudit(merged.report, formats, outDir);
    const t = merged.report.totals;
    out.stdout(`Merged ${reports.length} audits: ${t.files} files, ${t.entries} entries, ${t.words} words.\nReports: ${written.join(', ')}\n`);
  } else out.stdout(renderAudit(merged.report, formats[0]));
  return 0;
}

function listFormats(args: Parsed): string[] {
  const v = args.options.format;
  return Array.isArray(v) ? v : [];
}
