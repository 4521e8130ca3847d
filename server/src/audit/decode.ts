// Streaming decode of text exports: a file is read in chunks and decoded as it goes, so a
// 300 MB CSV never sits in memory whole. The rules are those of host/readText (BOM, UTF-16,
// binary detection, Windows-1252 fallback), applied chunk by chunk: a UTF-8 file that turns out
// not to be UTF-8 part-way through is decoded as Windows-1252 from the first bad chunk on (bytes
// before it were ASCII or valid UTF-8, which Windows-1252 would have read the same in practice).

import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { decodeWindows1252, InputError, ioReason, looksBinary } from '../host/readText';

export { decodeWindows1252, looksBinary };

export const CHUNK_BYTES = 256 * 1024;
/** What looksBinary examines. */
const SNIFF_BYTES = 8192;

export interface DecodeState {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
  note?: string;
  bytes: number;
}

/** Length of the longest prefix of `buf` that does not end inside a UTF-8 sequence. */
function completePrefix(buf: Uint8Array): number {
  const n = buf.length;
  // walk back over at most 3 continuation bytes to the lead byte of the last sequence
  let i = n - 1;
  let back = 0;
  while (i >= 0 && back < 3 && (buf[i] & 0xc0) === 0x80) { i--; back++; }
  if (i < 0) return n;
  const lead = buf[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return n - i >= need ? n : i;
}

/** One open file: its chunks are fresh buffers, which the decoder may keep. */
interface OpenFile {
  read(): Promise<Buffer> | Buffer;
  close(): Promise<void> | void;
}

async function openAsync(path: string, chunkBytes: number): Promise<OpenFile> {
  const fh = await fs.promises.open(path, 'r');
  const buf = Buffer.allocUnsafe(chunkBytes);
  return {
    read: async () => Buffer.from(buf.subarray(0, (await fh.read(buf, 0, chunkBytes, null)).bytesRead)),
    close: () => fh.close(),
  };
}

let blockingBuf: Buffer | undefined;
/**
 * Blocking reads, for the command line, where this thread has nothing else to do while a file
 * is read: a small export read through the thread pool took four round trips (open, read, the
 * read that finds the end, close), and they cost this thread more than the reading itself,
 * while the workers waited. The language server reads through the thread pool, as a file on a
 * slow share must not stall diagnostics. One buffer serves every blocking read, since a read
 * and the copy out of it happen with no await in between.
 */
function openBlocking(path: string, chunkBytes: number): OpenFile {
  const fd = fs.openSync(path, 'r');
  return {
    read: () => {
      if (!blockingBuf || blockingBuf.length < chunkBytes) blockingBuf = Buffer.allocUnsafe(chunkBytes);
      return Buffer.from(blockingBuf.subarray(0, fs.readSync(fd, blockingBuf, 0, chunkBytes, null)));
    },
    close: () => fs.closeSync(fd),
  };
}

/**
 * Reads `path` in chunks and yields decoded text. Throws InputError for unreadable, empty or
 * binary files (before yielding anything). `state` is filled in as the file is read.
 */
export async function* decodeChunks(path: string, state: DecodeState, signal?: AbortSignal, chunkBytes = CHUNK_BYTES, blocking = false): AsyncGenerator<string> {
  let file: OpenFile;
  try {
    file = blocking ? openBlocking(path, chunkBytes) : await openAsync(path, chunkBytes);
  } catch (e) {
    throw new InputError(ioReason(e));
  }
  try {
    let carry: Buffer = Buffer.alloc(0);
    // The BOM and the binary check look at the first SNIFF_BYTES of the file (as decodeText
    // does), however short the first reads are, so the result never depends on read sizes.
    let head: Buffer | undefined = Buffer.alloc(0);
    let utf16: TextDecoder | undefined;
    for (;;) {
      if (signal?.aborted) return;
      let chunk: Buffer;
      try {
        chunk = await file.read();
      } catch (e) {
        throw new InputError(ioReason(e));
      }
      const n = chunk.length;
      state.bytes += n;
      if (head) {
        head = Buffer.concat([head, chunk]);
        if (n > 0 && head.length < SNIFF_BYTES) continue;
        chunk = head;
        head = undefined;
        if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) { state.encoding = 'utf-16le'; utf16 = new TextDecoder('utf-16le', { ignoreBOM: true }); chunk = chunk.subarray(2); }
        else if (chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff) { state.encoding = 'utf-16be'; utf16 = new TextDecoder('utf-16be', { ignoreBOM: true }); chunk = chunk.subarray(2); }
        else {
          if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
          if (looksBinary(chunk)) throw new InputError('binary file (contains NUL or control bytes); not a text export');
        }
      }
      if (n === 0 && chunk.length === 0) break;
      if (utf16) { yield utf16.decode(chunk, { stream: true }); continue; }
      if (state.encoding === 'windows-1252') { yield decodeWindows1252(chunk); continue; }
      const all = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completePrefix(all);
      const complete = all.subarray(0, cut);
      if (isUtf8(complete)) {
        carry = Buffer.from(all.subarray(cut));
        if (complete.length > 0) yield complete.toString('utf8');
      } else {
        state.encoding = 'windows-1252';
        state.note = 'not valid UTF-8; decoded as Windows-1252';
        carry = Buffer.alloc(0);
        yield decodeWindows1252(all);
      }
    }
    if (state.bytes === 0) throw new InputError('empty file');
    if (utf16) {
      const rest = utf16.decode();
      if (rest) yield rest;
    } else if (carry.length > 0) {
      // a truncated multi-byte sequence at the very end
      state.note = 'ends in an incomplete UTF-8 sequence; the last bytes were decoded as Windows-1252';
      yield decodeWindows1252(carry);
    }
  } finally {
    await file.close();
  }
}
