// The server's documents (NoteDocument) find their line starts a slice at a time, so every
// position, offset and edit must be the one TextDocument itself gives, for every kind of line
// break and wherever a slice boundary falls (including between the \r and \n of a \r\n).
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NoteDocument } from '../../server/src/lsp/document';

const TEXTS = [
  '',
  'one line, no break',
  'a\nb\n',
  'a\r\nb\r\n\r\nc',
  '\r\r\n\n\rx\ry\r\n',
  'Home visit.\r\nMum was calm.\nThe children\rwere at school.\r\n\r\n',
];

function assertSamePositions(note: NoteDocument, doc: TextDocument, what: string): void {
  const text = doc.getText();
  assert.equal(note.getText(), text, what);
  assert.equal(note.lineCount, doc.lineCount, `${what}: line count`);
  for (let o = -1; o <= text.length + 1; o++) assert.deepEqual(note.positionAt(o), doc.positionAt(o), `${what}: offset ${o}`);
  for (let line = -1; line <= doc.lineCount + 1; line++) {
    for (let character = -1; character <= 4; character++) {
      assert.equal(note.offsetAt({ line, character }), doc.offsetAt({ line, character }), `${what}: line ${line}:${character}`);
    }
    assert.deepEqual(note.getLineRange(line), doc.getLineRange(line), `${what}: range of line ${line}`);
    assert.equal(note.getEOLCharacters(line), doc.getEOLCharacters(line), `${what}: line break of line ${line}`);
  }
}

describe('lsp: note documents', () => {
  for (const text of TEXTS) {
    it(`give TextDocument's positions and offsets for ${JSON.stringify(text).slice(0, 40)}`, () => {
      const doc = TextDocument.create('file:///note.txt', 'casenote', 1, text);
      for (const step of [1, 2, 3, 1000]) {
        const note = new NoteDocument(doc.uri, doc.languageId, 1, text);
        let steps = 0;
        while (!note.indexLines(step)) steps++;
        assert.ok(steps <= text.length, 'the scan ends');
        assertSamePositions(note, doc, `step ${step}`);
        assert.equal(note.uri, doc.uri);
      }
      // a lookup before the scan ends finishes it
      const early = new NoteDocument(doc.uri, doc.languageId, 1, text);
      early.indexLines(2);
      assertSamePositions(early, doc, 'lookup mid-scan');
    });
  }

  const EDITS: Array<{ start: [number, number]; end: [number, number]; text: string }> = [
    { start: [0, 0], end: [0, 0], text: 'x' },
    { start: [0, 1], end: [1, 1], text: '' },
    { start: [1, 0], end: [1, 0], text: 'new\nlines\r\nhere\r' },
    { start: [0, 2], end: [0, 2], text: '\n' },
    { start: [1, 0], end: [0, 1], text: 'backwards range ' },
    { start: [9, 0], end: [9, 0], text: ' at the end\r' },
    { start: [0, 1], end: [0, 1], text: '\r' },
    { start: [0, 0], end: [5, 0], text: 'all\nreplaced' },
    // enough lines that they are not spliced in one by one
    { start: [1, 0], end: [1, 0], text: 'many\n'.repeat(10001) },
  ];
  for (const text of TEXTS) {
    it(`apply edits as TextDocument does to ${JSON.stringify(text).slice(0, 40)}`, () => {
      let doc = TextDocument.create('file:///note.txt', 'casenote', 1, text);
      const note = new NoteDocument(doc.uri, doc.languageId, 1, text);
      let version = 1;
      for (const e of EDITS) {
        const change = { range: { start: { line: e.start[0], character: e.start[1] }, end: { line: e.end[0], character: e.end[1] } }, text: e.text };
        version++;
        // the text as TextDocument edits it; positions as a fresh document of that text gives them
        // (TextDocument's own kept line starts go wrong for ranges past the end)
        doc = TextDocument.update(doc, [change], version);
        note.update([change], version);
        assert.equal(note.version, version);
        assertSamePositions(note, TextDocument.create(doc.uri, doc.languageId, version, doc.getText()), `after ${JSON.stringify(e)}`);
      }
      version++;
      doc = TextDocument.update(doc, [{ text: 'whole\r\nnew text' }], version);
      note.update([{ text: 'whole\r\nnew text' }], version);
      assertSamePositions(note, doc, 'after a full-text change');
    });
  }
});
