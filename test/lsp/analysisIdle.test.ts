// The analysis service tells background work (the server's warm-up) when no document is being
// analysed, so a note opened at start-up gets its diagnostics before any warm-up example runs.
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService, DocContext } from '../../server/src/lsp/analysis';
import { bundledRules } from '../helpers/rules';

describe('analysis service: idle', () => {
  const doc = TextDocument.create('file:///note.txt', 'plaintext', 1, 'Ms Reid failed to protect Lily.\n\nMr Kerr hit her.');
  const events: string[] = [];
  const ruleSet = bundledRules();
  const ctx: DocContext = {
    applies: true, ruleSet, options: {}, key: 'k', isDismissed: () => false, maxProblems: 0,
    toDiagnostic: (_d, _t, f) => ({ range: { start: { line: 0, character: f.start }, end: { line: 0, character: f.end } }, message: f.message }),
  };
  const service = new AnalysisService({
    getDocument: (uri) => (uri === doc.uri ? doc : undefined),
    resolve: async () => ctx,
    onResult: () => events.push('result'),
    onError: (_uri, e) => { throw e; },
  });

  it('resolves at once when nothing is open', async () => {
    await service.idle();
  });

  it('resolves only after an opened document has its result', async () => {
    service.opened(doc.uri);
    const idle = service.idle().then(() => events.push('idle'));
    await idle;
    assert.deepEqual(events, ['result', 'idle']);
  });

  it('resolves when the document waiting for analysis is closed', async () => {
    service.changed(doc.uri);
    const idle = service.idle();
    service.closed(doc.uri);
    await idle;
  });
});
