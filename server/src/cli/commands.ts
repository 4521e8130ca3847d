// The CLI's commands. Each takes its own arguments and an Output, and returns the exit code.
import { runCheck } from './check';
import { runRules } from './rules';
import { Output } from './output';

export interface Command {
  summary: string;
  run(argv: string[], out: Output): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  check: { summary: 'check notes and print findings (text or JSON)', run: runCheck },
  rules: { summary: 'list the rules, or explain one: casenote-audit rules [RULE-ID]', run: runRules },
};
