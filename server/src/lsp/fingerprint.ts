// A location-independent id for a finding, so a dismissal survives edits elsewhere in the note
// and applies to the same wording in another note, but not to the same phrase used in a
// different context. It hashes the rule id, the matched text and up to CONTEXT_WORDS words on
// each side (within the paragraph), normalised for case, white space and curly quotes.
// Only the hash is stored: the sidecar file never holds words from the record.

import { createHash } from 'node:crypto';

export const CONTEXT_WORDS = 4;
const WINDOW = 200;

function norm(s: string): string {
  return s.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
}

/** The paragraph-bounded context on either side of [start, end). */
export function contextOf(text: string, start: number, end: number): { before: string; after: string } {
  let before = text.slice(Math.max(0, start - WINDOW), start);
  let after = text.slice(end, end + WINDOW);
  const para = /\r?\n[ \t]*\r?\n/;
  const pb = before.split(para);
  before = pb[pb.length - 1];
  after = after.split(para)[0];
  const words = (s: string) => s.split(/\s+/).filter(Boolean);
  return { before: words(before).slice(-CONTEXT_WORDS).join(' '), after: words(after).slice(0, CONTEXT_WORDS).join(' ') };
}

/**
 * Fingerprints depend only on the rule and the text within WINDOW of the match, so they are
 * remembered by that window: after an edit, every unchanged finding of the note needs one, and
 * hashing was most of the server's time per edit. Bounded; cleared when full.
 */
const remembered = new Map<string, string>();
const REMEMBER_MAX = 20000;

export function fingerprint(ruleId: string, text: string, start: number, end: number): string {
  const from = Math.max(0, start - WINDOW);
  const key = `${ruleId}\0${start - from}\0${end - start}\0${text.slice(from, end + WINDOW)}`;
  let fp = remembered.get(key);
  if (fp === undefined) {
    fp = computeFingerprint(ruleId, text, start, end);
    if (remembered.size >= REMEMBER_MAX) remembered.clear();
    remembered.set(key, fp);
  }
  return fp;
}

function computeFingerprint(ruleId: string, text: string, start: number, end: number): string {
  const { before, after } = contextOf(text, start, end);
  const h = createHash('sha256').update(ruleId).update('\0').update(norm(text.slice(start, end))).update('\0').update(norm(before)).update('\0').update(norm(after));
  return h.digest('hex').slice(0, 32);
}
