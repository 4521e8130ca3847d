// Large notes get their positions from SlicedLineIndex instead of the TextDocument, so every
// diagnostic range must be the one TextDocument itself would give, for every kind of line
// break and wherever a slice boundary falls (including between the \r and \n of a \r\n).
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SlicedLineIndex, withLineIndex } from '../../server/src/lsp/diagnostics';

const TEXTS = [
  '',
  'one line, no break',
  'a\nb\n',
  'a\r\nb\r\n\r\nc',
  '\r\r\n\n\rx\ry\r\n',
  'Home visit.\r\nMum was calm.\nThe children\rwere at school.\r\n\r\n',
];

describe('lsp: sliced line index', () => {
  for (const text of TEXTS) {
    it(`gives TextDocument's positions and offsets for ${JSON.stringify(text).slice(0, 40)}`, () => {
      const doc = TextDocument.create('file:///note.txt', 'casenote', 1, text);
      for (const step of [1, 2, 3, 1000]) {
        const index = new SlicedLineIndex(text);
        let steps = 0;
        while (!index.scan(step)) steps++;
        assert.ok(steps <= text.length, 'the scan ends');
        const view = withLineIndex(doc, index);
        for (let o = -1; o <= text.length + 1; o++) assert.deepEqual(view.positionAt(o), doc.positionAt(o), `offset ${o}, step ${step}`);
        for (let line = -1; line <= doc.lineCount + 1; line++) {
          for (let character = -1; character <= 4; character++) {
            assert.equal(view.offsetAt({ line, character }), doc.offsetAt({ line, character }), `line ${line}:${character}, step ${step}`);
          }
        }
        assert.equal(view.getText(), text);
        assert.equal(view.uri, doc.uri);
      }
    });
  }
});
