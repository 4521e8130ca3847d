// Readers: one exported file in, entries out. Text formats (.txt, .md, .csv) are streamed in
// chunks; .docx and .html are read whole (refused above the size limit) and converted to text.
// Every reader hands entries to an async sink, which is where backpressure comes from: the
// reader does not read on while the worker pool is full.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectRoles, Roles } from '../engine';
import { decodeText, InputError, ioReason, limitMb, NOT_REGULAR } from '../host/readText';
import { ColumnMap, ColumnRole, CsvParser, CsvRecord, mapColumns } from './csv';
import { DateOrder, parseDate } from './dates';
import { decodeChunks, DecodeState } from './decode';
import { checkDocxSize } from './docx';
import { ChronologySplitter, isBlank, RawEntry, splitAuthor } from './entries';
import { htmlToText } from './html';
import { InputFormat } from './schema';

export const AUDIT_EXTENSIONS: Record<string, InputFormat> = {
  '.txt': 'txt', '.text': 'txt', '.md': 'md', '.markdown': 'md', '.csv': 'csv', '.tsv': 'csv', '.docx': 'docx', '.html': 'html', '.htm': 'html',
};

/** Whole-file formats are refused above this size unless --max-size says otherwise. */
export const DEFAULT_WHOLE_FILE_MAX = 64 * 1024 * 1024;
/**
 * The XML inside a .docx may expand to at most this fraction of the size limit: the converter
 * needs about 70 bytes of memory per byte of XML, so the default (64 MB / 4 = 16 MB of XML, a
 * document of over a thousand pages) keeps it near 1 GB.
 */
export const DOCX_XML_SHARE = 4;
/** Row errors listed per file; the rest are summed up in one line. */
export const MAX_ROW_ERRORS = 100;

export function formatOf(file: string): InputFormat {
  return AUDIT_EXTENSIONS[path.extname(file).toLowerCase()] ?? 'txt';
}

export interface ReadOptions {
  dateOrder: DateOrder;
  columns: Partial<Record<ColumnRole, string>>;
  delimiter?: string;
  /** Bytes; undefined: no limit for streamed formats, DEFAULT_WHOLE_FILE_MAX for whole-file ones. */
  maxBytes?: number;
  maxEntryChars?: number;
  signal?: AbortSignal;
  /** Read with blocking calls (the command line; see decode.ts). */
  blocking?: boolean;
}

export interface ReadSink {
  entry(e: RawEntry): Promise<void>;
  /** A problem at a line (malformed CSV row): the row is skipped, the file goes on. */
  rowError(line: number, message: string): void;
  /** Bytes read so far (for progress). */
  bytes?(n: number): void;
}

export interface ReadResult {
  format: InputFormat;
  bytes: number;
  encoding: string;
  notes: string[];
}

/** Reads the people a file header declares; undefined when it declares nobody (the engine then looks in each entry). */
export function rolesFromHeader(text: string): Roles | undefined {
  if (!text.trim()) return undefined;
  const r = detectRoles(text);
  return r.survivor || r.perpetrator || r.children.length > 0 ? r : undefined;
}

export async function readInput(file: string, opts: ReadOptions, sink: ReadSink): Promise<ReadResult> {
  const format = formatOf(file);
  if (/\.doc$/i.test(file)) throw new InputError('Word 97-2003 .doc files are not supported; save the file as .docx');
  let st: fs.Stats;
  try { st = opts.blocking ? fs.statSync(file) : await fs.promises.stat(file); } catch (e) { throw new InputError(ioReason(e)); }
  if (st.isDirectory()) throw new InputError('is a folder');
  if (!st.isFile()) throw new InputError(NOT_REGULAR);
  const limit = opts.maxBytes ?? (format === 'docx' || format === 'html' ? DEFAULT_WHOLE_FILE_MAX : undefined);
  if (limit !== undefined && st.size > limit) {
    throw new InputError(`file is ${(st.size / 1048576).toFixed(1)} MB, over the ${limitMb(limit)} MB limit (raise it with --max-size)`);
  }
  if (st.size === 0) throw new InputError('empty file');
  const stem = path.basename(file, path.extname(file));
  const notes: string[] = [];
  if (format === 'docx' || format === 'html') {
    let buf: Buffer;
    try { buf = opts.blocking ? fs.readFileSync(file) : await fs.promises.readFile(file); } catch (e) { throw new InputError(ioReason(e)); }
    sink.bytes?.(buf.length);
    let text: string;
    let encoding = 'utf-8';
    if (format === 'docx') {
      if (buf.length < 4 || buf[0] !== 0x50 || buf[1] !== 0x4b) throw new InputError('not a .docx file (no ZIP signature); it may be corrupt or another format renamed');
      checkDocxSize(buf, (limit ?? DEFAULT_WHOLE_FILE_MAX) / DOCX_XML_SHARE);
      let html: string;
      try {
        const mammoth = await import('mammoth');
        // images are never read (the converter would inline each one as base64): only text counts
        const convertImage = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));
        html = (await mammoth.convertToHtml({ buffer: buf }, { convertImage })).value;
      } catch (e) {
        throw new InputError(`cannot read the .docx (corrupt or not a Word document): ${String((e as Error).message ?? e).split('\n')[0]}`);
      }
      text = htmlToText(html);
    } else {
      const d = decodeText(buf);
      encoding = d.encoding;
      if (d.note) notes.push(d.note);
      text = htmlToText(d.text);
    }
    if (!text.trim()) throw new InputError('no text in the file');
    await splitText([text], stem, opts, { ...sink, entry: (e) => sink.entry({ ...e, converted: true }) });
    return { format, bytes: buf.length, encoding, notes };
  }

  const state: DecodeState = { encoding: 'utf-8', bytes: 0 };
  let lastBytes = 0;
  const chunks = decodeChunks(file, state, opts.signal, undefined, opts.blocking);
  const progress = () => { if (state.bytes !== lastBytes) { sink.bytes?.(state.bytes - lastBytes); lastBytes = state.bytes; } };
  let any = false;
  if (format === 'csv') any = await readCsv(chunks, file, opts, sink, progress);
  else any = await splitText(chunks, stem, opts, sink, progress);
  progress();
  if (state.note) notes.push(state.note);
  if (!any && !opts.signal?.aborted) throw new InputError(format === 'csv' ? 'no data rows' : 'no text in the file');
  return { format, bytes: state.bytes, encoding: state.encoding, notes };
}

