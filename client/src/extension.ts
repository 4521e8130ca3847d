// The VS Code side of casenote-audit: starts the language server over IPC, registers the
// commands the code actions run (explain, dismiss with a reason, turn a rule off), shows the
// findings of the current note in the status bar and opens the walkthrough sample.
// It restarts a server that stopped unexpectedly (with a cap, RestartPolicy) and says so, and
// passes workspace trust on, so an untrusted workspace's rule folders are not loaded.
// No auditing logic here, and nothing leaves the machine: no telemetry, no network.

import * as vscode from 'vscode';
import {
  CloseAction, ConfigurationParams, ErrorAction, ErrorHandler, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind,
} from 'vscode-languageclient/node';
import { registerAuditCommands } from './auditCommands';
import { openInPartsMiddleware } from './openInParts';
import { RestartPolicy } from './restartPolicy';
import {
  AnalysisDoneParams, CASENOTE_LANGUAGE, Commands, CONFIG_SECTION, DEFAULT_LANGUAGES, DismissParams, DismissResult, ExplainParams, ExplainResult,
  FindingCommandArgs, InitializationOptions, Methods, ServerProcessResult, SOURCE, VisibleRangesParams, WorkspaceTrustParams,
} from '../../server/src/protocol';

const EXPLAIN_SCHEME = 'casenote-audit-explain';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;

/** What the extension exposes to its own end-to-end tests (and nothing else). */
export interface CaseNoteAuditApi {
  client(): LanguageClient | undefined;
  /** Resolves when the server has finished analysing this document at (at least) this version. */
  whenAnalysed(uri: vscode.Uri, version: number): Promise<AnalysisDoneParams>;
  /** Every analysis the server reports from now on (also after a restart). */
  onAnalysed: vscode.Event<AnalysisDoneParams>;
  /** The process id of the running server. */
  serverPid(): Promise<number>;
  /** Messages the extension showed about the server's health (restarted, not restarted). */
  onNotice: vscode.Event<string>;
  /** Report webviews currently open (the CSP test inspects their options and HTML). */
  reportPanels(): vscode.WebviewPanel[];
}

function languages(): string[] {
  const v = vscode.workspace.getConfiguration(CONFIG_SECTION).get<string[]>('languages');
  return Array.isArray(v) && v.length > 0 ? v : [...DEFAULT_LANGUAGES];
}

/**
 * Restarts a server that stopped unexpectedly, up to the policy's cap, and tells the user either
 * way (the library's own messages are suppressed: `handled`). A deliberate stop (restart command,
 * deactivation) never comes here.
 */
