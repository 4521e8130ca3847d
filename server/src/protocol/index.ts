// The wire contract between the VS Code client and the language server: configuration keys,
// command ids, custom request names and the payload carried in Diagnostic.data.
// Types and constants only (plus one pure sanitiser): the client bundles this file and must
// never pull the engine or the server in with it.

/** The diagnostic `source` and the settings section. */
export const SOURCE = 'casenote-audit';
export const CONFIG_SECTION = 'caseNoteAudit';
/** Language id of exported chronologies and `.casenote` files. */
export const CASENOTE_LANGUAGE = 'casenote';
export const DEFAULT_LANGUAGES: readonly string[] = ['plaintext', 'markdown', CASENOTE_LANGUAGE];

/** Where dismissals are recorded, relative to the workspace folder (never inside the note). */
export const DISMISSALS_FILE = '.casenote-audit/dismissals.json';

export type QuotedSpeech = 'hint' | 'ignore' | 'report';
export type RuleLevel = 'off' | 'error' | 'warning' | 'information' | 'hint';
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'information', 'hint'];

/** The `caseNoteAudit.*` settings after cleaning (see sanitizeSettings). */
export interface Settings {
  /** Categories switched on or off by id; a category not listed is on. */
  categories: Record<string, boolean>;
  /** Per-rule level: off, or a severity that replaces the rule's own. */
  rules: Record<string, RuleLevel>;
  /** Extra folders of YAML rules (absolute, or relative to the workspace folder). */
  ruleFolders: string[];
  quotedSpeech: QuotedSpeech;
  /** Language ids that are checked. */
  languages: string[];
  /** Glob patterns (relative to the workspace folder) of files that are checked. */
  include: string[];
  /** Glob patterns of files never checked. */
  exclude: string[];
  /** Spelling used in suggestions. */
  dialect: 'uk' | 'us';
  /** Show aligned-language indicators (good practice) as hints. */
  showAligned: boolean;
  /** Most findings shown as problems per note; 0 = no limit. */
  maxProblems: number;
  /**
   * Not a setting: the VS Code client adds the user-scope value of ruleFolders, so a server
   * in an untrusted workspace can keep the user's own folders and drop the workspace's.
   * Absent from other clients: then no rule folder is loaded while untrusted.
   */
  userRuleFolders?: string[];
}

/**
 * A 10 MB export can hold 15,000 findings; sending them as one diagnostics message blocked the
 * server for about half a second (serialising ~15 MB of JSON) and nobody reads 15,000 problems
 * in an editor. Past the limit the note gets one diagnostic that says so; the batch audit
 * counts everything.
 */
export const DEFAULT_MAX_PROBLEMS = 1000;

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  categories: {},
  rules: {},
  ruleFolders: [],
  quotedSpeech: 'hint',
  languages: [...DEFAULT_LANGUAGES],
  include: ['**/*'],
  exclude: [],
  dialect: 'uk',
  showAligned: false,
  maxProblems: DEFAULT_MAX_PROBLEMS,
});

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : undefined;

/** Cleans whatever workspace/configuration returned: wrong types fall back to the defaults. */
export function sanitizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const rules: Record<string, RuleLevel> = {};
  if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
    for (const [id, level] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) rules[id] = level as RuleLevel;
      else if (level === false) rules[id] = 'off';
    }
  }
  const categories: Record<string, boolean> = {};
  if (r.categories && typeof r.categories === 'object' && !Array.isArray(r.categories)) {
    for (const [id, on] of Object.entries(r.categories as Record<string, unknown>)) if (typeof on === 'boolean') categories[id] = on;
  }
  const files = (r.files && typeof r.files === 'object' ? r.files : {}) as Record<string, unknown>;
  return {
    categories,
    rules,
    ruleFolders: strings(r.ruleFolders) ?? [],
    quotedSpeech: r.quotedSpeech === 'ignore' || r.quotedSpeech === 'report' ? r.quotedSpeech : 'hint',
    languages: strings(r.languages) ?? [...DEFAULT_LANGUAGES],
    include: strings(files.include) ?? ['**/*'],
    exclude: strings(files.exclude) ?? [],
    dialect: r.dialect === 'us' ? 'us' : 'uk',
    showAligned: r.showAligned === true,
    maxProblems: typeof r.maxProblems === 'number' && Number.isFinite(r.maxProblems) && r.maxProblems >= 0 ? Math.floor(r.maxProblems) : DEFAULT_MAX_PROBLEMS,
    ...(strings(r.userRuleFolders) ? { userRuleFolders: strings(r.userRuleFolders) } : {}),
  };
}

/** A position/range in LSP terms (0-based line, UTF-16 character), kept structural so the client needs no LSP types. */
export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/**
 * Diagnostic.data: everything the code actions need, so the server keeps no map of edits.
 * Suggestions already have the note's names filled in; `[..]` slots are left for the writer.
 */
export interface FindingData {
  ruleId: string;
  category: string;
  kind: 'concern' | 'aligned';
  /** The matched text, used to check that a quick fix still applies to the current document. */
  text: string;
  suggestions: string[];
  /** The range a suggestion replaces (the sentence or the match). */
  fixRange: WireRange;
  /** Location-independent id of this finding: rule, matched text and its context (see lsp/fingerprint.ts). */
  fingerprint: string;
  downgraded?: string;
}

