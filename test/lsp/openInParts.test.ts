// Large notes go to the server in parts (protocol openInParts, client/src/openInParts.ts), so no
// JSON-RPC message is the whole note. The parts must give back the exact text; the middleware
// must put the parts before the didOpen and keep edits and closes behind it; and the real
// server must treat a note opened in parts exactly as one opened whole.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openInPartsMiddleware } from '../../client/src/openInParts';
import { Methods, OPEN_IN_PARTS_FROM, OPEN_PART_CHARS, openInParts, OpenPartParams } from '../../server/src/protocol';
import { OpenParts } from '../../server/src/lsp/document';
import { LspClient } from './lspClient';

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('open in parts', () => {
  describe('splitting', () => {
    it('leaves a note under the threshold whole', () => {
      assert.equal(openInParts('file:///n.txt', 1, 'x'.repeat(OPEN_IN_PARTS_FROM - 1)), undefined);
    });

    it('gives back the exact text, never splitting a surrogate pair', () => {
      // an emoji (two UTF-16 units) straddles the first cut
      const text = 'a'.repeat(OPEN_PART_CHARS - 1) + '\u{1F600}' + 'b\r\n'.repeat(OPEN_IN_PARTS_FROM / 2);
      const parts = openInParts('file:///n.txt', 3, text)!;
      assert.equal(parts.map((p) => p.text).join(''), text);
      assert.ok(parts.length >= 3);
      parts.forEach((p, i) => {
        assert.deepEqual([p.uri, p.version, p.part, p.parts], ['file:///n.txt', 3, i, parts.length]);
        assert.ok(p.text.length <= OPEN_PART_CHARS + 1);
        const last = p.text.charCodeAt(p.text.length - 1);
        assert.ok(!(last >= 0xd800 && last <= 0xdbff), `part ${i} ends inside a surrogate pair`);
      });
    });
  });

  describe('server side', () => {
    it('assembles a note from its parts for its version only, and holds at most 8 unfinished notes', () => {
      const held = new OpenParts();
      const text = 'Mum failed to protect the children. '.repeat(Math.ceil((1.5 * OPEN_IN_PARTS_FROM) / 36));
      for (const p of openInParts('file:///a.txt', 2, text)!) held.add(p);
      assert.equal(held.take('file:///a.txt', 1), undefined, 'another version');
      for (const p of openInParts('file:///a.txt', 2, text)!) held.add(p);
      assert.equal(held.take('file:///a.txt', 2), text);
      assert.equal(held.size, 0);
      // twenty notes started and never opened: only the last eight are held
      for (let i = 0; i < 20; i++) held.add(openInParts(`file:///n${i}.txt`, 1, text)![0]);
      assert.equal(held.size, 8);
      assert.equal(held.take('file:///n0.txt', 1), undefined);
      // a note started again moves to the back: n12 (the oldest held) survives two more
      held.add(openInParts('file:///n12.txt', 1, text)![0]);
      held.add(openInParts('file:///x.txt', 1, text)![0]);
      assert.equal(held.size, 8);
      assert.equal(held.take('file:///n13.txt', 1), undefined, 'the oldest after n12 moved back');
      for (const p of openInParts('file:///n12.txt', 1, text)!.slice(1)) held.add(p);
      assert.equal(held.take('file:///n12.txt', 1), text);
    });
  });

  describe('client middleware', () => {
    const doc = (text: string, uri = 'file:///big.txt') => ({ uri: { toString: () => uri }, version: 1, getText: () => text });

    it('sends a small note with the plain didOpen', async () => {
      const sent: string[] = [];
      const mw = openInPartsMiddleware(async (m) => { sent.push(m); });
      await mw.didOpen(doc('small'), async (d) => { sent.push(`open:${d.getText()}`); });
      assert.deepEqual(sent, ['open:small']);
    });

    it('writes every part before the didOpen, which carries no text, and holds edits and the close behind it', async () => {
      const log: string[] = [];
      const text = 'Home visit. '.repeat(Math.ceil((2.5 * OPEN_IN_PARTS_FROM) / 12));
      // each part is written a while after it is sent, the last one first: a didOpen sent
      // before they are all written could overtake them
      let pending = 0;
      const mw = openInPartsMiddleware(async (method, p: OpenPartParams) => {
        assert.equal(method, Methods.openPart);
        const wait = 3 * (p.parts - p.part);
        pending++;
        for (let i = 0; i < wait; i++) await settle();
        log.push(`part ${p.part}/${p.parts}`);
        pending--;
      });
      const big = doc(text);
      const opened = mw.didOpen(big, async (d) => {
        assert.equal(pending, 0, 'all parts written first');
        log.push(`open:${d.getText().length}:${d.uri.toString()}:${d.version}`);
      });
      const changed = mw.didChange({ document: big }, async () => { log.push('change'); });
      const closed = mw.didClose(big, async () => { log.push('close'); });
      const other = mw.didChange({ document: doc('x', 'file:///other.txt') }, async () => { log.push('other change'); });
      await Promise.all([opened, changed, closed, other]);
      const n = openInParts('file:///big.txt', 1, text)!.length;
      assert.equal(log[0], 'other change', 'another note is not held back');
      assert.deepEqual(log.slice(-3), ['open:0:file:///big.txt:1', 'change', 'close']);
      assert.deepEqual(log.slice(1, -3).sort(), Array.from({ length: n }, (_, i) => `part ${i}/${n}`).sort());
      // once open, edits go straight through
      await mw.didChange({ document: big }, async () => { log.push('later change'); });
      assert.equal(log[log.length - 1], 'later change');
    });
  });

  describe('the real server', function () {
    this.timeout(120000);
    let client: LspClient | undefined;
    let folder: string;
    let text: string;
    before(() => {
      const dir = path.resolve(__dirname, '..', '..', '..', 'samples', 'notes');
      const unit = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n\n');
      const copies: string[] = [];
      for (let i = 0, n = 0; n <= OPEN_IN_PARTS_FROM; i++) {
        copies.push(unit.replace(/Friday/g, `Friday ${i}`));
        n += copies[i].length + 2;
      }
      text = copies.join('\n\n');
    });
    beforeEach(async () => {
      folder = fs.mkdtempSync(path.join(os.tmpdir(), 'casenote-parts-'));
      client = await LspClient.start({ pull: false, folder });
    });
    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && client?.serverErrors) console.error(client.serverErrors);
      await client?.stop();
      client = undefined;
      fs.rmSync(folder, { recursive: true, force: true });
    });
    const uriOf = (name: string) => pathToFileURL(path.join(folder, name)).toString();

    it('gives a note opened in parts the diagnostics of the same note opened whole, also after an edit; a close forgets it', async () => {
      const whole = uriOf('whole.txt');
      const parted = uriOf('parted.txt');
      await client!.open(whole, text);
      await client!.openInParts(parted, text);
      const [a, b] = await Promise.all([client!.diagnostics(whole, () => true, 1), client!.diagnostics(parted, () => true, 1)]);
      assert.ok(a.length > 100, `a note this long has many findings (${a.length})`);
      assert.deepEqual(b, a);

      // an edit near the end, where positions depend on every line start before it
      const lines = text.split('\n');
      const at = { line: lines.length - 3, character: 0 };
      const edit = [{ range: { start: at, end: at }, text: 'Mum failed to protect the children.\r\n' }];
      const [va, vb] = [await client!.change(whole, edit), await client!.change(parted, edit)];
      const [a2, b2] = await Promise.all([client!.diagnostics(whole, () => true, va), client!.diagnostics(parted, () => true, vb)]);
      assert.notDeepEqual(a2, a, 'the edit adds a finding');
      assert.deepEqual(b2, a2);

      // closed and opened again whole and empty: the parts are not used again
      await client!.close(parted);
      await client!.diagnostics(parted, (d) => d.length === 0);
      await client!.open(parted, '');
      assert.deepEqual(await client!.diagnostics(parted, () => true, 1), [], 'an empty note');
    });
  });
});
