// The dismissal sidecar: `.casenote-audit/dismissals.json` in the workspace folder (or beside
// the note when it is in no folder). A dismissal records the rule id, the finding's fingerprint
// (a hash, no words from the record), the worker's reason and the date. Case notes are
// professional records: nothing is ever written into the note itself.
//
// The file is shared: two VS Code windows on the same folder run two servers that may record a
// dismissal at the same moment. A write therefore takes a lock file (created with O_EXCL), reads
// what is on disk *then*, merges the new entry in and replaces the file by rename, so neither
// window's entry is lost and a reader never sees half a file. A file that cannot be read is a
// record of someone's decisions: it is reported with its path and, before a new file replaces
// it, kept as `dismissals.json.bak-<time>`; it is never silently overwritten.

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

/** A sidecar as read: the usable entries, and why the file is not entirely usable (if it is not). */
export interface ReadResult {
  file: DismissalFile;
  problem?: string;
}

interface Cached {
  mtimeMs: number;
  size: number;
  keys: Set<string>;
}

/** Tells the user about a sidecar that cannot be used as it is (the server shows it as a warning). */
export type ReportProblem = (message: string) => void;

export interface LockOptions {
  /** Give up waiting for another writer after this long. */
  timeoutMs?: number;
  /** A lock older than this was left by a process that died mid-write (a write takes milliseconds). */
  staleMs?: number;
}

const key = (ruleId: string, fp: string) => `${ruleId}\0${fp}`;

function isDismissal(d: unknown): d is Dismissal {
  const x = d as Dismissal | null;
  return !!x && typeof x === 'object' && typeof x.ruleId === 'string' && typeof x.fingerprint === 'string';
}

export class DismissalStore {
  private cache = new Map<string, Cached>();
  /** Problems already reported, by sidecar and file state, so a broken file is reported once, not per analysis. */
  private reported = new Set<string>();
  /** Bumped whenever any sidecar changes, so results computed before can be recognised as stale. */
  generation = 0;

  constructor(private readonly report: ReportProblem = () => undefined, private readonly lock: LockOptions = {}) {}

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
    const { file, problem } = DismissalStore.read(sidecar);
    if (problem) {
      const id = `${sidecar}\0${st.mtimeMs}\0${st.size}`;
      if (!this.reported.has(id)) {
        this.reported.add(id);
        this.report(`Case Note Audit: the dismissals file ${sidecar} cannot be read as it is (${problem}). ` +
          `${file.dismissals.length} dismissal(s) in it are used; the file is left untouched until the next dismissal, which keeps it as a backup beside it.`);
      }
    }
    const keys = new Set(file.dismissals.map((d) => key(d.ruleId, d.fingerprint)));
    this.cache.set(sidecar, { mtimeMs: st.mtimeMs, size: st.size, keys });
    return keys;
  }

  isDismissed(sidecar: string, ruleId: string, fp: string): boolean {
    return this.keys(sidecar).has(key(ruleId, fp));
  }

  /** Reads a sidecar. A missing or empty file is an empty list, not a problem. */
  static read(sidecar: string): ReadResult {
    let text: string;
    try { text = fs.readFileSync(sidecar, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { file: { version: 1, dismissals: [] } };
      return { file: { version: 1, dismissals: [] }, problem: (e as Error).message };
    }
    if (text.trim() === '') return { file: { version: 1, dismissals: [] } };
    let raw: unknown;
    try { raw = JSON.parse(text); } catch (e) {
      return { file: { version: 1, dismissals: [] }, problem: `not valid JSON: ${(e as Error).message}` };
    }
    const list = raw && typeof raw === 'object' ? (raw as Partial<DismissalFile>).dismissals : undefined;
    if (!Array.isArray(list)) return { file: { version: 1, dismissals: [] }, problem: 'no "dismissals" list' };
    const dismissals = list.filter(isDismissal);
    const bad = list.length - dismissals.length;
    return { file: { version: 1, dismissals }, ...(bad > 0 ? { problem: `${bad} entr${bad === 1 ? 'y is' : 'ies are'} not a dismissal (ruleId and fingerprint)` } : {}) };
  }

  /**
   * Records a dismissal (replacing one for the same rule and fingerprint); returns how many the
   * file now holds. Safe against a concurrent writer in another process (see the file comment).
   */
  async add(sidecar: string, d: Dismissal): Promise<number> {
    fs.mkdirSync(path.dirname(sidecar), { recursive: true });
    const release = await acquireLock(`${sidecar}.lock`, this.lock);
    try {
      const { file, problem } = DismissalStore.read(sidecar);
      if (problem) {
        const backup = keepAsBackup(sidecar);
        this.report(`Case Note Audit: the dismissals file ${sidecar} could not be read (${problem}). It was kept as ${backup}; ` +
          `a new file was started with the ${file.dismissals.length} usable dismissal(s) and this one.`);
      }
      const i = file.dismissals.findIndex((x) => x.ruleId === d.ruleId && x.fingerprint === d.fingerprint);
      if (i < 0) file.dismissals.push(d);
      else file.dismissals[i] = d;
      const tmp = `${sidecar}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        fs.writeFileSync(tmp, JSON.stringify(file, null, 2) + '\n');
        fs.renameSync(tmp, sidecar);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      return file.dismissals.length;
    } finally {
      release();
      this.invalidate();
    }
  }

  /** Forget cached contents (the file changed on disk). */
  invalidate(): void {
    this.cache.clear();
    this.generation++;
  }
}

/** Copies a sidecar that cannot be read to `<name>.bak-<time>` (a unique name) before it is replaced. */
function keepAsBackup(sidecar: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let n = 0; ; n++) {
    const backup = `${sidecar}.bak-${stamp}${n ? `-${n}` : ''}`;
    try {
      fs.copyFileSync(sidecar, backup, fs.constants.COPYFILE_EXCL);
      return backup;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * A lock file next to the sidecar, created exclusively. Another writer holds it for the few
 * milliseconds of a read-merge-rename, so waiting is a short retry with jitter; a lock left by a
 * process that died mid-write is taken over once it is older than staleMs.
 */
async function acquireLock(lock: string, opts: LockOptions): Promise<() => void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const staleMs = opts.staleMs ?? 10000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    try {
      if (Date.now() - fs.statSync(lock).mtimeMs > staleMs) {
        fs.rmSync(lock, { force: true });
        continue;
      }
    } catch { continue; /* released meanwhile */ }
    if (Date.now() > deadline) throw new Error(`another window is writing ${path.basename(path.dirname(lock))}/${path.basename(lock, '.lock')} (lock file ${lock}); try again`);
    // a retry interval for another process's lock, not a wait for an event in this one
    await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
  }
}
