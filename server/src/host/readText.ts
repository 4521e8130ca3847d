// Reading case-note files safely: size limits, binary detection, and decoding of the
// encodings exports actually come in (UTF-8 with or without BOM, UTF-16 with BOM, and
// Windows-1252 from older systems). Every failure is an Error with a reason a person can act on.

import * as fs from 'node:fs';

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class InputError extends Error {}

/** A size limit in MB as messages show it: whole MB, or two decimals below 1 MB. */
export function limitMb(bytes: number): string {
  return (bytes / 1048576).toFixed(bytes < 1048576 ? 2 : 0);
}

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  /** Set when the text was not UTF-8 and was decoded by a fallback. */
  note?: string;
}

/**
 * Decodes bytes of a text export; throws InputError for binary data. Exactly one BOM is removed
 * (the decoders are told to keep any other, so a U+FEFF that starts the text itself survives
 * and the result equals the streaming decode's in audit/decode).
 */
export function decodeText(buf: Uint8Array): DecodedText {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be', { ignoreBOM: true }).decode(buf.subarray(2)), encoding: 'utf-16be' };
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (looksBinary(body)) throw new InputError('binary file (contains NUL or control bytes); not a text export');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: exports from older case-management systems are usually Windows-1252.
    return { text: decodeWindows1252(body), encoding: 'windows-1252', note: 'not valid UTF-8; decoded as Windows-1252' };
  }
}

/** True when the first bytes look like binary data (NUL, or more than 10% control bytes). */
export function looksBinary(buf: Uint8Array): boolean {
  const n = Math.min(buf.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (b === 0) return true;
    if (b < 8 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return n > 0 && control / n > 0.1;
}

/** Windows-1252's characters for bytes 0x80-0x9F (where it differs from Latin-1). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** Decodes Windows-1252 (Node's TextDecoder treats it as Latin-1, which gets curly quotes and dashes wrong). */
export function decodeWindows1252(buf: Uint8Array): string {
  return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Reads and decodes a text file, refusing files over `maxBytes`. */
export function readTextFile(path: string, maxBytes = DEFAULT_MAX_BYTES): DecodedText {
  let st: fs.Stats;
  try {
    st = fs.statSync(path);
  } catch (e) {
    throw new InputError(ioReason(e));
  }
  if (st.isDirectory()) throw new InputError('is a folder');
  // a FIFO would block the read for ever and a device (/dev/zero) never ends
  if (!st.isFile()) throw new InputError(NOT_REGULAR);
  if (st.size > maxBytes) throw new InputError(`file is ${(st.size / 1048576).toFixed(1)} MB, over the ${limitMb(maxBytes)} MB limit (raise it with --max-size)`);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(path);
  } catch (e) {
    throw new InputError(ioReason(e));
  }
  return decodeText(buf);
}

export const NOT_REGULAR = 'not a regular file (a pipe, device or socket); not a text export';

/**
 * Reads a stream (standard input) whole, refusing more than `maxBytes`: a stream has no size to
 * check first, so the limit is applied as it is read.
 */
export async function readStreamLimited(stream: AsyncIterable<Buffer | string>, maxBytes = DEFAULT_MAX_BYTES): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of stream) {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      n += b.length;
      if (n > maxBytes) throw new InputError(`more than ${limitMb(maxBytes)} MB on standard input, over the limit (raise it with --max-size)`);
      parts.push(b);
    }
  } catch (e) {
    throw e instanceof InputError ? e : new InputError(ioReason(e));
  }
  return Buffer.concat(parts);
}

export function ioReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ELOOP': return 'too many symbolic links (a link loop?)';
    case 'EISDIR': return 'is a folder';
    case 'EMFILE': return 'too many open files';
    default: return err.message ?? String(e);
  }
}
