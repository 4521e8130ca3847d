// Worker-thread entry of the batch audit (bundled to dist/audit-worker.js). It receives the rule
// pack once (workerData) and then batches of entry texts, and answers each batch with its
// per-entry results. It holds nothing between batches but the analyser's small memo.

import { parentPort, workerData } from 'node:worker_threads';
import { AnalyzerConfig, UnitAnalyzer, WorkUnit } from './analyzeUnits';

const cfg = workerData as AnalyzerConfig;
const analyzer = new UnitAnalyzer(cfg);
// workerData stays reachable for the thread's life (a module export), and its pack holds every
// rule's tree JSON, which a rule drops once parsed: let go of this copy so those strings can go.
cfg.pack = { ...cfg.pack, rules: [] };
parentPort!.on('message', (m: { id: number; units: WorkUnit[] }) => {
  try {
    parentPort!.postMessage({ id: m.id, results: analyzer.run(m.units) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: String((e as Error).stack ?? e) });
  }
});
