// Writing and reading the audit JSON (docs/audit.md). Reading checks the shape enough that
// `compare` and `merge` fail with a clear message on something that is not an audit report.

import { AUDIT_SCHEMA, AUDIT_SCHEMA_VERSION, AuditReport } from '../schema';

export function auditJson(r: AuditReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

export class ReportFormatError extends Error {}

export function parseAuditJson(text: string, source: string): AuditReport {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new ReportFormatError(`${source}: not JSON (${(e as Error).message})`);
  }
  const r = j as Partial<AuditReport>;
  if (!r || typeof r !== 'object' || r.schema !== AUDIT_SCHEMA) throw new ReportFormatError(`${source}: not a casenote-audit audit report (no "schema": "${AUDIT_SCHEMA}")`);
  if (r.version !== AUDIT_SCHEMA_VERSION) throw new ReportFormatError(`${source}: audit report version ${r.version}; this tool reads version ${AUDIT_SCHEMA_VERSION}`);
  for (const k of ['totals', 'categories', 'aligned', 'phrases', 'groups', 'rules', 'inputs', 'errors', 'options', 'period'] as const) {
    if (r[k] === undefined || r[k] === null || typeof r[k] !== 'object') throw new ReportFormatError(`${source}: the audit report has no "${k}"`);
  }
  for (const k of ['entries', 'words', 'files'] as const) {
    if (typeof r.totals![k] !== 'number') throw new ReportFormatError(`${source}: totals.${k} is not a number`);
  }
  return r as AuditReport;
}
