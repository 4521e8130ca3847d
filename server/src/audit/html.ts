// HTML (and .docx, via mammoth's HTML) to the plain text the entry splitter reads: headings
// become "## ..." lines, block elements line breaks, table cells "| a | b |" rows (so a header
// table such as "| Non-abusing parent | Kirsty Reid (mother) |" still declares the people),
// scripts, styles and comments disappear, and character references are decoded.

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“',
  ndash: '–', mdash: '—', hellip: '…', pound: '£', euro: '€', middot: '·', bull: '•', copy: '©', shy: '',
  eacute: 'é', egrave: 'è', aacute: 'á', iacute: 'í', oacute: 'ó', uacute: 'ú', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

const BLOCK = /^(?:p|div|br|li|ul|ol|dl|dt|dd|tr|table|thead|tbody|tfoot|section|article|header|footer|main|nav|aside|blockquote|pre|hr|figure|figcaption|address|caption|body|html)$/;

/**
 * A forward-only "first occurrence at or after" search. Exports can be hostile: a file of
 * "<script" or "<p " repeated a million times with no closing tag or ">" would make a regular
 * expression (or indexOf from each candidate) scan to the end once per candidate, which is
 * quadratic. Searches here only move forward, and a search that failed from one position fails
 * from every later one, so each needle is scanned for at most once over the whole input.
 */
class Finder {
  private from = -1;
  private at = -1;
  constructor(private readonly hay: string, private readonly needle: string) {}
  next(from: number): number {
    if (this.from >= 0 && from >= this.from && (this.at < 0 || from <= this.at)) return this.at;
    this.from = from;
    this.at = this.hay.indexOf(this.needle, from);
    return this.at;
  }
}

const RAW_TEXT = ['script', 'style', 'head', 'template', 'noscript'];
const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isAlpha(c) || (c >= 48 && c <= 57);
const isSpace = (s: string) => /\s/.test(s);

/** Removes complete comments (an unclosed "<!--" stays as text). */
function dropComments(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const a = s.indexOf('<!--', i);
    if (a < 0) break;
    const b = s.indexOf('-->', a + 4);
    if (b < 0) break; // no "-->" after this one means none after any later one either
    out += s.slice(i, a);
    i = b + 3;
  }
  return out + s.slice(i);
}

/** Removes script, style, head, template and noscript elements with their content, when closed. */
function dropRawText(s: string): string {
  // ASCII-only lower case keeps every index the same (toLowerCase can change lengths: "İ")
  const lower = s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
  const gt = new Finder(s, '>');
  const open = new Finder(s, '<');
  const closers = new Map(RAW_TEXT.map((n) => [n, new Finder(lower, `</${n}`)]));
  // per name, the last answer: from `from`, the first closing tag starts at `at` (-1: none) and ends at `end`
  const memo = new Map<string, { from: number; at: number; end: number }>();
  /** End of the first "</name\s*>" at or after `from`, or -1. */
  const closeEnd = (name: string, from: number): number => {
    const m = memo.get(name);
    if (m && from >= m.from && (m.at < 0 || from <= m.at)) return m.end;
    const f = closers.get(name)!;
    let found = { from, at: -1, end: -1 };
    for (let c = f.next(from); c >= 0; c = f.next(c + 1)) {
      let k = c + 2 + name.length;
      while (k < s.length && isSpace(s[k])) k++;
      if (s.charCodeAt(k) === 62) { found = { from, at: c, end: k + 1 }; break; }
    }
    memo.set(name, found);
    return found.end;
  };
  let out = '';
  let last = 0;
  for (let i = open.next(0); i >= 0; i = open.next(i + 1)) {
    const name = RAW_TEXT.find((n) => lower.startsWith(n, i + 1) && !isWordChar(lower.charCodeAt(i + 1 + n.length)));
    if (!name) continue;
    const tagEnd = gt.next(i + 1 + name.length);
    if (tagEnd < 0) break;
    const end = closeEnd(name, tagEnd + 1);
    if (end < 0) continue;
    out += s.slice(last, i);
    last = end;
    i = end - 1;
  }
  return out + s.slice(last);
}

export function htmlToText(html: string): string {
  let s = dropRawText(dropComments(html));
  let out = '';
  let last = 0;
  let rowOpen = false;
  const gt = new Finder(s, '>');
  const open = new Finder(s, '<');
  for (let i = open.next(0); i >= 0; i = open.next(i + 1)) {
    // a tag: "<" or "</", a letter, letters and digits to a word boundary, anything up to ">"
    const closing = s.charCodeAt(i + 1) === 47;
    const n0 = i + (closing ? 2 : 1);
    if (!isAlpha(s.charCodeAt(n0))) continue;
    let n1 = n0 + 1;
    while (n1 < s.length && isAlnum(s.charCodeAt(n1))) n1++;
    if (s.charCodeAt(n1) === 95) continue; // "_" is a word character: no boundary, not a tag
    const end = gt.next(n1);
    if (end < 0) break;
    out += s.slice(last, i).replace(/\s+/g, ' ');
    last = end + 1;
    const name = s.slice(n0, n1).toLowerCase();
    const h = /^h([1-6])$/.exec(name);
    if (h) out += closing ? '\n\n' : `\n\n${'#'.repeat(Number(h[1]))} `;
    else if (name === 'td' || name === 'th') {
      if (!closing) { out += rowOpen ? ' | ' : '| '; rowOpen = true; }
    } else if (name === 'tr') {
      if (closing && rowOpen) out += ' |';
      rowOpen = false;
      out += '\n';
    } else if (name === 'p' || name === 'div' || name === 'section' || name === 'article' || name === 'blockquote' || name === 'pre') out += '\n\n';
    else if (BLOCK.test(name)) out += '\n';
    i = end;
  }
  out += s.slice(last).replace(/\s+/g, ' ');
  s = decodeEntities(out);
  return s
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim() + '\n';
}
