// Rules as data: YAML rule files and the lexicon are validated against rules/schema.json
// and compiled into token patterns. Pure: callers hand in file names and contents, so the
// CLI, the language server and the build script share one loader, and a broken rule file
// is reported with its file, line and field instead of stopping the others.

import Ajv, { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, LineCounter, parseDocument, Document } from 'yaml';
import schema from '../../../rules/schema.json';
import { CompiledPattern, compilePattern, PatternError, PNode } from './pattern';
import { RefPatterns } from './roles';
import { SubjectRole } from './context';
import { ALIGNED_KINDS, CATEGORIES, FindingKind, Severity } from './types';

export interface RuleFile {
  /** Path used in messages (and whose stem must equal the rule id). */
  path: string;
  text: string;
}

export interface RuleProblem {
  path: string;
  line: number;
  column: number;
  /** The field at fault, as a dotted path ("patterns.2"), or "" for the file. */
  field: string;
  message: string;
}

export interface Guards {
  negation: boolean;
  quoted: boolean;
  attribution: boolean;
  meta: boolean;
  legal: boolean;
  riskTool: boolean;
  formLabel: boolean;
}

export interface CompiledRule {
  id: string;
  category: string;
  kind: FindingKind;
  severity: Severity;
  message: string;
  why: string;
  sources: string[];
  suggestions: string[];
  fix: 'sentence' | 'match';
  patterns: CompiledPattern[];
  requires: CompiledPattern[];
  unless: CompiledPattern[];
  unlessParagraph: CompiledPattern[];
  requiresParagraph: CompiledPattern[];
  /** paragraph: reported at most once per paragraph (paragraph-level checks). */
  scope: 'sentence' | 'paragraph';
  /** With paragraph scope: matches needed before the check is reported. */
  minMatches: number;
  /** Allowed clause subjects, or null for any. */
  subject: SubjectRole[] | null;
  context: 'any' | 'domestic-abuse';
  agent: 'any' | 'absent';
  guards: Guards;
  examples: { flag: string[]; ok: string[] };
  path?: string;
}

/** A serialisable rule pack: what `npm run build` writes to dist/rules.json. */
export interface RulePack {
  version: string;
  rules: CompiledRule[];
  refs: RefPatterns;
}

export const MAX_RULES = 2000;

const SUBJECT_PRESETS: Record<string, SubjectRole[] | null> = {
  any: null,
  survivor: ['survivor', 'person', 'unknown', 'none'],
  perpetrator: ['perpetrator', 'person', 'unknown'],
};

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  if (!validator) validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

export interface Lexicon {
  classes: Map<string, string>;
}

/** Parses the lexicon file (classes written in the pattern language). */
export function parseLexicon(file: RuleFile): { lexicon: Lexicon; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const lc = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lc, prettyErrors: false });
  const classes = new Map<string, string>();
  for (const e of doc.errors) problems.push(problemAt(file.path, lc, e.pos[0], '', e.message));
  const before = problems.length;
  const js = yamlToJs<{ classes?: Record<string, unknown> } | null>(doc, file.path, lc, problems) ?? null;
  if (problems.length > before) return { lexicon: { classes }, problems };
  if (!js || typeof js !== 'object' || !js.classes || typeof js.classes !== 'object') {
    problems.push({ path: file.path, line: 1, column: 1, field: 'classes', message: 'the lexicon needs a "classes" map' });
    return { lexicon: { classes }, problems };
  }
  for (const [k, v] of Object.entries(js.classes)) {
    if (typeof v !== 'string') {
      problems.push(nodeProblem(file.path, lc, doc, ['classes', k], `class ${k} must be a pattern string`));
      continue;
    }
    classes.set(k, v);
  }
  return { lexicon: { classes }, problems };
}

/** Compiles classes lazily with cycle and depth checks, memoising each class's node. */
function classResolver(lexicon: Lexicon): (name: string) => PNode | undefined {
  const done = new Map<string, PNode>();
  const stack: string[] = [];
  const resolve = (name: string): PNode | undefined => {
    const hit = done.get(name);
    if (hit) return hit;
    const src = lexicon.classes.get(name);
    if (src === undefined) return undefined;
    if (stack.includes(name)) throw new PatternError(`class @${name} refers to itself (${[...stack, name].join(' -> ')})`);
    if (stack.length >= 8) throw new PatternError(`classes nest too deeply (${stack.join(' -> ')})`);
    stack.push(name);
    try {
      const p = compilePattern(src, resolve);
      const node: PNode = { t: 'seq', n: [p.prefix, p.core, p.suffix] };
      done.set(name, node);
      return node;
    } finally {
      stack.pop();
    }
  };
  return resolve;
}

