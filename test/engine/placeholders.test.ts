// Messages and suggestions name the people of the note: fillPlaceholders cuts each template at
// its placeholders once and fills it by concatenation; it must give what a replace over the
// template gives, for any template and people.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { Analyzer, fillPlaceholders } from '../../server/src/engine';
import { bundledRules } from '../helpers/rules';
import { placeholderValue, Roles } from '../../server/src/engine/roles';

/** The definition: each placeholder replaced, capitalised where it starts a sentence. */
function reference(template: string, roles: Roles): string {
  return template.replace(/\{(perpetrator|survivor|child)\}/g, (_m, which: 'perpetrator' | 'survivor' | 'child', offset: number, whole: string) => {
    const v = placeholderValue(roles, which) ?? `[${which}]`;
    const atStart = offset === 0 || /[.!?]\s+$/.test(whole.slice(0, offset));
    return atStart && /^[a-z]/.test(v) ? v[0].toUpperCase() + v.slice(1) : v;
  });
}

describe('filling placeholders', () => {
  const people: Roles[] = [
    { children: [] },
    { children: [], survivorKinWord: 'mum', perpetratorKinWord: 'dad' },
    { children: [{ name: 'Lily Kerr', first: 'Lily', gender: 'f' }, { name: 'Jo', gender: undefined }], survivor: { name: 'Ms Reid', gender: 'f' }, perpetrator: { name: '$& Kerr', gender: 'm' } },
  ];
  it('capitalises a value that starts a sentence, and keeps unknown people visible', () => {
    assert.equal(fillPlaceholders('{survivor} said. {perpetrator} left; {child}', people[1]), 'Mum said. Dad left; [child]');
    assert.equal(fillPlaceholders('Name {perpetrator}, not {survivor}.', people[2]), 'Name $& Kerr, not Ms Reid.');
  });
  it('gives what a replace over the template gives, for any template (fast-check)', () => {
    const piece = fc.constantFrom('{survivor}', '{perpetrator}', '{child}', '{other}', '{', '}', 'Describe ', 'what ', '. ', '! ', '?\n', ' ', 'behaviour', '$1', '$&');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((a) => a.join('')), fc.constantFrom(...people), (template, roles) => {
        assert.equal(fillPlaceholders(template, roles), reference(template, roles));
        // the second fill reads the cut template
        assert.equal(fillPlaceholders(template, roles), reference(template, roles));
      }),
      { numRuns: 2000 },
    );
  });
  it('leaves templates to the caller with `templates`, and filling them gives the default message', () => {
    const note = 'Adults: Kirsty Reid (mother); Jamie Kerr (father; person causing harm)\nChildren: Lily Kerr (6)\n\n' +
      'Mum failed to protect Lily. Kirsty chose to stay with Jamie. It was a volatile relationship and mum was assaulted.';
    const filled = new Analyzer(bundledRules()).analyze(note);
    const templated = new Analyzer(bundledRules(), { templates: true }).analyze(note);
    assert.equal(templated.findings.length, filled.findings.length);
    assert.ok(templated.findings.some((f) => /\{(perpetrator|survivor|child)\}/.test(f.message + f.suggestions.join(''))), 'a template with a placeholder');
    templated.findings.forEach((f, i) => {
      assert.equal(fillPlaceholders(f.message, templated.roles), filled.findings[i].message);
      assert.deepEqual(f.suggestions.map((t) => fillPlaceholders(t, templated.roles)), filled.findings[i].suggestions);
    });
  });
});
