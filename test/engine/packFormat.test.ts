// The packed rule pack (dist/rules.json, and what worker threads receive) must behave exactly
// like the compiled pack it was made from: same rules, same index, same findings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer, isPacked, packRules, RuleSet, splitBlocks, splitSentences } from '../../server/src/engine';
import { LazyRule } from '../../server/src/engine/packFormat';
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

  it('re-packs a lazy rule without parsing it', () => {
    const r = RuleSet.fromPack(packed).rules[0] as LazyRule;
    assert.equal(packRules({ version: 'v', rules: [r], refs: pack.refs }).rules[0], r.toPacked());
  });
});
