// The audit requests of the language server over a real JSON-RPC connection (in memory):
// results, work-done progress, cancellation and bad parameters.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { CancellationTokenSource, createMessageConnection, MessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection, Connection } from 'vscode-languageserver/node';
import { registerAuditRequests } from '../../server/src/lsp/auditRequests';
import { AUDIT_REQUEST, AuditResult, COMPARE_REQUEST, CompareResult } from '../../server/src/protocol/audit';
import { CASE_FILES, testRules } from './helpers';

describe('lsp: audit requests', () => {
  let server: Connection;
  let client: MessageConnection;
  const progress: Array<{ token: string | number; value: { kind: string; percentage?: number; message?: string } }> = [];

  before(() => {
    const up = new PassThrough();
    const down = new PassThrough();
    server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
    registerAuditRequests(server, { ruleSet: testRules, toolVersion: '0.0.0-test' });
    server.listen();
    client = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
    client.onNotification('$/progress', (p) => { progress.push(p); });
    client.listen();
  });
  after(() => { client.dispose(); server.dispose(); });

  it('audits folders and returns the HTML, Markdown and JSON reports with work-done progress', async () => {
    const r = await client.sendRequest<AuditResult>(AUDIT_REQUEST, { paths: [CASE_FILES], jobs: 1, workDoneToken: 'audit-1' });
    assert.equal(r.json.totals.entries, 16);
    assert.match(r.html, /^<!DOCTYPE html>/);
    assert.match(r.markdown, /^# Case-note language audit/);
    await new Promise((res) => setImmediate(res));
    const mine = progress.filter((p) => p.token === 'audit-1').map((p) => p.value.kind);
    assert.equal(mine[0], 'begin');
    assert.equal(mine[mine.length - 1], 'end');
  });

  it('compares two sides, or one input split at a date', async () => {
    const r = await client.sendRequest<CompareResult>(COMPARE_REQUEST, { baseline: [path.join(CASE_FILES, 'chronology.txt')], followup: [path.join(CASE_FILES, 'chronology.md')], jobs: 1 });
    assert.equal(r.json.schema, 'casenote-audit/compare');
    assert.equal(r.baseline.totals.entries, 4);
    const s = await client.sendRequest<CompareResult>(COMPARE_REQUEST, { paths: [CASE_FILES], baselineBefore: '2023-01-01', jobs: 1 });
    assert.deepEqual([s.json.baseline.entries, s.json.followup.entries], [8, 8]);
  });

  it('stops when the request is cancelled and answers RequestCancelled', async () => {
    const cts = new CancellationTokenSource();
    const p = client.sendRequest(AUDIT_REQUEST, { paths: [CASE_FILES, CASE_FILES, CASE_FILES], jobs: 1 }, cts.token);
    cts.cancel();
    await assert.rejects(p, (e: ResponseError<void>) => e.code === -32800);
  });

  it('rejects bad parameters with InvalidParams', async () => {
    for (const params of [{ paths: [] }, { paths: [CASE_FILES], by: ['colour'] }, { paths: [CASE_FILES], auditId: 'short' }]) {
      await assert.rejects(client.sendRequest(AUDIT_REQUEST, params), (e: ResponseError<void>) => e.code === -32602, JSON.stringify(params));
    }
    await assert.rejects(client.sendRequest(COMPARE_REQUEST, { paths: [CASE_FILES], baselineBefore: '1/1/2023' }), (e: ResponseError<void>) => e.code === -32602);
  });
});
