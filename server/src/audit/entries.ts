// Splitting exported chronologies into entries. A case file is a header (case ref, people,
// team) followed by dated entries, each introduced by a header line:
//
//   12/03/2022 14:05 | Home visit | SW Fiona Grant (Children & Families East)      (plain text)
//   ## 12/03/2022 14:05: Home visit                                              (Markdown, HTML h1-h6, docx headings)
//   **Author:** SW Fiona Grant (Children & Families East) · **Entry:** CF21-20002-07
//
// The splitter is fed decoded text in chunks and emits entries as soon as they end, so memory
// holds one entry at a time. An entry's text is its body with blank lines removed, so the same
// entry gives the same text (and the same findings) from .txt, .md, .csv, .docx or .html.
// Entries longer than `maxEntryChars` are emitted in segments, and lines longer than
// MAX_LINE_CHARS in pieces, so no input (however large or oddly shaped) is held whole.

import type { Roles } from '../engine';
import { DateOrder, parseDate } from './dates';

export interface EntryMeta {
  /** Entry id: from the export, else "<case ref or file stem>-NN". */
  id: string;
  /** 1-based position in the file. */
  index: number;
  date?: string;
  time?: string;
  type?: string;
  author?: string;
  team?: string;
  case?: string;
  /** File line (1-based) of the text's first line. */
  line: number;
  /** File line of every text line, when they are not consecutive. */
  lines?: number[];
  /** 0-based file column where the first text line starts (CSV fields). */
  col0?: number;
  /** The text was converted from another format (.docx, .html): line numbers are not the file's. */
  converted?: boolean;
}

export interface RawEntry extends EntryMeta {
  text: string;
  /** The people, when the file's header declares them. */
  roles?: Roles;
  /** Over-long entries arrive in segments; absent for an entry that arrives whole. */
  segment?: 'first' | 'middle' | 'last';
}

export const MAX_LINE_CHARS = 64 * 1024;
export const DEFAULT_MAX_ENTRY_CHARS = 200_000;
const MAX_PREAMBLE_CHARS = 64 * 1024;

const DATE = String.raw`(\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})`;
const TIME = String.raw`(\d{1,2}[:.]\d{2}(?::\d{2})?)`;
const PIPE_HEADER = new RegExp(String.raw`^\s*${DATE}(?:[ T,]+${TIME})?\s*\|\s*(.*?)\s*$`);
const HEADING_HEADER = new RegExp(String.raw`^\s*#{1,6}\s+${DATE}(?:[ T,]+${TIME})?\s*(?:(?::|\||-|–|—)\s*(.*?))?\s*$`);
const AUTHOR_LINE = /^\s*[*_]{0,2}(?:author|recorded by|written by|worker)\s*:?\s*[*_]{0,2}\s*:?\s*(.+?)\s*$/i;
const ID_PART = /^[*_]{0,2}(?:entry(?: id)?|id)\s*:?\s*[*_]{0,2}\s*:?\s*(\S+?)[*_]{0,2}$/i;
const TEAM_PART = /^[*_]{0,2}team\s*:?\s*[*_]{0,2}\s*:?\s*(.+)$/i;
/** Tried at the start of each header line (after its indentation): see caseRefOf. */
const CASE_REF = /^\|?\s*[*_]{0,2}case\s*(?:ref(?:erence)?|number|no\.?|id)[*_]{0,2}\s*(?::|\|)\s*[*_]{0,2}([A-Za-z0-9][\w./-]*)/i;

export interface EntryHeader {
  date?: string;
  time?: string;
  type?: string;
  author?: string;
  team?: string;
  id?: string;
}

/** Whether `s` is empty or white space, as `s.trim() === ''` says, without copying it (this runs per line and per entry). */
export const isBlank = (s: string): boolean => !/\S/.test(s);