/** Client-side commands (offered by code actions, the status bar and the walkthrough). */
export const Commands = {
  explain: 'caseNoteAudit.explain',
  dismiss: 'caseNoteAudit.dismiss',
  disableRule: 'caseNoteAudit.disableRule',
  openSample: 'caseNoteAudit.openSample',
  showProblems: 'caseNoteAudit.showProblems',
  showOutput: 'caseNoteAudit.showOutput',
  restartServer: 'caseNoteAudit.restartServer',
} as const;

/** Arguments of the explain / dismiss / disableRule commands. */
export interface FindingCommandArgs {
  uri: string;
  data: FindingData;
}

/** Custom requests and notifications (`caseNoteAudit/<verb>`). */
export const Methods = {
  /** Request ExplainParams -> ExplainResult. */
  explain: 'caseNoteAudit/explain',
  /** Request DismissParams -> DismissResult. */
  dismiss: 'caseNoteAudit/dismiss',
  /** Notification VisibleRangesParams: the server analyses these regions of a large note first. */
  visibleRanges: 'caseNoteAudit/visibleRanges',
  /** Notification AnalysisDoneParams from the server after each completed analysis (status and tests). */
  analysisDone: 'caseNoteAudit/analysisDone',
  /** Notification WorkspaceTrustParams from the client when the user trusts the workspace. */
  workspaceTrust: 'caseNoteAudit/workspaceTrust',
  /** Request (no params) -> ServerProcessResult: which process serves (the crash-recovery test kills it). */
  serverProcess: 'caseNoteAudit/serverProcess',
  /** Notification OpenPartParams from the client: one piece of a large note, sent before its didOpen (openInParts). */
  openPart: 'caseNoteAudit/openPart',
} as const;

/**
 * A note of at least this many characters is opened in parts: its text goes in OPEN_PART_CHARS
 * pieces (Methods.openPart), then a standard didOpen with empty text, which the server fills
 * from the parts. One 10 MB didOpen was a message the server read and parsed in one step
 * (60-140 ms in which it answered nothing); parts are read one at a time, other messages between.
 */
export const OPEN_IN_PARTS_FROM = 1 << 20;
export const OPEN_PART_CHARS = 1 << 19;

export interface OpenPartParams {
  uri: string;
  /** The version the didOpen that follows will carry. */
  version: number;
  /** 0-based index of this part, and how many parts there are. */
  part: number;
  parts: number;
  text: string;
}

/** The openPart notifications for a note, or undefined if it is small enough for a plain didOpen. */
export function openInParts(uri: string, version: number, text: string): OpenPartParams[] | undefined {
  if (text.length < OPEN_IN_PARTS_FROM) return undefined;
  const cuts = [0];
  for (let at = OPEN_PART_CHARS; at < text.length; at += OPEN_PART_CHARS) {
    // never between the two halves of a surrogate pair: each part must be well-formed text
    const c = text.charCodeAt(at - 1);
    cuts.push(c >= 0xd800 && c <= 0xdbff ? at + 1 : at);
  }
  cuts.push(text.length);
  const parts = cuts.length - 1;
  return cuts.slice(0, -1).map((from, part) => ({ uri, version, part, parts, text: text.slice(from, cuts[part + 1]) }));
}

/** initialize's initializationOptions from the VS Code client. */
export interface InitializationOptions {
  /** false in an untrusted (restricted mode) workspace: rule folders from its settings are not loaded. Absent means trusted. */
  workspaceTrusted?: boolean;
}

export interface WorkspaceTrustParams {
  trusted: boolean;
}

export interface ServerProcessResult {
  pid: number;
}

/** Diagnostic code of the one diagnostic a note gets when its analysis failed. */
export const ANALYSIS_FAILED = 'analysis-failed';
/** Code of the one diagnostic that says a note has more findings than caseNoteAudit.maxProblems. */
export const TOO_MANY_FINDINGS = 'too-many-findings';

export interface ExplainParams {
  uri: string;
  ruleId: string;
  /** The finding's own (filled) suggestions, when explaining a particular finding. */
  suggestions?: string[];
  /** The matched text, quoted in the explanation. */
  text?: string;
}

export interface ExplainResult {
  title: string;
  markdown: string;
}

export interface DismissParams {
  uri: string;
  ruleId: string;
  fingerprint: string;
  reason: string;
}

export interface DismissResult {
  /** Absolute path of the sidecar file written. */
  file: string;
  /** Number of dismissals now recorded there. */
  count: number;
}

export interface VisibleRangesParams {
  uri: string;
  ranges: WireRange[];
}

export interface AnalysisDoneParams {
  uri: string;
  version: number;
  counts: { error: number; warning: number; information: number; hint: number };
  /** Milliseconds from start to end of the run, and the longest synchronous slice (wall clock and CPU time). */
  elapsedMs: number;
  maxSliceMs: number;
  maxSliceCpuMs: number;
  blocks: number;
  /** Blocks analysed in this run rather than answered from the paragraph memo, and how many slices the run took. */
  analysedBlocks: number;
  slices: number;
  /** Set when the analysis failed: why (the note then carries one ANALYSIS_FAILED diagnostic). */
  failed?: string;
}
