// Minimal glob matching for the `caseNoteAudit.files.include/exclude` settings:
// `**` (any folders), `*` and `?` (within one path segment), `{a,b}` alternatives, `[...]` classes.
// Patterns without a slash match the file name anywhere (as in .gitignore and files.exclude).

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!g.includes('/')) g = `**/${g}`;
  let re = '';
  let inBraces = 0;
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slashAfter = g[i + 2] === '/';
        re += slashAfter ? '(?:.*/)?' : '.*';
        i += slashAfter ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') { inBraces++; re += '(?:'; }
    else if (c === '}' && inBraces > 0) { inBraces--; re += ')'; }
    else if (c === ',' && inBraces > 0) re += '|';
    else if (c === '[') {
      const close = g.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else { re += '[' + g.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']'; i = close; }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  const out = new RegExp(`^${re}$`, process.platform === 'win32' || process.platform === 'darwin' ? 'i' : '');
  cache.set(glob, out);
  return out;
}

/** Does the relative path (forward slashes) match any of the globs? */
export function matchesAny(relPath: string, globs: readonly string[]): boolean {
  const p = relPath.replace(/\\/g, '/');
  return globs.some((g) => globToRegExp(g).test(p));
}
