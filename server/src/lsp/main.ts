// The language server's entry point: it only wires the pieces together (settings, rule
// folders, dismissals, the analysis scheduler, diagnostics, code actions, hover). Runs over
// IPC from the VS Code client, or --stdio for other clients and the protocol tests.
// Nothing here touches the network: case notes never leave the machine.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, createConnection, Diagnostic, DidChangeConfigurationNotification, DocumentDiagnosticReportKind, InitializeResult,
  ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalyzeOptions, Finding, formatProblem, Severity } from '../engine';
import { packageRoot } from '../host/rulePack';
import {
  AnalysisDoneParams, CONFIG_SECTION, DismissParams, DismissResult, DISMISSALS_FILE, ExplainParams, ExplainResult, InitializationOptions, Methods,
  OpenPartParams, ServerProcessResult, Settings, VisibleRangesParams, WorkspaceTrustParams,
} from '../protocol';
import { AnalysisService, DocContext, DocResult } from './analysis';
import { codeActions } from './codeActions';
import { analysisFailedDiagnostic, toDiagnostic, ruleDocUri } from './diagnostics';
import { DismissalStore } from './dismissals';
import { noteDocuments, OpenParts } from './document';
import { explanationMarkdown } from './explain';
import { fingerprint } from './fingerprint';
import { matchesAny } from './glob';
import { hoverAt } from './hover';
import { faultHook } from './fault';
import { resolveFolder, RuleFolders, selectRuleFolders } from './ruleFolders';
import { SettingsCache } from './settings';
import { warmUp } from './warmup';
import { registerAuditRequests } from './auditRequests';

const connection = createConnection(ProposedFeatures.all);
const openParts = new OpenParts();
const documents = new TextDocuments(noteDocuments(openParts));
const root = (() => {
  try { return packageRoot(__dirname); } catch { return path.dirname(__dirname); }
})();

let folders: string[] = [];
let pullDiagnostics = false;
let refreshSupport = false;
let configurationSupport = false;
let dynamicConfigChange = false;
let workspaceFolderSupport = false;
/** VS Code's workspace trust, as the client says (initializationOptions, then a notification). */
let workspaceTrusted = true;
/** Rule folders already reported as ignored in restricted mode, so the user is told once, not per note. */
const toldUntrusted = new Set<string>();
/** Notes whose analysis failed and the user was told; cleared when the note is analysed again. */
const toldFailed = new Set<string>();
const fault = faultHook();

const settings = new SettingsCache((uri) =>
  configurationSupport ? connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIG_SECTION }) : Promise.resolve(undefined));
