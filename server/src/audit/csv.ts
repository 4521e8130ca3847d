// A streaming RFC 4180 parser for case-note exports: one note per row, fields quoted when they
// hold the delimiter, quotes or line breaks (quotes doubled), CRLF or LF between records.
//
// It is fed decoded text in chunks and emits records as they complete. Malformed rows are
// reported with their line and skipped, and parsing resumes at the next line, so one bad row
// never costs the good ones: a stray quote in an unquoted field, text after a closing quote,
// the wrong number of fields, or a quote that is never closed (the parser gives up on it at the
// end of the file or after MAX_RECORD_CHARS and re-reads the following lines as rows).

export const MAX_RECORD_CHARS = 2 * 1024 * 1024;

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** Per field: 1-based line and 0-based column where its content starts. */
  fieldLines: number[];
  fieldCols: number[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

type Step = { kind: 'record'; rec: CsvRecord; next: number; line: number } | { kind: 'more' } | { kind: 'error'; message: string; line: number; resume: number; resumeLine: number };

export class CsvParser {
  private buf = '';
  private pos = 0;
  private line = 1;
  private delim: number | undefined;
  private width: number | undefined;
  /** Discarding an over-long row up to the next line break. */
  private skipping = false;
  /** Records emitted, header included. */
  records = 0;

  constructor(
    private readonly onRecord: (r: CsvRecord) => void,
    private readonly onProblem: (p: CsvProblem) => void,
    delimiter?: string,
  ) {
    if (delimiter) this.delim = delimiter.charCodeAt(0);
  }

  get delimiter(): string {
    return String.fromCharCode(this.delim ?? 44);
  }

  push(chunk: string): void {
    if (this.skipping) {
      const nl = chunk.indexOf('\n');
      if (nl < 0) return;
      this.skipping = false;
      this.line++;
      chunk = chunk.slice(nl + 1);
    }
    this.buf = this.pos > 0 ? this.buf.slice(this.pos) + chunk : this.buf + chunk;
    this.pos = 0;
    this.run(false);
    if (this.buf.length - this.pos > 2 * MAX_RECORD_CHARS) {
      // one row (without a line break) larger than any note: drop it rather than hold it
      this.onProblem({ line: this.line, message: `row is longer than ${MAX_RECORD_CHARS / 1048576} MB without a line break; skipped` });
      const nl = this.buf.indexOf('\n', this.pos);
      this.skipping = nl < 0;
      this.buf = nl < 0 ? '' : this.buf.slice(nl + 1);
      this.pos = 0;
      if (nl >= 0) { this.line++; this.run(false); }
    }
  }

  end(): void {
    this.run(true);
    this.buf = '';
    this.pos = 0;
  }

  private run(eof: boolean): void {
    if (this.delim === undefined) {
      const nl = this.buf.indexOf('\n');
      if (nl < 0 && !eof) return;
      this.delim = sniffDelimiter(nl < 0 ? this.buf : this.buf.slice(0, nl));
    }
    while (this.pos < this.buf.length) {
      const st = this.parse(this.pos, this.line, eof);
      if (st.kind === 'more') return;
      if (st.kind === 'error') {
        this.onProblem({ line: st.line, message: st.message });
        this.pos = st.resume;
        this.line = st.resumeLine;
        continue;
      }
      this.pos = st.next;
      const startLine = this.line;
      this.line = st.line;
      const r = st.rec;
      if (r.fields.length === 1 && r.fields[0] === '' ) continue; // blank line
      if (this.width === undefined) this.width = r.fields.length;
      else if (r.fields.length !== this.width) {
        this.onProblem({ line: startLine, message: `row has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'}, expected ${this.width} (as in the header); row skipped` });
        continue;
      }
      this.records++;
      this.onRecord(r);
    }
  }

  /** Parses one record starting at `start` (line `line`). */
  private parse(start: number, line: number, eof: boolean): Step {
    const b = this.buf;
    const D = this.delim!;
    const n = b.length;
    let i = start;
    let lineStart = start;
    const fields: string[] = [];
    const fieldLines: number[] = [];
    const fieldCols: number[] = [];
    const recLine = line;
    const skipLine = (from: number, message: string): Step => {
      const nl = b.indexOf('\n', from);
      if (nl < 0 && !eof) return { kind: 'more' };
      // count the line breaks between the record start and the resume point
      let l = recLine;
      const stop = nl < 0 ? n : nl + 1;
      for (let k = b.indexOf('\n', start); k >= 0 && k < stop; k = b.indexOf('\n', k + 1)) l++;
      return { kind: 'error', message, line: recLine, resume: stop, resumeLine: l };
    };
    for (;;) {
      if (i < n && b.charCodeAt(i) === QUOTE) {
        fieldLines.push(line);
        fieldCols.push(i + 1 - lineStart);
        let j = i + 1;
        let val = '';
        for (;;) {
          const k = b.indexOf('"', j);
          if (k < 0) {
            if (!eof && n - start < MAX_RECORD_CHARS) return { kind: 'more' };
            // never closed: report it and re-read from the line after the opening quote
            const nl = b.indexOf('\n', i);
            const resume = nl < 0 ? n : nl + 1;
            let l = recLine;
            for (let q = b.indexOf('\n', start); q >= 0 && q < resume; q = b.indexOf('\n', q + 1)) l++;
            return { kind: 'error', message: `quoted field opened on line ${line} is never closed; row skipped`, line: recLine, resume, resumeLine: l };
          }
          if (k + 1 >= n && !eof) return { kind: 'more' };
          for (let q = b.indexOf('\n', j); q >= 0 && q < k; q = b.indexOf('\n', q + 1)) { line++; lineStart = q + 1; }
          if (b.charCodeAt(k + 1) === QUOTE) {
            val += b.slice(j, k + 1);
            j = k + 2;
            continue;
          }
          val += b.slice(j, k);
          i = k + 1;
          break;
        }
        fields.push(val);
      } else {
        fieldLines.push(line);
        fieldCols.push(i - lineStart);
        let j = i;
        while (j < n) {
          const c = b.charCodeAt(j);
          if (c === D || c === LF || c === CR) break;
          if (c === QUOTE) return skipLine(j, `stray double quote in an unquoted field (column ${j - lineStart + 1}); row skipped`);
          j++;
        }
        if (j >= n && !eof) return { kind: 'more' };
        fields.push(b.slice(i, j));
        i = j;
      }
      if (i >= n) {
        if (!eof) return { kind: 'more' };
        return { kind: 'record', rec: { fields, line: recLine, fieldLines, fieldCols }, next: i, line };
      }
      const c = b.charCodeAt(i);
      if (c === D) { i++; continue; }
      if (c === CR) {
        if (i + 1 >= n && !eof) return { kind: 'more' };
        i += b.charCodeAt(i + 1) === LF ? 2 : 1;
        return { kind: 'record', rec: { fields, line: recLine, fieldLines, fieldCols }, next: i, line: line + 1 };
      }
      if (c === LF) return { kind: 'record', rec: { fields, line: recLine, fieldLines, fieldCols }, next: i + 1, line: line + 1 };
      return skipLine(i, `unexpected text after a closing quote (column ${i - lineStart + 1}); row skipped`);
    }
  }
}

/** The delimiter of a header line: comma, semicolon or tab, whichever occurs most outside quotes. */
export function sniffDelimiter(headerLine: string): number {
  const count: Record<number, number> = { 44: 0, 59: 0, 9: 0 };
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine.charCodeAt(i);
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && c in count) count[c]++;
  }
  let best = 44;
  for (const c of [59, 9]) if (count[c] > count[best]) best = c;
  return best;
}

