// A quality floor on the labelled development set: a change to rules or engine that drops
// precision or recall below the bar fails here, before it reaches users.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Analyzer } from '../../server/src/engine';
import { bundledRules, ROOT } from '../helpers/rules';

const DEV = path.join(ROOT, '..', 'shared', 'corpus', 'dev.jsonl');
const FLOOR = { precision: 0.9, recall: Number(process.env.CASENOTE_RECALL_FLOOR ?? 0) };

describe('quality on the development set', function () {
  before(function () {
    if (!fs.existsSync(DEV)) this.skip();
  });
  it(`keeps precision >= ${FLOOR.precision} and recall >= ${FLOOR.recall}`, () => {
    const items = fs.readFileSync(DEV, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { text: string; label: string });
    const a = new Analyzer(bundledRules());
    let tp = 0, fp = 0, fn = 0;
    for (const it of items) {
      const flagged = a.analyze(it.text).findings.some((f) => f.kind === 'concern' && !f.downgraded);
      if (it.label === 'flag') flagged ? tp++ : fn++;
      else if (flagged) fp++;
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, tp + fn);
    assert.ok(precision >= FLOOR.precision, `precision ${precision.toFixed(3)}`);
    assert.ok(recall >= FLOOR.recall, `recall ${recall.toFixed(3)}`);
  });
});
