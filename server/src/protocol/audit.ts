// The custom LSP requests of the batch audit, shared by the language server
// (server/src/lsp/auditRequests.ts) and the VS Code client (client/src/auditCommands.ts).
// Types only and constants: nothing here pulls server code into the client bundle.
//
// Both requests report progress through the LSP work-done progress of the `workDoneToken` the
// client sends, and stop when the client cancels the request ($/cancelRequest), answering with
// the LSP error RequestCancelled.

import type { AuditReport, CompareReport, Dimension } from '../audit/schema';

export type { AuditReport, CompareReport, Dimension };

/** Audits files and folders on the machine the server runs on. */
export const AUDIT_REQUEST = 'casenoteAudit/audit';
/** Compares a baseline and a follow-up (audit JSON files, or files and folders to audit). */
export const COMPARE_REQUEST = 'casenoteAudit/compare';

export interface AuditOptionsParams {
  /** Breakdowns (default file, author, team, month). */
  by?: Dimension[];
  /** Put verbatim excerpts and authors' names in the reports (confidential; default false). */
  includeExcerpts?: boolean;
  /** Secret salt for author pseudonyms (random when absent). */
  auditId?: string;
  /** Worker threads (default: the number of cores minus one, at least one). */
  jobs?: number;
  /** CSV column names, e.g. { text: 'Narrative' } (default: detected from the header row). */
  columns?: Partial<Record<'text' | 'date' | 'time' | 'author' | 'team' | 'type' | 'case' | 'id', string>>;
  dateOrder?: 'dmy' | 'mdy';
}

export interface AuditParams extends AuditOptionsParams {
  /** Files and folders (file-system paths on the server's machine). */
  paths: string[];
  label?: string;
  /** LSP work-done progress token (set by the client). */
  workDoneToken?: string | number;
}

export interface AuditResult {
  /** The self-contained HTML report (strict CSP, no scripts, no external resources). */
  html: string;
  markdown: string;
  /** The audit JSON (docs/audit.md), the input of compare and merge. */
  json: AuditReport;
}

export interface CompareParams extends AuditOptionsParams {
  /** Baseline: one audit JSON file, or files and folders to audit. Not used with `baselineBefore`. */
  baseline?: string[];
  followup?: string[];
  /** Instead: audit `paths` once and split the entries at this date (YYYY-MM-DD). */
  baselineBefore?: string;
  paths?: string[];
  baselineLabel?: string;
  followupLabel?: string;
  workDoneToken?: string | number;
}

export interface CompareResult {
  html: string;
  markdown: string;
  json: CompareReport;
  /** The two audits compared (as given, or as audited for this request). */
  baseline: AuditReport;
  followup: AuditReport;
}
