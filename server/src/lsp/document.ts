// The server's open documents. `vscode-languageserver-textdocument`'s TextDocument finds all the
// line starts of its text on the first position lookup: on a 10 MB export that is one stretch of
// 40-75 ms (100-240 ms on a loaded machine), and it came on the first hover, code action or edit
// after opening such a note. A NoteDocument answers the same positions and applies the same
// edits, but its line starts can be found a slice at a time (`indexLines`), which the analysis
// run does between its slices; only a lookup that comes before that scan has finished completes
// it in one go.
//
// It also assembles notes the client sends in parts (Methods.openPart): a large note's didOpen
// arrives with empty text, after parts that are each a small message (docs/performance.md).

import { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lineAt, LineIndex } from '../engine';
import { OpenPartParams } from '../protocol';

export class NoteDocument implements TextDocument {
  /** Line starts, complete; undefined while `scanning` finds them. */
  private starts: number[] | undefined;
  private scanning: LineIndex | undefined;

  constructor(readonly uri: string, readonly languageId: string, private ver: number, private content: string) {
    this.reindex();
  }

  get version(): number {
    return this.ver;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  getText(range?: Range): string {
    if (!range) return this.content;
    return this.content.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  /** Finds the line starts in about `chars` more characters; true once all are known. */
  indexLines(chars: number): boolean {
    if (!this.scanning) return true;
    if (!this.scanning.scan(chars)) return false;
    this.starts = [...this.scanning.lineStarts];
    this.scanning = undefined;
    return true;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.content.length));
    const starts = this.lineStarts();
    const line = lineAt(starts, o);
    return { line, character: this.beforeLineBreak(o, starts[line]) - starts[line] };
  }

  offsetAt(p: Position): number {
    const starts = this.lineStarts();
    if (p.line >= starts.length) return this.content.length;
    if (p.line < 0) return 0;
    const start = starts[p.line];
    if (p.character <= 0) return start;
    return this.beforeLineBreak(Math.min(start + p.character, this.nextLineStart(p.line)), start);
  }

  private nextLineStart(line: number): number {
    const starts = this.lineStarts();
    return line + 1 < starts.length ? starts[line + 1] : this.content.length;
  }

  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.content.length - starts[last] } };
    }
    const end = this.beforeLineBreak(this.nextLineStart(line), starts[line]);
    return { start: { line, character: 0 }, end: { line, character: end - starts[line] } };
  }

  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = this.nextLineStart(line);
    return this.content.substring(this.beforeLineBreak(next, starts[line]), next);
  }

  /** Applies changes as TextDocument.update does; the line starts are kept up to date, not found again. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.content = change.text;
        this.reindex();
        continue;
      }
      const range = wellFormed(change.range);
      const startOffset = this.offsetAt(range.start);
      const endOffset = this.offsetAt(range.end);
      // the lines of the offsets, not of the range: a range past the end names lines that do not exist
      const startLine = this.positionAt(startOffset).line;
      const endLine = this.positionAt(endOffset).line;
      const starts = this.lineStarts();
      this.content = this.content.substring(0, startOffset) + change.text + this.content.substring(endOffset);
      const insertedEnd = startOffset + change.text.length;
      const crlfAt = (o: number) => this.content.charCodeAt(o - 1) === 13 && this.content.charCodeAt(o) === 10;
      if (crlfAt(startOffset) || crlfAt(insertedEnd)) {
        // a \r\n made or split across the edit's boundary: the inserted text's own starts are not enough
        this.reindex();
        continue;
      }
      // in place, as TextDocument does: a 10 MB note has some 250,000 line starts
      const added = new LineIndex(change.text).lineStarts.slice(1).map((o) => o + startOffset);
      if (added.length === endLine - startLine) for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i];
      else if (added.length < 10000) starts.splice(startLine + 1, endLine - startLine, ...added);
      else this.starts = starts.slice(0, startLine + 1).concat(added, starts.slice(endLine + 1));
      const diff = change.text.length - (endOffset - startOffset);
      const lines = this.starts as number[];
      if (diff !== 0) for (let i = startLine + 1 + added.length; i < lines.length; i++) lines[i] += diff;
    }
    this.ver = version;
  }

  private reindex(): void {
    this.starts = undefined;
    this.scanning = new LineIndex(this.content, { lazy: true });
  }

  /** The line starts; a lookup before the sliced scan is done finishes it at once. */
  private lineStarts(): number[] {
    if (!this.starts) this.indexLines(Infinity);
    return this.starts as number[];
  }

  private beforeLineBreak(offset: number, lineStart: number): number {
    while (offset > lineStart && (this.content.charCodeAt(offset - 1) === 10 || this.content.charCodeAt(offset - 1) === 13)) offset--;
    return offset;
  }
}

function wellFormed(range: Range): Range {
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character)) return { start: end, end: start };
  return range;
}

/**
 * The parts of notes sent in pieces, until their didOpen (which then carries empty text)
 * arrives. Parts of one note come in order, each a separate small message, so no single
 * message is the whole note.
 */
export class OpenParts {
  private readonly pending = new Map<string, { version: number; expected: number; parts: string[] }>();

  /**
   * Notes held at once. The client sends a note's didOpen right after its parts, so one or two
   * are pending at a time; a client that stopped half-way (a bug, or a note opened by another
   * client that never finished) must not leave megabytes behind for every note it started, so
   * past this the oldest are let go. Were such a note's didOpen still to come, it would open
   * empty, as a note whose parts went missing does.
   */
  constructor(private readonly max = 8) {}

  add(p: OpenPartParams): void {
    let note = this.pending.get(p.uri);
    if (p.part === 0 || !note || note.version !== p.version) {
      this.pending.delete(p.uri);
      this.pending.set(p.uri, (note = { version: p.version, expected: p.parts, parts: [] }));
      for (const uri of this.pending.keys()) {
        if (this.pending.size <= this.max) break;
        this.pending.delete(uri);
      }
    }
    if (p.part === note.parts.length) note.parts.push(p.text);
  }

  /** Notes whose parts are held (for tests). */
  get size(): number { return this.pending.size; }

  /** The note's text if all its parts came for this version (and forgets the parts). */
  take(uri: string, version: number): string | undefined {
    const note = this.pending.get(uri);
    if (!note) return undefined;
    this.pending.delete(uri);
    return note.version === version && note.parts.length === note.expected ? note.parts.join('') : undefined;
  }
}

/** The document type of the server's TextDocuments: a note opened in parts gets its assembled text. */
export function noteDocuments(parts: OpenParts): {
  create(uri: string, languageId: string, version: number, content: string): NoteDocument;
  update(doc: NoteDocument, changes: TextDocumentContentChangeEvent[], version: number): NoteDocument;
} {
  return {
    create: (uri, languageId, version, content) => new NoteDocument(uri, languageId, version, content === '' ? parts.take(uri, version) ?? '' : content),
    update: (doc, changes, version) => {
      doc.update(changes, version);
      return doc;
    },
  };
}
