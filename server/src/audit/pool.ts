// Where entries are analysed: in worker threads (one per core by default; one for --jobs 1) or,
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
 * Two workers keep 68/8, since their RSS is what approaches the bound as the main thread's share
 * grows with the corpus (a row per file, author, month...). The measured settings and their RSS
 * and CPU are in docs/performance.md ("Batch audit").
 * An entry too big for this heap kills its worker, and the pool re-analyses that batch in the
 * main thread (see run.ts).
 */
export function workerHeap(workers: number): ResourceLimits {
  return workers <= 1 ? { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 48 } : { maxOldGenerationSizeMb: 68, maxYoungGenerationSizeMb: 8 };
}

export class WorkerPool implements Pool {
  private readonly workers: Array<{ w: Worker; job?: Job }> = [];
  private readonly queue: Job[] = [];
  private nextId = 0;
  private closed = false;
  /** Workers that died; past a few, the pool gives up instead of respawning forever. */
  private deaths = 0;

  constructor(script: string, cfg: AnalyzerConfig, readonly size: number) {
    for (let i = 0; i < size; i++) this.spawn(script, cfg);
  }

  private spawn(script: string, cfg: AnalyzerConfig): void {
    const slot: { w: Worker; job?: Job } = { w: new Worker(script, { workerData: cfg, resourceLimits: workerHeap(this.size) }) };
    slot.w.on('message', (m: { id: number; results?: UnitResult[]; error?: string }) => {
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        if (m.results) job.resolve(m.results);
        else job.reject(new Error(m.error ?? 'worker failed'));
      }
      this.pump();
    });
    slot.w.on('error', (e) => {
      const job = slot.job;
      slot.job = undefined;
      job?.reject(e);
      // replace the dead worker so the batch can go on (the failed batch is reported by the caller)
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
      if (this.closed) return;
      if (++this.deaths > 3 + this.size) {
        for (const j of this.queue.splice(0)) j.reject(new Error(`worker threads keep failing: ${e.message}`));
        if (this.workers.length === 0) this.closed = true;
        return;
      }
      this.spawn(script, cfg);
      this.pump();
    });
    this.workers.push(slot);
  }

  run(units: WorkUnit[]): Promise<UnitResult[]> {
    return new Promise((resolve, reject) => {
      if (this.closed) { reject(new Error('the worker threads failed or were stopped')); return; }
      this.queue.push({ id: this.nextId++, units, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.workers) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.w.postMessage({ id: job.id, units: job.units });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('cancelled'));
    await Promise.all(this.workers.map((s) => s.w.terminate()));
  }
}
