// Public types of the engine. Everything here is plain data: it crosses the LSP boundary
// (diagnostic `data`), the worker-thread boundary (batch audit) and the CLI's JSON output.

export const CATEGORIES = [
  'failure-to-protect',
  'mutualising-couple-language',
  'agentless-passive-voice',
  'minimising-euphemism',
  'incident-not-pattern',
  'exposure-witness-framing',
  'survivor-choice-framing',
  'survivor-responsibilisation',
  'victim-centred-intervention',
  'survivor-pathologising',
  'relationship-history-blame',
  'survivor-noncompliance-labels',
  'perpetrator-as-good-parent',
  'provocation-justification',
  'separation-as-safety',
  'perpetrator-invisibility',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const ALIGNED_KINDS = [
  'perpetrator-agency',
  'coercive-control-pattern',
  'protective-efforts',
  'child-impact',
  'perpetrator-accountability',
  'parenting-choice',
  'partnering',
  'post-separation-risk',
  'intersections',
] as const;
export type AlignedKind = (typeof ALIGNED_KINDS)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];
export type FindingKind = 'concern' | 'aligned';

/** Why a finding was downgraded (it is still reported, at hint level). */
export type Downgrade = 'quoted-speech' | 'attributed-speech';

export interface Finding {
  ruleId: string;
  category: string;
  kind: FindingKind;
  severity: Severity;
  /** The rule's own severity before context downgrades and overrides. */
  ruleSeverity: Severity;
  /** 0-based UTF-16 offsets into the analysed text, [start, end). */
  start: number;
  end: number;
  /** The matched text. */
  text: string;
  message: string;
  /** Suggested rewrites with placeholders filled from the note; [..] slots are left for the writer. */
  suggestions: string[];
  /** The range a suggestion replaces (the sentence or the match). */
  fixStart: number;
  fixEnd: number;
  downgraded?: Downgrade;
}

/** A finding the guards removed; kept only when `explain` is set, to show why a rule did not fire. */
export interface Suppressed {
  ruleId: string;
  category: string;
  start: number;
  end: number;
  text: string;
  reason: SuppressReason;
}

export type SuppressReason =
  | 'negation'
  | 'subject'
  | 'meta-language'
  | 'legal-citation'
  | 'risk-tool-output'
  | 'form-label'
  | 'no-abuse-context'
  | 'unless'
  | 'requires'
  | 'agent-named'
  | 'quoted-speech'
  | 'attributed-speech'
  | 'overlap';

export type QuotedSpeechMode = 'hint' | 'ignore' | 'report';

export interface AnalyzeOptions {
  /** How text in quotation marks or attributed speech is treated: downgraded to hint (default), ignored, or reported as if the writer's own. */
  quotedSpeech?: QuotedSpeechMode;
  /** Only rules of these categories / kinds run (all when absent). */
  categories?: readonly string[];
  /** Rules switched off by id. */
  disabledRules?: readonly string[];
  /** Per-rule severity overrides. */
  severityOverrides?: Readonly<Record<string, Severity>>;
  /** Include aligned-language indicators (default true). */
  aligned?: boolean;
  /** Spelling of suggestions. */
  dialect?: 'uk' | 'us';
  /** Keep suppressed matches with their reasons (for rule authors and the eval). */
  explain?: boolean;
  /**
   * Leave each finding's message and suggestions as its rule's templates, with {perpetrator},
   * {survivor} and {child} unfilled (default false). For callers that show few of the findings
   * they count, such as the batch audit: filling them was 1.5% of its analysis.
   * `fillPlaceholders` fills one.
   */
  templates?: boolean;
}

export interface AnalysisResult {
  findings: Finding[];
  suppressed: Suppressed[];
  roles: import('./roles').Roles;
  words: number;
}
