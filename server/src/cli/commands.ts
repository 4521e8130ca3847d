// The CLI's commands. Each takes its own arguments and an Output, and returns the exit code.
import { runAuditCli } from './audit';
import { runCheck } from './check';
import { runCompareCli } from './compare';
import { runMergeCli } from './merge';
import { runRules } from './rules';
import { Output } from './output';

export interface Command {
  summary: string;
  run(argv: string[], out: Output): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  check: { summary: 'check notes and print findings (text or JSON)', run: runCheck },
  rules: { summary: 'list the rules, or explain one: casenote-audit rules [RULE-ID]', run: runRules },
  audit: { summary: 'audit folders of exported case files: rates by category, author, team, month', run: runAuditCli },
  compare: { summary: 'language-change summary between a baseline and a follow-up audit', run: runCompareCli },
  merge: { summary: 'combine audits of shards into one audit (exact sums)', run: runMergeCli },
};
