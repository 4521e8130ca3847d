// Test helpers: the bundled rule set compiled from rules/ (so tests see rule edits without a
// rebuild), and small rule packs built from inline YAML for engine tests.
import * as path from 'node:path';
import { Analyzer, AnalyzeOptions, compileRefs, compileRules, parseLexicon, RuleSet } from '../../server/src/engine';
import { compilePackFromSources } from '../../server/src/host/rulePack';
import * as fs from 'node:fs';

export const ROOT = path.resolve(__dirname, '..', '..', '..');

let bundled: RuleSet | undefined;
export function bundledRules(): RuleSet {
  if (!bundled) {
    const { pack, problems } = compilePackFromSources(path.join(ROOT, 'rules'), 'test');
    if (problems.length) throw new Error(problems.map((p) => `${p.path}:${p.line} ${p.message}`).join('\n'));
    bundled = RuleSet.fromPack(pack);
  }
  return bundled;
}

const lexiconText = () => fs.readFileSync(path.join(ROOT, 'rules', 'lexicon.yaml'), 'utf8');

/** A rule set made of the given YAML rules (with the real lexicon). */
export function rulesFromYaml(...yamls: string[]): RuleSet {
  const { lexicon } = parseLexicon({ path: 'lexicon.yaml', text: lexiconText() });
  const files = yamls.map((text) => {
    const id = /^id:\s*(\S+)/m.exec(text)![1];
    return { path: `${id}.yaml`, text };
  });
  const { rules, problems } = compileRules(files, lexicon);
  if (problems.length) throw new Error(problems.map((p) => `${p.path}:${p.line} ${p.field} ${p.message}`).join('\n'));
  return new RuleSet('test', rules, compileRefs(lexicon));
}

/** A minimal valid rule with the given patterns and extra YAML fields. */
export function rule(id: string, patterns: string[], extra = ''): string {
  return `id: ${id}
category: failure-to-protect
severity: warning
message: "A test rule message about the wording."
why: "A rationale long enough to satisfy the schema's minimum length for why."
sources: [https://example.org/source]
patterns:
${patterns.map((p) => `  - ${JSON.stringify(p)}`).join('\n')}
suggestions: ["{perpetrator} did [x] to {survivor}; {child} was affected."]
examples:
  flag: ["[[x]]"]
  ok: ["y"]
${extra}`;
}

export function analyze(rs: RuleSet, text: string, opts: AnalyzeOptions = {}) {
  return new Analyzer(rs, { explain: true, ...opts }).analyze(text);
}
