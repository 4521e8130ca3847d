// The packed rule pack (dist/rules.json, and what worker threads receive) must behave exactly
// like the compiled pack it was made from: same rules, same index, same findings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer, CompiledRule, isPacked, packRules, RuleSet, splitBlocks, splitSentences } from '../../server/src/engine';
import { LazyRule } from '../../server/src/engine/packFormat';
import { PNode } from '../../server/src/engine/pattern';
import { compilePackFromSources } from '../../server/src/host/rulePack';
import { ROOT } from '../helpers/rules';

describe('packed rule pack', () => {
  const { pack } = compilePackFromSources(path.join(ROOT, 'rules'), 'test');
  // through JSON, as the build writes it and the CLI reads it
  const packed = JSON.parse(JSON.stringify(packRules(pack)));
  const plain = RuleSet.fromPack(pack);
  const lazy = RuleSet.fromPack(packed);
  const sampleCase = fs.readFileSync(path.join(ROOT, 'samples', 'case-files', 'baseline', 'txt', 'CF21-20002.txt'), 'utf8');
  const notes = [fs.readFileSync(path.join(ROOT, 'samples', 'notes', 'home-visit.txt'), 'utf8'), sampleCase];

  it('is told apart from a plain pack', () => {
    assert.equal(isPacked(packed), true);
    assert.equal(isPacked(pack), false);
  });

  it('parses no pattern tree to build the rule set', () => {
    const fresh = RuleSet.fromPack(JSON.parse(JSON.stringify(packRules(pack))));
    assert.ok(fresh.rules.every((r) => r instanceof LazyRule && !(r as unknown as { trees?: unknown }).trees));
  });

  it('gives every sentence the same candidate patterns', () => {
    for (const note of notes) {
      for (const s of splitBlocks(note).flatMap(splitSentences)) assert.deepEqual(lazy.candidates(s.tokens), plain.candidates(s.tokens));
    }
  });

  it('gives the same findings, explanations included', () => {
    for (const note of notes) {
      const a = new Analyzer(plain, { aligned: true, explain: true }).analyze(note);
      const b = new Analyzer(lazy, { aligned: true, explain: true }).analyze(note);
      assert.ok(a.findings.length > 0);
      assert.deepEqual(b, a);
    }
  });

  it('serialises a lazy rule as the plain rule it stands for', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(lazy.rules)), JSON.parse(JSON.stringify(pack.rules)));
  });

  const parsed = (r: CompiledRule) => (r as unknown as { trees?: unknown }).trees !== undefined;

  it('re-packs a lazy rule without parsing it', () => {
    const r = RuleSet.fromPack(packed).rules[0] as LazyRule;
    assert.deepEqual(packRules({ version: 'v', rules: [r], refs: pack.refs }).rules[0], packed.rules[0]);
    assert.equal(parsed(r), false);
  });

  it('re-packs a parsed lazy rule as the record it came from (its JSON string is dropped once parsed)', () => {
    const rules = RuleSet.fromPack(JSON.parse(JSON.stringify(packRules(pack)))).rules as LazyRule[];
    for (const r of rules) void r.patterns;
    assert.ok(rules.every(parsed));
    assert.ok(rules.every((r) => (r as unknown as { t?: string }).t === undefined));
    assert.deepEqual(rules.map((r) => r.toPacked()), packed.rules);
  });

  it('shares equal pattern subtrees between the rules of a pack', () => {
    const rules = RuleSet.fromPack(JSON.parse(JSON.stringify(packRules(pack)))).rules;
    const seen = new Map<string, PNode>();
    let shared = 0;
    const walk = (n: PNode) => {
      const key = JSON.stringify(n);
      const first = seen.get(key);
      if (first) { assert.equal(n, first, `two objects for ${key.slice(0, 80)}`); shared++; return; }
      seen.set(key, n);
      if (n.t === 'seq' || n.t === 'alt') n.n.forEach(walk);
      else if (n.t === 'opt' || n.t === 'not') walk(n.n);
    };
    for (const r of rules) for (const p of [...r.patterns, ...r.requires, ...r.unless, ...r.unlessParagraph, ...r.requiresParagraph]) [p.prefix, p.core, p.suffix].forEach(walk);
    // the lexicon classes recur across rules: most subtrees met are repeats
    assert.ok(shared > seen.size, `${shared} repeats of ${seen.size} distinct subtrees`);
  });
});
