// Readers and entry splitting: every input format, header parsing, encodings, CSV edge cases.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CsvParser, CsvProblem, CsvRecord, mapColumns } from '../../server/src/audit/csv';
import { parseDate } from '../../server/src/audit/dates';
import { ChronologySplitter, parseAuthorLine, parseHeaderLine, RawEntry } from '../../server/src/audit/entries';
import { htmlToText } from '../../server/src/audit/html';
import { readInput, ReadOptions } from '../../server/src/audit/readers';
import { InputError } from '../../server/src/host/readText';
import { CASE_FILES, tempDir } from './helpers';

const OPTS: ReadOptions = { dateOrder: 'dmy', columns: {} };

async function read(file: string, opts: Partial<ReadOptions> = {}) {
  const entries: RawEntry[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  const res = await readInput(file, { ...OPTS, ...opts }, { entry: async (e) => { entries.push(e); }, rowError: (line, message) => errors.push({ line, message }) });
  return { entries, errors, res };
}

function split(text: string, maxEntryChars?: number, chunk = 7): RawEntry[] {
  const out: RawEntry[] = [];
  const s = new ChronologySplitter({ fileStem: 'note', maxEntryChars, onPreamble: () => undefined }, (e) => out.push(e));
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk));
  s.end();
  return out;
}

function csv(text: string, chunk = 5) {
  const recs: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  const p = new CsvParser((r) => recs.push(r), (x) => problems.push(x));
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
  p.end();
  return { recs, problems };
}

const FIXTURE_TEXTS = [
  'Visit to Ms Reid and the children. The parents have a volatile relationship and police have attended twice this month.\nKirsty Reid failed to protect Lily when Mr Kerr came to the house on Friday.',
  'Ms Reid said Mr Kerr called it "a volatile relationship" but he controls her money.\nMs Reid took the children to her sister\'s when Mr Kerr arrived.',
  'Ms Reid has failed to protect Max and Lily by letting Mr Kerr back.\nMax (4) is settled at nursery; the nursery number is 0131 496 0000.',
  'Ms Reid took the children to her sister\'s after Mr Kerr threatened her. Lily said she was scared.',
];

describe('audit: entry headers', () => {
  it('parses pipe headers with date, time, type, author and team', () => {
    assert.deepEqual(parseHeaderLine('12/03/2022 14:05 | Home visit | SW Fiona Grant (Children & Families East)'),
      { date: '2022-03-12', time: '14:05', type: 'Home visit', author: 'SW Fiona Grant', team: 'Children & Families East' });
    assert.deepEqual(parseHeaderLine('2022-03-12 | Phone call | Tom Baird | Duty'), { date: '2022-03-12', type: 'Phone call', author: 'Tom Baird', team: 'Duty' });
  });
  it('parses Markdown headings and author lines', () => {
    assert.deepEqual(parseHeaderLine('## 28/04/2021 07:40: Police concern report'), { date: '2021-04-28', time: '07:40', type: 'Police concern report' });
    assert.deepEqual(parseAuthorLine('**Author:** SW Alan Grant (Duty & Assessment) · **Entry:** CF21-20002-01'), { author: 'SW Alan Grant', team: 'Duty & Assessment', id: 'CF21-20002-01' });
  });
  it('does not take ordinary lines for headers', () => {
    for (const l of ['12/03/2022 Mum called to cancel.', 'On 12/03/2022 | something', '31/02/2022 10:00 | Visit | X', '# Visit on Friday']) assert.equal(parseHeaderLine(l), undefined, l);
  });
  it('reads dates day first by default, month first on request, ISO always', () => {
    assert.equal(parseDate('03/04/2022'), '2022-04-03');
    assert.equal(parseDate('03/04/2022', 'mdy'), '2022-03-04');
    assert.equal(parseDate('2022-04-03T10:00'), '2022-04-03');
    assert.equal(parseDate('3.4.22'), '2022-04-03');
    assert.equal(parseDate('13/13/2022'), undefined);
  });
});

