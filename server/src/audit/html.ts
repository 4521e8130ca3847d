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

export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  let out = '';
  let last = 0;
  const tag = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g;
  let m: RegExpExecArray | null;
  let rowOpen = false;
  while ((m = tag.exec(s)) !== null) {
    out += s.slice(last, m.index).replace(/\s+/g, ' ');
    last = m.index + m[0].length;
    const name = m[1].toLowerCase();
    const closing = m[0][1] === '/';
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
