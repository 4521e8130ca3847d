// Where entries are analysed: in worker threads (one per core but one by default; one for --jobs 1) or,
// for inputs under 1 MB with one job, in this thread (run.ts, threadsFor). Both run the same
// UnitAnalyzer. Results come back per batch; the caller consumes them in submission order, so
// reports do not depend on thread timing.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResourceLimits, Worker } from 'node:worker_threads';
import { AnalyzerConfig, UnitAnalyzer, UnitResult, WorkUnit } from './analyzeUnits';

export interface Pool {
  readonly size: number;
  run(units: WorkUnit[]): Promise<UnitResult[]>;
  close(): Promise<void>;
}

export class InProcessPool implements Pool {
  readonly size = 1;
  private readonly analyzer: UnitAnalyzer;
  constructor(cfg: AnalyzerConfig) {
    this.analyzer = new UnitAnalyzer(cfg);
  }
  async run(units: WorkUnit[]): Promise<UnitResult[]> {
    // yield to the event loop so progress output and cancellation stay responsive
    await new Promise<void>((r) => setImmediate(r));
    return this.analyzer.run(units);
  }
  async close(): Promise<void> { /* nothing to release */ }
}

/** The worker script: dist/audit-worker.js beside the bundle, or worker.js beside this module when run from out/. */
export function workerScript(): string | undefined {
  for (const p of [path.join(__dirname, 'audit-worker.js'), path.join(__dirname, 'worker.js')]) if (fs.existsSync(p)) return p;
  return undefined;
}

interface Job { id: number; units: WorkUnit[]; resolve: (r: UnitResult[]) => void; reject: (e: Error) => void }

/**
 * Heap limits of each worker thread, by how many there are: the bound is the whole process's
 * peak RSS (<= 300 MB), so one worker gets more room than each of two. Without a cap V8 lets
 * dead results pile up to ~150 MB per worker before collecting. A worker's live heap is ~28 MB
 * (the rule pack's runtime form, with equal pattern subtrees shared: packFormat.ts, pattern.ts),
 * so the old-generation caps leave room. The young generation does decide CPU time: a lone
 * worker, which sets the audit's wall time, spends 12% less CPU with 48 MB than with 16, for
 * ~15 MB more RSS, because fewer short-lived results outlive a scavenge into the old generation
 * (600 cases: 4 full collections instead of 12).
 * Two workers keep 68/8, since their RSS is what approaches the bound as the reading thread's
 * share grows with the corpus (a row per file, author, month...). The measured settings and their RSS
 * and CPU are in docs/performance.md ("Batch audit").
 * An entry too big for this heap kills its worker, and that batch is re-analysed in the reading
 * thread (see run.ts).
 */
export function workerHeap(workers: number): ResourceLimits {
  return workers <= 1 ? { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 48 } : { maxOldGenerationSizeMb: 68, maxYoungGenerationSizeMb: 8 };
}

/**
 * Batches posted to a worker before it answers the first: with one at a time, a worker that
 * finished a batch waited for this thread to take the answer and post the next, and this
 * thread answers messages only between its own stretches of reading and aggregating, so the
 * worker sat idle (5% of its time with one worker). The second batch waits in its port instead.
 */
const PER_WORKER = 2;

interface Slot { w: Worker; jobs: Job[] }

export class WorkerPool implements Pool {
  private readonly workers: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  /** Workers that died; past a few, the pool gives up instead of respawning forever. */
  private deaths = 0;

  constructor(script: string, cfg: AnalyzerConfig, readonly size: number) {
    for (let i = 0; i < size; i++) this.spawn(script, cfg);
  }

  private spawn(script: string, cfg: AnalyzerConfig): void {
    const slot: Slot = { w: new Worker(script, { workerData: cfg, resourceLimits: workerHeap(this.size) }), jobs: [] };
    slot.w.on('message', (m: { id: number; results?: UnitResult[]; error?: string }) => {
      // a worker answers its batches in the order they were posted
      const job = slot.jobs.shift();
      if (job) {
        if (m.results) job.resolve(m.results);
        else job.reject(new Error(m.error ?? 'worker failed'));
      }
      this.pump();
    });
    slot.w.on('error', (e) => this.lost(slot, e, script, cfg));
    // a thread that ends without an error (process.exit in it) would otherwise leave its batches unanswered
    slot.w.on('exit', (code) => this.lost(slot, new Error(`the worker thread stopped (exit code ${code})`), script, cfg));
    this.workers.push(slot);
  }

  /** A worker died (an error, then its exit; or an exit alone): its batches fail, and the caller re-analyses them in the main thread. */
  private lost(slot: Slot, e: Error, script: string, cfg: AnalyzerConfig): void {
    const i = this.workers.indexOf(slot);
    if (i < 0) return; // already handled (its error, now its exit)
    this.workers.splice(i, 1);
    for (const job of slot.jobs.splice(0)) job.reject(e);
    if (this.closed) return;
    if (++this.deaths > 3 + this.size) {
      for (const j of this.queue.splice(0)) j.reject(new Error(`worker threads keep failing: ${e.message}`));
      if (this.workers.length === 0) this.closed = true;
      return;
    }
    // replace the dead worker so the batch can go on
    this.spawn(script, cfg);
    this.pump();
  }

  run(units: WorkUnit[]): Promise<UnitResult[]> {
    return new Promise((resolve, reject) => {
      if (this.closed) { reject(new Error('the worker threads failed or were stopped')); return; }
      this.queue.push({ id: this.nextId++, units, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    // fill the least loaded worker first, so two workers share the batches evenly
    for (let depth = 0; depth < PER_WORKER; depth++) {
      for (const slot of this.workers) {
        if (slot.jobs.length > depth || this.queue.length === 0) continue;
        const job = this.queue.shift()!;
        slot.jobs.push(job);
        slot.w.postMessage({ id: job.id, units: job.units });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('cancelled'));
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}
