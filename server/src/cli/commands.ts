// The CLI's commands. Each takes its own arguments and an Output, and returns the exit code.
import type * as Batch from './batch';
import { runCheck } from './check';
import { runRules } from './rules';
import { Output } from './output';

export interface Command {
  summary: string;
  run(argv: string[], out: Output): Promise<number>;
}

/**
 * The batch commands, loaded on first use: in the bundle `./batch` is the separate
 * dist/cli-batch.js (scripts/build.mjs), so a `check` never reads or compiles them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const batch = (): typeof Batch => require('./batch');

export const COMMANDS: Record<string, Command> = {
  check: { summary: 'check notes and print findings (text or JSON)', run: runCheck },
  rules: { summary: 'list the rules, or explain one: casenote-audit rules [RULE-ID]', run: runRules },
  // in a worker thread with a capped heap (isolated.ts says why)
  audit: { summary: 'audit folders of exported case files: rates by category, author, team, month', run: (argv, out) => batch().runBatchCommand('audit', argv, out) },
  compare: { summary: 'language-change summary between a baseline and a follow-up audit', run: (argv, out) => batch().runBatchCommand('compare', argv, out) },
  merge: { summary: 'combine audits of shards into one audit (exact sums)', run: (argv, out) => batch().runMergeCli(argv, out) },
};
