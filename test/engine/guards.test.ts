// The cross-cutting context guards (knowledge base section 2.0), each on a rule built for the test.
import * as assert from 'node:assert/strict';
import { rule, rulesFromYaml, analyze } from '../helpers/rules';

const ftp = rulesFromYaml(rule('t-ftp', ['< fail~ to protect >'], 'subject: survivor'));
const volatile = rulesFromYaml(rule('t-vol', ['< volatile relationship >']));
const argument = rulesFromYaml(rule('t-arg', ['< argument >'], 'context: domestic-abuse'));

function outcome(rs: ReturnType<typeof rulesFromYaml>, text: string): string {
  const r = analyze(rs, text);
  if (r.findings.length > 0) return r.findings.map((f) => (f.downgraded ? `hint:${f.downgraded}` : f.severity)).join(',');
  return [...new Set(r.suppressed.map((s) => s.reason))].join(',') || 'nothing';
}

describe('guards', () => {
  it('reports the plain case', () => assert.equal(outcome(ftp, 'Mum failed to protect the children.'), 'warning'));

  describe('quoted and attributed speech', () => {
    it('downgrades quoted speech to a hint', () => assert.equal(outcome(volatile, "Ms Reid called it 'a volatile relationship'."), 'hint:quoted-speech'));
    it('downgrades speech attributed to a family member', () => {
      assert.equal(outcome(volatile, 'Mr Kerr said they have a volatile relationship.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'According to Ms Reid, it is a volatile relationship.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'It is a volatile relationship, according to Ms Reid.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'It is a volatile relationship, Mr Kerr says.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'It is a volatile relationship, according to the police log.'), 'warning');
    });
    it('does not treat "had words", "police called to", "shouted at her" or "was told" as attributed speech', () => {
      assert.equal(outcome(volatile, 'They had words and it is a volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, 'Police called to the flat about a volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, 'Mr Kerr called it a volatile relationship.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'He shouted at her during the volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, 'He shouted at her that it was a volatile relationship.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, 'Mum and Dad were both told the volatile relationship is a concern.'), 'warning');
      assert.equal(outcome(volatile, 'Mum told us the volatile relationship is over.'), 'hint:attributed-speech');
    });
    it('ends the attribution at a contrast after a closed quotation', () => {
      assert.equal(outcome(volatile, "Ms Reid said 'we are fine' but it is a volatile relationship."), 'warning');
      assert.equal(outcome(volatile, 'Ms Reid said it was fine but also a volatile relationship.'), 'hint:attributed-speech');
      assert.equal(outcome(volatile, "Kai said 'they shout a lot' - it is a volatile relationship."), 'warning');
    });
    it('returns to the writer\'s voice after a quotation closed by a dash', () => {
      assert.equal(outcome(ftp, "Kai said 'Dad hits Mum' - Mum failed to protect them."), 'warning');
      assert.equal(outcome(ftp, "Kai said Mum failed to protect them."), 'hint:attributed-speech');
    });
    it("does not treat the worker's own statement as attributed", () => assert.equal(outcome(volatile, 'I explained that it is a volatile relationship.'), 'warning'));
    it('can ignore or report quoted speech instead', () => {
      assert.equal(analyze(volatile, "He said 'a volatile relationship'.", { quotedSpeech: 'ignore' }).findings.length, 0);
      assert.equal(analyze(volatile, "He said 'a volatile relationship'.", { quotedSpeech: 'report' }).findings[0].severity, 'warning');
    });
  });

  describe('negation', () => {
    it('suppresses a negated trigger', () => {
      assert.equal(outcome(ftp, 'There is no evidence that Mum failed to protect the children.'), 'negation');
      assert.equal(outcome(ftp, 'It is untrue that Mum failed to protect the children.'), 'negation');
      assert.equal(outcome(volatile, 'It would be wrong to call this a volatile relationship.'), 'negation');
    });
    it('suppresses a claim the sentence goes on to rebut', () => {
      assert.equal(outcome(ftp, 'The claim that Mum failed to protect the children is not accurate.'), 'negation');
      assert.equal(outcome(ftp, 'The view that she failed to protect them is unfounded.'), 'negation');
      assert.equal(outcome(ftp, 'The claim that Mum failed to protect the children is substantiated.'), 'warning');
      assert.equal(outcome(ftp, 'Mum failed to protect the children, which is wrong of her.'), 'warning');
    });
    it('does not reach across a clause boundary', () => assert.equal(outcome(ftp, 'Dad was not arrested; Mum failed to protect them.'), 'warning'));
    it('a verb negation does not carry over "and" into a new verb group', () => {
      assert.equal(outcome(ftp, 'Mum has not been protective and continues to fail to protect them.'), 'warning');
      assert.equal(outcome(ftp, 'There is no evidence that Dad hit her and Mum failed to protect them.'), 'negation');
      assert.equal(outcome(ftp, "Mum wasn't at home that night and could fail to protect them."), 'warning');
      assert.equal(outcome(ftp, 'Mum is not well, therefore failed to protect them.'), 'warning');
    });
    it('does not reach into a coordinated clause with its own subject', () => {
      assert.equal(outcome(volatile, 'He has never hit her and it is a volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, 'There is no evidence of a volatile relationship and controlling behaviour.'), 'negation');
    });
    it('"not only" does not negate', () => assert.equal(outcome(volatile, 'It is not only a volatile relationship.'), 'warning'));
  });

  describe('subject', () => {
    it('suppresses survivor-directed rules when the person causing harm is the subject', () => {
      assert.equal(outcome(ftp, 'Dad failed to protect the children from his own drug use.'), 'subject');
      assert.equal(outcome(ftp, 'Mr Kerr has repeatedly failed to protect them.'), 'subject');
    });
    it('suppresses them when a professional or agency is the subject', () => {
      assert.equal(outcome(ftp, 'Agencies failed to protect Lily.'), 'subject');
      assert.equal(outcome(ftp, 'We failed to protect her.'), 'subject');
    });
    it('fires when the survivor is the subject, however she is named', () => {
      for (const t of ['Ms Reid failed to protect them.', 'She has failed to protect them.', 'The mother continues to fail to protect them.', "Mum's failure to protect them.", 'Chantelle failed to protect them.']) {
        assert.match(outcome(rulesFromYaml(rule('t-ftp2', ['< (fail~|failure) to protect >'], 'subject: survivor')), t), /warning/, t);
      }
    });
    it('walks back over "keeps ...ing" and "remains" to the subject', () => {
      const keeps = rulesFromYaml(rule('t-keeps', ['< (letting | let) him (in | back) >', '< in denial >'], 'subject: survivor'));
      assert.equal(outcome(keeps, 'Mum keeps letting him back.'), 'warning');
      assert.equal(outcome(keeps, 'Ms Reid remains in denial.'), 'warning');
      assert.equal(outcome(keeps, 'Mr Kerr remains in denial.'), 'subject');
      assert.equal(outcome(keeps, 'Staff kept letting him in.'), 'subject');
      assert.equal(outcome(keeps, 'Mum needs to stop letting him in.'), 'warning');
    });
    it('finds the subject of a coordinated verb after a complementiser, not in the clause above it', () => {
      assert.equal(outcome(ftp, 'SW view is that Mum lacks support and failed to protect them.'), 'warning');
      assert.equal(outcome(ftp, 'Mum said that Dad drinks and failed to protect them.'), 'subject');
    });
    it('gives a by-gerund the subject of the clause it modifies', () => {
      const rs = rulesFromYaml(rule('t-let', ['< letting (him|dad) back >'], 'subject: survivor'));
      assert.equal(outcome(rs, 'Mum has put Ruby at risk by letting Dad back into the house.'), 'warning');
      assert.equal(outcome(rs, 'The police put Ruby at risk by letting him back into the house.'), 'subject');
      // an undeclared name the name list does not know is an unresolved person, not skipped over
      assert.equal(outcome(rs, 'Kirsty has put the kids at risk by letting him back in.'), 'warning');
    });
    it('follows the roles declared in the note, not gender', () => {
      const text = 'Adults: Gary Lyon (father; non-abusing parent); Donna Lyon (mother; person causing harm)\n\nDad failed to protect the children. Mum failed to protect them.';
      const r = analyze(ftp, text);
      assert.deepEqual(r.findings.map((f) => text.slice(f.start - 4, f.start).trim()), ['Dad']);
    });
  });

  describe('sentences that are not narrative', () => {
    it('suppresses writing about the language', () => assert.equal(outcome(ftp, 'The team discussed moving away from writing that mothers failed to protect.'), 'meta-language'));
    it('does not treat a case conference as writing about the language', () => {
      assert.equal(outcome(ftp, 'Mum failed to protect the children, as discussed at the case conference.'), 'warning');
    });
    it('does not treat "had words" or "words of advice" as writing about the language', () => {
      assert.equal(outcome(volatile, 'They had words and it is a volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, 'Police gave words of advice about the volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, "The words 'volatile relationship' hide who is doing what."), 'meta-language');
    });
    it('does not treat "a word against him", "her word against his" or "word of mouth" as writing about the language', () => {
      assert.equal(outcome(volatile, 'The volatile relationship continues and she will not hear a word against him.'), 'warning');
      assert.equal(outcome(volatile, "It is her word against his about the volatile relationship."), 'warning');
      assert.equal(outcome(volatile, 'The volatile relationship is known about by word of mouth.'), 'warning');
      assert.equal(outcome(volatile, "The word 'volatile relationship' hides who is doing what."), 'meta-language');
    });
    it('does not treat case-work senses of "conference", "term", "guidance" and "frame" as writing about the language', () => {
      assert.equal(outcome(volatile, 'A volatile relationship was discussed at the case conference.'), 'warning');
      assert.equal(outcome(volatile, 'The volatile relationship has affected Kai this term.'), 'warning');
      assert.equal(outcome(volatile, 'Her guidance teacher knows about the volatile relationship.'), 'warning');
      assert.equal(outcome(volatile, "The term 'volatile relationship' hides who is doing what."), 'meta-language');
      assert.equal(outcome(volatile, 'She hit the door frame during the volatile relationship.'), 'warning');
    });
    it('suppresses practice-guide advice about wording', () => {
      assert.equal(outcome(volatile, 'Avoid describing domestic abuse as a volatile relationship.'), 'meta-language');
      assert.equal(outcome(volatile, 'Writing that the parents have a volatile relationship hides his pattern.'), 'meta-language');
      assert.equal(outcome(volatile, 'Mum tries to avoid Dad; they have a volatile relationship.'), 'warning');
    });
    it('suppresses legal citations', () => assert.equal(outcome(ftp, "Petition count b-1 (WIC 300(b)(1)), as filed: 'mother failed to protect'."), 'legal-citation'));
    it('counts "bail conditions" as one legal term, so narrative about bail is not a citation', () => {
      assert.equal(outcome(volatile, 'The volatile relationship has calmed since the bail conditions were imposed.'), 'warning');
      assert.equal(outcome(volatile, 'Bail conditions per the order: no contact; volatile relationship noted.'), 'legal-citation');
    });
    it('does not treat a case conference or a supervision record as writing about the language', () => {
      assert.equal(outcome(ftp, 'Mum failed to protect them, as discussed after the conference.'), 'warning');
      assert.equal(outcome(ftp, 'Supervision question: has Mum failed to protect them?'), 'warning');
      assert.equal(outcome(ftp, 'At a conference, a speaker critiqued saying mothers failed to protect.'), 'meta-language');
    });
    it('suppresses legal citations', () => assert.equal(outcome(ftp, "Petition count b-1 (WIC 300(b)(1)), as filed: 'mother failed to protect'."), 'legal-citation'));
    it('counts a run of legal words as one term, so narrative with "bail conditions" is not a citation', () => {
      assert.equal(outcome(ftp, 'Mum failed to protect them despite his bail conditions.'), 'warning');
      assert.equal(outcome(ftp, 'Mum failed to protect them; the petition and the order are attached.'), 'legal-citation');
    });
    it('suppresses risk-tool outputs and form labels', () => {
      const rs = rulesFromYaml(rule('t-risk', ['< standard risk >']), rule('t-form', ['< exposure to domestic abuse >']));
      assert.equal(outcome(rs, 'DASH: standard risk.'), 'risk-tool-output');
      assert.equal(outcome(rs, 'Exposure to domestic abuse: Y'), 'form-label');
    });
  });

  describe('domestic-abuse context', () => {
    it('counts an abuse word in the pattern around the underlined trigger', () => {
      const only = rulesFromYaml(rule('t-only', ['violence was < only towards her >'], 'context: domestic-abuse'));
      assert.equal(outcome(only, 'The violence was only towards her.'), 'warning');
      const bare = rulesFromYaml(rule('t-only2', ['< only towards her >'], 'context: domestic-abuse'));
      assert.equal(outcome(bare, 'It was only towards her.'), 'no-abuse-context');
    });
    it('does not fire without one', () => assert.equal(outcome(argument, 'There was an argument in the playground between two pupils.'), 'no-abuse-context'));
    it('fires with one in the sentence or paragraph', () => {
      assert.equal(outcome(argument, 'Police attended after an argument.'), 'warning');
      assert.equal(outcome(argument, 'There was an argument at 11pm. Police were called by a neighbour.'), 'warning');
    });
  });

  describe('rule conditions', () => {
    it('unless and requires patterns', () => {
      const rs = rulesFromYaml(rule('t-cond', ['< altercation >'], 'unless: ["playground"]\nrequires: ["(between|with)"]'));
      assert.equal(outcome(rs, 'There was an altercation between Mr Kerr and Ms Reid.'), 'warning');
      assert.equal(outcome(rs, 'There was an altercation.'), 'requires');
      assert.equal(outcome(rs, 'There was an altercation between boys in the playground.'), 'unless');
    });
    it('paragraph-level checks: requires-paragraph and scope: paragraph', () => {
      const rs = rulesFromYaml(rule('t-par', ['< @survivor to %word >'], 'scope: paragraph\nrequires-paragraph: ["plan"]\nunless-paragraph: ["@perpetrator (to|will|must)"]'));
      const plan = 'Safety plan agreed. Mum to keep the doors locked. Mum to call police if needed.';
      assert.equal(analyze(rs, plan).findings.length, 1, 'reported once per paragraph');
      assert.equal(outcome(rs, plan + ' Dad to attend the Caledonian programme.'), 'unless');
      assert.equal(outcome(rs, 'Mum to collect the children at three.'), 'requires');
    });
    it('agent: absent looks for the person who acted in the sentence and the next', () => {
      const rs = rulesFromYaml(rule('t-pas', ['< was assaulted >'], 'agent: absent'));
      assert.equal(outcome(rs, 'Mum was assaulted on Saturday.'), 'warning');
      assert.equal(outcome(rs, 'Mum was assaulted by Mr Kerr on Saturday.'), 'agent-named');
      assert.equal(outcome(rs, 'Mum was assaulted on Saturday. Mr Kerr was arrested.'), 'agent-named');
    });
    it('agent: absent does not take a professional after "by" for the person who acted', () => {
      const rs = rulesFromYaml(rule('t-pas2', ['< was assaulted >'], 'agent: absent'));
      assert.equal(outcome(rs, 'Mum was assaulted and was seen by the GP on Monday.'), 'warning');
      assert.equal(outcome(rs, 'Mum was assaulted and was seen by the GP. Mr Kerr was arrested.'), 'agent-named');
    });
  });

  describe('severity and suggestions', () => {
    it('applies per-rule severity overrides', () => {
      assert.equal(analyze(ftp, 'Mum failed to protect them.', { severityOverrides: { 't-ftp': 'information' } }).findings[0].severity, 'information');
    });
    it('fills placeholders from the note and leaves visible slots otherwise', () => {
      const known = analyze(ftp, 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\nChildren: Lily Kerr (7)\n\nMs Reid failed to protect Lily.').findings[0];
      assert.equal(known.suggestions[0], 'Jamie Kerr did [x] to Kirsty Reid; Lily was affected.');
      const unknown = analyze(ftp, 'She failed to protect them.').findings[0];
      assert.equal(unknown.suggestions[0], '[perpetrator] did [x] to [survivor]; [child] was affected.');
      const kin = analyze(ftp, 'Mum failed to protect them from Dad.').findings[0];
      assert.equal(kin.suggestions[0], 'Dad did [x] to Mum; [child] was affected.');
    });
    it('offers the sentence as the fix range by default and the match with fix: match', () => {
      const text = 'Home visit. Mum failed to protect them. Next visit Friday.';
      const f = analyze(ftp, text).findings[0];
      assert.equal(text.slice(f.fixStart, f.fixEnd), 'Mum failed to protect them.');
      const m = analyze(rulesFromYaml(rule('t-m', ['< volatile relationship >'], 'fix: match')), 'A volatile relationship.').findings[0];
      assert.equal(m.fixStart, m.start);
    });
  });
});
