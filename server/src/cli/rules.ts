// `casenote-audit rules [RULE-ID]`: the rule catalogue in the terminal.
import { loadRuleSet } from '../host/rulePack';
import { formatProblem } from '../engine';
import { listOption, parseArgs, UsageError } from './args';
import { Output } from './output';

const HELP = `Usage: casenote-audit rules [RULE-ID] [--rules DIR]... [--format text|json]

Without a rule id, lists every rule by category. With one, shows its message, the
Safe & Together rationale, suggestions, examples and sources.`;

export async function runRules(argv: string[], out: Output): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, { rules: { value: true, repeat: true }, format: { value: true }, help: { alias: 'h' } });
  } catch (e) {
    if (e instanceof UsageError) return out.usage(e.message, HELP);
    throw e;
  }
  if (args.options.help) { out.stdout(HELP + '\n'); return 0; }
  const { ruleSet, problems } = loadRuleSet(listOption(args.options, 'rules'));
  for (const p of problems) out.stderr(formatProblem(p) + '\n');
  const json = args.options.format === 'json';
  const id = args.positional[0];
  if (id) {
    const r = ruleSet.rule(id);
    if (!r) { out.stderr(`casenote-audit: no rule "${id}"\n`); return 2; }
    if (json) { out.stdout(JSON.stringify({ id: r.id, category: r.category, kind: r.kind, severity: r.severity, message: r.message, why: r.why, suggestions: r.suggestions, examples: r.examples, sources: r.sources }, null, 2) + '\n'); return 0; }
    out.stdout(`${out.paint('bold', r.id)} (${r.category}, ${r.kind}, ${r.severity})\n\n${r.message}\n\nWhy: ${r.why}\n\nSuggestions:\n${r.suggestions.map((s) => `  - ${s}`).join('\n')}\n\nFlags:\n${r.examples.flag.map((s) => `  - ${s}`).join('\n')}\n\nDoes not flag:\n${r.examples.ok.map((s) => `  - ${s}`).join('\n')}\n\nSources:\n${r.sources.map((s) => `  - ${s}`).join('\n')}\n`);
    return problems.length > 0 ? 2 : 0;
  }
  if (json) {
    out.stdout(JSON.stringify({ ruleset: ruleSet.version, rules: ruleSet.rules.map((r) => ({ id: r.id, category: r.category, kind: r.kind, severity: r.severity, message: r.message })) }, null, 2) + '\n');
    return problems.length > 0 ? 2 : 0;
  }
  const byCat = new Map<string, typeof ruleSet.rules>();
  for (const r of ruleSet.rules) byCat.set(r.category, [...(byCat.get(r.category) ?? []), r]);
  for (const [cat, rules] of [...byCat].sort((a, b) => a[0].localeCompare(b[0]))) {
    out.stdout(`${out.paint('bold', cat)}\n`);
    for (const r of rules) out.stdout(`  ${r.id.padEnd(40)} ${r.severity.padEnd(11)} ${r.kind === 'aligned' ? '(aligned) ' : ''}${r.message}\n`);
  }
  out.stdout(`\n${ruleSet.rules.length} rules, rule set ${ruleSet.version}\n`);
  return problems.length > 0 ? 2 : 0;
}
