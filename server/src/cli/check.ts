// `casenote-audit check`: lint notes and print findings (text for people, JSON for tools).
// The JSON shape is a contract (docs/cli.md): other tools and the quality evaluation read it.

import { Analyzer, AnalyzeOptions, Finding, formatProblem, LineIndex, QuotedSpeechMode, Severity, SEVERITIES } from '../engine';
import { expandPaths, withExtensions } from '../host/files';
import { loadRuleSet } from '../host/rulePack';
import { DEFAULT_MAX_BYTES, InputError, readTextFile, decodeText, readStreamLimited } from '../host/readText';
import { listOption, parseArgs, stringOption, UsageError } from './args';
import { errorLine, Output, writeJson } from './output';

export const CHECK_HELP = `Usage: casenote-audit check [paths...] [options]

Checks case notes for wording that the Safe & Together model asks practitioners to reconsider.
Folders are searched recursively for .txt and .md files; a file named explicitly is always read.

Options:
  --stdin               read one note from standard input
  --format text|json    output format (default text); json writes one JSON document
  --rules DIR           also load the rules in DIR (repeatable)
  --fail-on LEVEL       exit 1 when a finding is at or above LEVEL:
                        error|warning|information|hint|none (default warning)
  --ext LIST            also read files with these extensions from folders (e.g. --ext casenote,text)
  --category LIST       only run rules of these categories (repeatable)
  --disable LIST        switch rules off by id (repeatable)
  --quoted MODE         quoted or attributed speech: hint (default), ignore, report
  --aligned             also list aligned-language findings in text output
  --explain             also show matches the context guards suppressed, and why
  --dialect uk|us       spelling used in suggestions (default uk)
  --max-size MB         refuse files larger than this (default 64)
  --no-color            no colour, even on a terminal
  -h, --help            this help

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage or I/O error
(a file that cannot be read is reported in "errors" and the others are still checked).`;

export interface JsonFinding {
  ruleId: string;
  category: string;
  kind: string;
  severity: Severity;
  start: number;
  end: number;
  line: number;
  column: number;
  text: string;
  message: string;
  suggestions: string[];
  downgraded?: string;
}

export interface CheckJson {
  version: 1;
  ruleset: string;
  files: Array<{ path: string; findings: JsonFinding[]; encoding?: string; suppressed?: unknown[] }>;
  errors: Array<{ path: string; message: string }>;
}

const RANK: Record<Severity, number> = { hint: 1, information: 2, warning: 3, error: 4 };

