import * as assert from 'node:assert/strict';
import { detectRoles, placeholderValue } from '../../server/src/engine';
import names from '../../server/src/engine/data/first-names.json';
import { nameGender, undeclaredNameGender } from '../../server/src/engine/roles';

describe('role detection', () => {
  it('reads a chronology header', () => {
    const r = detectRoles('Children: Max Ross (12), Amelia Ross (11)\nAdults: Mhairi Young (mother; non-abusing parent); Jason Ross (father; person causing harm)\n');
    assert.equal(r.survivor?.name, 'Mhairi Young');
    assert.equal(r.perpetrator?.name, 'Jason Ross');
    assert.deepEqual(r.children.map((c) => c.name), ['Max Ross', 'Amelia Ross']);
    assert.equal(placeholderValue(r, 'child'), 'Max and Amelia');
  });
  it('reads a markdown metadata table', () => {
    const r = detectRoles('| Field | Value |\n| --- | --- |\n| Non-abusing parent | Mhairi Young (mother) |\n| Person causing harm | Jason Ross (father) |\n');
    assert.equal(r.survivor?.name, 'Mhairi Young');
    assert.equal(r.perpetrator?.name, 'Jason Ross');
  });
  it('reads names with relations in running text', () => {
    const r = detectRoles('Home visit to Ms Reid (mother) and Lily (7). Mr Kerr, father, was not present.');
    assert.equal(placeholderValue(r, 'survivor'), 'Ms Reid');
    assert.equal(placeholderValue(r, 'perpetrator'), 'Mr Kerr');
    assert.equal(placeholderValue(r, 'child'), 'Lily');
  });
  it("reads \"mother's partner\" as a partner, not a mother", () => {
    const r = detectRoles("Adults: Jade MacKenzie (mother; non-abusing parent); Piotr Taylor (mother's partner; person causing harm)");
    assert.equal(r.perpetrator?.name, 'Piotr Taylor');
    assert.equal(r.perpetrator?.relation, 'partner');
    assert.notEqual(r.perpetrator?.gender, 'f');
  });
  it('honours explicit labels over gender', () => {
    const r = detectRoles('Adults: Gary Lyon (father; non-abusing parent); Donna Lyon (mother; person causing harm)');
    assert.equal(r.survivor?.name, 'Gary Lyon');
    assert.equal(r.perpetrator?.name, 'Donna Lyon');
  });
  it('uses kinship words when no names are given, and never invents a name', () => {
    const r = detectRoles('Mum said Dad came back on Friday.');
    assert.equal(placeholderValue(r, 'survivor'), 'Mum');
    assert.equal(placeholderValue(r, 'perpetrator'), 'Dad');
    assert.equal(placeholderValue(detectRoles('She said he came back.'), 'perpetrator'), undefined);
  });
});

describe('undeclared first names', () => {
  it('have the gender nameGender gives, in any case, asked twice (the answer is memoised), except words in capitals', () => {
    const words = [...names.female, ...names.male, 'will', 'Will', 'Reid', 'The', 'x', 'A', ''];
    let gendered = 0;
    for (const w of words) {
      for (const form of [w, w.toUpperCase(), w[0] ? w[0].toUpperCase() + w.slice(1) : w]) {
        // a word in capitals is a heading or an acronym, not a name
        const want = form.length > 1 && form === form.toUpperCase() ? undefined : nameGender(form);
        if (want) gendered++;
        assert.equal(undeclaredNameGender(form), want, form);
        assert.equal(undeclaredNameGender(form), want, `${form} (memoised)`);
      }
    }
    // most listed names have a gender, so the memo is tested on both answers
    assert.ok(gendered > words.length, `${gendered} gendered forms`);
    assert.equal(undeclaredNameGender('KIRSTY'), undefined);
    assert.equal(undeclaredNameGender('Kirsty'), nameGender('kirsty'));
  });
});
