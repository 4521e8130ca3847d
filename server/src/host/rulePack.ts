// Loading rule packs on a machine with a file system (CLI and language server). The engine
// itself never touches files: this module reads them and hands the contents over.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ioReason } from './readText';
import { compileRefs, compileRules, Lexicon, PackedRulePack, parseLexicon, RuleFile, RulePack, RuleProblem, RuleSet } from '../engine';

/** A rule pack with the lexicon its patterns were compiled with (user rule folders compile against it). */
export type LoadedPack = (RulePack | PackedRulePack) & { lexicon: Record<string, string> };

/** The package root: the nearest folder above `from` with a package.json named casenote-audit. */
export function packageRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'casenote-audit') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the casenote-audit package root above ${from}`);
    dir = up;
  }
}

/** Every .yaml rule file below `dir` (sorted, so rule order and the version hash are stable). */
export function listRuleFiles(dir: string, maxFiles = 5000, onError?: (path: string, reason: string) => void): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string) => {
    let real: string;
    try { real = fs.realpathSync(d); } catch { return; }
    if (seen.has(real)) return; // symlink loops
    seen.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch (e) {
      // a user's rule folder may hold a subfolder this user cannot read: say so, load the rest
      if (onError) { onError(d, ioReason(e)); return; }
      throw e;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && safeIsDir(p))) walk(p);
      else if (/\.ya?ml$/i.test(e.name) && e.name !== 'lexicon.yaml' && out.length < maxFiles) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function safeIsDir(p: string): boolean {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/** A rule file is a few KB; anything over this is refused before it is read. */
export const MAX_RULE_FILE_BYTES = 1024 * 1024;

/**
 * Reads a file from a user's rule folder, which may not be trustworthy: only regular files (a
 * FIFO named rule.yaml would block the read for ever), at most MAX_RULE_FILE_BYTES, and every
 * failure a problem with the path rather than an exception.
 */
function readUserRuleFile(p: string, problems: RuleProblem[]): string | undefined {
  const fail = (reason: string) => { problems.push({ path: p, line: 1, column: 1, field: '', message: `cannot read: ${reason}` }); return undefined; };
  let st: fs.Stats;
  try { st = fs.statSync(p); } catch (e) { return fail(ioReason(e)); }
  if (!st.isFile()) return fail('not a regular file');
  if (st.size > MAX_RULE_FILE_BYTES) return fail(`${(st.size / 1048576).toFixed(1)} MB, over the ${MAX_RULE_FILE_BYTES / 1048576} MB limit for a rule file`);
  try { return fs.readFileSync(p, 'utf8'); } catch (e) { return fail(ioReason(e)); }
}

function readRuleFile(p: string, base: string): RuleFile {
  return { path: path.relative(base, p) || p, text: fs.readFileSync(p, 'utf8') };
}

/** Compiles the pack from the YAML sources in `rulesDir` (the build does this once; tests may too). */
export function compilePackFromSources(rulesDir: string, version: string): { pack: RulePack & LoadedPack; problems: RuleProblem[] } {
  const base = path.dirname(rulesDir);
  // the shared lexicon plus any category folder's own lexicon.yaml (class names are global)
  const lexFiles = [path.join(rulesDir, 'lexicon.yaml'), ...fs.readdirSync(rulesDir).sort()
    .map((d) => path.join(rulesDir, d, 'lexicon.yaml')).filter((p) => fs.existsSync(p))].map((p) => readRuleFile(p, base));
  const lexicon: Lexicon = { classes: new Map() };
  const problems: RuleProblem[] = [];
  const origin = new Map<string, string>();
  for (const f of lexFiles) {
    const r = parseLexicon(f);
    problems.push(...r.problems);
    for (const [k, v] of r.lexicon.classes) {
      if (origin.has(k)) problems.push({ path: f.path, line: 1, column: 1, field: `classes.${k}`, message: `class @${k} is already defined in ${origin.get(k)}` });
      else { origin.set(k, f.path); lexicon.classes.set(k, v); }
    }
  }
  const files = listRuleFiles(rulesDir).map((p) => readRuleFile(p, base));
  const compiled = compileRules(files, lexicon);
  problems.push(...compiled.problems);
  const hash = createHash('sha256');
  for (const f of [...lexFiles, ...files]) hash.update(f.path.replace(/\\/g, '/')).update('\0').update(f.text).update('\0');
  const pack: RulePack & LoadedPack = {
    version: `${version}+${hash.digest('hex').slice(0, 12)}`,
    rules: compiled.rules,
    refs: compileRefs(lexicon),
    lexicon: Object.fromEntries(lexicon.classes),
  };
  return { pack, problems };
}

let cached: LoadedPack | undefined;

/** The bundled rule pack: dist/rules.json when built (packed by the build), else compiled from rules/ (development). */
export function bundledPack(): LoadedPack {
  if (cached) return cached;
  const besideBundle = path.join(__dirname, 'rules.json');
  if (fs.existsSync(besideBundle)) {
    cached = JSON.parse(fs.readFileSync(besideBundle, 'utf8')) as LoadedPack;
    return cached;
  }
  const root = packageRoot();
  const built = path.join(root, 'dist', 'rules.json');
  if (fs.existsSync(built) && !process.env.CASENOTE_AUDIT_RULES_FROM_SOURCE) {
    cached = JSON.parse(fs.readFileSync(built, 'utf8')) as LoadedPack;
    return cached;
  }
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string;
  const { pack, problems } = compilePackFromSources(path.join(root, 'rules'), version);
  if (problems.length > 0) throw new Error(`the bundled rules have problems:\n${problems.map((p) => `${p.path}:${p.line}: ${p.message}`).join('\n')}`);
  cached = pack;
  return pack;
}

export interface LoadResult {
  ruleSet: RuleSet;
  problems: RuleProblem[];
}

/**
 * The bundled rules plus any user rule folders. A folder may carry its own lexicon.yaml whose
 * classes add to (or override) the bundled ones. Broken files are reported and skipped.
 */
export function loadRuleSet(extraDirs: readonly string[] = []): LoadResult {
  const pack = bundledPack();
  let ruleSet = RuleSet.fromPack(pack);
  const problems: RuleProblem[] = [];
  for (const dir of extraDirs) {
    let st: fs.Stats;
    try { st = fs.statSync(dir); } catch (e) {
      problems.push({ path: dir, line: 1, column: 1, field: '', message: `cannot read rule folder: ${(e as Error).message}` });
      continue;
    }
    if (!st.isDirectory()) {
      problems.push({ path: dir, line: 1, column: 1, field: '', message: 'not a folder' });
      continue;
    }
    const lexicon: Lexicon = { classes: new Map(Object.entries(pack.lexicon)) };
    const ownLex = path.join(dir, 'lexicon.yaml');
    if (fs.existsSync(ownLex)) {
      const text = readUserRuleFile(ownLex, problems);
      if (text !== undefined) {
        const r = parseLexicon({ path: path.relative(path.dirname(dir), ownLex) || ownLex, text });
        problems.push(...r.problems);
        for (const [k, v] of r.lexicon.classes) lexicon.classes.set(k, v);
      }
    }
    const files: RuleFile[] = [];
    const unreadable = (p: string, reason: string) => problems.push({ path: p, line: 1, column: 1, field: '', message: `cannot read rule folder: ${reason}` });
    for (const p of listRuleFiles(dir, undefined, unreadable)) {
      const text = readUserRuleFile(p, problems);
      if (text !== undefined) files.push({ path: p, text });
    }
    const compiled = compileRules(files, lexicon);
    problems.push(...compiled.problems);
    if (compiled.rules.length > 0) {
      const h = createHash('sha256');
      for (const f of files) h.update(f.path).update('\0').update(f.text);
      ruleSet = ruleSet.withRules(compiled.rules, `${ruleSet.version}.local-${h.digest('hex').slice(0, 8)}`);
    }
  }
  return { ruleSet, problems };
}
