// SARIF 2.1.0 output. Results are the one place where the audit keeps something per finding
// (its location), so they are spooled to a temporary file as they arrive and copied into the
// SARIF document at the end: memory stays flat however many findings there are. Messages use
// the rule's wording with [perpetrator]/[survivor]/[child] slots, not names; with
// --include-excerpts results also carry the filled message and the matched text as a snippet.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { CompiledRule, fillPlaceholders, Severity } from '../engine';
import type { FoundItem } from './analyzeUnits';
import { fileLine, UnitMeta } from './aggregate';
import type { AuditReport } from './schema';

const LEVEL: Record<Severity, Sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function artifactUri(p: string): string {
  if (path.isAbsolute(p)) return 'file://' + encodeURI(p.split(path.sep).join('/'));
  return encodeURI(p.split(path.sep).join('/'));
}

export class SarifCollector {
  private readonly dir: string;
  private readonly file: string;
  private fd: number;
  private buf: string[] = [];
  private bufChars = 0;
  private ruleIndex = new Map<string, number>();
  count = 0;

  constructor(private readonly rules: readonly CompiledRule[], private readonly excerpts: boolean) {
    rules.forEach((r, i) => this.ruleIndex.set(r.id, i));
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-audit-sarif-'));
    this.file = path.join(this.dir, 'results.jsonl');
    this.fd = fs.openSync(this.file, 'w');
  }

  add(meta: UnitMeta, f: FoundItem): void {
    if (f.a || f.q || !f.loc) return;
    const [l0, c0, l1, c1] = f.loc;
    const region: Sarif.Region | undefined = meta.converted ? undefined : {
      startLine: fileLine(meta, l0),
      startColumn: c0 + 1 + (l0 === 0 ? meta.col0 ?? 0 : 0),
      endLine: fileLine(meta, l1),
      endColumn: c1 + 1 + (l1 === 0 ? meta.col0 ?? 0 : 0),
    };
    const rule = this.rules[this.ruleIndex.get(f.r) ?? -1];
    const text = this.excerpts && f.ex ? f.ex.message : rule ? genericMessage(rule) : f.r;
    if (this.excerpts && f.ex && region) region.snippet = { text: f.ex.text.slice(f.ex.start, f.ex.end) };
    const result: Sarif.Result = {
      ruleId: f.r,
      ...(this.ruleIndex.has(f.r) ? { ruleIndex: this.ruleIndex.get(f.r) } : {}),
      level: LEVEL[f.s],
      message: { text },
      // text converted from .docx or .html has no lines of the file to point at: the entry id says where
      locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(meta.file) }, ...(region ? { region } : {}) }, logicalLocations: [{ name: meta.id, kind: 'entry' }] }],
      properties: { category: f.c, entry: meta.id },
    };
    const line = JSON.stringify(result);
    this.buf.push(line);
    this.bufChars += line.length;
    this.count++;
    if (this.bufChars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    fs.writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.bufChars = 0;
  }

  /** Writes the SARIF document to `dest` (a file path, or a writer such as process.stdout's). */
  async write(report: AuditReport, dest: string | ((s: string) => void)): Promise<void> {
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
    const doc = sarifSkeleton(report, this.rules);
    const json = JSON.stringify(doc, null, 2);
    const marker = '"results": []';
    const at = json.indexOf(marker);
    const head = json.slice(0, at) + '"results": [\n';
    const tail = '\n      ]' + json.slice(at + marker.length);
    const fd = typeof dest === 'string' ? fs.openSync(dest, 'w') : -1;
    const out = (s: string) => (fd >= 0 ? fs.writeSync(fd, s) : (dest as (s: string) => void)(s));
    try {
      out(head);
      // copy the spooled results, adding the separators
      const input = fs.createReadStream(this.file, { encoding: 'utf8', highWaterMark: 1 << 20 });
      let first = true;
      let rest = '';
      for await (const chunk of input) {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        const parts = lines.filter(Boolean).map((l) => `        ${l}`);
        if (parts.length > 0) { out((first ? '' : ',\n') + parts.join(',\n')); first = false; }
      }
      if (rest) out((first ? '' : ',\n') + `        ${rest}`);
      out(tail + '\n');
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  }

  dispose(): void {
    if (this.fd >= 0) { try { fs.closeSync(this.fd); } catch { /* already closed */ } this.fd = -1; }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const EMPTY_ROLES = { children: [] };
export function genericMessage(rule: CompiledRule): string {
  return fillPlaceholders(rule.message, EMPTY_ROLES);
}

function sarifSkeleton(report: AuditReport, rules: readonly CompiledRule[]): Sarif.Log {
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'casenote-audit',
            version: report.tool.version,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: genericMessage(r) },
              fullDescription: { text: r.why.trim() },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { category: r.category, kind: r.kind, tags: [r.category] },
            })),
            properties: { ruleset: report.ruleset },
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error' as const,
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: { uri: artifactUri(e.path) }, ...(e.line ? { region: { startLine: e.line } } : {}) } }],
            })),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results: [],
        properties: {
          label: report.label,
          totals: report.totals,
          period: report.period,
        },
      },
    ],
  };
}
