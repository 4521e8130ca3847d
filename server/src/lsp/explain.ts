// The explanation of a finding (hover and the "Explain this finding" view): the message, why
// (the Safe & Together principle), the suggested rewrites and the sources. Built from the rule
// data in the pack; no network.

import { CompiledRule, fillPlaceholders } from '../engine';

const escape = (s: string) => s.replace(/([\\`*_{}[\]<>#|])/g, '\\$1');
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface ExplainInput {
  rule: CompiledRule;
  /** The finding's message (placeholders filled). */
  message?: string;
  /** The finding's suggestions (placeholders filled); the rule's templates otherwise. */
  suggestions?: readonly string[];
  text?: string;
  docUri: string;
}

export function explanationMarkdown(x: ExplainInput, opts: { heading: boolean; message?: boolean } = { heading: true }): string {
  const r = x.rule;
  const out: string[] = [];
  if (opts.heading) out.push(`# ${escape(r.id)}`, '');
  if (opts.message !== false) out.push(`**${escape(oneLine(x.message ?? fillPlaceholders(r.message, { children: [] })))}**`, '');
  out.push(`*${r.kind === 'aligned' ? 'Aligned practice' : 'Category'}: ${escape(r.category)} · rule \`${r.id}\`${x.text ? ` · matched “${escape(oneLine(x.text))}”` : ''}*`, '');
  if (r.why) out.push(`**Why (Safe & Together):** ${escape(oneLine(r.why))}`, '');
  const sugg = x.suggestions ?? r.suggestions;
  if (sugg.length > 0) {
    out.push('**Suggested rewrites** (a starting point: the wording is your professional decision; fill in any [..] slot):', '');
    for (const s of sugg) out.push(`- ${escape(oneLine(s))}`);
    out.push('');
  }
  if (r.sources.length > 0) {
    out.push('**Sources:**', '');
    for (const s of r.sources) out.push(`- <${s}>`);
    out.push('');
  }
  out.push(`[Rule documentation](${x.docUri})`);
  return out.join('\n');
}