export async function runCheck(argv: string[], out: Output): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, {
      stdin: {}, format: { value: true }, rules: { value: true, repeat: true }, 'fail-on': { value: true },
      ext: { value: true, repeat: true }, category: { value: true, repeat: true }, disable: { value: true, repeat: true },
      quoted: { value: true }, aligned: {}, explain: {}, dialect: { value: true }, 'max-size': { value: true },
      color: {}, help: { alias: 'h' },
    });
  } catch (e) {
    if (e instanceof UsageError) return out.usage(e.message, CHECK_HELP);
    throw e;
  }
  const o = args.options;
  if (o.help) { out.stdout(CHECK_HELP + '\n'); return 0; }
  const format = stringOption(o, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') return out.usage(`--format must be text or json, not "${format}"`, CHECK_HELP);
  const failOn = stringOption(o, 'fail-on') ?? 'warning';
  if (failOn !== 'none' && !(SEVERITIES as readonly string[]).includes(failOn)) return out.usage(`--fail-on must be one of error, warning, information, hint, none`, CHECK_HELP);
  const quoted = (stringOption(o, 'quoted') ?? 'hint') as QuotedSpeechMode;
  if (!['hint', 'ignore', 'report'].includes(quoted)) return out.usage('--quoted must be hint, ignore or report', CHECK_HELP);
  const dialect = stringOption(o, 'dialect') ?? 'uk';
  if (dialect !== 'uk' && dialect !== 'us') return out.usage('--dialect must be uk or us', CHECK_HELP);
  const maxMb = Number(stringOption(o, 'max-size') ?? DEFAULT_MAX_BYTES / 1048576);
  if (!(maxMb > 0)) return out.usage('--max-size must be a positive number of MB', CHECK_HELP);
  const useStdin = o.stdin === true;
  if (!useStdin && args.positional.length === 0) return out.usage('name at least one file or folder, or use --stdin', CHECK_HELP);
  if (useStdin && args.positional.length > 0) return out.usage('--stdin reads one note; do not also name files', CHECK_HELP);
  if (o.color === false) out.color = false;

  const { ruleSet, problems } = loadRuleSet(listOption(o, 'rules'));
  const errors: CheckJson['errors'] = problems.map((p) => ({ path: p.path, message: formatProblem(p).slice(p.path.length + 1) }));
  const categories = listOption(o, 'category');
  const options: AnalyzeOptions = {
    quotedSpeech: quoted,
    dialect,
    explain: o.explain === true,
    disabledRules: listOption(o, 'disable'),
    ...(categories.length > 0 ? { categories } : {}),
  };
  const unknownRules = (options.disabledRules ?? []).filter((id) => !ruleSet.rule(id));
  if (unknownRules.length > 0) return out.usage(`unknown rule id(s): ${unknownRules.join(', ')}`, CHECK_HELP);
  const analyzer = new Analyzer(ruleSet, options);

  const inputs: Array<{ path: string; read: () => { text: string; encoding: string; note?: string } }> = [];
  if (useStdin) {
    let stdin: Buffer | InputError;
    try { stdin = await readStreamLimited(process.stdin, maxMb * 1048576); } catch (e) { stdin = e instanceof InputError ? e : new InputError(String(e)); }
    inputs.push({ path: '<stdin>', read: () => { if (stdin instanceof InputError) throw stdin; return decodeText(stdin); } });
  } else {
    const exts = withExtensions(['.txt', '.md'], listOption(o, 'ext'));
    const expanded = expandPaths(args.positional, exts);
    errors.push(...expanded.errors);
    for (const f of expanded.files) inputs.push({ path: f, read: () => readTextFile(f, maxMb * 1048576) });
  }

  const result: CheckJson = { version: 1, ruleset: ruleSet.version, files: [], errors };
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  let aligned = 0;
  let failing = 0;
  for (const input of inputs) {
    let decoded;
    try {
      decoded = input.read();
    } catch (e) {
      errors.push({ path: input.path, message: e instanceof InputError ? e.message : String((e as Error).message ?? e) });
      continue;
    }
    const analysis = analyzer.analyze(decoded.text);
    const lines = new LineIndex(decoded.text);
    const findings = analysis.findings.map((f) => toJson(f, lines));
    for (const f of analysis.findings) {
      if (f.kind === 'aligned') { aligned++; continue; }
      counts[f.severity]++;
      if (failOn !== 'none' && RANK[f.severity] >= RANK[failOn as Severity]) failing++;
    }
    const entry: CheckJson['files'][number] = { path: input.path, findings };
    if (decoded.encoding !== 'utf-8') entry.encoding = decoded.encoding;
    if (options.explain) entry.suppressed = analysis.suppressed.map((s) => ({ ...s, ...pos(lines, s.start) }));
    result.files.push(entry);
    if (format === 'text') printText(out, input.path, findings, o.aligned === true, options.explain ? analysis.suppressed.map((s) => ({ ...s, ...pos(lines, s.start) })) : []);
    if (decoded.note && format === 'text') out.stderr(`${input.path}: ${decoded.note}\n`);
  }

  if (format === 'json') {
    writeJson(result, (s) => out.stdout(s));
  } else {
    for (const e of errors) out.stderr(`${out.paint('red', 'error')} ${errorLine(e)}\n`);
    const parts = (['error', 'warning', 'information', 'hint'] as Severity[]).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s === 'information' ? 'info' : s}${counts[s] === 1 || s === 'information' ? '' : 's'}`);
    const total = counts.error + counts.warning + counts.information + counts.hint;
    out.stdout(`\n${total === 0 ? 'No findings' : `${total} finding${total === 1 ? '' : 's'} (${parts.join(', ')})`} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}` +
      `${aligned > 0 ? `; ${aligned} aligned-language indicator${aligned === 1 ? '' : 's'}` : ''}${errors.length > 0 ? `; ${errors.length} error${errors.length === 1 ? '' : 's'}` : ''}. Rule set ${ruleSet.version}.\n`);
  }
  if (errors.length > 0) return 2;
  return failing > 0 ? 1 : 0;
}

function pos(lines: LineIndex, offset: number): { line: number; column: number } {
  const p = lines.position(offset);
  return { line: p.line + 1, column: p.character + 1 };
}

function toJson(f: Finding, lines: LineIndex): JsonFinding {
  return {
    ruleId: f.ruleId,
    category: f.category,
    kind: f.kind,
    severity: f.severity,
    start: f.start,
    end: f.end,
    ...pos(lines, f.start),
    text: f.text,
    message: f.message,
    suggestions: f.suggestions,
    ...(f.downgraded ? { downgraded: f.downgraded } : {}),
  };
}

const COLOURS: Record<Severity, 'red' | 'yellow' | 'blue' | 'grey'> = { error: 'red', warning: 'yellow', information: 'blue', hint: 'grey' };

function printText(out: Output, path: string, findings: JsonFinding[], showAligned: boolean, suppressed: Array<{ ruleId: string; line: number; column: number; reason: string; text: string }>): void {
  for (const f of findings) {
    if (f.kind === 'aligned' && !showAligned) continue;
    const sev = f.kind === 'aligned' ? out.paint('green', 'aligned') : out.paint(COLOURS[f.severity], f.severity);
    out.stdout(`${path}:${f.line}:${f.column} ${sev} ${out.paint('dim', f.ruleId)} ${f.message}${f.downgraded ? ` (${f.downgraded.replace('-', ' ')})` : ''}\n`);
  }
  for (const s of suppressed) out.stdout(`${path}:${s.line}:${s.column} ${out.paint('dim', `suppressed ${s.ruleId} "${s.text}": ${s.reason}`)}\n`);
}
