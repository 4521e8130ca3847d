// The dismissal sidecar: `.casenote-audit/dismissals.json` in the workspace folder (or beside
// the note when it is in no folder). A dismissal records the rule id, the finding's fingerprint
// (a hash, no words from the record), the worker's reason and the date. Case notes are
// professional records: nothing is ever written into the note itself.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { DISMISSALS_FILE } from '../protocol';

export interface Dismissal {
  ruleId: string;
  fingerprint: string;
  reason: string;
  /** ISO date-time of the dismissal. */
  date: string;
  /** The note it was dismissed in, relative to the sidecar's folder (for auditors; the dismissal applies wherever the fingerprint recurs). */
  note?: string;
}

export interface DismissalFile {
  version: 1;
  dismissals: Dismissal[];
}

interface Cached {
  mtimeMs: number;
  size: number;
  keys: Set<string>;
}

const key = (ruleId: string, fp: string) => `${ruleId}\0${fp}`;

export class DismissalStore {
  private cache = new Map<string, Cached>();
  /** Bumped whenever any sidecar changes, so results computed before can be recognised as stale. */
  generation = 0;

  /** The sidecar for a note: in the innermost workspace folder that holds it, else beside the note. */
  static sidecarFor(notePath: string, folders: readonly string[]): string {
    const inside = folders
      .filter((f) => { const rel = path.relative(f, notePath); return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel); })
      .sort((a, b) => b.length - a.length);
    return path.join(inside[0] ?? path.dirname(notePath), DISMISSALS_FILE);
  }

  /** The set of dismissed (rule, fingerprint) keys in a sidecar; cached by mtime and size. */
  keys(sidecar: string): Set<string> {
    let st: fs.Stats | undefined;
    try { st = fs.statSync(sidecar); } catch { st = undefined; }
    if (!st) { this.cache.delete(sidecar); return new Set(); }
    const c = this.cache.get(sidecar);
    if (c && c.mtimeMs === st.mtimeMs && c.size === st.size) return c.keys;
    const keys = new Set(DismissalStore.read(sidecar).dismissals.map((d) => key(d.ruleId, d.fingerprint)));
    this.cache.set(sidecar, { mtimeMs: st.mtimeMs, size: st.size, keys });
    return keys;
  }

  isDismissed(sidecar: string, ruleId: string, fp: string): boolean {
    return this.keys(sidecar).has(key(ruleId, fp));
  }

  static read(sidecar: string): DismissalFile {
    try {
      const raw = JSON.parse(fs.readFileSync(sidecar, 'utf8')) as Partial<DismissalFile>;
      const list = Array.isArray(raw.dismissals) ? raw.dismissals : [];
      return {
        version: 1,
        dismissals: list.filter((d): d is Dismissal => !!d && typeof d.ruleId === 'string' && typeof d.fingerprint === 'string'),
      };
    } catch {
      return { version: 1, dismissals: [] };
    }
  }

  /** Appends a dismissal (written atomically); returns how many the file now holds. */
  add(sidecar: string, d: Dismissal): number {
    const file = DismissalStore.read(sidecar);
    if (!file.dismissals.some((x) => x.ruleId === d.ruleId && x.fingerprint === d.fingerprint)) file.dismissals.push(d);
    else file.dismissals = file.dismissals.map((x) => (x.ruleId === d.ruleId && x.fingerprint === d.fingerprint ? d : x));
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    const tmp = `${sidecar}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n');
    fs.renameSync(tmp, sidecar);
    this.invalidate();
    return file.dismissals.length;
  }

  /** Forget cached contents (the file changed on disk). */
  invalidate(): void {
    this.cache.clear();
    this.generation++;
  }
}
