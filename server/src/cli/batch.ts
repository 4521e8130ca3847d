// The batch commands (audit, compare, merge), bundled apart from the CLI's entry
// (dist/cli-batch.js, scripts/build.mjs): they bring the readers of Word, HTML and CSV exports,
// the worker pool and the report writers, which `check` does not need. Loading and compiling
// them was about 17 ms CPU of every `check` of a short note.
import { runAuditCli } from './audit';
import { runCompareCli } from './compare';
import { runIsolated, serveCommand } from './isolated';
import { Output } from './output';

export { runAuditCli, runCompareCli };
export { runMergeCli } from './merge';

const RUNNERS = { audit: runAuditCli, compare: runCompareCli };

/**
 * `audit` or `compare` as the command line runs them: writing to this process's terminal, in a
 * worker thread with a capped heap (isolated.ts); writing to another Output (tests), here.
 */
export function runBatchCommand(command: keyof typeof RUNNERS, argv: string[], out: Output): Promise<number> {
  return out.isProcess ? runIsolated(command, argv, out, RUNNERS[command], __filename) : RUNNERS[command](argv, out);
}

// this file is also the script of the worker thread that `audit` and `compare` run in
serveCommand(RUNNERS);