// ---------------------------------------------------------------------------
// Columns

export type ColumnRole = 'text' | 'date' | 'time' | 'author' | 'team' | 'type' | 'case' | 'id';
export const COLUMN_ROLES: readonly ColumnRole[] = ['text', 'date', 'time', 'author', 'team', 'type', 'case', 'id'];

/** Header names recognised for each role, most specific first (compared after normalising to a_b_c). */
const ALIASES: Record<ColumnRole, string[]> = {
  text: ['text', 'note', 'notes', 'note_text', 'entry_text', 'case_note', 'casenote', 'body', 'narrative', 'content', 'details', 'description', 'recording', 'entry', 'comments'],
  date: ['date', 'entry_date', 'date_of_entry', 'note_date', 'recorded_date', 'event_date', 'contact_date', 'created', 'created_at', 'datetime', 'timestamp'],
  time: ['time', 'entry_time', 'note_time'],
  author: ['author', 'worker', 'practitioner', 'recorded_by', 'written_by', 'created_by', 'staff', 'staff_member', 'user', 'social_worker'],
  team: ['team', 'author_team', 'service', 'unit', 'office', 'locality', 'department'],
  type: ['entry_type', 'type', 'note_type', 'contact_type', 'category', 'event_type'],
  case: ['case_ref', 'case', 'case_id', 'case_number', 'case_no', 'case_reference', 'client_id', 'family_id', 'child_id'],
  id: ['entry_id', 'note_id', 'record_id', 'id'],
};

export const normHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

export type ColumnMap = Partial<Record<ColumnRole, number>>;

/**
 * Works out which column is which from the header row. `overrides` (from --text-column etc.)
 * name a column by header text or 1-based number. Throws an Error with a readable message when
 * an override names no column or no text column can be found.
 */
export function mapColumns(header: string[], overrides: Partial<Record<ColumnRole, string>> = {}): ColumnMap {
  const norm = header.map(normHeader);
  const map: ColumnMap = {};
  const used = new Set<number>();
  for (const role of COLUMN_ROLES) {
    const o = overrides[role];
    if (o === undefined) continue;
    let idx = /^\d+$/.test(o) ? Number(o) - 1 : norm.indexOf(normHeader(o));
    if (idx < 0 || idx >= header.length) throw new Error(`no column "${o}" for --${role}-column (columns: ${header.join(', ')})`);
    map[role] = idx;
    used.add(idx);
  }
  for (const role of COLUMN_ROLES) {
    if (map[role] !== undefined) continue;
    for (const alias of ALIASES[role]) {
      const idx = norm.indexOf(alias);
      if (idx >= 0 && !used.has(idx)) { map[role] = idx; used.add(idx); break; }
    }
  }
  if (map.text === undefined) throw new Error(`no text column found (columns: ${header.join(', ')}); name it with --text-column`);
  return map;
}