const stripMarkup = (s: string) => s.replace(/[*_`]{1,3}/g, '').trim();

/**
 * "SW Fiona Grant (Children & Families East)" -> author and team: the team is a bracketed group
 * at the end with no brackets inside. Found with lastIndexOf rather than a regular expression:
 * a lazy prefix before \s* is quadratic on long runs of spaces, and a CSV author field can be MBs.
 */
export function splitAuthor(field: string): { author?: string; team?: string } {
  const s = stripMarkup(field);
  if (s.endsWith(')')) {
    const open = s.lastIndexOf('(');
    const prefix = open > 0 && s.indexOf(')', open) === s.length - 1 ? s.slice(0, open).trimEnd() : '';
    // (a name broken over lines is left whole, as the expression this replaced left it)
    const author = /[\n\r\u2028\u2029]/.test(prefix) ? '' : prefix.trim();
    if (author) return { author, team: s.slice(open + 1, -1).trim() || undefined };
  }
  return { author: s || undefined };
}

/** Parses an entry header line, or returns undefined when the line is not one. */
export function parseHeaderLine(line: string, order: DateOrder = 'dmy'): EntryHeader | undefined {
  if (line.length > 400) return undefined;
  let m = PIPE_HEADER.exec(line);
  let rest: string | undefined;
  if (m) rest = m[3];
  else {
    m = HEADING_HEADER.exec(line);
    if (!m) return undefined;
    rest = m[3];
  }
  const date = parseDate(m[1], order);
  if (!date) return undefined;
  const h: EntryHeader = { date };
  if (m[2]) h.time = m[2].replace('.', ':');
  const fields = (rest ?? '').split(/\s*\|\s*/).map((f) => f.trim()).filter(Boolean);
  if (fields[0]) h.type = stripMarkup(fields[0]);
  if (fields[1]) Object.assign(h, splitAuthor(fields[1]));
  if (fields[2]) h.team = stripMarkup(fields[2]);
  return h;
}

/** Parses an "Author: X (Team) · Entry: ID" line that follows a heading-style header. */
export function parseAuthorLine(line: string): Partial<EntryHeader> | undefined {
  if (line.length > 400) return undefined; // as for header lines; AUTHOR_LINE is quadratic in long runs of spaces
  const m = AUTHOR_LINE.exec(line);
  if (!m) return undefined;
  const parts = m[1].split(/\s+[·•|]\s+/);
  const out: Partial<EntryHeader> = splitAuthor(parts[0]);
  for (const p of parts.slice(1)) {
    const id = ID_PART.exec(p.trim());
    if (id) { out.id = id[1]; continue; }
    const team = TEAM_PART.exec(p.trim());
    if (team) out.team = stripMarkup(team[1]);
  }
  return out;
}

/**
 * The case reference a file header declares ("Case ref: CF21-20002", "| Case ref | CF21 |"), if
 * any; the value may be on the next line. Tried line by line, after the line's indentation: one
 * multi-line expression with ^\s* retried at every line start was cubic in a run of blank lines
 * (4,000 of them took 30 s, and a header may hold 64 KB of them).
 */
export function caseRefOf(preamble: string): string | undefined {
  const terminator = /[\n\r\u2028\u2029]/g; // where ^ matches in a multi-line expression
  for (let start = 0; start <= preamble.length;) {
    terminator.lastIndex = start;
    const nl = terminator.exec(preamble)?.index ?? -1;
    const end = nl < 0 ? preamble.length : nl;
    let i = start;
    while (i < end && /\s/.test(preamble[i])) i++;
    // only lines that can match are tried, on the line plus a little of what follows it
    if (/^\|?\s*[*_]{0,2}case/i.test(preamble.slice(i, Math.min(end, i + 400)))) {
      const m = CASE_REF.exec(preamble.slice(i, Math.max(end, i + 400) + 200));
      if (m) return m[1];
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return undefined;
}

interface Line { text: string; line: number }

export interface SplitterOptions {
  /** Used in entry ids when the header has no case ref. */
  fileStem: string;
  dateOrder?: DateOrder;
  maxEntryChars?: number;
  /** Called once, before the first entry, with the file's header text (or the start of a headerless file). */
  onPreamble?: (text: string) => Roles | undefined;
}

export class ChronologySplitter {
  private partial = '';
  private lineNo = 1;
  private preamble: string[] = [];
  private preambleChars = 0;
  private preambleDone = false;
  private headerless = false;
  private roles: Roles | undefined;
  private caseRef: string | undefined;
  private cur: { header: EntryHeader; index: number; body: Line[]; chars: number; segments: number } | undefined;
  private expectAuthor = false;
  private count = 0;
  private readonly maxEntry: number;

  constructor(private readonly opts: SplitterOptions, private readonly emit: (e: RawEntry) => void) {
    this.maxEntry = opts.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS;
  }

  /** Entries emitted so far (segments of one entry count once). */
  get entries(): number {
    return this.count;
  }

  push(chunk: string): void {
    const s = this.partial + chunk;
    this.partial = '';
    let pos = 0;
    const re = /\r\n?|\n/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      if (m[0] === '\r' && m.index === s.length - 1) break; // maybe the first half of CRLF
      this.line(s.slice(pos, m.index), false);
      pos = m.index + m[0].length;
    }
    let rest = s.slice(pos);
    while (rest.length > MAX_LINE_CHARS) {
      // a very long line cannot be a header: pass it on in pieces, cut at white space
      let cut = rest.lastIndexOf(' ', MAX_LINE_CHARS);
      if (cut < MAX_LINE_CHARS / 2) cut = MAX_LINE_CHARS;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--;
      this.line(rest.slice(0, cut), true);
      rest = rest.slice(cut);
    }
    this.partial = rest;
  }

  end(): void {
    if (this.partial.length > 0) this.line(this.partial.replace(/\r$/, ''), false);
    this.partial = '';
    if (!this.preambleDone) {
      // no entry header anywhere: the whole file is one note
      this.startHeaderless();
    }
    this.finishEntry();
  }

  private line(text: string, fragment: boolean): void {
    const ln = this.lineNo;
    if (!fragment) this.lineNo++;
    if (!this.headerless && !fragment) {
      const h = text.length <= 400 && /\d/.test(text) ? parseHeaderLine(text, this.opts.dateOrder) : undefined;
      if (h) { this.startEntry(h); return; }
    }
    if (this.expectAuthor) {
      if (isBlank(text)) return;
      this.expectAuthor = false;
      const a = fragment ? undefined : parseAuthorLine(text);
      if (a && this.cur) {
        const h = this.cur.header;
        if (a.author && !h.author) h.author = a.author;
        if (a.team && !h.team) h.team = a.team;
        if (a.id) h.id = a.id;
        return;
      }
    }
    if (!this.cur) {
      this.preamble.push(text);
      this.preambleChars += text.length + 1;
      if (this.preambleChars > MAX_PREAMBLE_CHARS) this.startHeaderless();
      return;
    }
    if (isBlank(text)) return;
    this.cur.body.push({ text, line: ln });
    this.cur.chars += text.length + 1;
    if (this.cur.chars > this.maxEntry) this.flushSegment(false);
  }

  private finishPreamble(): void {
    if (this.preambleDone) return;
    this.preambleDone = true;
    const text = this.preamble.join('\n');
    this.caseRef = caseRefOf(text);
    this.roles = this.opts.onPreamble?.(text);
  }

  private startHeaderless(): void {
    this.finishPreamble();
    this.headerless = true;
    const lines = this.preamble;
    this.preamble = [];
    this.cur = { header: {}, index: 1, body: [], chars: 0, segments: 0 };
    lines.forEach((text, i) => {
      if (isBlank(text)) return;
      this.cur!.body.push({ text, line: i + 1 });
      this.cur!.chars += text.length + 1;
    });
    if (this.cur.chars > this.maxEntry) this.flushSegment(false);
  }

  private startEntry(h: EntryHeader): void {
    this.finishPreamble();
    this.finishEntry();
    this.cur = { header: h, index: this.count + 1, body: [], chars: 0, segments: 0 };
    this.preamble = [];
    this.expectAuthor = true;
  }

  private finishEntry(): void {
    if (!this.cur) return;
    this.flushSegment(true);
    this.cur = undefined;
    this.expectAuthor = false;
  }

  private flushSegment(last: boolean): void {
    const cur = this.cur!;
    if (!last && cur.body.length === 0) return;
    const h = cur.header;
    const body = cur.body;
    const caseRef = this.caseRef;
    const id = h.id ?? (this.headerless ? (caseRef ?? this.opts.fileStem) : `${caseRef ?? this.opts.fileStem}-${String(cur.index).padStart(2, '0')}`);
    const first = body[0]?.line ?? this.lineNo;
    let consecutive = true;
    for (let i = 1; i < body.length && consecutive; i++) consecutive = body[i].line === body[i - 1].line + 1 || body[i].line === body[i - 1].line;
    const e: RawEntry = {
      id,
      index: cur.index,
      text: body.map((l) => l.text).join('\n'),
      line: first,
      ...(consecutive ? {} : { lines: body.map((l) => l.line) }),
      ...(h.date ? { date: h.date } : {}),
      ...(h.time ? { time: h.time } : {}),
      ...(h.type ? { type: h.type } : {}),
      ...(h.author ? { author: h.author } : {}),
      ...(h.team ? { team: h.team } : {}),
      ...(caseRef ? { case: caseRef } : { case: this.opts.fileStem }),
      ...(this.roles ? { roles: this.roles } : {}),
    };
    if (!last) e.segment = cur.segments === 0 ? 'first' : 'middle';
    else if (cur.segments > 0) e.segment = 'last';
    cur.segments++;
    cur.body = [];
    cur.chars = 0;
    if (last) this.count++;
    this.emit(e);
  }
}
