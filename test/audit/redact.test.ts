// Name forms are replaced as whole words exactly as the Unicode regular expression they stand
// in for would replace them (the redactor no longer compiles one per name form).
import * as assert from 'node:assert/strict';
import { Redactor, RedactorCache, replaceWord } from '../../server/src/audit/redact';
import { detectRoles } from '../../server/src/engine';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byRegex = (s: string, form: string, token: string) =>
  s.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escape(form)}(?![\\p{L}\\p{N}])`, 'gu'), () => token);

describe('redaction of name forms', () => {
  it('matches the regular-expression replacement on awkward neighbours', () => {
    const forms = ['Reid', 'Ms Reid', 'Kirsty', 'Zoë', 'O\'Neil', 'Ann'];
    const pieces = ['Reid', 'Ms Reid', 'Kirsty', 'Zoë', 'O\'Neil', 'Ann', 'Anna', 'x', '7', ' ', '.', 'é', '😀', '\ud83d', '\ude00', '𝐀', '\u0000', '-', 'ReidReid'];
    let seed = 7;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (let k = 0; k < 3000; k++) {
      let s = '';
      for (let i = rnd(8); i >= 0; i--) s += pieces[rnd(pieces.length)];
      const form = forms[rnd(forms.length)];
      assert.equal(replaceWord(s, form, () => '[T]'), byRegex(s, form, '[T]'), JSON.stringify([s, form]));
    }
  });

  it('keys cached redactors on relations too, so a file never gets another file\'s tokens', () => {
    const cache = new RedactorCache();
    const father = detectRoles('Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)');
    const partner = detectRoles('Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (partner; person causing harm)');
    assert.equal(cache.get(father).phrase('Jamie Kerr was not spoken to'), '[father] was not spoken to');
    assert.equal(cache.get(partner).phrase('Jamie Kerr was not spoken to'), '[partner] was not spoken to');
    assert.equal(new Redactor(partner).phrase('Jamie Kerr was not spoken to'), '[partner] was not spoken to');
  });

  it('keeps only the most recently used redactors', () => {
    const cache = new RedactorCache(2);
    const roles = (n: string) => detectRoles(`Adults: ${n} Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)`);
    const a = cache.get(roles('Ann'));
    cache.get(roles('Bea'));
    assert.equal(cache.get(roles('Ann')), a);
    cache.get(roles('Cat'));
    assert.equal(cache.size, 2);
    assert.equal(cache.get(roles('Ann')), a, 'Ann was used more recently than Bea, so Bea was dropped');
  });
  it('gives a phrase without capitals what the full redaction gives', () => {
    const roles = detectRoles('Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\nChildren: Lily Kerr');
    const quick = new Redactor(roles);
    // a form without a capital letter could occur in such a phrase, so it turns the shortcut off
    const full = new Redactor({ ...roles, children: [...roles.children, { name: 'qqq', gender: undefined }] });
    const pieces = ['mum ', 'failed ', 'to ', 'protect', ' ', '  ', '\t', '\u2019', '\u201c', '12', '3 ', "'s", '-', 'é', 'Kirsty', ' Reid', 'Mr ', 'Lily', 'Dad', '.'];
    let seed = 11;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    let lower = 0;
    for (let k = 0; k < 3000; k++) {
      let s = '';
      for (let i = rnd(7); i >= 0; i--) s += pieces[rnd(pieces.length)];
      if (!/\p{Lu}/u.test(s)) lower++;
      assert.equal(quick.phrase(s), full.phrase(s), JSON.stringify(s));
    }
    assert.ok(lower > 300, 'enough phrases take the shortcut');
    assert.equal(full.phrase('told qqq twice'), `told [child ${roles.children.length + 1}] twice`);
    assert.equal(quick.phrase('Kirsty told Jamie'), '[mother] told [father]');
  });
});