/** A problem the user must see (a window message) and that stays in the log. */
function warnUser(message: string): void {
  connection.console.warn(message);
  void connection.window.showWarningMessage(message);
}
const dismissals = new DismissalStore(warnUser);
const ruleFolders = new RuleFolders(
  (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  (message) => void connection.window.showWarningMessage(message),
);

function packageVersion(): string {
  try { return JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version as string; } catch { return '0.0.0'; }
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

function folderOf(p: string | undefined): string | undefined {
  if (!p) return folders[0];
  const inside = folders.filter((f) => { const rel = path.relative(f, p); return !rel.startsWith('..') && !path.isAbsolute(rel); });
  return inside.sort((a, b) => b.length - a.length)[0];
}

function sidecarFor(uri: string): string | undefined {
  const p = filePath(uri);
  if (p) return DismissalStore.sidecarFor(p, folders);
  return folders[0] ? path.join(folders[0], DISMISSALS_FILE) : undefined;
}

function applies(doc: TextDocument, s: Settings): boolean {
  if (!s.languages.includes(doc.languageId)) return false;
  const p = filePath(doc.uri);
  if (!p) return true;
  const base = folderOf(p);
  const rel = base ? path.relative(base, p) : path.basename(p);
  return matchesAny(rel, s.include) && !matchesAny(rel, s.exclude);
}

function analyzeOptions(s: Settings, categories: readonly string[]): AnalyzeOptions {
  const disabledRules: string[] = [];
  const severityOverrides: Record<string, Severity> = {};
  for (const [id, level] of Object.entries(s.rules)) {
    if (level === 'off') disabledRules.push(id);
    else severityOverrides[id] = level;
  }
  const anyOff = categories.some((c) => s.categories[c] === false);
  return {
    quotedSpeech: s.quotedSpeech,
    dialect: s.dialect,
    aligned: s.showAligned,
    ...(anyOff ? { categories: categories.filter((c) => s.categories[c] !== false) } : {}),
    ...(disabledRules.length ? { disabledRules: disabledRules.sort() } : {}),
    ...(Object.keys(severityOverrides).length ? { severityOverrides } : {}),
  };
}

async function contextFor(doc: TextDocument): Promise<DocContext> {
  const s = await settings.get(doc.uri);
  const p = filePath(doc.uri);
  const base = folderOf(p) ?? (p ? path.dirname(p) : process.cwd());
  const { load, ignored } = selectRuleFolders(s, workspaceTrusted);
  if (ignored.length > 0) tellUntrusted(ignored);
  const { ruleSet } = ruleFolders.get(load.map((f) => resolveFolder(f, base)));
  const categories = [...new Set(ruleSet.rules.map((r) => r.category))].sort();
  const options = analyzeOptions(s, categories);
  const sidecar = sidecarFor(doc.uri);
  const dismissed = sidecar ? dismissals.keys(sidecar) : new Set<string>();
  return {
    applies: applies(doc, s),
    ruleSet,
    options,
    key: JSON.stringify([ruleSet.version, options]),
    isDismissed: (f: Finding, text: string) => dismissed.size > 0 && dismissed.has(`${f.ruleId}\0${fingerprint(f.ruleId, text, f.start, f.end)}`),
    toDiagnostic: (d: TextDocument, text: string, f: Finding) => toDiagnostic(d, text, f, ruleSet.rule(f.ruleId), root),
    maxProblems: s.maxProblems,
  };
}

function tellUntrusted(ignored: string[]): void {
  const key = JSON.stringify(ignored);
  if (toldUntrusted.has(key)) return;
  toldUntrusted.add(key);
  const message = `Case Note Audit: this workspace is not trusted, so the rule folders its settings name are not loaded (${ignored.join(', ')}); ` +
    'notes are checked with the bundled rules only. Trust the workspace to load them.';
  warnUser(message);
}

function counts(diags: Diagnostic[]): AnalysisDoneParams['counts'] {
  const c = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const d of diags) {
    if (d.severity === 1) c.error++;
    else if (d.severity === 2) c.warning++;
    else if (d.severity === 3) c.information++;
    else c.hint++;
  }
  return c;
}

const analysis = new AnalysisService({
  getDocument: (uri) => documents.get(uri),
  // the fault hook (tests only) throws where an engine bug would: inside the run of one note
  resolve: fault ? (doc) => { fault(doc.getText()); return contextFor(doc); } : contextFor,
  onResult: (doc: TextDocument, r: DocResult) => {
    if (!r.failed) toldFailed.delete(doc.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: doc.uri, version: r.version, diagnostics: r.diagnostics });
    const done: AnalysisDoneParams = { uri: doc.uri, version: r.version, counts: counts(r.diagnostics), ...r.stats, ...(r.failed ? { failed: r.failed } : {}) };
    void connection.sendNotification(Methods.analysisDone, done);
  },
  onError: (uri, err) => {
    const reason = err instanceof Error ? err.message : String(err);
    connection.console.error(`analysis of ${uri} failed: ${err instanceof Error ? err.stack ?? err.message : reason}`);
    if (!toldFailed.has(uri)) {
      toldFailed.add(uri);
      const name = decodeURIComponent(uri.replace(/[?#].*$/, '').split('/').pop() ?? uri);
      void connection.window.showErrorMessage(`Case Note Audit could not check ${name}: ${reason}. Other notes are still checked.`);
    }
    return [analysisFailedDiagnostic(reason)];
  },
});

/** Settings, rules or dismissals changed: analyse again and let a pull client re-pull. */
function refreshAll(): void {
  analysis.invalidateAll();
  if (pullDiagnostics && refreshSupport) void connection.languages.diagnostics.refresh();
}

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  pullDiagnostics = !!caps.textDocument?.diagnostic;
  refreshSupport = !!caps.workspace?.diagnostics?.refreshSupport;
  configurationSupport = !!caps.workspace?.configuration;
  dynamicConfigChange = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
  workspaceFolderSupport = !!caps.workspace?.workspaceFolders;
  workspaceTrusted = (params.initializationOptions as InitializationOptions | undefined)?.workspaceTrusted !== false;
  folders = (params.workspaceFolders ?? []).map((f) => filePath(f.uri)).filter((p): p is string => !!p);
  if (folders.length === 0 && params.rootUri) {
    const p = filePath(params.rootUri);
    if (p) folders = [p];
  }
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      hoverProvider: true,
      ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'casenote-audit', interFileDependencies: false, workspaceDiagnostics: false } } : {}),
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'casenote-audit', version: packageVersion() },
  };
});

connection.onInitialized(() => {
  const t = performance.now();
  void warmUp(ruleFolders.get([]).ruleSet, () => analysis.idle()).then(
    (n) => connection.console.log(`warmed up on ${n} rule examples in ${(performance.now() - t).toFixed(0)} ms`),
    (e) => connection.console.error(`warm-up failed: ${(e as Error).message}`),
  );
  if (dynamicConfigChange) void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION });
  if (workspaceFolderSupport) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => filePath(f.uri)));
      folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => filePath(f.uri)).filter((p): p is string => !!p)];
      settings.changed();
      refreshAll();
    });
  }
});

