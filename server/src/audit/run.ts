// Running an audit: expand the paths, read the files one after another (streaming), send the
// entries in batches to the analysis pool, and aggregate the results in submission order.
// At most a few batches per worker are in flight, which is what keeps memory flat; a file that
// cannot be read is recorded with its reason and the others carry on.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalyzeOptions, RuleSet } from '../engine';
import { expandPaths, withExtensions } from '../host/files';
import { InputError } from '../host/readText';
import { AuditAccumulator, UnitMeta } from './aggregate';
import { AnalyzerConfig, packOf, UnitResult, WorkUnit } from './analyzeUnits';
import { ColumnRole } from './csv';
import { DateOrder } from './dates';
import { RawEntry } from './entries';
import { InProcessPool, Pool, WorkerPool, workerScript } from './pool';
import { AUDIT_EXTENSIONS, readInput } from './readers';
import { SarifCollector } from './sarif';
import { AuditReport, DEFAULT_DIMENSIONS, Dimension, InputError as ReportError, InputRecord } from './schema';

export interface AuditProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  entries: number;
  /** The file being read. */
  current?: string;
}

export interface RunOptions {
  paths: string[];
  ruleSet: RuleSet;
  toolVersion: string;
  analyze?: AnalyzeOptions;
  by?: readonly Dimension[];
  includeExcerpts?: boolean;
  /** Salt for author pseudonyms; random (and unrecorded) when absent. */
  auditId?: string;
  label?: string;
  /** Threads analysing entries (see threadsFor): default one per core but one; 1 on an input under 1 MB runs in this thread. */
  jobs?: number;
  /** The worker script (default: dist/audit-worker.js beside the bundle, or worker.js beside this module). */
  workerScript?: string;
  /** Extra extensions to read from folders. */
  extensions?: string[];
  maxBytes?: number;
  maxEntryChars?: number;
  dateOrder?: DateOrder;
  columns?: Partial<Record<ColumnRole, string>>;
  delimiter?: string;
  /** Split one set of inputs into two audits at this date (YYYY-MM-DD): entries before it, and on or after it. */
  splitBefore?: string;
  /** Labels of the two audits when splitting. */
  splitLabels?: [string, string];
  sarif?: SarifCollector;
  signal?: AbortSignal;
  /**
   * Read files with blocking calls (the command line, which has nothing else to do meanwhile;
   * decode.ts says why). The language server leaves this off: its thread must stay free for
   * diagnostics while a file on a slow share is read.
   */
  blockingReads?: boolean;
  onProgress?: (p: AuditProgress) => void;
  /** Paths in reports are shown relative to this folder when inside it (default: the working folder). */
  cwd?: string;
  now?: Date;
}

export interface RunResult {
  reports: AuditReport[];
  /** Things worth saying that are not input problems (e.g. a worker thread failed and its entries were re-analysed here). */
  notes: string[];
  /** Entries left out of a split audit because they have no date. */
  undatedSkipped: number;
  jobs: number;
}

export class AuditCancelled extends Error {
  constructor() { super('audit cancelled'); }
}

/**
 * Below this much input a one-thread audit runs in this thread: starting a worker (a thread,
 * its own copy of the rule pack and warm-up) costs more than the overlap of reading and
 * analysing saves, and a small input cannot grow this thread's heap much.
 */
export const SMALL_INPUT_BYTES = 1024 * 1024;
const BATCH_CHARS = 48 * 1024;
const BATCH_UNITS = 64;
/** With blocking reads, the longest the loop over the files runs without an event-loop turn. */
const TURN_MS = 50;

/**
 * How many worker threads analyse the entries; 0 means this thread. `jobs` (--jobs) is the
 * number of threads analysing; for inputs of 1 MB or more the default is one per core but one,
 * as this thread needs about a third of a core of its own to read, split and aggregate for one
 * worker: on 2 cores two workers audited 10,000 generated cases no faster than one (0.9-1.1x of
 * its wall time), with a fifth more CPU and 20-30 MB more peak memory. Even one thread
 * is a worker, not this one, once the input is not small: a worker's heap is capped
 * (workerHeap in pool.ts) whereas this thread's cannot be once started, so an in-thread audit
 * of 10,000 cases peaked at 330-343 MB RSS; and this thread then reads, decodes and aggregates
 * while the worker analyses.
 */
