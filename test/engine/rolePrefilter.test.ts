// The rule set's role-aware prefilter: a pattern that needs a reference to a role is not tried
// on a sentence that cannot hold one, and is still tried (and matches) whichever kind of
// reference the sentence uses. The prefilter must only ever skip patterns that cannot match.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer, detectRoles, splitBlocks, splitSentences } from '../../server/src/engine';
import { patternPlan } from '../../server/src/engine/packFormat';
import { matchPattern, ROLE_NAMES } from '../../server/src/engine/pattern';
import { indexRoles, nameTable, possibleRoles, roleBit, Roles } from '../../server/src/engine/roles';
import { Token } from '../../server/src/engine/text';
import { bundledRules, ROOT, rule, rulesFromYaml } from '../helpers/rules';

/** Sample notes and case files: real text with every kind of reference. */
function samples(): Array<[string, string]> {
  const notes = path.join(ROOT, 'samples', 'notes');
  const cases = path.join(ROOT, 'samples', 'case-files', 'baseline', 'txt');
  const files = [
    ...fs.readdirSync(notes).filter((n) => n.endsWith('.txt')).map((n) => path.join(notes, n)),
    ...fs.readdirSync(cases).filter((n) => n.endsWith('.txt')).sort().slice(0, 4).map((n) => path.join(cases, n)),
  ];
  return files.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')]);
}

const sentence = (text: string): Token[] => splitSentences({ start: 0, end: text.length, text })[0].tokens;

