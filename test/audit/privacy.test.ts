// Audit reports leave the secure system (they are shared with managers and inspectors), so by
// default they must carry no names and no wording of the records. This audits the bundled sample
// case files with the built bin, in every report format and by every dimension, and searches the
// reports for every name the samples hold (people, children, authors, addresses) and every
// sentence of their text. The same search finds them with --include-excerpts, so it can fail.
// It also feeds the HTML report hostile note text: nothing may turn into markup or a request.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/rules';
import { tempDir } from './helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const SAMPLES = path.join(ROOT, 'samples', 'case-files');
const FORMATS = ['md', 'html', 'json', 'csv', 'sarif'];
const INPUTS = [path.join(SAMPLES, 'baseline', 'txt'), path.join(SAMPLES, 'followup', 'md'), path.join(SAMPLES, 'baseline', 'entries.csv')];

function audit(out: string, extra: string[] = [], inputs = INPUTS): Record<string, string> {
  const r = spawnSync(process.execPath, [CLI, 'audit', ...inputs, '--out', out, '--format', FORMATS.join(','), '--by', 'file,case,author,team,month,entry', '--audit-id', 'privacy-test-id', ...extra],
    { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  const reports = Object.fromEntries(FORMATS.map((f) => [f, fs.readFileSync(path.join(out, `audit.${f}`), 'utf8')]));
  // SARIF carries the rule catalogue (rule texts use example names such as "Lily"): not input
  const sarif = JSON.parse(reports.sarif);
  for (const r of sarif.runs) delete r.tool;
  reports.sarif = JSON.stringify(sarif, null, 2);
  return reports;
}

interface CaseRecord { non_abusing_parent: { name: string }; person_causing_harm: { name: string }; children: Array<{ name: string }>; address: string }

/** Every name in the samples: the people of each case, the authors of every entry, and street names. */
function sampleNames(): string[] {
  const names = new Set<string>();
  const add = (full: string) => { for (const w of full.split(/\s+/)) if (/^[A-Z][a-z]{2,}$/.test(w)) names.add(w); };
  for (const period of ['baseline', 'followup']) {
    for (const line of fs.readFileSync(path.join(SAMPLES, period, 'cases.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const c = JSON.parse(line) as CaseRecord;
      add(c.non_abusing_parent.name);
      add(c.person_causing_harm.name);
      for (const ch of c.children) add(ch.name);
      add(c.address.replace(/^\d+\s*/, '').split(/[ ,]/)[0]); // the street's own name, not "Road" or "Court"
    }
    const csv = fs.readFileSync(path.join(SAMPLES, period, 'entries.csv'), 'utf8');
    for (const m of csv.matchAll(/^[^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*,[^,\n]*,(?:SW|SSW|TM|CPO|FSW|[A-Z]{2,4})? ?([^,\n]+),/gm)) add(m[1]);
  }
  return [...names];
}

/** Sentences of the samples' entry text long enough that they could only come from the records. */
function sampleSentences(): string[] {
  const out = new Set<string>();
  for (const period of ['baseline', 'followup']) {
    for (const f of fs.readdirSync(path.join(SAMPLES, period, 'txt'))) {
      const text = fs.readFileSync(path.join(SAMPLES, period, 'txt', f), 'utf8');
      for (const s of text.split(/(?<=[.!?])\s+|\n/)) if (s.length >= 30 && !s.includes('|')) out.add(s.trim());
    }
  }
  return [...out];
}

const found = (text: string, words: string[]) => words.filter((w) => new RegExp(`\\b${w}\\b`).test(text));
/** Report text without the markup a match is highlighted with, and with HTML references decoded. */
const plain = (text: string) => text.replace(/\*\*|<\/?mark>/g, '').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const sentencesIn = (text: string, sentences: string[]) => { const t = plain(text); return sentences.filter((s) => t.includes(s)); };

describe('privacy of audit reports', function () {
  this.timeout(120000);
  let dir: string;
  let names: string[];
  let sentences: string[];
  before(() => {
    dir = tempDir('cna-privacy-');
    names = sampleNames();
    sentences = sampleSentences();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the samples give the search something to find', () => {
    assert.ok(names.length > 60, `${names.length} names`);
    for (const n of ['Mhairi', 'Young', 'Jason', 'Amelia', 'Alan', 'Grant', 'Tracy', 'Cowan', 'Cairnview']) assert.ok(names.includes(n), n);
    assert.ok(sentences.length > 500, `${sentences.length} sentences`);
  });

  it('md, html, json, csv and sarif hold no name and no sentence of the records by default', () => {
    const reports = audit(path.join(dir, 'default'));
    for (const [f, text] of Object.entries(reports)) {
      assert.deepEqual(found(text, names), [], `names in audit.${f}`);
      assert.deepEqual(sentencesIn(text, sentences), [], `sentences in audit.${f}`);
      assert.doesNotMatch(text, /CONFIDENTIAL/, f);
    }
    assert.match(reports.json, /"label": "Author 1"/, 'authors are pseudonyms');
    // the one URL in the HTML is the SVG namespace name, an identifier that is never fetched
    const urls = [...reports.html.matchAll(/https?:\/\/[^\s"'<>&]+/g)].map((m) => m[0]);
    assert.deepEqual([...new Set(urls)], ['http://www.w3.org/2000/svg']);
    assert.ok([...reports.html.matchAll(/https?:\/\//g)].every((m) => reports.html.slice(m.index! - 7, m.index!) === 'xmlns="'), 'only in xmlns attributes');
  });

  it('with --include-excerpts the same search finds names and sentences (so the test above can fail)', () => {
    const reports = audit(path.join(dir, 'excerpts'), ['--include-excerpts']);
    for (const f of ['md', 'html', 'json']) {
      assert.ok(found(reports[f], names).length > 10, `names in audit.${f}`);
      assert.ok(sentencesIn(reports[f], sentences).length > 0, `sentences in audit.${f}`);
      if (f !== 'json') assert.match(reports[f], /CONFIDENTIAL/, f);
    }
    assert.equal(JSON.parse(reports.json).options.includeExcerpts, true);
    assert.ok(found(reports.sarif, names).length > 0, 'SARIF messages name people with excerpts');
  });

  it('HTML and Markdown escape hostile note text, load nothing and run nothing; CSV cells are not formulas (excerpts included)', () => {
    const hostile = path.join(dir, 'hostile');
    fs.mkdirSync(hostile);
    fs.writeFileSync(path.join(hostile, 'x.txt'), [
      'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)', '',
      '01/02/2022 10:00 | Visit <script>alert(1)</script> ![i](https://evil.example/t.png) | =HYPERLINK("https://evil.example/x") (Team <img src=https://evil.example/a.png>)',
      'Mum failed to protect the children <img src="https://evil.example/p.png" onerror="alert(2)"> <a href="https://evil.example/">here</a> <style>@import url(https://evil.example/s.css)</style>.',
    ].join('\n'));
    const reports = audit(path.join(dir, 'hostile-out'), ['--include-excerpts'], [hostile]);
    const html = reports.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.match(csp ?? '', /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'$/);
    assert.equal((html.match(/<meta http-equiv="Content-Security-Policy"/g) ?? []).length, 1);
    assert.ok(html.includes('&lt;script&gt;') && html.includes('&lt;img'), 'the hostile text is shown, escaped');
    assert.doesNotMatch(html, /<script|<img|<a\s|<link|<iframe|<object|<embed|<form|<base|\son[a-z]+=|@import|url\(/i);
    assert.equal((html.match(/<style>/g) ?? []).length, 1, 'only the page style block');
    // the note's own words are shown as text; no tag may carry a URL but the SVG namespace name
    const inTags = [...html.matchAll(/<[^>]*>/g)].flatMap((m) => [...m[0].matchAll(/https?:\/\/[^\s"'<>]+/g)].map((u) => u[0]));
    assert.deepEqual([...new Set(inTags)], ['http://www.w3.org/2000/svg']);
    // a spreadsheet must not run what a note or its header says
    // Markdown viewers render raw HTML and images: the report escapes both
    assert.ok(reports.md.includes('\\<script\\>') && reports.md.includes('!\\[i\\]'), 'the hostile text is in the Markdown, escaped');
    assert.doesNotMatch(reports.md, /(?<!\\)<[a-z/]|(?<!\\)!\[|(?<!\\)\]\(/i, 'no raw tag, image or link from the notes in the Markdown');
    assert.ok(reports.csv.includes(`"'=HYPERLINK(`), 'the author is written, prefixed so it is text');
    for (const line of reports.csv.split(/\r\n/)) for (const cell of line.split(',')) assert.doesNotMatch(cell, /^"?[=+@]/, `formula cell in audit.csv: ${cell}`);
  });
});
