// The batch commands (audit, compare, merge), bundled apart from the CLI's entry
// (dist/cli-batch.js, scripts/build.mjs): they bring the readers of Word, HTML and CSV exports,
// the worker pool and the report writers, which `check` does not need. Loading and compiling
// them was about 17 ms CPU of every `check` of a short note.
export { runAuditCli } from './audit';
export { runCompareCli } from './compare';
export { runMergeCli } from './merge';
