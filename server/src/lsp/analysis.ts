// Scheduling analysis of open documents so the server stays responsive on very large notes:
//  - one Analyzer per open document (its paragraph memo makes re-analysis after an edit cost
//    only the changed paragraphs), replaced only when the settings or rule set change;
//  - edits are debounced, and a newer edit cancels the run in progress at its next slice;
//  - a run analyses blocks (paragraphs) in slices of at most SLICE_MS, yielding to the event
//    loop with setImmediate between slices, so requests (hover, code actions, edits) are served
//    in between; blocks visible in the editor are analysed first; assembling, filtering and
//    converting the findings, and finding the note's line starts (NoteDocument), are sliced too
//    (docs/performance.md has the measured stretches);
//  - callers (pull diagnostics, hover) wait on a promise for the current version's result:
//    events, not timers;
//  - a run that throws is contained to its document: the result is a failure (one diagnostic
//    saying analysis failed and why), other documents and later edits are analysed as usual.

import { CancellationToken, Diagnostic, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalyzeOptions, Analyzer, Finding, RuleSet } from '../engine';
import { WireRange } from '../protocol';
import { tooManyFindingsDiagnostic } from './diagnostics';
import { NoteDocument } from './document';

/** Everything a run needs that depends on settings (resolved per document, asynchronously). */
export interface DocContext {
  applies: boolean;
  ruleSet: RuleSet;
  options: AnalyzeOptions;
  /** Identity of ruleSet + options: the Analyzer is kept while it is unchanged. */
  key: string;
  /** Filters dismissed findings out. */
  isDismissed: (f: Finding, text: string) => boolean;
  toDiagnostic: (doc: TextDocument, text: string, f: Finding) => Diagnostic;
  /** Most findings shown per note (0 = all); see DEFAULT_MAX_PROBLEMS. */
  maxProblems: number;
}

export interface DocResult {
  uri: string;
  version: number;
  /** Identifies this result (pull diagnostics resultId). */
  id: string;
  findings: Finding[];
  diagnostics: Diagnostic[];
  ruleSet?: RuleSet;
  /** maxSliceMs is wall-clock (inflated when the machine is busy); maxSliceCpuMs is the CPU time of the longest slice. */
  stats: { elapsedMs: number; maxSliceMs: number; maxSliceCpuMs: number; blocks: number; analysedBlocks: number; slices: number };
  /** Why the analysis failed (diagnostics then holds only the failure diagnostic). */
  failed?: string;
}

export interface AnalysisDeps {
  getDocument: (uri: string) => TextDocument | undefined;
  resolve: (doc: TextDocument) => Promise<DocContext>;
  onResult: (doc: TextDocument, result: DocResult) => void;
  /** A run threw: log it, tell the user; the returned diagnostics stand for the note's findings. */
  onError: (uri: string, err: unknown) => Diagnostic[];
  debounceMs?: number;
  sliceMs?: number;
}

interface Waiter {
  resolve: (r: DocResult) => void;
  reject: (e: unknown) => void;
}

interface Run {
  cancelled: boolean;
  promise: Promise<void>;
}

interface DocState {
  uri: string;
  epoch: number;
  timer?: NodeJS.Timeout;
  run?: Run;
  restart: boolean;
  analyzer?: Analyzer;
  analyzerKey?: string;
  result?: DocResult & { epoch: number };
  waiters: Set<Waiter>;
  visible: WireRange[];
}

const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Characters scanned for line starts per step (about 1 ms). */
const LINE_SCAN_CHARS = 1 << 18;

export class AnalysisService {
  private readonly states = new Map<string, DocState>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly debounceMs: number;
  private readonly sliceMs: number;

  constructor(private readonly deps: AnalysisDeps) {
    this.debounceMs = deps.debounceMs ?? 250;
    this.sliceMs = deps.sliceMs ?? 15;
  }

  private state(uri: string): DocState {
    let s = this.states.get(uri);
    if (!s) this.states.set(uri, (s = { uri, epoch: 0, restart: false, waiters: new Set(), visible: [] }));
    return s;
  }

  opened(uri: string): void {
    const s = this.state(uri);
    this.invalidate(s, 0);
  }

