// Expanding the paths a user names into the files to read: folders recursively, symlink
// loops detected, hidden folders and node_modules skipped. Problems become per-path errors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ioReason } from './readText';

export interface Expanded {
  files: string[];
  errors: Array<{ path: string; message: string }>;
}

/** `base` (extensions with their dot) and the user's extra ones (`--ext csv,.log`), as expandPaths takes them. */
export function withExtensions(base: Iterable<string>, extra: readonly string[]): Set<string> {
  return new Set([...base, ...extra.map((e) => '.' + e.replace(/^\./, '').toLowerCase())]);
}

export function expandPaths(inputs: readonly string[], extensions: ReadonlySet<string>): Expanded {
  const files: string[] = [];
  const errors: Expanded['errors'] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  /** `real`: the file's real path when known (a plain file in a folder whose real path is known). */
  const addFile = (p: string, real?: string) => {
    if (real === undefined) {
      real = p;
      try { real = fs.realpathSync(p); } catch { /* reported when read */ }
    }
    if (!seenFiles.has(real)) { seenFiles.add(real); files.push(p); }
  };
  const walk = (dir: string) => {
    let real: string;
    try { real = fs.realpathSync(dir); } catch (e) { errors.push({ path: dir, message: ioReason(e) }); return; }
    if (seenDirs.has(real)) {
      errors.push({ path: dir, message: 'folder already visited (symbolic link loop); skipped' });
      return;
    }
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch (e) { errors.push({ path: dir, message: ioReason(e) }); return; }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          errors.push({ path: p, message: ioReason(err) });
          continue;
        }
      }
      // a plain file's real path is its folder's and its name: resolving each one was most
      // of the time to list a folder of 10,000 exports
      if (isDir) walk(p);
      else if (isFile && extensions.has(path.extname(e.name).toLowerCase())) addFile(p, e.isSymbolicLink() ? undefined : path.join(real, e.name));
    }
  };
  for (const input of inputs) {
    let st: fs.Stats;
    try { st = fs.statSync(input); } catch (e) { errors.push({ path: input, message: ioReason(e) }); continue; }
    if (st.isDirectory()) walk(input);
    else addFile(input); // a file named explicitly is read whatever its extension
  }
  return { files, errors };
}