connection.onDidChangeConfiguration((change) => {
  settings.changed(change.settings);
  refreshAll();
});

connection.onDidChangeWatchedFiles((params) => {
  let rules = false;
  let dismiss = false;
  for (const c of params.changes) {
    const p = filePath(c.uri);
    if (!p) continue;
    if (p.replace(/\\/g, '/').endsWith(DISMISSALS_FILE)) dismiss = true;
    else if (/\.ya?ml$/i.test(p) && ruleFolders.watches(p)) rules = true;
  }
  if (dismiss) dismissals.invalidate();
  if (rules) ruleFolders.invalidate();
  if (rules || dismiss) refreshAll();
});

// TextDocuments fires onDidChangeContent right after onDidOpen; the open is analysed at once,
// later edits after the debounce.
const justOpened = new Set<string>();
documents.onDidOpen((e) => {
  justOpened.add(e.document.uri);
  analysis.opened(e.document.uri);
});
documents.onDidChangeContent((e) => {
  if (justOpened.delete(e.document.uri)) return;
  analysis.changed(e.document.uri);
});
documents.onDidClose((e) => {
  justOpened.delete(e.document.uri);
  toldFailed.delete(e.document.uri);
  analysis.closed(e.document.uri);
  settings.forget(e.document.uri);
  if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.languages.diagnostics.on(async (params, token) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const r = await analysis.current(doc.uri, token);
  if (params.previousResultId === r.id) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: r.id };
  return { kind: DocumentDiagnosticReportKind.Full, resultId: r.id, items: r.diagnostics };
});

connection.onCodeAction((params) => {
  const doc = documents.get(params.textDocument.uri);
  return doc ? codeActions(doc, params) : [];
});

connection.onHover(async (params, token) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  let r = analysis.latest(doc.uri);
  if (!r || r.version !== doc.version) r = await analysis.current(doc.uri, token);
  return hoverAt(doc, params.position, r);
});

connection.onNotification(Methods.workspaceTrust, (p: WorkspaceTrustParams) => {
  if (workspaceTrusted === (p.trusted === true)) return;
  workspaceTrusted = p.trusted === true;
  toldUntrusted.clear();
  refreshAll();
});

connection.onRequest(Methods.serverProcess, (): ServerProcessResult => ({ pid: process.pid }));

// parts of a large note, before its didOpen (OPEN_IN_PARTS_FROM); each is one small message
connection.onNotification(Methods.openPart, (p: OpenPartParams) => openParts.add(p));

connection.onNotification(Methods.visibleRanges, (p: VisibleRangesParams) => analysis.setVisible(p.uri, p.ranges));

connection.onRequest(Methods.explain, async (p: ExplainParams): Promise<ExplainResult | null> => {
  const doc = documents.get(p.uri);
  const ruleSet = analysis.latest(p.uri)?.ruleSet ?? (doc ? (await contextFor(doc)).ruleSet : ruleFolders.get([]).ruleSet);
  const rule = ruleSet.rule(p.ruleId);
  if (!rule) return null;
  return {
    title: `Case note audit: ${rule.id}`,
    markdown: explanationMarkdown({ rule, ...(p.suggestions ? { suggestions: p.suggestions } : {}), ...(p.text ? { text: p.text } : {}), docUri: ruleDocUri(rule, rule.id, root) }),
  };
});

connection.onRequest(Methods.dismiss, async (p: DismissParams): Promise<DismissResult> => {
  const reason = (p.reason ?? '').trim();
  if (!reason) throw new Error('a dismissal needs a reason');
  const sidecar = sidecarFor(p.uri);
  if (!sidecar) throw new Error('open a folder (or save the note) first: dismissals are recorded in the folder, never in the note');
  const notePath = filePath(p.uri);
  const note = notePath ? path.relative(path.dirname(path.dirname(sidecar)), notePath).replace(/\\/g, '/') : undefined;
  const count = await dismissals.add(sidecar, {
    ruleId: p.ruleId,
    fingerprint: p.fingerprint,
    reason,
    date: new Date().toISOString(),
    ...(note ? { note } : {}),
  });
  refreshAll();
  return { file: sidecar, count };
});

// Rule problems of the bundled pack would be a build error; log anything unexpected at start.
try {
  const { problems } = ruleFolders.get([]);
  for (const p of problems) connection.console.warn(formatProblem(p));
} catch (e) {
  connection.console.error(`cannot load the bundled rules: ${(e as Error).message}`);
}

// batch audits run here too, so the extension's commands use the same engine and readers as the CLI
registerAuditRequests(connection, { toolVersion: packageVersion() });

documents.listen(connection);
connection.listen();