  changed(uri: string): void {
    this.invalidate(this.state(uri), this.debounceMs);
  }

  closed(uri: string): void {
    const s = this.states.get(uri);
    if (!s) return;
    clearTimeout(s.timer);
    if (s.run) s.run.cancelled = true;
    for (const w of s.waiters) w.reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'document closed'));
    this.states.delete(uri);
    this.notifyIdle();
  }

  /**
   * Resolves when no document waits for or is in an analysis run. Background work (the
   * warm-up) waits on it, so it never holds back the diagnostics of a note just opened.
   */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private busy(): boolean {
    for (const s of this.states.values()) if (s.timer || s.run) return true;
    return false;
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length > 0 && !this.busy()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Settings, rules or dismissals changed: every open document is analysed again (cheap: the memo). */
  invalidateAll(): void {
    for (const s of this.states.values()) this.invalidate(s, 0);
  }

  setVisible(uri: string, ranges: WireRange[]): void {
    this.state(uri).visible = ranges;
  }

  /** The latest finished result, even if the document changed since (hover uses it). */
  latest(uri: string): DocResult | undefined {
    return this.states.get(uri)?.result;
  }

  /** The result for the document as it is now; waits for the run in progress or starts one. */
  current(uri: string, token?: CancellationToken): Promise<DocResult> {
    const s = this.state(uri);
    if (s.result && s.result.epoch === s.epoch) return Promise.resolve(s.result);
    return new Promise<DocResult>((resolve, reject) => {
      const w: Waiter = { resolve, reject };
      s.waiters.add(w);
      token?.onCancellationRequested(() => {
        if (s.waiters.delete(w)) reject(new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled'));
      });
      if (!s.timer && (!s.run || s.run.cancelled)) this.start(s);
    });
  }

  private invalidate(s: DocState, delay: number): void {
    s.epoch++;
    if (s.run) s.run.cancelled = true;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => {
      s.timer = undefined;
      this.start(s);
    }, delay);
  }

  private start(s: DocState): void {
    if (s.run) {
      // The run in progress stops at its next slice; start again when it has.
      s.run.cancelled = true;
      s.restart = true;
      return;
    }
    const run: Run = { cancelled: false, promise: Promise.resolve() };
    run.promise = this.execute(s, run)
      .catch((err) => {
        // only if reporting the failure failed too: never leave a caller waiting
        for (const w of s.waiters) w.reject(err);
        s.waiters.clear();
      })
      .finally(() => {
        s.run = undefined;
        if (s.restart && this.states.get(s.uri) === s) {
          s.restart = false;
          if (!s.timer) this.start(s);
        }
        this.notifyIdle();
      });
    s.run = run;
  }

  private async execute(s: DocState, run: Run): Promise<void> {
    const doc = this.deps.getDocument(s.uri);
    if (!doc) return;
    const epoch = s.epoch;
    const version = doc.version;
    const t0 = performance.now();
    try {
      await this.analyse(s, run, doc, epoch, version, t0);
    } catch (err) {
      // a newer edit or setting superseded this run: the next run reports for itself
      // the analyzer's paragraph memo may hold whatever the failed run left: start afresh
      s.analyzer = undefined;
      s.analyzerKey = undefined;
      if (run.cancelled || epoch !== s.epoch) return;
      const diagnostics = this.deps.onError(s.uri, err);
      this.publish(s, doc, {
        uri: s.uri, version, epoch, id: `${epoch}:${version}`, findings: [], diagnostics,
        stats: { elapsedMs: performance.now() - t0, maxSliceMs: 0, maxSliceCpuMs: 0, blocks: 0, analysedBlocks: 0, slices: 0 },
        failed: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private async analyse(s: DocState, run: Run, doc: TextDocument, epoch: number, version: number, t0: number): Promise<void> {
    const ctx = await this.deps.resolve(doc);
    if (run.cancelled || epoch !== s.epoch) return;
    let findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    let maxSlice = 0;
    let maxSliceCpu = 0;
    let blocks = 0;
    let slices = 1;
    let session: ReturnType<Analyzer['session']> | undefined;
    if (ctx.applies) {
      if (!s.analyzer || s.analyzerKey !== ctx.key) {
        s.analyzer = new Analyzer(ctx.ruleSet, ctx.options);
        s.analyzerKey = ctx.key;
      }
      const text = doc.getText();
      let sliceStart = performance.now();
      let cpuStart = process.cpuUsage();
      const endSlice = (now: number) => {
        const cpu = process.cpuUsage(cpuStart);
        maxSlice = Math.max(maxSlice, now - sliceStart);
        maxSliceCpu = Math.max(maxSliceCpu, (cpu.user + cpu.system) / 1000);
      };
      session = s.analyzer.session(text);
      blocks = session.blocks.length;
      const pause = async (): Promise<boolean> => {
        const now = performance.now();
        if (now - sliceStart < this.sliceMs) return false;
        endSlice(now);
        slices++;
        await yieldToEventLoop();
        sliceStart = performance.now();
        cpuStart = process.cpuUsage();
        return run.cancelled || epoch !== s.epoch;
      };
      // the document finds its line starts once (again only after a full-text change), a slice
      // at a time, so neither this run nor a later hover or edit finds them in one go
      if (doc instanceof NoteDocument) while (!doc.indexLines(LINE_SCAN_CHARS)) if (await pause()) return;
      for (const i of this.order(doc, session.blocks, s.visible)) {
        session.runBlock(i);
        if (await pause()) return;
      }
      // assembled block by block: on a 10 MB export, in one go it blocked for over 100 ms
      const all: Finding[] = [];
      for (let i = 0; i < session.blocks.length; i++) {
        for (const f of session.findingsOf(i)) all.push(f);
        if (await pause()) return;
      }
      session.end();
      findings = [];
      for (const f of all) {
        if (!ctx.isDismissed(f, text)) findings.push(f);
        if (findings.length % 50 === 0 && (await pause())) return;
      }
      const total = findings.length;
      findings = mostImportant(findings, ctx.maxProblems);
      for (const f of findings) {
        diagnostics.push(ctx.toDiagnostic(doc, text, f));
        if (diagnostics.length % 50 === 0 && (await pause())) return;
      }
      if (total > findings.length) diagnostics.push(tooManyFindingsDiagnostic(total, findings.length));
      endSlice(performance.now());
    }
    if (run.cancelled || epoch !== s.epoch) return;
    this.publish(s, doc, {
      uri: s.uri,
      version,
      epoch,
      id: `${epoch}:${version}`,
      findings,
      diagnostics,
      ruleSet: ctx.ruleSet,
      stats: { elapsedMs: performance.now() - t0, maxSliceMs: maxSlice, maxSliceCpuMs: maxSliceCpu, blocks, analysedBlocks: session?.analysedBlocks ?? 0, slices },
    });
  }

  private publish(s: DocState, doc: TextDocument, result: DocResult & { epoch: number }): void {
    s.result = result;
    for (const w of s.waiters) w.resolve(result);
    s.waiters.clear();
    this.deps.onResult(doc, result);
  }

  /** Block indexes with the ones overlapping the visible ranges first. */
  private order(doc: TextDocument, blocks: ReadonlyArray<{ start: number; end: number }>, visible: WireRange[]): number[] {
    const all = blocks.map((_, i) => i);
    if (visible.length === 0) return all;
    const spans = visible.map((r) => [doc.offsetAt(r.start), doc.offsetAt(r.end)] as const);
    const first: number[] = [];
    const rest: number[] = [];
    for (const i of all) (spans.some(([a, b]) => blocks[i].start <= b && a <= blocks[i].end) ? first : rest).push(i);
    return [...first, ...rest];
  }
}

const RANK: Record<string, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * At most `limit` findings (0 = all): concerns before aligned indicators, then by severity, so
 * a capped note still shows its errors; returned in document order.
 */
export function mostImportant(findings: Finding[], limit: number): Finding[] {
  if (limit <= 0 || findings.length <= limit) return findings;
  const rank = (f: Finding) => (f.kind === 'aligned' ? 4 : RANK[f.severity] ?? 3);
  const order = findings.map((_, i) => i).sort((a, b) => rank(findings[a]) - rank(findings[b]) || a - b);
  return order.slice(0, limit).sort((a, b) => a - b).map((i) => findings[i]);
}
