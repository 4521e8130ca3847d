// Every rule's own examples run as tests: each `flag` example must be flagged by that rule
// over its [[marked]] span, and each `ok` example must not be flagged by it.
import * as assert from 'node:assert/strict';
import { Analyzer } from '../server/src/engine';
import { bundledRules } from './helpers/rules';

const rs = bundledRules();
const ids = rs.rules.map((r) => r.id);

describe('rule examples', () => {
  it('the pack has rules', () => assert.ok(rs.rules.length > 0));
  for (const r of rs.rules) {
    describe(`${r.category}/${r.id}`, () => {
      const only = new Analyzer(rs, { disabledRules: ids.filter((i) => i !== r.id) });
      for (const ex of r.examples.flag) {
        it(`flags: ${ex}`, () => {
          const spans: Array<[number, number]> = [];
          let text = '';
          const re = /\[\[(.+?)\]\]/g;
          let last = 0;
          let m: RegExpExecArray | null;
          while ((m = re.exec(ex)) !== null) {
            text += ex.slice(last, m.index);
            spans.push([text.length, text.length + m[1].length]);
            text += m[1];
            last = m.index + m[0].length;
          }
          text += ex.slice(last);
          const found = only.analyze(text).findings.filter((f) => f.ruleId === r.id && !f.downgraded);
          for (const [s, e] of spans) {
            assert.ok(found.some((f) => f.start < e && s < f.end), `expected ${r.id} on "${text.slice(s, e)}"; found ${JSON.stringify(found.map((f) => f.text))}`);
          }
        });
      }
      for (const ex of r.examples.ok) {
        it(`does not flag: ${ex}`, () => {
          const found = only.analyze(ex).findings.filter((f) => f.ruleId === r.id && !f.downgraded);
          assert.deepEqual(found.map((f) => f.text), []);
        });
      }
    });
  }
});

describe('rule examples are written fresh', function () {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = require('node:path') as typeof import('node:path');
  const dev = path.join(__dirname, '..', '..', '..', 'shared', 'corpus', 'dev.jsonl');
  before(function () {
    if (!fs.existsSync(dev)) this.skip();
  });
  it('no example repeats a development-set sentence (the dev set must stay a fair measure)', () => {
    const key = (s: string) => s.replace(/\[\[|\]\]/g, '').toLowerCase().replace(/[^a-z ]/g, '').replace(/\s+/g, ' ').trim();
    const devTexts = new Set(fs.readFileSync(dev, 'utf8').split('\n').filter(Boolean).map((l) => key((JSON.parse(l) as { text: string }).text)));
    const copies = rs.rules.flatMap((r) => [...r.examples.flag, ...r.examples.ok].filter((e) => devTexts.has(key(e))).map((e) => `${r.id}: ${e}`));
    assert.deepEqual(copies, []);
  });
});
