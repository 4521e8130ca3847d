// Hover on a finding (VS Code shows the diagnostic's message above it): why (the Safe & Together principle), the suggestions and
// the sources, from the latest analysis of the document.

import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FindingData, SOURCE } from '../protocol';
import { DocResult } from './analysis';
import { isFindingData } from './codeActions';
import { explanationMarkdown } from './explain';

export function hoverAt(doc: TextDocument, pos: Position, result: DocResult | undefined): Hover | null {
  if (!result || !result.ruleSet || result.version !== doc.version) return null;
  const offset = doc.offsetAt(pos);
  const parts: string[] = [];
  let range: Hover['range'];
  for (const d of result.diagnostics) {
    if (d.source !== SOURCE || !isFindingData(d.data)) continue;
    const a = doc.offsetAt(d.range.start);
    const b = doc.offsetAt(d.range.end);
    if (offset < a || offset > b) continue;
    const data: FindingData = d.data;
    const rule = result.ruleSet.rule(data.ruleId);
    if (!rule) continue;
    range ??= d.range;
    parts.push(
      `**Case note audit** · \`${data.ruleId}\`\n\n` +
        explanationMarkdown({ rule, message: typeof d.message === 'string' ? d.message : d.message.value, suggestions: data.suggestions, docUri: d.codeDescription?.href ?? '' }, { heading: false, message: false }),
    );
  }
  if (parts.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, ...(range ? { range } : {}) };
}