export function compileRefs(lexicon: Lexicon): RefPatterns {
  const resolve = classResolver(lexicon);
  const ref = (name: string) => compilePattern(`@${name}`, resolve);
  return {
    femaleRef: ref('female-ref'),
    maleRef: ref('male-ref'),
    survivorGeneric: ref('survivor-generic'),
    perpetratorGeneric: ref('perpetrator-generic'),
    childRef: ref('child-ref'),
    professionalRef: ref('professional-ref'),
  };
}

interface RawRule {
  id: string;
  category: string;
  kind?: FindingKind;
  severity: Severity;
  message: string;
  why: string;
  sources: string[];
  patterns: string[];
  subject?: string | string[];
  context?: 'any' | 'domestic-abuse';
  requires?: string[];
  unless?: string[];
  'unless-paragraph'?: string[];
  'requires-paragraph'?: string[];
  scope?: 'sentence' | 'paragraph';
  'min-matches'?: number;
  agent?: 'any' | 'absent';
  guards?: Partial<Record<'negation' | 'quoted' | 'attribution' | 'meta' | 'legal' | 'risk-tool' | 'form-label', boolean>>;
  fix?: 'sentence' | 'match';
  suggestions?: string[];
  examples: { flag: string[]; ok: string[] };
}

export interface CompileResult {
  rules: CompiledRule[];
  problems: RuleProblem[];
}

/** Validates and compiles rule files. Files with problems are left out; the rest compile. */
export function compileRules(files: RuleFile[], lexicon: Lexicon, opts: { maxRules?: number } = {}): CompileResult {
  const problems: RuleProblem[] = [];
  const rules: CompiledRule[] = [];
  const seen = new Map<string, string>();
  const resolve = classResolver(lexicon);
  const max = opts.maxRules ?? MAX_RULES;
  for (const file of files) {
    if (rules.length >= max) {
      problems.push({ path: file.path, line: 1, column: 1, field: '', message: `rule limit reached: at most ${max} rules are loaded; this file and later ones were skipped` });
      break;
    }
    const r = compileRuleFile(file, resolve, problems);
    if (!r) continue;
    const dup = seen.get(r.id);
    if (dup) {
      problems.push({ path: file.path, line: 1, column: 1, field: 'id', message: `duplicate rule id "${r.id}" (also in ${dup})` });
      continue;
    }
    seen.set(r.id, file.path);
    rules.push(r);
  }
  return { rules, problems };
}

/**
 * The document as plain data, or undefined with a problem: the yaml library throws when aliases
 * expand too far (a "billion laughs" file from an untrusted rule folder), and that must be a
 * problem in that file, not an exception that stops the CLI or the language server.
 */
function yamlToJs<T>(doc: Document, path: string, lc: LineCounter, problems: RuleProblem[]): T | undefined {
  try {
    return doc.toJS({ maxAliasCount: 50 }) as T;
  } catch (e) {
    problems.push(problemAt(path, lc, 0, '', `YAML: ${String((e as Error).message ?? e).split('\n')[0]}`));
    return undefined;
  }
}

