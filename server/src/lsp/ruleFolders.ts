// The rule sets in use: the bundled pack plus the user's extra rule folders (setting
// `caseNoteAudit.ruleFolders`). Loading goes through the host loader, whose problems (file,
// line, field) are published as diagnostics in the YAML files themselves, so a rule author
// sees a schema error where it is. Folders are reloaded when a file under them changes.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { RuleProblem } from '../engine';
import { loadRuleSet, LoadResult } from '../host/rulePack';
import { SOURCE } from '../protocol';

export type PublishProblems = (uri: string, diagnostics: Diagnostic[]) => void;
export type ReportFolderProblem = (message: string) => void;

/** Resolves a configured folder: `~`, absolute, or relative to the base folder. */
export function resolveFolder(folder: string, base: string): string {
  if (folder === '~' || folder.startsWith('~/')) return path.join(os.homedir(), folder.slice(1));
  return path.resolve(base, folder);
}

/**
 * The configured rule folders to load. In an untrusted workspace (VS Code's restricted mode) a
 * folder named by the workspace's own settings is not loaded: it would put rules written by
 * whoever made the workspace in front of the user (their messages, their links). Only the
 * user's own folders are kept, and only absolute or `~` ones, since a relative folder resolves
 * into the untrusted workspace. `userRuleFolders` comes from the VS Code client; without it
 * nothing is kept while untrusted.
 */
export function selectRuleFolders(s: { ruleFolders: string[]; userRuleFolders?: string[] }, trusted: boolean): { load: string[]; ignored: string[] } {
  if (trusted) return { load: s.ruleFolders, ignored: [] };
  const own = new Set((s.userRuleFolders ?? []).filter((f) => f === '~' || f.startsWith('~/') || path.isAbsolute(f)));
  return { load: s.ruleFolders.filter((f) => own.has(f)), ignored: s.ruleFolders.filter((f) => !own.has(f)) };
}

export class RuleFolders {
  private readonly cache = new Map<string, LoadResult>();
  private readonly problemsByKey = new Map<string, RuleProblem[]>();
  private published = new Set<string>();
  /** Bumped whenever a rule set is reloaded. */
  generation = 0;

  constructor(private readonly publish: PublishProblems, private readonly report: ReportFolderProblem) {}

  /** The rule set for these (absolute) extra folders; loads and publishes problems on first use. */
  get(dirs: readonly string[]): LoadResult {
    const key = JSON.stringify(dirs);
    let r = this.cache.get(key);
    if (!r) {
      r = loadRuleSet(dirs);
      this.cache.set(key, r);
      this.problemsByKey.set(key, r.problems);
      this.publishAll();
    }
    return r;
  }

  /** Is this file inside a folder some loaded rule set reads? */
  watches(file: string): boolean {
    for (const key of this.cache.keys()) {
      for (const dir of JSON.parse(key) as string[]) {
        const rel = path.relative(dir, file);
        if (!rel.startsWith('..') && !path.isAbsolute(rel)) return true;
      }
    }
    return false;
  }

  /** Drop every loaded set (a rule file changed); the next get() reloads. */
  invalidate(): void {
    this.cache.clear();
    this.problemsByKey.clear();
    this.generation++;
    this.publishAll();
  }

  private publishAll(): void {
    const byFile = new Map<string, Diagnostic[]>();
    const seen = new Set<string>();
    for (const [key, problems] of this.problemsByKey) {
      const dirs = JSON.parse(key) as string[];
      for (const p of problems) {
        const file = problemFile(p, dirs);
        const sig = `${file}\0${p.line}\0${p.column}\0${p.field}\0${p.message}`;
        if (seen.has(sig)) continue;
        seen.add(sig);
        if (!file || !/\.ya?ml$/i.test(file) || !isFile(file)) {
          this.report(`Case note rules: ${p.path}: ${p.message}`);
          continue;
        }
        const uri = pathToFileURL(file).toString();
        let list = byFile.get(uri);
        if (!list) byFile.set(uri, (list = []));
        list.push(problemDiagnostic(p, file));
      }
    }
    for (const uri of this.published) if (!byFile.has(uri)) this.publish(uri, []);
    for (const [uri, diags] of byFile) this.publish(uri, diags);
    this.published = new Set(byFile.keys());
  }
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

/** The loader reports rule files by absolute path and a folder's lexicon relative to the folder's parent. */
function problemFile(p: RuleProblem, dirs: readonly string[]): string | undefined {
  if (path.isAbsolute(p.path)) return p.path;
  for (const d of dirs) {
    const cand = path.join(path.dirname(d), p.path);
    if (isFile(cand)) return cand;
  }
  return undefined;
}

function problemDiagnostic(p: RuleProblem, file: string): Diagnostic {
  const line = Math.max(0, p.line - 1);
  const col = Math.max(0, p.column - 1);
  let lineText = '';
  try { lineText = fs.readFileSync(file, 'utf8').split(/\r?\n/)[line] ?? ''; } catch { /* file vanished */ }
  const end = Math.max(col + 1, lineText.length);
  return {
    range: { start: { line, character: col }, end: { line, character: end } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: p.field ? `rule-file:${p.field}` : 'rule-file',
    message: p.field ? `${p.field}: ${p.message}` : p.message,
  };
}
