// The rule catalogue (docs/rules.md), generated from the rule pack so it cannot drift from
// the YAML. The language server links each diagnostic to its rule's heading here.
import { ALIGNED_KINDS, CATEGORIES, CompiledRule } from '../engine';

const CATEGORY_SUMMARY: Record<string, string> = {
  'failure-to-protect': 'The survivor is held responsible for the harm the perpetrator causes.',
  'mutualising-couple-language': 'Abuse is described as a shared relationship problem.',
  'agentless-passive-voice': 'The person causing harm is absent from the sentence.',
  'minimising-euphemism': 'Softening words, anger framing and "only/just" modifiers.',
  'incident-not-pattern': 'Single-incident, "historic" or "no physical violence" framing that hides coercive control.',
  'exposure-witness-framing': '"Exposed to" / "witnessed" wording that hides the perpetrator\'s choice and the child\'s experience.',
  'survivor-choice-framing': '"Chose to stay", "allowed him back", "let him in".',
  'survivor-responsibilisation': 'Plans and expectations that make the survivor responsible for controlling the perpetrator.',
  'victim-centred-intervention': 'Services required of the survivor, or joint work, with nothing for the perpetrator.',
  'survivor-pathologising': "The survivor's mental health, substance use or vulnerability presented as the problem without his role.",
  'relationship-history-blame': '"History of abusive relationships", "poor choice of partners".',
  'survivor-noncompliance-labels': '"Uncooperative", "hostile", "in denial", "lacks insight", "disguised compliance".',
  'perpetrator-as-good-parent': '"Good dad despite the DV", "never hurt the children", "an adult issue".',
  'provocation-justification': '"She provoked him", jealousy, alcohol or stress given as causes.',
  'separation-as-safety': 'Separation treated as the end of risk.',
  'perpetrator-invisibility': '"Mum\'s partner" as the only identification; the father not seen; plans with nothing for him.',
  'perpetrator-agency': 'Aligned: the person causing harm named as the agent of specific behaviour.',
  'coercive-control-pattern': 'Aligned: behaviour described as a pattern of coercive control.',
  'protective-efforts': "Aligned: the survivor's efforts to keep the children safe recorded.",
  'child-impact': 'Aligned: the concrete impact on the child, a victim in their own right.',
  'perpetrator-accountability': 'Aligned: actions and expectations directed at the person causing harm.',
  'parenting-choice': 'Aligned: perpetration framed as a parenting choice.',
  partnering: "Aligned: the survivor's voice and the worker's partnership recorded.",
  'post-separation-risk': 'Aligned: post-separation risks assessed.',
  intersections: "Aligned: mental health, substance use or missed appointments linked to his behaviour.",
};

const esc = (s: string) => s.replace(/\|/g, '\\|');

export function ruleCatalogue(rules: readonly CompiledRule[], version: string): string {
  const order = [...CATEGORIES, ...ALIGNED_KINDS] as readonly string[];
  const byCat = new Map<string, CompiledRule[]>();
  for (const r of rules) byCat.set(r.category, [...(byCat.get(r.category) ?? []), r]);
  const cats = order.filter((c) => byCat.has(c));
  const out: string[] = [];
  out.push('# Rule catalogue', '');
  out.push('<!-- Generated from rules/**/*.yaml by `npm run build` (scripts/gen-rule-docs.cjs). Do not edit by hand; a test fails when this file is stale. -->', '');
  out.push(`${rules.length} rules in ${cats.length} categories. Concern rules flag wording to reconsider; aligned rules recognise Safe & Together-aligned wording, which audits count. See [rule-format.md](rule-format.md) for how rules are written.`, '');
  out.push('| category | rules | what it covers |', '| --- | --- | --- |');
  for (const c of cats) out.push(`| [${c}](#${c}) | ${byCat.get(c)!.length} | ${esc(CATEGORY_SUMMARY[c] ?? '')} |`);
  out.push('');
  for (const c of cats) {
    out.push(`## ${c}`, '', CATEGORY_SUMMARY[c] ?? '', '');
    for (const r of [...byCat.get(c)!].sort((a, b) => a.id.localeCompare(b.id))) {
      out.push(`### ${r.id}`, '');
      out.push(`*${r.kind === 'aligned' ? 'aligned indicator' : 'concern'}, ${r.severity}${r.scope === 'paragraph' ? ', paragraph-level check' : ''}* — ${r.message}`, '');
      out.push(`**Why.** ${r.why}`, '');
      if (r.suggestions.length > 0) {
        out.push('**Suggested rewrites.** Placeholders are filled from the note; `[..]` slots are facts only the writer can supply.', '');
        for (const s of r.suggestions) out.push(`- ${s}`);
        out.push('');
      }
      out.push(r.kind === 'aligned' ? '**Recognises.**' : '**Flags.**', '');
      for (const e of r.examples.flag) out.push(`- ${e.replace(/\[\[(.+?)\]\]/g, '**$1**')}`);
      out.push('', r.kind === 'aligned' ? '**Does not count.**' : '**Does not flag.**', '');
      for (const e of r.examples.ok) out.push(`- ${e}`);
      out.push('', '**Sources.** ' + r.sources.map((s, i) => `[${i + 1}](${s})`).join(' '), '');
    }
  }
  out.push(`---`, '', `Rule set ${version.replace(/^[^+]*\+/, 'content hash ')}.`, '');
  return out.join('\n');
}
