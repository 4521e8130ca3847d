// The engine's public surface. Pure TypeScript: no vscode, no LSP, no file system.
export { Analyzer, AnalysisSession, fillPlaceholders } from './analyze';
export { RuleSet } from './ruleSetIndex';
export { compileRules, compileRefs, parseLexicon, formatProblem, MAX_RULES } from './ruleset';
export type { CompiledRule, RuleFile, RuleProblem, RulePack, Lexicon } from './ruleset';
export { isPacked, packRules } from './packFormat';
export type { PackedRulePack } from './packFormat';
export { detectRoles, placeholderValue } from './roles';
export type { Roles, Person } from './roles';
export { splitBlocks, splitSentences, countWords, LineIndex, lineAt } from './text';
export * from './types';
