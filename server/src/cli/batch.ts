// The batch commands (audit, compare, merge), bundled apart from the CLI's entry
// (dist/cli-batch.js, scripts/build.mjs): they bring the readers of Word, HTML and CSV exports,
// the worker pool and the report writers, which `check` does not need. Loading and compiling
// them was about 17 ms CPU of every `check` of a short note.
import { AUDIT_EXTENSIONS } from '../audit/readers';
import { expandPaths, withExtensions } from '../host/files';
import { listOption, OptionSpec, parseArgs } from './args';
import { AUDIT_OPTION_SPEC, runAuditCli } from './audit';
import { COMPARE_OPTION_SPEC, runCompareCli } from './compare';
import { commandHeap, runIsolated, serveCommand } from './isolated';
import { Output } from './output';

export { runAuditCli, runCompareCli };
export { runMergeCli } from './merge';

const RUNNERS = { audit: runAuditCli, compare: runCompareCli };
const SPECS: Record<keyof typeof RUNNERS, Record<string, OptionSpec>> = { audit: AUDIT_OPTION_SPEC, compare: COMPARE_OPTION_SPEC };

/** How many files the command will read, to size its thread's heap (0 when its arguments are bad: it will say so itself). */
export function inputFiles(command: keyof typeof RUNNERS, argv: string[]): number {
  try {
    const args = parseArgs(argv, SPECS[command]);
    const exts = withExtensions(Object.keys(AUDIT_EXTENSIONS), listOption(args.options, 'ext'));
    return expandPaths(args.positional, exts).files.length;
  } catch {
    return 0;
  }
}

/**
 * `audit` or `compare` as the command line runs them: writing to this process's terminal, in a
 * worker thread with a capped heap (isolated.ts); writing to another Output (tests), here.
 */
export function runBatchCommand(command: keyof typeof RUNNERS, argv: string[], out: Output): Promise<number> {
  if (!out.isProcess) return RUNNERS[command](argv, out);
  return runIsolated(command, argv, out, RUNNERS[command], __filename, commandHeap(argv, inputFiles(command, argv)));
}

// this file is also the script of the worker thread that `audit` and `compare` run in
serveCommand(RUNNERS);
