// Finding -> Diagnostic. Every diagnostic has the same four identifiers: source, code (the rule
// id), codeDescription.href (the rule's documentation, a local file: no network) and data
// (FindingData: all the code actions need).

import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompiledRule, Finding, Severity } from '../engine';
import { ANALYSIS_FAILED, FindingData, SOURCE, TOO_MANY_FINDINGS } from '../protocol';
import { fingerprint } from './fingerprint';

export const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const DOWNGRADE_NOTE: Record<string, string> = {
  'quoted-speech': ' (quoted speech: shown so you can check your own wording does not adopt it)',
  'attributed-speech': ' (attributed speech: shown so you can check your own wording does not adopt it)',
};

/** Where a rule is documented: the packaged catalogue for bundled rules, the YAML file for a user's rule. */
export function ruleDocUri(rule: CompiledRule | undefined, ruleId: string, packageRoot: string): string {
  if (rule?.path && path.isAbsolute(rule.path)) return fileUri(rule.path);
  return `${fileUri(path.join(packageRoot, 'docs', 'rules.md'))}#${ruleId}`;
}

// pathToFileURL per diagnostic was a visible share of the server's time per edit; there are few distinct paths
const fileUris = new Map<string, string>();
function fileUri(p: string): string {
  let u = fileUris.get(p);
  if (u === undefined) {
    if (fileUris.size >= 1000) fileUris.clear();
    fileUris.set(p, (u = pathToFileURL(p).toString()));
  }
  return u;
}

export function toDiagnostic(doc: TextDocument, text: string, f: Finding, rule: CompiledRule | undefined, packageRoot: string): Diagnostic {
  const data: FindingData = {
    ruleId: f.ruleId,
    category: f.category,
    kind: f.kind,
    text: f.text,
    suggestions: f.suggestions,
    fixRange: { start: doc.positionAt(f.fixStart), end: doc.positionAt(f.fixEnd) },
    fingerprint: fingerprint(f.ruleId, text, f.start, f.end),
    ...(f.downgraded ? { downgraded: f.downgraded } : {}),
  };
  const aligned = f.kind === 'aligned';
  return {
    range: { start: doc.positionAt(f.start), end: doc.positionAt(f.end) },
    severity: aligned ? DiagnosticSeverity.Hint : SEVERITY[f.severity],
    source: SOURCE,
    code: f.ruleId,
    codeDescription: { href: ruleDocUri(rule, f.ruleId, packageRoot) },
    message: (aligned ? `Aligned practice: ${f.message}` : f.message) + (f.downgraded ? DOWNGRADE_NOTE[f.downgraded] ?? '' : ''),
    data,
  };
}

/** The one diagnostic of a note whose analysis failed: says so and why, at the top of the note. */
export function analysisFailedDiagnostic(reason: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: ANALYSIS_FAILED,
    message: `Case note audit could not check this note: ${reason}. Other notes are still checked; ` +
      'editing this one tries again, and "Case Notes: Show the language server log" has the details.',
  };
}

/** Stands for the findings past the caseNoteAudit.maxProblems limit, at the top of the note. */
export function tooManyFindingsDiagnostic(total: number, shown: number): Diagnostic {
  const n = (x: number) => x.toLocaleString('en-GB');
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: TOO_MANY_FINDINGS,
    message: `This note has ${n(total)} findings; the ${n(shown)} most important are shown (setting caseNoteAudit.maxProblems). ` +
      'Raise the limit to see them all here, or run "Case Notes: Audit Folder…" for counts and rates of every finding.',
  };
}
