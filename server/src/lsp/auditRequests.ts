// The batch audit inside the language server: handlers for the custom requests of
// server/src/protocol/audit.ts. The server's entry file calls registerAuditRequests(connection)
// once; everything else is here. Audits run in worker threads (dist/audit-worker.js beside
// the bundle), report LSP work-done progress and stop when the client cancels the request.

import * as fs from 'node:fs';
import { CancellationToken, Connection, Disposable, ErrorCodes, LSPErrorCodes, ResponseError, WorkDoneProgressReporter } from 'vscode-languageserver';
import { RuleSet } from '../engine';
import { compareReports } from '../audit/compare';
import { parseDate } from '../audit/dates';
import { auditHtml } from '../audit/report/html';
import { auditMarkdown } from '../audit/report/markdown';
import { compareHtml, compareMarkdown } from '../audit/report/compare';
import { parseAuditJson, ReportFormatError } from '../audit/report/json';
import { AuditCancelled, AuditProgress, runAudit, RunOptions } from '../audit/run';
import { AuditReport, DIMENSIONS } from '../audit/schema';
import { loadRuleSet } from '../host/rulePack';
import { AUDIT_REQUEST, AuditOptionsParams, AuditParams, AuditResult, COMPARE_REQUEST, CompareParams, CompareResult } from '../protocol/audit';

export interface AuditRequestOptions {
  /** The rule set to audit with (default: the bundled rules, loaded once). */
  ruleSet?: () => RuleSet;
  /** The extension's version, shown in reports. */
  toolVersion?: string;
  /** Refuse paths outside what this returns true for (e.g. the workspace folders); default: any path. */
  allowPath?: (p: string) => boolean;
}

let defaultRules: RuleSet | undefined;

/** Registers the audit and compare requests on `connection`; dispose to remove them. */
export function registerAuditRequests(connection: Connection, options: AuditRequestOptions = {}): Disposable {
  const rules = () => options.ruleSet?.() ?? (defaultRules ??= loadRuleSet().ruleSet);
  const version = options.toolVersion ?? '0.0.0';

  const a = connection.onRequest(AUDIT_REQUEST, async (params: AuditParams, token: CancellationToken): Promise<AuditResult | ResponseError<void>> => {
    const bad = checkParams(params, params.paths, options);
    if (bad) return bad;
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Auditing case notes', 0, 'Reading files…', true);
    try {
      const res = await withCancellation(token, (signal) => runAudit({ ...runOptions(params, rules(), version), paths: params.paths, label: params.label, signal, onProgress: reporter(progress, 0, 100) }));
      const json = res.reports[0];
      return { html: auditHtml(json), markdown: auditMarkdown(json), json };
    } catch (e) {
      return failure(e);
    } finally {
      progress.done();
    }
  });

  const c = connection.onRequest(COMPARE_REQUEST, async (params: CompareParams, token: CancellationToken): Promise<CompareResult | ResponseError<void>> => {
    const all = [...(params.paths ?? []), ...(params.baseline ?? []), ...(params.followup ?? [])];
    const bad = checkParams(params, all, options);
    if (bad) return bad;
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    progress.begin('Comparing audits', 0, 'Reading files…', true);
    try {
      let base: AuditReport;
      let follow: AuditReport;
      if (params.baselineBefore !== undefined) {
        const before = /^\d{4}-\d{2}-\d{2}$/.test(params.baselineBefore) ? parseDate(params.baselineBefore) : undefined;
        if (!before) return new ResponseError(ErrorCodes.InvalidParams, 'baselineBefore must be a date as YYYY-MM-DD');
        if (!params.paths?.length) return new ResponseError(ErrorCodes.InvalidParams, 'paths: name the files or folders to split by date');
        const res = await withCancellation(token, (signal) => runAudit({
          ...runOptions(params, rules(), version), paths: params.paths!, splitBefore: before,
          splitLabels: [params.baselineLabel ?? 'baseline', params.followupLabel ?? 'follow-up'], signal, onProgress: reporter(progress, 0, 100),
        }));
        [base, follow] = res.reports;
      } else {
        if (!params.baseline?.length || !params.followup?.length) return new ResponseError(ErrorCodes.InvalidParams, 'name a baseline and a follow-up (audit JSON files, or files and folders)');
        base = await side(params.baseline, params.baselineLabel ?? 'baseline', 0, 50);
        follow = await side(params.followup, params.followupLabel ?? 'follow-up', 50, 100);
      }
      const json = compareReports(base, follow);
      return { html: compareHtml(json), markdown: compareMarkdown(json), json, baseline: base, followup: follow };

      async function side(paths: string[], label: string, from: number, to: number): Promise<AuditReport> {
        if (paths.length === 1 && /\.json$/i.test(paths[0])) {
          let text: string;
          try { text = fs.readFileSync(paths[0], 'utf8'); } catch (e) { throw new ResponseError(ErrorCodes.InvalidParams, `${paths[0]}: ${(e as Error).message}`); }
          return parseAuditJson(text, paths[0]);
        }
        const res = await withCancellation(token, (signal) => runAudit({ ...runOptions(params, rules(), version), paths, label, signal, onProgress: reporter(progress, from, to, `${label}: `) }));
        return res.reports[0];
      }
    } catch (e) {
      return failure(e);
    } finally {
      progress.done();
    }
  });

  return Disposable.create(() => { a.dispose(); c.dispose(); });
}

