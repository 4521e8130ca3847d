// The language-server half of `npm run bench`: drives the real bundle (dist/server.js) over
// stdio with the protocol tests' JSON-RPC client (out/test/lsp/lspClient.js), the way an
// editor does. Two measures:
//  - edits: one-paragraph incremental changes to a 5,000-word note. The server reports each
//    run's own time (caseNoteAudit/analysisDone elapsedMs: from the end of the debounce to the
//    diagnostics, settings lookup and diagnostic conversion included); the client also times
//    didChange -> publishDiagnostics and subtracts the debounce, which adds JSON-RPC, the
//    incremental sync and the publish;
//  - a 10 MB export opened in the server: time from didOpen to the published diagnostics, the
//    longest slice the server reports, and the longest stretch the server did not answer: a
//    probe request (code actions on a small open note, answered synchronously) is sent every
//    PROBE_MS once the text is delivered, and its worst round trip bounds how long the server's
//    event loop was blocked (messaging and the client's own scheduling included, so it
//    over-estimates). The note is opened as the VS Code client opens it: from 1 MB in parts
//    (caseNoteAudit/openPart, then a didOpen with empty text), so probes also run while the
//    text is delivered; with a build that predates parts, in one didOpen. After the diagnostics,
//    one hover at the note's end: the first position lookup on the note (TextDocument used to
//    find all line starts then, in one go).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const PROBE_MS = 10;
/** The server's edit debounce (server/src/lsp/analysis.ts, AnalysisService default). */
export const DEBOUNCE_MS = 250;

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const p95 = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]; };

async function startServer(root) {
  const { LspClient } = require(path.join(root, 'out', 'test', 'lsp', 'lspClient.js'));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cna-bench-lsp-'));
  const client = await LspClient.start({ pull: false, folder });
  return { client, folder, uri: (name) => pathToFileURL(path.join(folder, name)).toString() };
}

async function stopServer(s) {
  await s.client.stop();
  fs.rmSync(s.folder, { recursive: true, force: true });
}

/** Position of offset `off` in `text` (LSP line / character). */
function positionAt(text, off) {
  let line = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < off; i = text.indexOf('\n', i + 1)) { line++; last = i; }
  return { line, character: off - last - 1 };
}

/**
 * Edits: `n` one-paragraph changes (appending a sentence to paragraph k) to `note`, each
 * waited for. Returns server-reported and client-observed times in ms.
 */
export async function lspEdits(root, note, n) {
  const s = await startServer(root);
  try {
    const uri = s.uri('note.txt');
    await s.client.open(uri, note);
    await s.client.analysisDone(uri, 1);
    let text = note;
    const paras = [];
    for (let i = text.indexOf('\n\n'); i !== -1; i = text.indexOf('\n\n', i + 2)) paras.push(i);
    const server = [];
    const roundTrip = [];
    for (let i = 0; i < n; i++) {
      const at = paras[(i * 7) % paras.length];
      const insert = i % 2 ? ' Mum failed to protect them.' : ' Home visit.';
      const pos = positionAt(text, at);
      const t0 = performance.now();
      const version = await s.client.change(uri, [{ range: { start: pos, end: pos }, text: insert }]);
      const [done] = await Promise.all([s.client.analysisDone(uri, version), s.client.diagnostics(uri, () => true, version)]);
      roundTrip.push(performance.now() - t0 - DEBOUNCE_MS);
      server.push(done.elapsedMs);
      text = text.slice(0, at) + insert + text.slice(at);
      for (let k = 0; k < paras.length; k++) if (paras[k] >= at) paras[k] += insert.length;
    }
    return { serverMedian: median(server), serverP95: p95(server), roundTripMedian: median(roundTrip), roundTripP95: p95(roundTrip) };
  } finally {
    await stopServer(s);
  }
}

/** Opens `big` in the server and measures time to diagnostics and the longest unresponsive stretch. */
export async function lspBigFile(root, big) {
  const s = await startServer(root);
  try {
    // a small note the probe asks code actions for
    const small = s.uri('small.txt');
    await s.client.open(small, 'Home visit. Mum failed to protect the children.\n');
    await s.client.analysisDone(small, 1);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } };
    const uri = s.uri('export.txt');
    // Probes queue behind the 10 MB didOpen in the one ordered stream, so those sent before the
    // text is delivered measure the transfer, not the server: they are reported apart.
    let probing = true;
    let delivered = Infinity;
    const probes = [];
    const probe = async () => {
      while (probing) {
        const start = performance.now();
        await s.client.codeActions(small, range, []);
        probes.push({ start, end: performance.now() });
        await new Promise((r) => setTimeout(r, PROBE_MS));
      }
    };
    const t0 = performance.now();
    const prober = probe();
    const inParts = typeof s.client.openInParts === 'function' && big.length >= (1 << 20);
    await (inParts ? s.client.openInParts(uri, big) : s.client.open(uri, big));
    delivered = performance.now();
    const [done, diags] = await Promise.all([s.client.analysisDone(uri, 1), s.client.diagnostics(uri, () => true, 1)]);
    const published = performance.now();
    probing = false;
    await prober;
    const h0 = performance.now();
    await s.client.hover(uri, positionAt(big, big.length - 10));
    const firstHoverMs = performance.now() - h0;
    const after = probes.filter((p) => p.start >= delivered);
    const worst = after.reduce((w, p) => (p.end - p.start > w.end - w.start ? p : w), { start: 0, end: 0 });
    return {
      toDiagnosticsMs: published - t0,
      deliveredMs: delivered - t0,
      findings: diags.length,
      serverElapsedMs: done.elapsedMs,
      maxSliceMs: done.maxSliceMs,
      maxSliceCpuMs: done.maxSliceCpuMs,
      probeWorstMs: worst.end - worst.start,
      /** When the worst stretch ended, relative to the diagnostics' arrival (about 0: it was the publish). */
      probeWorstEndMs: worst.end - published,
      probeMedianMs: median(after.map((p) => p.end - p.start)),
      probes: after.length,
      duringDeliveryWorstMs: Math.max(0, ...probes.filter((p) => p.start < delivered).map((p) => p.end - p.start)),
      inParts,
      firstHoverMs,
    };
  } finally {
    await stopServer(s);
  }
}
