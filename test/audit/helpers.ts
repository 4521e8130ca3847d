// Helpers of the audit tests: a small fixed rule set (so golden files do not change when the
// rule pack does), the fixture folder, golden-file comparison, and in-process audit runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RuleSet } from '../../server/src/engine';
import { runAudit, RunOptions } from '../../server/src/audit/run';
import { AuditReport } from '../../server/src/audit/schema';
import { ROOT, rulesFromYaml } from '../helpers/rules';

export const FIXTURES = path.join(ROOT, 'test', 'audit', 'fixtures');
export const CASE_FILES = path.join(FIXTURES, 'case-files');
export const GOLDEN = path.join(ROOT, 'test', 'audit', 'golden');
export const NOW = new Date('2025-01-01T00:00:00Z');
export const AUDIT_ID = 'golden-test-audit-id';

const WHY = 'why: "A rationale long enough to satisfy the schema minimum length for the why field."\nsources: [https://example.org/source]\n';

let rules: RuleSet | undefined;
/** Three rules: two concerns (one naming people in its match) and one aligned indicator. */
export function testRules(): RuleSet {
  rules ??= rulesFromYaml(
    `id: test-failed-to-protect
category: failure-to-protect
severity: error
message: "\\"Failed to protect\\" holds {survivor} answerable for what {perpetrator} did."
${WHY}patterns: ["< @survivor (has|had)? fail~ to protect @child? >"]
suggestions: ["{perpetrator} harmed {child} by [describe]."]
examples:
  flag: ["[[Mum failed to protect]] them."]
  ok: ["Mr Kerr failed to protect them from his drinking."]
`,
    `id: test-volatile-relationship
category: mutualising-couple-language
severity: warning
message: "\\"Volatile relationship\\" hides who is doing what."
${WHY}patterns: ["< volatile relationship~ >"]
suggestions: ["{perpetrator} [behaviour]."]
examples:
  flag: ["They have a [[volatile relationship]]."]
  ok: ["The volatile market."]
`,
    `id: test-protective-efforts
category: protective-efforts
kind: aligned
severity: information
message: "Records what the survivor did to keep the children safe."
${WHY}patterns: ["< took the children to >"]
examples:
  flag: ["She [[took the children to]] her sister's."]
  ok: ["He took the car."]
`,
  );
  return rules;
}

/** An in-process audit with the test rules, fixed time and salt, paths relative to `cwd`. */
export async function audit(paths: string[], opts: Partial<RunOptions> = {}): Promise<AuditReport> {
  const r = await runAudit({ ruleSet: testRules(), toolVersion: '0.0.0-test', now: NOW, auditId: AUDIT_ID, jobs: 1, cwd: FIXTURES, paths, ...opts });
  return r.reports[0];
}

/** Compares `actual` with test/audit/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead. */
export function golden(name: string, actual: string): void {
  const p = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) {
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(p, actual);
    return;
  }
  assert.ok(fs.existsSync(p), `no golden file ${name}; run UPDATE_GOLDEN=1 npx mocha to create it`);
  const expected = fs.readFileSync(p, 'utf8');
  if (actual !== expected) {
    const a = actual.split('\n');
    const e = expected.split('\n');
    const i = a.findIndex((l, k) => l !== e[k]);
    assert.fail(`${name} differs from its golden file at line ${i + 1}:\n  expected: ${e[i]}\n  actual:   ${a[i]}\n(UPDATE_GOLDEN=1 npx mocha rewrites golden files after a deliberate change)`);
  }
}

/** A fresh temporary folder (the caller removes it). */
export function tempDir(prefix = 'cna-audit-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
