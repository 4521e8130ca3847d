// `audit` and `compare` run in a worker thread of their own, with a capped heap, while the main
// thread only relays the terminal. The command's thread reads the files, splits them into
// entries and aggregates what the analysis workers send back; in the main thread its heap
// could not be capped once the process had started, and V8 let it grow far past what it held:
// on 10,000 generated cases with two analysis workers the process peaked at 290-297 MB in most
// runs and at 332-345 MB in about one in three, the main thread's heap reaching 150-166 MB for
// 30-50 MB live. Run with a 128 MB cap on its old generation, the same audit peaked at 258-265
// MB in every run (docs/performance.md, "Peak memory: the command in a thread of its own").

import { isMainThread, parentPort, ResourceLimits, Worker, workerData } from 'node:worker_threads';
import { Output } from './output';

/**
 * The command thread's heap for up to about 13,000 input files. Its live data is the report's
 * tables: measured after a collection at the end of an audit, 17 MB for 150 generated cases and
 * 33 MB for 10,000 (1.6 kB per file; 2.8 kB with `--by case` as well), which the report then
 * copies into its rows.
 */
export const COMMAND_HEAP: ResourceLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
/** Old generation per input file beyond COMMAND_HEAP's share: twice the most measured, for the report's copy. */
const KB_PER_FILE = 6;

/**
 * The heap for these arguments and this many input files. The cap grows with the files, so a
 * large archive is not run out of its heap and audited twice. A table by entry (`--by entry`)
 * holds a row for every entry read (2,400 generated cases, 52,000 entries, already outgrew
 * 128 MB), so then the old generation is not capped at all.
 */
export function commandHeap(argv: readonly string[], files: number): ResourceLimits {
  const by = argv.flatMap((a, i) => (a === '--by' ? [argv[i + 1] ?? ''] : a.startsWith('--by=') ? [a.slice(5)] : []));
  const perEntry = by.some((v) => v.split(',').map((d) => d.trim()).includes('entry'));
  if (perEntry) return { maxYoungGenerationSizeMb: COMMAND_HEAP.maxYoungGenerationSizeMb };
  const forFiles = 48 + Math.ceil((files * KB_PER_FILE) / 1024);
  return { ...COMMAND_HEAP, maxOldGenerationSizeMb: Math.max(COMMAND_HEAP.maxOldGenerationSizeMb!, forFiles) };
}

type Runner = (argv: string[], out: Output) => Promise<number>;

interface CommandData {
  casenoteCommand: string;
  argv: string[];
  /** The terminal the main thread writes to: a worker's own streams are pipes to it. */
  stdout: { isTTY: boolean; columns?: number };
  stderr: { isTTY: boolean; columns?: number };
}

/**
 * Runs a batch command in a worker thread of `script`, a module that calls `serveCommand`
 * (dist/cli-batch.js in the bundle), and resolves with its exit code. Ctrl-C is passed on to
 * the command, which cancels the audit as it would in the main thread; a second Ctrl-C ends the
 * process at once. If the command runs out of its heap, it runs again here, without the cap,
 * and says so.
 */
export function runIsolated(command: string, argv: string[], out: Output, run: Runner, script: string, limits: ResourceLimits): Promise<number> {
  const term = (s: NodeJS.WriteStream) => ({ isTTY: s.isTTY === true, columns: s.columns });
  const data: CommandData = { casenoteCommand: command, argv, stdout: term(process.stdout), stderr: term(process.stderr) };
  return new Promise<number>((resolve, reject) => {
    const w = new Worker(script, { workerData: data, resourceLimits: limits });
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      w.postMessage('interrupt');
    };
    process.on('SIGINT', onSigint);
    let failed = false;
    const settle = () => process.removeListener('SIGINT', onSigint);
    w.on('error', (e: Error & { code?: string }) => {
      failed = true;
      settle();
      if (e.code !== 'ERR_WORKER_OUT_OF_MEMORY') { reject(e); return; }
      out.stderr(`casenote-audit: note: the ${command} needed more than ${limits.maxOldGenerationSizeMb} MB for its tables; it runs again without that bound\n`);
      run(argv, out).then(resolve, reject);
    });
    // the thread's exit code is the command's (after an error comes its exit, which is then not the answer)
    w.on('exit', (exitCode) => { if (failed) return; settle(); resolve(exitCode); });
  });
}

/** In the command's worker thread: run it with the parent's terminal; its exit code becomes the thread's. */
export function serveCommand(commands: Record<string, Runner>): void {
  if (isMainThread || !workerData?.casenoteCommand) return;
  const data = workerData as CommandData;
  // the progress bar and colours ask the streams whether they are a terminal, and how wide
  Object.assign(process.stdout, data.stdout);
  Object.assign(process.stderr, data.stderr);
  // the main thread passes Ctrl-C on; the audit listens for SIGINT as it does in a main thread
  parentPort!.on('message', (m) => { if (m === 'interrupt') process.emit('SIGINT'); });
  parentPort!.unref();
  // a command that throws ends the thread with that error, which the main thread reports
  void commands[data.casenoteCommand](data.argv, Output.forProcess()).then((code) => { process.exitCode = code; });
}
