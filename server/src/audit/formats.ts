// Rendering an audit in the requested formats, to files in an output folder or as a string.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { auditCsv } from './report/csv';
import { auditHtml } from './report/html';
import { auditJson } from './report/json';
import { auditMarkdown } from './report/markdown';
import { SarifCollector } from './sarif';
import type { AuditReport } from './schema';

export const AUDIT_FORMATS = ['md', 'html', 'json', 'csv', 'sarif'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export function renderAudit(r: AuditReport, format: Exclude<AuditFormat, 'sarif'>): string {
  switch (format) {
    case 'md': return auditMarkdown(r);
    case 'html': return auditHtml(r);
    case 'json': return auditJson(r);
    case 'csv': return auditCsv(r);
  }
}

/** Writes `<stem>.<ext>` for each format into `dir` (created if missing); returns the paths written. */
export async function writeAudit(r: AuditReport, formats: readonly AuditFormat[], dir: string, stem = 'audit', sarif?: SarifCollector): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    const p = path.join(dir, `${stem}.${f}`);
    if (f === 'sarif') {
      if (!sarif) continue;
      await sarif.write(r, p);
    } else fs.writeFileSync(p, renderAudit(r, f));
    written.push(p);
  }
  return written;
}
