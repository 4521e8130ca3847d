// A small JSON-RPC client that drives the REAL bundled language server (dist/server.js) over
// stdio, the way an editor would. Tests wait on events (published diagnostics, refresh
// requests, analysisDone), never on sleeps: mocha's timeout is the only clock.

import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type {
  CodeAction, Diagnostic, DocumentDiagnosticReport, Hover, InitializeResult, PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { AnalysisDoneParams, Methods, openInParts } from '../../server/src/protocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

export interface StartOptions {
  /** Advertise pull diagnostics (textDocument/diagnostic) and refresh support. */
  pull: boolean;
  /** Workspace folder (absolute path). */
  folder: string;
  /** caseNoteAudit settings returned for workspace/configuration. */
  settings?: Record<string, unknown>;
  /** initialize's initializationOptions (the VS Code client sends workspace trust there). */
  initializationOptions?: unknown;
  /** Extra environment variables of the server process. */
  env?: Record<string, string>;
  /** Node options before the server script (e.g. --require a preload). */
  nodeArgs?: string[];
}

export class LspClient {
  readonly events = new EventEmitter();
  readonly published = new Map<string, PublishDiagnosticsParams>();
  readonly analyses: AnalysisDoneParams[] = [];
  /** window/showMessage texts, in order. */
  readonly messages: string[] = [];
  refreshes = 0;
  configurationRequests = 0;
  settings: Record<string, unknown>;
  init!: InitializeResult;
  private versions = new Map<string, number>();
  private stderr = '';

  private constructor(readonly proc: ChildProcess, readonly conn: MessageConnection, readonly opts: StartOptions) {
    this.settings = opts.settings ?? {};
    this.events.setMaxListeners(100);
  }

  static async start(opts: StartOptions): Promise<LspClient> {
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new LspClient(proc, conn, opts);
    proc.stderr!.on('data', (d: Buffer) => { c.stderr += d.toString(); });
    conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string; scopeUri?: string }> }) => {
      c.configurationRequests++;
      return p.items.map(() => c.settings);
    });
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    // connection.window.show*Message sends a request (it could carry actions): recorded like a notification
    conn.onRequest('window/showMessageRequest', (p: { message: string }) => {
      c.messages.push(p.message);
      c.events.emit('showMessage', p.message);
      return null;
    });
    conn.onRequest('workspace/diagnostic/refresh', () => {
      c.refreshes++;
      c.events.emit('refresh');
      return null;
    });
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      c.published.set(p.uri, p);
      c.events.emit('diagnostics', p);
    });
    conn.onNotification(Methods.analysisDone, (p: AnalysisDoneParams) => {
      c.analyses.push(p);
      c.events.emit('analysisDone', p);
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => { c.events.emit('log', p.message); });
    conn.onNotification('window/showMessage', (p: { message: string }) => {
      c.messages.push(p.message);
      c.events.emit('showMessage', p.message);
    });
    conn.listen();
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`the server exited (${code}) before initializing:\n${c.stderr}`))));
    exited.catch(() => undefined);
    const folderUri = pathToFileURL(opts.folder).toString();
    c.init = await Promise.race([exited, conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folderUri,
      ...(opts.initializationOptions !== undefined ? { initializationOptions: opts.initializationOptions } : {}),
      workspaceFolders: [{ uri: folderUri, name: path.basename(opts.folder) }],
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeConfiguration: { dynamicRegistration: true },
          ...(opts.pull ? { diagnostics: { refreshSupport: true } } : {}),
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
          publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          ...(opts.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        },
      },
    })]);
    await conn.sendNotification('initialized', {});
    return c;
  }

  async stop(): Promise<void> {
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) {
      await new Promise<void>((r) => { this.proc.once('exit', () => r()); this.proc.kill(); });
    }
  }

  /** Text the server wrote to stderr (shown when a test fails). */
  get serverErrors(): string {
    return this.stderr;
  }

  /** Resolves with the first event value that satisfies the predicate (checking `current` first). */
  waitFor<T>(event: string, pred: (v: T) => boolean, current?: () => T | undefined): Promise<T> {
    const now = current?.();
    if (now !== undefined && pred(now)) return Promise.resolve(now);
    return new Promise<T>((resolve) => {
      const on = (v: T) => {
        if (pred(v)) {
          this.events.off(event, on);
          resolve(v);
        }
      };
      this.events.on(event, on);
    });
  }

  /** Published diagnostics for the uri at `version` (or any, when not given) that satisfy pred. */
  diagnostics(uri: string, pred: (d: Diagnostic[]) => boolean = () => true, version?: number): Promise<Diagnostic[]> {
    return this.waitFor<PublishDiagnosticsParams>(
      'diagnostics',
      (p) => p.uri === uri && (version === undefined || p.version === version) && pred(p.diagnostics),
      () => this.published.get(uri),
    ).then((p) => p.diagnostics);
  }

  analysisDone(uri: string, version: number): Promise<AnalysisDoneParams> {
    return this.waitFor<AnalysisDoneParams>('analysisDone', (p) => p.uri === uri && p.version >= version, () =>
      [...this.analyses].reverse().find((a) => a.uri === uri));
  }

  /** The first window/showMessage (already shown or still to come) that satisfies pred. */
  message(pred: (m: string) => boolean): Promise<string> {
    const shown = this.messages.find(pred);
    return shown !== undefined ? Promise.resolve(shown) : this.waitFor<string>('showMessage', pred);
  }

  nextRefresh(): Promise<void> {
    const n = this.refreshes;
    return this.waitFor<void>('refresh', () => this.refreshes > n).then(() => undefined);
  }

  async open(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Opens a note as the VS Code client does from OPEN_IN_PARTS_FROM characters: its parts, then a didOpen with empty text. */
  async openInParts(uri: string, text: string, languageId = 'plaintext'): Promise<void> {
    const parts = openInParts(uri, 1, text);
    if (!parts) throw new Error(`a note of ${text.length} characters is opened whole`);
    for (const p of parts) await this.conn.sendNotification(Methods.openPart, p);
    await this.open(uri, '', languageId);
  }

  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async configChanged(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { caseNoteAudit: settings } });
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
    return this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params);
  }

  async watchedFilesChanged(changes: Array<{ uri: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes });
  }
}

/** A user rule that flags "kicked off" (rule-folder tests). */
export const KICKED_OFF_RULE = [
  'id: kicked-off',
  'category: minimising-euphemism',
  'severity: warning',
  'message: "\\"Kicked off\\" minimises what he did."',
  'why: "Euphemisms hide the behaviour of the person causing harm and its impact on the child."',
  'sources: ["https://example.org/source"]',
  'patterns: ["< kicked off >"]',
  'suggestions: ["Describe what {perpetrator} did."]',
  'examples:',
  '  flag: ["Dad [[kicked off]] at the school."]',
  '  ok: ["The match kicked on."]',
  '',
].join('\n');

/** Applies LSP text edits to a string (for checking quick fixes). */
export function applyEdits(text: string, edits: Array<{ range: Range; newText: string }>): string {
  const lines: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lines.push(i + 1);
  const off = (p: { line: number; character: number }) => lines[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