async function splitText(chunks: AsyncIterable<string> | Iterable<string>, stem: string, opts: ReadOptions, sink: ReadSink, progress?: () => void): Promise<boolean> {
  const queue: RawEntry[] = [];
  let any = false;
  let blank = true;
  const splitter = new ChronologySplitter({ fileStem: stem, dateOrder: opts.dateOrder, maxEntryChars: opts.maxEntryChars, onPreamble: rolesFromHeader }, (e) => queue.push(e));
  const drain = async () => {
    while (queue.length > 0) {
      const e = queue.shift()!;
      if (!isBlank(e.text) || e.segment === undefined || e.segment === 'last') any = true;
      await sink.entry(e);
    }
  };
  for await (const chunk of chunks) {
    if (blank && /\S/.test(chunk)) blank = false;
    splitter.push(chunk);
    progress?.();
    await drain();
    if (opts.signal?.aborted) return any;
  }
  splitter.end();
  if (blank) { queue.length = 0; return false; }
  await drain();
  return any;
}

async function readCsv(chunks: AsyncIterable<string>, file: string, opts: ReadOptions, sink: ReadSink, progress: () => void): Promise<boolean> {
  const queue: RawEntry[] = [];
  let columns: ColumnMap | undefined;
  let header: string[] | undefined;
  let rowErrors = 0;
  let rows = 0;
  let columnError: Error | undefined;
  const stem = path.basename(file, path.extname(file));
  const problem = (line: number, message: string) => {
    rowErrors++;
    if (rowErrors <= MAX_ROW_ERRORS) sink.rowError(line, message);
  };
  const parser = new CsvParser((r: CsvRecord) => {
    if (columnError) return;
    if (!header) {
      header = r.fields;
      try { columns = mapColumns(header, opts.columns); } catch (e) { columnError = e as Error; }
      return;
    }
    const c = columns!;
    rows++;
    const get = (role: ColumnRole) => (c[role] === undefined ? undefined : r.fields[c[role]!].trim() || undefined);
    const textCol = c.text!;
    const rawDate = get('date');
    const date = parseDate(rawDate, opts.dateOrder);
    let time = get('time');
    if (!time && rawDate) time = /[ T](\d{1,2}:\d{2})/.exec(rawDate)?.[1];
    let author = get('author');
    let team = get('team');
    if (author && !team) { const s = splitAuthor(author); author = s.author; team = s.team; }
    const caseRef = get('case');
    const e: RawEntry = {
      id: get('id') ?? `${caseRef ?? stem}:${r.line}`,
      index: rows,
      text: r.fields[textCol].replace(/\r\n?/g, '\n').split('\n').filter((l) => !isBlank(l)).join('\n'),
      line: r.fieldLines[textCol],
      col0: r.fieldCols[textCol],
      ...(date ? { date } : {}),
      ...(time ? { time } : {}),
      ...(get('type') ? { type: get('type') } : {}),
      ...(author ? { author } : {}),
      ...(team ? { team } : {}),
      case: caseRef ?? stem,
    };
    if (/\n\s*\n|\r/.test(r.fields[textCol])) {
      // blank lines were dropped: keep the file line of each remaining line for locations
      const lines: number[] = [];
      r.fields[textCol].replace(/\r\n?/g, '\n').split('\n').forEach((l, i) => { if (!isBlank(l)) lines.push(r.fieldLines[textCol] + i); });
      e.lines = lines;
    }
    queue.push(e);
  }, (p) => problem(p.line, p.message), opts.delimiter);
  for await (const chunk of chunks) {
    parser.push(chunk);
    progress();
    if (columnError) break;
    while (queue.length > 0) await sink.entry(queue.shift()!);
    if (opts.signal?.aborted) return rows > 0;
  }
  if (!columnError) parser.end();
  if (columnError) throw new InputError(columnError.message);
  while (queue.length > 0) await sink.entry(queue.shift()!);
  if (rowErrors > MAX_ROW_ERRORS) sink.rowError(0, `${rowErrors - MAX_ROW_ERRORS} more malformed row(s) not listed`);
  if (!header) return false;
  return rows > 0;
}