function errorHandler(policy: RestartPolicy, notify: (level: 'warning' | 'error', message: string) => void): ErrorHandler {
  return {
    // the library's default: a few failed writes are tolerated, then the connection is shut down
    error: (_e, _m, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
    closed: () => {
      const minutes = policy.windowMs / 60000;
      if (policy.crashed()) {
        notify('warning', 'Case Note Audit: the language server stopped unexpectedly and was restarted. Findings come back as notes are checked again.');
        return { action: CloseAction.Restart, handled: true };
      }
      notify('error', `Case Note Audit: the language server stopped unexpectedly ${policy.recent} times in ${minutes} minutes and was not restarted. ` +
        'Notes are not being checked; see the log, then run "Case Notes: Restart the language server".');
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

/**
 * Adds the user-scope ruleFolders to the caseNoteAudit section the server asks for, so in an
 * untrusted workspace the server can keep the user's own folders and drop the workspace's
 * (VS Code itself also ignores restricted settings from an untrusted workspace).
 */
function withUserRuleFolders(params: ConfigurationParams, result: unknown[]): unknown[] {
  return result.map((r, i) => {
    const item = params.items[i];
    if (item?.section !== CONFIG_SECTION || !r || typeof r !== 'object') return r;
    const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
    const user = vscode.workspace.getConfiguration(CONFIG_SECTION, scope).inspect<string[]>('ruleFolders')?.globalValue;
    return { ...(r as object), userRuleFolders: Array.isArray(user) ? user : [] };
  });
}

function createClient(context: vscode.ExtensionContext, handler: ErrorHandler): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const selector = languages().flatMap((language) => [{ scheme: 'file', language }, { scheme: 'untitled', language }]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    synchronize: {
      configurationSection: CONFIG_SECTION,
      // rule folders (YAML) and the dismissals sidecar are re-read when they change on disk
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
        vscode.workspace.createFileSystemWatcher('**/.casenote-audit/dismissals.json'),
      ],
    },
    outputChannel: output,
    diagnosticPullOptions: { onChange: true, onSave: false },
    errorHandler: handler,
    // evaluated at every (re)start, so a restarted server knows the trust granted since
    initializationOptions: (): InitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
    middleware: {
      // a note of a megabyte or more goes to the server in parts (openInParts.ts)
      ...openInPartsMiddleware((method, params) => languageClient.sendNotification(method, params)),
      workspace: {
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          return Array.isArray(result) ? withUserRuleFolders(params, result) : result;
        },
      },
    },
  };
  const languageClient = new LanguageClient('caseNoteAudit', 'Case Note Audit', serverOptions, clientOptions);
  return languageClient;
}

export async function activate(context: vscode.ExtensionContext): Promise<CaseNoteAuditApi> {
  output = vscode.window.createOutputChannel('Case Note Audit', { log: true });
  context.subscriptions.push(output);

  // explanations open as read-only markdown documents (rendered in the preview when possible)
  const explanations = new Map<string, string>();
  const explainChanged = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    explainChanged,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, {
      onDidChange: explainChanged.event,
      provideTextDocumentContent: (uri) => explanations.get(uri.path) ?? '',
    }),
  );

  const analysed = new vscode.EventEmitter<AnalysisDoneParams>();
  const lastAnalysis = new Map<string, AnalysisDoneParams>();
  const notices = new vscode.EventEmitter<string>();
  context.subscriptions.push(analysed, notices);

  const restarts = new RestartPolicy();
  const notify = (level: 'warning' | 'error', message: string) => {
    output?.appendLine(message);
    notices.fire(message);
    const shown = level === 'error' ? vscode.window.showErrorMessage(message, 'Show Log') : vscode.window.showWarningMessage(message, 'Show Log');
    void shown.then((choice) => choice && output?.show(true));
  };
  const handler = errorHandler(restarts, notify);

  const start = async () => {
    restarts.reset();
    client = createClient(context, handler);
    client.onNotification(Methods.analysisDone, (p: AnalysisDoneParams) => {
      lastAnalysis.set(p.uri, p);
      analysed.fire(p);
    });
    await client.start();
  };

  const requireClient = (): LanguageClient => {
    if (!client) throw new Error('The case note audit server is not running.');
    return client;
  };

  const reportPanels = new Set<vscode.WebviewPanel>();
  context.subscriptions.push(...registerAuditCommands(context, () => client, reportPanels));
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.explain, async (args: FindingCommandArgs) => {
      const params: ExplainParams = { uri: args.uri, ruleId: args.data.ruleId, suggestions: args.data.suggestions, text: args.data.text };
      const r = await requireClient().sendRequest<ExplainResult | null>(Methods.explain, params);
      if (!r) {
        void vscode.window.showWarningMessage(`No explanation found for rule ${args.data.ruleId}.`);
        return undefined;
      }
      const path = `/${args.data.ruleId}.md`;
      explanations.set(path, r.markdown);
      const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path });
      explainChanged.fire(uri);
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      } catch {
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
      return uri;
    }),

    vscode.commands.registerCommand(Commands.dismiss, async (args: FindingCommandArgs, reasonForTests?: string) => {
      const reason = reasonForTests ?? (await vscode.window.showInputBox({
        title: `Dismiss “${args.data.ruleId}” here`,
        prompt: 'Why is this wording right here? The reason and the date are recorded in .casenote-audit/dismissals.json in the workspace folder, never in the note.',
        placeHolder: 'e.g. quoting the court order verbatim',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'A reason is needed, so the decision can be reviewed.'),
      }));
      if (!reason || !reason.trim()) return undefined;
      const params: DismissParams = { uri: args.uri, ruleId: args.data.ruleId, fingerprint: args.data.fingerprint, reason: reason.trim() };
      try {
        const r = await requireClient().sendRequest<DismissResult>(Methods.dismiss, params);
        void vscode.window.setStatusBarMessage(`Dismissed ${args.data.ruleId} here (recorded in ${vscode.workspace.asRelativePath(r.file)})`, 5000);
        return r;
      } catch (e) {
        void vscode.window.showErrorMessage(`Could not record the dismissal: ${(e as Error).message}`);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(Commands.disableRule, async (args: FindingCommandArgs) => {
      const uri = vscode.Uri.parse(args.uri);
      const config = vscode.workspace.getConfiguration(CONFIG_SECTION, uri);
      const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
      const target = hasWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      const inspected = config.inspect<Record<string, string>>('rules');
      const current = (hasWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
      await config.update('rules', { ...current, [args.data.ruleId]: 'off' }, target);
      void vscode.window.setStatusBarMessage(`Rule ${args.data.ruleId} turned off in ${hasWorkspace ? 'workspace' : 'user'} settings`, 5000);
    }),

    vscode.commands.registerCommand(Commands.openSample, async () => {
      const sample = vscode.Uri.joinPath(context.extensionUri, 'samples', 'walkthrough', 'sample.casenote');
      const doc = await vscode.workspace.openTextDocument(sample);
      await vscode.window.showTextDocument(doc);
      return doc.uri;
    }),

    vscode.commands.registerCommand(Commands.showProblems, () => vscode.commands.executeCommand('workbench.actions.view.problems')),
    vscode.commands.registerCommand(Commands.showOutput, () => output?.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      await client?.stop();
      await start();
    }),

    // the document selector is built from caseNoteAudit.languages: restart when it changes
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration(`${CONFIG_SECTION}.languages`)) {
        await client?.stop();
        await start();
      }
    }),

    // restricted mode ends: the server may now load the workspace's rule folders
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceTrustParams = { trusted: true };
      if (client?.isRunning()) void client.sendNotification(Methods.workspaceTrust, params);
    }),

    // large notes: the server analyses what is on screen first
    vscode.window.onDidChangeTextEditorVisibleRanges((e) => sendVisible(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((e) => e && sendVisible(e)),
  );

  const statusBar = createStatusBar(context);
  await start();
  statusBar.update();

  return {
    client: () => client,
    onAnalysed: analysed.event,
    onNotice: notices.event,
    serverPid: async () => (await requireClient().sendRequest<ServerProcessResult>(Methods.serverProcess)).pid,
    reportPanels: () => [...reportPanels],
    whenAnalysed: (uri, version) =>
      new Promise((resolve) => {
        const key = uri.toString();
        const done = lastAnalysis.get(key);
        if (done && done.version >= version) return resolve(done);
        const sub = analysed.event((p) => {
          if (p.uri === key && p.version >= version) {
            sub.dispose();
            resolve(p);
          }
        });
      }),
  };
}