export function threadsFor(jobs: number | undefined, bytesTotal: number, cores: number): number {
  const small = bytesTotal < SMALL_INPUT_BYTES;
  const n = jobs ?? (small ? 1 : Math.max(1, cores - 1));
  return n === 1 && small ? 0 : n;
}

export function displayPath(p: string, cwd: string): string {
  const abs = path.resolve(p);
  const rel = path.relative(cwd, abs);
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : abs;
}

export async function runAudit(o: RunOptions): Promise<RunResult> {
  const cwd = o.cwd ?? process.cwd();
  const by = o.by ?? DEFAULT_DIMENSIONS;
  const includeExcerpts = o.includeExcerpts ?? false;
  const exts = withExtensions(Object.keys(AUDIT_EXTENSIONS), o.extensions ?? []);
  const expanded = expandPaths(o.paths, exts);
  const errors: ReportError[] = expanded.errors.map((e) => ({ path: displayPath(e.path, cwd), message: e.message }));
  const files = expanded.files;
  let bytesTotal = 0;
  // sizes as listed, for progress: read again by each reader, which is what decides
  const sizes = files.map((f) => { try { return fs.statSync(f).size; } catch { return 0; /* reported when read */ } });
  for (const n of sizes) bytesTotal += n;

  const salt = o.auditId ?? randomBytes(32).toString('hex');
  const rs = o.ruleSet;
  const analyze = { quotedSpeech: 'hint' as const, ...(o.analyze ?? {}) };
  const accOpts = {
    by, includeExcerpts, salt, randomSalt: o.auditId === undefined, ruleset: rs.version, rules: rs.rules, toolVersion: o.toolVersion,
    quotedSpeech: analyze.quotedSpeech, categories: analyze.categories ? [...analyze.categories] : null, disabledRules: [...(analyze.disabledRules ?? [])], now: o.now,
  };
  const split = o.splitBefore;
  const accs = split
    ? [new AuditAccumulator({ ...accOpts, label: o.splitLabels?.[0] ?? `before ${split}` }), new AuditAccumulator({ ...accOpts, label: o.splitLabels?.[1] ?? `from ${split}` })]
    : [new AuditAccumulator({ ...accOpts, label: o.label ?? '' })];
  let undatedSkipped = 0;

  const cfg: AnalyzerConfig = { pack: packOf(rs), analyze, excerpts: includeExcerpts, locations: o.sarif !== undefined };
  const threads = threadsFor(o.jobs, bytesTotal, os.availableParallelism());
  const script = threads > 0 ? o.workerScript ?? workerScript() : undefined;
  const pool: Pool = script ? new WorkerPool(script, cfg, threads) : new InProcessPool(cfg);
  const window = Math.max(2, pool.size * 3);

  const inputs: InputRecord[] = [];
  const progress: AuditProgress = { filesDone: 0, filesTotal: files.length, bytesDone: 0, bytesTotal, entries: 0 };
  let lastProgress = 0;
  const report = (force = false) => {
    if (!o.onProgress) return;
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    o.onProgress({ ...progress });
  };

  // batches in flight, consumed in order
  interface Batch { metas: Array<{ meta: UnitMeta; input: InputRecord }>; units: WorkUnit[]; result: Promise<UnitResult[]> }
  const inflight: Batch[] = [];
  let units: WorkUnit[] = [];
  let metas: Batch['metas'] = [];
  let chars = 0;
  const notes: string[] = [];
  let fallback: InProcessPool | undefined;

  const consume = (b: Batch, results: UnitResult[]) => {
    results.forEach((res, i) => {
      const { meta, input } = b.metas[i];
      if (res.error) {
        errors.push({ path: meta.file, line: meta.line, message: `the analyser failed on entry ${meta.id}: ${res.error}` });
        input.status = 'partial';
      }
      input.words += res.words;
      if (meta.segment === undefined || meta.segment === 'last') input.entries++;
      let acc = accs[0];
      if (split) {
        if (!meta.date) { if (meta.segment === undefined || meta.segment === 'last') undatedSkipped++; return; }
        acc = meta.date < split ? accs[0] : accs[1];
      }
      if (o.sarif) for (const f of res.found) o.sarif.add(meta, f);
      acc.add(meta, res);
      if (meta.segment === undefined || meta.segment === 'last') progress.entries++;
    });
  };
  const drainOne = async () => {
    const b = inflight.shift()!;
    let results: UnitResult[];
    try {
      results = await b.result;
    } catch (e) {
      if (o.signal?.aborted) throw new AuditCancelled();
      // a worker thread died on this batch: analyse it here instead, so nothing is lost
      if (!fallback) {
        fallback = new InProcessPool(cfg);
        notes.push(`a worker thread failed (${String((e as Error).message ?? e).split('\n')[0]}); its entries were analysed in the main thread`);
      }
      results = await fallback.run(b.units);
    }
    consume(b, results);
    report();
  };
  const flush = async () => {
    if (units.length === 0) return;
    inflight.push({ metas, units, result: pool.run(units) });
    // a rejected promise is handled when the batch is drained
    inflight[inflight.length - 1].result.catch(() => undefined);
    units = [];
    metas = [];
    chars = 0;
    while (inflight.length >= window) await drainOne();
  };

  try {
    let turn = Date.now();
    for (const [i, file] of files.entries()) {
      // Blocking reads never give the event loop a turn by themselves, and the pool may keep
      // up without ever making this loop wait: let Ctrl-C and progress through now and then.
      if (o.blockingReads && Date.now() - turn > TURN_MS) { await new Promise<void>((r) => setImmediate(r)); turn = Date.now(); }
      if (o.signal?.aborted) throw new AuditCancelled();
      const shown = displayPath(file, cwd);
      progress.current = shown;
      const input: InputRecord = { path: shown, format: 'txt', bytes: 0, entries: 0, words: 0, status: 'ok' };
      let emitted = 0;
      let fileBytes = 0;
      try {
        const r = await readInput(file, {
          dateOrder: o.dateOrder ?? 'dmy', columns: o.columns ?? {}, delimiter: o.delimiter, maxBytes: o.maxBytes, maxEntryChars: o.maxEntryChars, signal: o.signal, blocking: o.blockingReads,
        }, {
          entry: async (e: RawEntry) => {
            emitted++;
            const { text, roles, ...rest } = e;
            units.push(roles ? { text, roles } : { text });
            metas.push({ meta: { ...rest, file: shown }, input });
            chars += text.length;
            if (chars >= BATCH_CHARS || units.length >= BATCH_UNITS) await flush();
          },
          rowError: (line, message) => {
            errors.push({ path: shown, ...(line > 0 ? { line } : {}), message });
            input.status = 'partial';
          },
          bytes: (n) => { fileBytes += n; progress.bytesDone += n; report(); },
        });
        input.format = r.format;
        input.bytes = r.bytes;
        if (r.encoding !== 'utf-8') input.encoding = r.encoding;
        if (r.notes.length > 0) input.notes = r.notes;
        inputs.push(input);
        for (const a of accs) a.bytes += r.bytes;
      } catch (e) {
        if (o.signal?.aborted) throw new AuditCancelled();
        if (!(e instanceof InputError)) throw e;
        if (emitted > 0) {
          // part of the file was read before the problem: keep what was read, and say so
          input.status = 'partial';
          input.bytes = fileBytes;
          inputs.push(input);
        }
        errors.push({ path: shown, message: emitted > 0 ? `${e.message} (after ${emitted} entries, which were audited)` : e.message });
      }
      progress.filesDone++;
      // keep the byte count honest for files that were refused before reading
      progress.bytesDone += Math.max(0, sizes[i] - fileBytes);
      report();
    }
    await flush();
    while (inflight.length > 0) await drainOne();
  } catch (e) {
    await pool.close();
    if (o.signal?.aborted) throw new AuditCancelled();
    throw e;
  }
  await pool.close();
  progress.current = undefined;
  report(true);
  const reports = accs.map((a) => a.toReport(inputs, errors));
  return { reports, notes, undatedSkipped, jobs: pool.size };
}