function compileRuleFile(file: RuleFile, resolve: (n: string) => PNode | undefined, problems: RuleProblem[]): CompiledRule | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.push(problemAt(file.path, lc, e.pos[0], '', `YAML: ${e.message.split('\n')[0]}`));
    return undefined;
  }
  const data = yamlToJs<RawRule>(doc, file.path, lc, problems);
  if (data === undefined) return undefined;
  const errs = validate(data);
  if (errs.length > 0) {
    for (const e of dedupeErrors(errs)) problems.push(schemaProblem(file.path, lc, doc, e));
    return undefined;
  }
  const before = problems.length;
  const stem = file.path.replace(/\\/g, '/').split('/').pop()!.replace(/\.ya?ml$/i, '');
  if (stem !== data.id) problems.push(nodeProblem(file.path, lc, doc, ['id'], `id "${data.id}" must equal the file name "${stem}"`));
  const kind: FindingKind = data.kind ?? 'concern';
  const isConcernCat = (CATEGORIES as readonly string[]).includes(data.category);
  const isAlignedCat = (ALIGNED_KINDS as readonly string[]).includes(data.category);
  if (kind === 'concern' && !isConcernCat) problems.push(nodeProblem(file.path, lc, doc, ['category'], `"${data.category}" is an aligned-language kind; concern rules need one of the 16 categories`));
  if (kind === 'aligned' && !isAlignedCat) problems.push(nodeProblem(file.path, lc, doc, ['category'], `aligned rules need an aligned-language kind (${ALIGNED_KINDS.join(', ')})`));
  if (kind === 'concern' && (!data.suggestions || data.suggestions.length === 0)) problems.push(nodeProblem(file.path, lc, doc, ['suggestions'], 'concern rules need at least one suggestion'));
  const compileList = (key: 'patterns' | 'requires' | 'unless' | 'unless-paragraph' | 'requires-paragraph'): CompiledPattern[] => {
    const list = data[key] ?? [];
    const out: CompiledPattern[] = [];
    list.forEach((src, i) => {
      try {
        out.push(compilePattern(src, resolve));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const col = e instanceof PatternError && e.column ? ` (column ${e.column} of the pattern)` : '';
        problems.push(nodeProblem(file.path, lc, doc, [key, i], `pattern error: ${msg}${col}`));
      }
    });
    return out;
  };
  const patterns = compileList('patterns');
  const requires = compileList('requires');
  const unless = compileList('unless');
  const unlessParagraph = compileList('unless-paragraph');
  const requiresParagraph = compileList('requires-paragraph');
  if (problems.length > before) return undefined;
  const subject = data.subject === undefined ? null : Array.isArray(data.subject) ? (data.subject as SubjectRole[]) : SUBJECT_PRESETS[data.subject];
  const g = data.guards ?? {};
  return {
    id: data.id,
    category: data.category,
    kind,
    severity: data.severity,
    message: data.message.trim(),
    why: data.why.trim(),
    sources: data.sources,
    suggestions: (data.suggestions ?? []).map((s) => s.trim()),
    fix: data.fix ?? 'sentence',
    patterns,
    requires,
    unless,
    unlessParagraph,
    requiresParagraph,
    scope: data.scope ?? 'sentence',
    minMatches: data['min-matches'] ?? 1,
    subject,
    context: data.context ?? 'any',
    agent: data.agent ?? 'any',
    guards: {
      negation: g.negation ?? true,
      quoted: g.quoted ?? true,
      attribution: g.attribution ?? true,
      meta: g.meta ?? true,
      legal: g.legal ?? true,
      riskTool: g['risk-tool'] ?? true,
      formLabel: g['form-label'] ?? true,
    },
    examples: data.examples,
    path: file.path,
  };
}

function dedupeErrors(errs: ErrorObject[]): ErrorObject[] {
  // oneOf failures repeat one problem per branch; keep the most specific per path
  const byPath = new Map<string, ErrorObject>();
  for (const e of errs) {
    const key = e.instancePath + '|' + (e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : '');
    if (!byPath.has(key) || e.keyword === 'enum') byPath.set(key, e);
  }
  return [...byPath.values()];
}

function schemaProblem(path: string, lc: LineCounter, doc: Document, e: ErrorObject): RuleProblem {
  const segs = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  let message = e.message ?? 'invalid';
  if (e.keyword === 'additionalProperties') {
    const prop = (e.params as { additionalProperty: string }).additionalProperty;
    return nodeProblem(path, lc, doc, [...segs, prop], `unknown field "${prop}"`, true);
  }
  if (e.keyword === 'required') {
    const prop = (e.params as { missingProperty: string }).missingProperty;
    return nodeProblem(path, lc, doc, segs, `missing required field "${prop}"`, false, segs.length === 0 ? prop : undefined);
  }
  if (e.keyword === 'enum') message += `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return nodeProblem(path, lc, doc, segs, message);
}

function nodeProblem(path: string, lc: LineCounter, doc: Document, segs: Array<string | number>, message: string, keyNode = false, fieldName?: string): RuleProblem {
  let offset = 0;
  if (keyNode && segs.length > 0) {
    const parent = segs.length > 1 ? doc.getIn(segs.slice(0, -1), true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segs[segs.length - 1]);
      const k = pair?.key as { range?: [number, number, number] } | undefined;
      if (k?.range) offset = k.range[0];
    }
  } else {
    const node = (segs.length === 0 ? doc.contents : doc.getIn(segs, true)) as { range?: [number, number, number] } | null;
    if (node?.range) offset = node.range[0];
    else if (segs.length > 0) {
      // the field is absent: point at its parent
      const parent = (segs.length > 1 ? doc.getIn(segs.slice(0, -1), true) : doc.contents) as { range?: [number, number, number] } | null;
      if (parent?.range) offset = parent.range[0];
    }
  }
  return problemAt(path, lc, offset, fieldName ?? segs.join('.'), message);
}

function problemAt(path: string, lc: LineCounter, offset: number, field: string, message: string): RuleProblem {
  const pos = lc.linePos(offset);
  return { path, line: pos.line, column: pos.col, field, message };
}

/** Formats a problem as "path:line:column: field: message". */
export function formatProblem(p: RuleProblem): string {
  return `${p.path}:${p.line}:${p.column}: ${p.field ? p.field + ': ' : ''}${p.message}`;
}