describe('role-aware prefilter', () => {
  const rs = rulesFromYaml(rule('t-surv', ['< @survivor (must|should) >']), rule('t-person', ['< @person (must|should) >']));
  const declared: Roles = detectRoles('Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)');
  const table = nameTable(declared);
  const tried = (text: string, t = table) => rs.candidates(sentence(text), t).map(([ri]) => rs.rules[ri].id);
  const matches = (text: string, t = table) => {
    const tokens = sentence(text);
    const env = { tokens, roles: indexRoles(tokens, t, rs.refs) };
    return rs.candidates(tokens, t).filter(([ri, pi]) => matchPattern(rs.rules[ri].patterns[pi], env).length > 0).map(([ri]) => rs.rules[ri].id);
  };

  it('puts the roles a pattern needs in its plan', () => {
    const plan = patternPlan(rs.rules[0].patterns[0]);
    assert.deepEqual(plan[plan.length - 1], ['@survivor']);
    assert.deepEqual(patternPlan(rs.rules[1].patterns[0]).at(-1), ['@survivor', '@perpetrator', '@child', '@person']);
  });

  it('skips a pattern needing a role the sentence cannot refer to', () => {
    assert.deepEqual(tried('The report must be filed by Friday.'), []);
    // without a name table nothing is known of the roles: every role counts as possible
    assert.deepEqual(rs.candidates(sentence('The report must be filed by Friday.')).length, 2);
  });

  it('still tries and matches it through a declared name', () => {
    assert.deepEqual(matches('Kirsty Reid must attend.'), ['t-surv', 't-person']);
    assert.deepEqual(matches('Ms Reid should attend.'), ['t-surv', 't-person']);
  });

  it('through a generic reference', () => {
    assert.deepEqual(matches('The victim must attend.'), ['t-surv', 't-person']);
    assert.deepEqual(matches('She must attend.'), ['t-surv', 't-person']);
    // a reference to another role makes only @person possible
    assert.deepEqual(tried('The perpetrator must attend.'), ['t-person']);
  });

  it('through an undeclared first name', () => {
    // female names refer to the survivor when the note declares no one
    const none = nameTable({ children: [] });
    assert.deepEqual(matches('Fiona must attend.', none), ['t-surv', 't-person']);
    assert.deepEqual(tried('Fiona must attend.'), ['t-surv', 't-person']);
    // a name the names list gives no gender refers to no role
    assert.deepEqual(tried('Zxq must attend.', none), []);
  });

  it('tries a pattern needing roles and no word only where all its roles are possible', () => {
    const only = rulesFromYaml(rule('t-roles', ['< @perpetrator > @survivor']));
    assert.deepEqual(patternPlan(only.rules[0].patterns[0]), [['@perpetrator'], ['@survivor']]);
    const ids = (text: string) => only.candidates(sentence(text), table).map(([ri]) => only.rules[ri].id);
    assert.deepEqual(ids('The report is late.'), []);
    assert.deepEqual(ids('Jamie Kerr left.'), []);
    assert.deepEqual(ids('The victim left.'), []);
    const tokens = sentence('Jamie Kerr Kirsty Reid left.');
    assert.deepEqual(ids('Jamie Kerr Kirsty Reid left.'), ['t-roles']);
    assert.equal(matchPattern(only.rules[0].patterns[0], { tokens, roles: indexRoles(tokens, table, only.refs) }).length, 1);
  });

  it('follows the note: a declared male survivor makes "he" a survivor reference', () => {
    const swapped = nameTable(detectRoles('Adults: Gary Lyon (father; non-abusing parent); Donna Lyon (mother; person causing harm)'));
    assert.deepEqual(matches('He must attend.', swapped), ['t-surv', 't-person']);
    assert.deepEqual(tried('She must attend.', swapped), ['t-person']);
  });

  it('never leaves out a role the role index finds (samples)', () => {
    const rules = bundledRules();
    let checked = 0;
    for (const [f, text] of samples()) {
      const t = nameTable(detectRoles(text));
      for (const s of splitBlocks(text).flatMap(splitSentences)) {
        const all = { femaleRef: true, maleRef: true, survivorGeneric: true, perpetratorGeneric: true, childRef: true, professionalRef: true };
        const mask = possibleRoles(s.tokens, t, all);
        for (const refs of indexRoles(s.tokens, t, rules.refs).values()) {
          for (const r of refs) { assert.ok(mask & roleBit(r.role), `${f}: ${r.role} in "${s.tokens.map((x) => x.text).join(' ')}"`); checked++; }
        }
      }
    }
    assert.ok(checked > 50, `only ${checked} references checked`);
    assert.equal(ROLE_NAMES.length, 5);
  });

  it('gives the same findings as trying every pattern (samples)', () => {
    const rules = bundledRules();
    for (const [f, text] of samples()) {
      const filtered = new Analyzer(rules, { explain: true }).analyze(text);
      // a rule set that is told nothing of the note's roles tries every pattern the words allow
      const open = Object.create(rules, { candidates: { value: (tokens: Token[]) => rules.candidates(tokens) } });
      const unfiltered = new Analyzer(open, { explain: true }).analyze(text);
      assert.deepEqual(filtered, unfiltered, f);
    }
  });
});

describe('rule set prefilter', () => {
  it('tries exactly the patterns whose plan sets all have a word in the sentence (samples)', () => {
    // the plain definition, against the index, the marked sets and the common-word bits
    const rules = bundledRules();
    const plans = rules.rules.map((r) => r.patterns.map(patternPlan));
    let sentences = 0;
    for (const [f, text] of samples()) {
      for (const s of splitBlocks(text).flatMap(splitSentences)) {
        const norms = new Set(s.tokens.map((t) => t.norm));
        // without a name table every role counts as possible
        const holds = (ws: string[]) => ws.length === 0 || ws.some((w) => norms.has(w) || w.startsWith('@'));
        const expected: Array<[number, number]> = [];
        plans.forEach((ps, ri) => ps.forEach((plan, pi) => { if (plan.every(holds)) expected.push([ri, pi]); }));
        assert.deepEqual(rules.candidates(s.tokens), expected, `${f}: ${s.tokens.map((t) => t.text).join(' ')}`);
        sentences++;
      }
    }
    assert.ok(sentences > 100);
  });
});