function runOptions(p: AuditOptionsParams, ruleSet: RuleSet, toolVersion: string): Omit<RunOptions, 'paths'> {
  return {
    ruleSet,
    toolVersion,
    by: p.by,
    includeExcerpts: p.includeExcerpts === true,
    auditId: p.auditId,
    jobs: p.jobs,
    columns: p.columns,
    dateOrder: p.dateOrder,
  };
}

function checkParams(p: AuditOptionsParams, paths: readonly string[] | undefined, o: AuditRequestOptions): ResponseError<void> | undefined {
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((x) => typeof x !== 'string' || x === '')) return new ResponseError(ErrorCodes.InvalidParams, 'name at least one file or folder');
  const refused = o.allowPath ? paths.find((x) => !o.allowPath!(x)) : undefined;
  if (refused) return new ResponseError(ErrorCodes.InvalidParams, `not allowed to audit ${refused}`);
  if (p.by && p.by.some((d) => !(DIMENSIONS as readonly string[]).includes(d))) return new ResponseError(ErrorCodes.InvalidParams, `by takes ${DIMENSIONS.join(', ')}`);
  if (p.jobs !== undefined && !(Number.isInteger(p.jobs) && p.jobs >= 1 && p.jobs <= 256)) return new ResponseError(ErrorCodes.InvalidParams, 'jobs must be a whole number from 1 to 256');
  if (p.auditId !== undefined && p.auditId.length < 8) return new ResponseError(ErrorCodes.InvalidParams, 'auditId must be at least 8 characters');
  return undefined;
}

/** Runs `f` with an AbortSignal that fires when the LSP request is cancelled. */
async function withCancellation<T>(token: CancellationToken, f: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  const sub = token.onCancellationRequested(() => ac.abort());
  try {
    return await f(ac.signal);
  } finally {
    sub.dispose();
  }
}

/** Maps audit progress onto a share [from, to] of the work-done progress. */
function reporter(progress: WorkDoneProgressReporter, from: number, to: number, prefix = ''): (p: AuditProgress) => void {
  return (p) => {
    const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
    const pct = Math.round(from + (to - from) * Math.min(1, frac));
    progress.report(pct, `${prefix}${p.filesDone}/${p.filesTotal} files, ${(p.bytesDone / 1048576).toFixed(1)}/${(p.bytesTotal / 1048576).toFixed(1)} MB, ${p.entries} entries`);
  };
}

function failure(e: unknown): ResponseError<void> {
  if (e instanceof ResponseError) return e;
  if (e instanceof AuditCancelled) return new ResponseError(LSPErrorCodes.RequestCancelled, 'audit cancelled');
  if (e instanceof ReportFormatError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
  return new ResponseError(ErrorCodes.InternalError, `audit failed: ${(e as Error).message ?? e}`);
}
