// Dismissals are keyed by fingerprints; the server remembers them by the text around a match,
// so a remembered fingerprint must be the one computed afresh, and must change exactly when
// the rule, the match or its context within the window changes.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contextOf, fingerprint } from '../../server/src/lsp/fingerprint';

/** The definition, written out independently of the memo. */
function expected(ruleId: string, text: string, start: number, end: number): string {
  const norm = (s: string) => s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
  const { before, after } = contextOf(text, start, end);
  return createHash('sha256').update(ruleId).update('\0').update(norm(text.slice(start, end))).update('\0').update(norm(before)).update('\0').update(norm(after)).digest('hex').slice(0, 32);
}

describe('fingerprints', () => {
  const para = 'Visit today. Ms Reid failed to protect the children when he came round.';
  const at = (t: string) => [t.indexOf('failed to protect'), t.indexOf('failed to protect') + 'failed to protect'.length] as const;

  it('gives the computed fingerprint, first time and remembered', () => {
    const [s, e] = at(para);
    assert.equal(fingerprint('r', para, s, e), expected('r', para, s, e));
    assert.equal(fingerprint('r', para, s, e), expected('r', para, s, e));
  });
  it('survives edits outside the paragraph, and far away in a long one', () => {
    const text = `${'Earlier note. '.repeat(40)}\n\n${para}\n\n${'Later note. '.repeat(40)}`;
    const [s, e] = at(text);
    const fp = fingerprint('r', text, s, e);
    assert.equal(fp, fingerprint('r', para, ...at(para)));
    const edited = `Edited. ${text}`.replace('Later note.', 'Changed later note.');
    assert.equal(fingerprint('r', edited, ...at(edited)), fp);
    assert.equal(fingerprint('r', edited, ...at(edited)), expected('r', edited, ...at(edited)));
  });
  it('changes with the rule, the matched words and the nearby words', () => {
    const [s, e] = at(para);
    const fp = fingerprint('r', para, s, e);
    assert.notEqual(fingerprint('other', para, s, e), fp);
    assert.notEqual(fingerprint('r', para, s, e - 3), fp);
    const near = para.replace('the children', 'the boys');
    assert.notEqual(fingerprint('r', near, ...at(near)), fp);
    assert.equal(fingerprint('r', near, ...at(near)), expected('r', near, ...at(near)));
  });
});
