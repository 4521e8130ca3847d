// A .docx is a zip, and a zip can be a bomb: 150 KB that inflates to 50 MB of XML kept the Word
// converter (mammoth) busy for minutes and took 3.7 GB; 580 KB (200 MB of XML) exhausted the
// heap and killed the whole audit. Before the converter sees a file, the XML parts it will parse
// are inflated here with a hard cap on their total size (zlib's maxOutputLength stops at the cap,
// so the check itself never holds more than the cap, whatever sizes the zip declares).

import { inflateRawSync } from 'node:zlib';
import { InputError, limitMb } from '../host/readText';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const corrupt = (why: string) => new InputError(`cannot read the .docx (corrupt or not a Word document): ${why}`);

/**
 * Throws InputError when the XML parts of the zip in `buf` would inflate to more than `maxXmlBytes`
 * in total, or when the zip's directory is unreadable. Images and other binary parts are not
 * inflated: the converter is told not to read them.
 */
export function checkDocxSize(buf: Buffer, maxXmlBytes: number): void {
  // the end-of-central-directory record: the last 22 bytes, or up to 64 KB earlier with a comment
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === EOCD) { eocd = i; break; }
  }
  if (eocd < 0) throw corrupt('no zip directory at the end of the file (truncated?)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let budget = maxXmlBytes;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw corrupt('the zip directory is damaged');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    if (!/\.(?:xml|rels)$/i.test(name)) continue;
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL) throw corrupt(`the zip entry ${name} is damaged`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    let size: number;
    if (method === 0) size = Math.min(compressed, buf.length - start);
    else if (method === 8) {
      try {
        // inflate stops at the end of the entry's stream; the declared sizes are not trusted
        size = inflateRawSync(buf.subarray(start), { maxOutputLength: budget + 1 }).length;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') size = budget + 1;
        else throw corrupt(`the zip entry ${name} does not inflate (${String((e as Error).message ?? e)})`);
      }
    } else continue; // a method the converter cannot read either: it reports that
    budget -= size;
    if (budget < 0) {
      throw new InputError(`the .docx expands to more than ${limitMb(maxXmlBytes)} MB of document XML (a zip bomb, or a document too large to convert); raise the limit with --max-size`);
    }
  }
}
