// The bundled sample case files: every entry of the planted truth is found, with the same id and
// the same text, in the .txt, .md and .csv exports (what the truth scoring relies on).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RawEntry } from '../../server/src/audit/entries';
import { readInput } from '../../server/src/audit/readers';
import { ROOT } from '../helpers/rules';

const SAMPLES = path.join(ROOT, 'samples', 'case-files');

async function entries(p: string): Promise<RawEntry[]> {
  const files = fs.statSync(p).isDirectory() ? fs.readdirSync(p).sort().map((f) => path.join(p, f)) : [p];
  const out: RawEntry[] = [];
  for (const f of files) await readInput(f, { dateOrder: 'dmy', columns: {} }, { entry: async (e) => { out.push(e); }, rowError: (line, m) => assert.fail(`${f}:${line}: ${m}`) });
  return out;
}

describe('audit: sample case files', () => {
  for (const period of ['baseline', 'followup']) {
    it(`${period}: the txt, md and csv exports give the truth's entries with identical text`, async () => {
      const truth = fs.readFileSync(path.join(SAMPLES, period, 'truth.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const txt = await entries(path.join(SAMPLES, period, 'txt'));
      const md = await entries(path.join(SAMPLES, period, 'md'));
      const csv = await entries(path.join(SAMPLES, period, 'entries.csv'));
      const ids = truth.map((t) => t.entry_id).sort();
      for (const [name, list] of [['txt', txt], ['md', md], ['csv', csv]] as const) assert.deepEqual(list.map((e) => e.id).sort(), ids, name);
      const byId = (list: RawEntry[]) => new Map(list.map((e) => [e.id, e]));
      const m = byId(md);
      const c = byId(csv);
      for (const e of txt) {
        assert.equal(m.get(e.id)!.text, e.text, `md ${e.id}`);
        assert.equal(c.get(e.id)!.text, e.text, `csv ${e.id}`);
        assert.deepEqual([c.get(e.id)!.date, c.get(e.id)!.author, c.get(e.id)!.team], [e.date, e.author, e.team], `csv ${e.id}`);
      }
      // every planted phrase is inside its entry's text
      const t = byId(txt);
      for (const x of truth) for (const p of x.problems) assert.ok(t.get(x.entry_id)!.text.includes(p.phrase), `${x.entry_id}: ${p.phrase}`);
    });
  }
});