describe('audit: chronology splitting', () => {
  it('splits at header lines whatever the chunking, drops blank lines and keeps file lines', () => {
    const text = 'Case ref: AB-1\nAdults: X\n\n01/02/2022 10:00 | Visit | A (T)\nline one\n\nline two\n\n02/02/2022 11:00 | Call | B (U)\r\nonly line\r\n';
    for (const chunk of [1, 3, 7, 1000]) {
      const e = split(text, undefined, chunk);
      assert.equal(e.length, 2, `chunk ${chunk}`);
      assert.equal(e[0].id, 'AB-1-01');
      assert.equal(e[0].text, 'line one\nline two');
      assert.equal(e[0].line, 5);
      assert.deepEqual(e[0].lines, [5, 7]);
      assert.equal(e[1].id, 'AB-1-02');
      assert.equal(e[1].text, 'only line');
      assert.equal(e[1].line, 10);
      assert.equal(e[1].case, 'AB-1');
    }
  });
  it('treats a file without headers as one note', () => {
    const e = split('Just a note.\nMum failed to protect.\n');
    assert.equal(e.length, 1);
    assert.equal(e[0].id, 'note');
    assert.equal(e[0].text, 'Just a note.\nMum failed to protect.');
    assert.equal(e[0].date, undefined);
  });
  it('cuts over-long entries into segments and very long lines into pieces', () => {
    const body = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} of the long entry.`).join('\n');
    const e = split(`01/02/2022 10:00 | Visit | A (T)\n${body}\n`, 300);
    assert.ok(e.length > 3);
    assert.equal(e[0].segment, 'first');
    assert.equal(e[e.length - 1].segment, 'last');
    assert.ok(e.every((x) => x.id === 'note-01'));
    assert.equal(e.map((x) => x.text).join('\n'), body);
    const long = 'word '.repeat(40000);
    const l = split(long, 10_000_000, 4096);
    assert.equal(l.length, 1);
    assert.ok(l[0].text.replace(/\n/g, '').trim() === long.trim(), 'the pieces join up to the line');
  });
});

// the command line reads with blocking calls, the language server through the thread pool
// (decode.ts): both must read every format, encoding and bad file alike
for (const blocking of [false, true]) describe(`audit: readers (${blocking ? 'blocking reads' : 'thread-pool reads'})`, () => {
  const readAs = (file: string) => read(file, { blocking });
  it('read the same four entries from .txt, .md, .html and .csv', async () => {
    for (const [f, caseRef] of [['chronology.txt', 'TC-0001'], ['chronology.md', 'TC-0002'], ['chronology.html', 'TC-0004'], ['notes.csv', 'TC-0003']]) {
      const { entries, errors } = await readAs(path.join(CASE_FILES, f));
      assert.deepEqual(errors, [], f);
      assert.deepEqual(entries.map((e) => e.id), [1, 2, 3, 4].map((n) => `${caseRef}-0${n}`), f);
      assert.deepEqual(entries.map((e) => e.text.replace(/’/g, "'")), FIXTURE_TEXTS, f);
      assert.deepEqual(entries.map((e) => e.date), ['2022-03-12', '2022-05-02', '2023-01-15', '2023-02-20'], f);
      assert.deepEqual(entries.map((e) => e.author), ['SW Fiona Grant', 'SSW Tom Baird', 'SW Fiona Grant', 'SW Fiona Grant'], f);
      assert.equal(entries[1].team, 'Duty & Assessment', f);
      assert.equal(entries[0].case, caseRef, f);
      if (f !== 'notes.csv') assert.equal(entries[0].roles?.survivor?.name, 'Kirsty Reid', f);
    }
  });
  it('maps entry text lines back to file lines (txt, md, csv)', async () => {
    const txt = (await readAs(path.join(CASE_FILES, 'chronology.txt'))).entries;
    assert.equal(txt[0].line, 10);
    assert.deepEqual(txt[1].lines, [14, 16]);
    const md = (await readAs(path.join(CASE_FILES, 'chronology.md'))).entries;
    assert.deepEqual(md[0].lines, [17, 19]);
    const csvE = (await readAs(path.join(CASE_FILES, 'notes.csv'))).entries;
    assert.equal(csvE[0].line, 2);
    assert.equal(csvE[0].col0, 88);
  });
  it('reads .docx (via mammoth) and refuses a corrupt one with a reason', async () => {
    const dir = tempDir();
    try {
      const JSZip = require('jszip');
      const zip = new JSZip();
      const para = (t: string) => `<w:p><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`;
      zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>');
      zip.file('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
      zip.file('word/document.xml', `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${[
        'Case ref: DX-7', 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)',
        '12/03/2022 14:05 | Home visit | SW Fiona Grant (East)', 'Kirsty Reid failed to protect Lily &amp; Max.',
        '13/03/2022 10:00 | Phone call | SW Fiona Grant (East)', 'Call to school.',
      ].map(para).join('')}</w:body></w:document>`);
      const file = path.join(dir, 'case.docx');
      fs.writeFileSync(file, await zip.generateAsync({ type: 'nodebuffer' }));
      const { entries, res } = await readAs(file);
      assert.equal(res.format, 'docx');
      assert.deepEqual(entries.map((e) => [e.id, e.text]), [['DX-7-01', 'Kirsty Reid failed to protect Lily & Max.'], ['DX-7-02', 'Call to school.']]);
      assert.equal(entries[0].roles?.perpetrator?.name, 'Jamie Kerr');
      const bad = path.join(dir, 'bad.docx');
      fs.writeFileSync(bad, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
      await assert.rejects(readAs(bad), (e: Error) => e instanceof InputError && /cannot read the \.docx/.test(e.message));
      fs.writeFileSync(bad, 'not a zip at all');
      await assert.rejects(readAs(bad), (e: Error) => e instanceof InputError && /no ZIP signature/.test(e.message));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('turns HTML into text: headings, tables, entities; scripts, styles and comments dropped', () => {
    const t = htmlToText('<head><style>x</style></head><h2>12/03/2022 14:05: Visit</h2><p>A &amp; B&nbsp;&rsquo;s &#8212; &#x41;</p><!-- no --><script>bad()</script><table><tr><td>Mother</td><td>Kirsty Reid</td></tr></table>');
    assert.equal(t, '## 12/03/2022 14:05: Visit\n\nA & B ’s — A\n\n| Mother | Kirsty Reid |\n');
  });
  it('decodes UTF-16 and Windows-1252 (with a note) and refuses binary and empty files', async () => {
    const dir = tempDir();
    try {
      const u16 = path.join(dir, 'u16.txt');
      fs.writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('01/02/2022 10:00 | Visit | A (T)\nMum was seen.\n', 'utf16le')]));
      const a = await readAs(u16);
      assert.equal(a.res.encoding, 'utf-16le');
      assert.equal(a.entries[0].text, 'Mum was seen.');
      const w = path.join(dir, 'w1252.txt');
      fs.writeFileSync(w, Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' visit '), Buffer.from([0x92]), Buffer.from('s')]));
      const b = await readAs(w);
      assert.equal(b.res.encoding, 'windows-1252');
      assert.match(b.res.notes.join(), /Windows-1252/);
      assert.equal(b.entries[0].text, 'Café visit ’s');
      const bin = path.join(dir, 'scan.txt');
      fs.writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 1, 2]));
      await assert.rejects(readAs(bin), /binary file/);
      const empty = path.join(dir, 'empty.csv');
      fs.writeFileSync(empty, '');
      await assert.rejects(readAs(empty), /empty file/);
      const blank = path.join(dir, 'blank.txt');
      fs.writeFileSync(blank, '\n\n   \n');
      await assert.rejects(readAs(blank), /no text/);
      await assert.rejects(readAs(path.join(dir, 'missing.txt')), /no such file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('audit: CSV', () => {
  it('parses RFC 4180: quoted fields, doubled quotes, embedded line breaks, CRLF, any chunking', () => {
    const text = 'a,b,c\r\n1,"x, ""y""\nz",3\r\n\r\n4,5,\r\n';
    for (const chunk of [1, 2, 5, 100]) {
      const { recs, problems } = csv(text, chunk);
      assert.deepEqual(problems, []);
      assert.deepEqual(recs.map((r) => r.fields), [['a', 'b', 'c'], ['1', 'x, "y"\nz', '3'], ['4', '5', '']]);
      assert.deepEqual(recs.map((r) => r.line), [1, 2, 5]);
    }
  });
  it('reports malformed rows with their line and keeps the good ones', () => {
    const text = [
      'id,text', '1,good one', '2,bad "quote" here', '3,"closed"junk', '4,too,many', '5,"good, quoted"', '6,"never closed', '7,after the bad quote', '8,last',
    ].join('\n') + '\n';
    for (const chunk of [1, 4, 1000]) {
      const { recs, problems } = csv(text, chunk);
      assert.deepEqual(recs.slice(1).map((r) => r.fields[0]), ['1', '5', '7', '8'], `chunk ${chunk}`);
      assert.deepEqual(problems.map((p) => p.line), [3, 4, 5, 7], `chunk ${chunk}`);
      assert.match(problems[0].message, /stray double quote/);
      assert.match(problems[1].message, /after a closing quote/);
      assert.match(problems[2].message, /3 fields, expected 2/);
      assert.match(problems[3].message, /never closed/);
    }
  });
  it('detects ; and tab delimiters and finds columns by header name, or as told', () => {
    assert.deepEqual(csv('Date;Worker;Case Note\n01/02/2022;A;Hello; there\n').recs.length, 1);
    const { recs } = csv('Date\tWorker\tCase Note\n01/02/2022\tA\tHello, there\n');
    assert.deepEqual(recs[1].fields, ['01/02/2022', 'A', 'Hello, there']);
    assert.deepEqual(mapColumns(['Date', 'Worker', 'Case Note']), { text: 2, date: 0, author: 1 });
    assert.deepEqual(mapColumns(['when', 'who', 'what'], { text: 'what', date: '1', author: 'WHO' }), { text: 2, date: 0, author: 1 });
    assert.throws(() => mapColumns(['when', 'who']), /no text column found \(columns: when, who\); name it with --text-column/);
    assert.throws(() => mapColumns(['a', 'text'], { text: 'body' }), /no column "body" for --text-column/);
  });
  it('reads a CSV export with bad rows into entries and row errors', async () => {
    const dir = tempDir();
    try {
      const f = path.join(dir, 'export.csv');
      fs.writeFileSync(f, 'Entry Date,Recorded By,Narrative\r\n01/02/2022,SW A (East),"Mum failed to protect, again."\r\n02/02/2022,SW B,he said "no"\r\n03/02/2022,SW C,Fine.\r\n');
      const { entries, errors } = await read(f);
      assert.deepEqual(entries.map((e) => [e.text, e.date, e.author, e.team]), [['Mum failed to protect, again.', '2022-02-01', 'SW A', 'East'], ['Fine.', '2022-02-03', 'SW C', undefined]]);
      assert.deepEqual(errors.map((e) => e.line), [3]);
      const none = path.join(dir, 'none.csv');
      fs.writeFileSync(none, 'when,who\n1,2\n');
      await assert.rejects(read(none), /no text column found/);
      const head = path.join(dir, 'header-only.csv');
      fs.writeFileSync(head, 'date,text\n');
      await assert.rejects(read(head), /no data rows/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