function sendVisible(editor: vscode.TextEditor): void {
  if (!client || !client.isRunning()) return;
  const params: VisibleRangesParams = {
    uri: editor.document.uri.toString(),
    ranges: editor.visibleRanges.map((r) => ({ start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } })),
  };
  void client.sendNotification(Methods.visibleRanges, params);
}

/** Findings in the current note by severity; clicking opens the Problems view. */
function createStatusBar(context: vscode.ExtensionContext): { update: () => void } {
  const item = vscode.window.createStatusBarItem('caseNoteAudit.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Case Note Audit';
  item.command = Commands.showProblems;
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !languages().includes(editor.document.languageId) || !['file', 'untitled'].includes(editor.document.uri.scheme)) {
      item.hide();
      return;
    }
    const c = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const d of vscode.languages.getDiagnostics(editor.document.uri)) {
      if (d.source !== SOURCE) continue;
      if (d.severity === vscode.DiagnosticSeverity.Error) c.error++;
      else if (d.severity === vscode.DiagnosticSeverity.Warning) c.warning++;
      else if (d.severity === vscode.DiagnosticSeverity.Information) c.info++;
      else c.hint++;
    }
    const total = c.error + c.warning + c.info;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    item.text = total === 0
      ? '$(pass) Case note: no findings'
      : `$(checklist) Case note: ${plural(c.error, 'error', 'errors')}, ${plural(c.warning, 'warning', 'warnings')}, ${c.info} info`;
    const tip = new vscode.MarkdownString(
      `**Case note audit** (Safe & Together language)\n\n${c.error} error(s), ${c.warning} warning(s), ${c.info} information, ${c.hint} hint(s) in this note.\n\nClick to open the Problems view.`,
    );
    item.tooltip = tip;
    item.accessibilityInformation = { label: `Case note audit: ${c.error} errors, ${c.warning} warnings, ${c.info} information, ${c.hint} hints` };
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.languages.onDidChangeDiagnostics((e) => {
      const active = vscode.window.activeTextEditor?.document.uri.toString();
      if (active && e.uris.some((u) => u.toString() === active)) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidOpenTextDocument((d) => d.languageId === CASENOTE_LANGUAGE && update()),
  );
  return { update };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
