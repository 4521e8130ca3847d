// Redaction of anything a report derives from note text (top phrases): the people a note
// declares become role tokens ([mother], [father], [partner], [child 1]), other names and
// titled surnames become [person], digits become #, and the rest is lower-cased, so the same
// wording counts as one phrase across cases and no phrase names anyone.

import { Person, Roles } from '../engine';
import { nameGender } from '../engine/roles';

const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr'];
/** Capitalised words that are not names. */
const KEEP_CAPITALISED = new Set([
  'i', 'mum', 'mummy', 'mam', 'mom', 'dad', 'daddy', 'mother', 'father', 'gran', 'granny', 'grandad', 'police', 'scotland', 'safe', 'together',
  'women', "women's", 'aid', 'court', 'sheriff', 'hearing', "children's", 'reporter', 'council', 'school', 'nursery', 'health', 'social', 'work',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june', 'july',
  'august', 'september', 'october', 'november', 'december', 'christmas', 'easter', 'english', 'scottish', 'british', 'act', 'order', 'programme',
]);
const RELATION = /\b(mother|father|mum|dad|stepfather|stepmother|stepdad|stepmum|partner|boyfriend|girlfriend|husband|wife|grandmother|grandfather)\b/i;
const CANON: Record<string, string> = { mum: 'mother', dad: 'father', stepdad: 'stepfather', stepmum: 'stepmother' };

function relationToken(p: Person | undefined, fallback: string): string {
  const m = p?.relation ? RELATION.exec(p.relation) : null;
  if (!m) return fallback;
  const w = m[1].toLowerCase();
  return CANON[w] ?? w;
}

const CAPITAL = /\p{Lu}/u;

/** A letter or digit: a name form only counts where it is not part of a longer word. */
const WORD_CHAR = /[\p{L}\p{N}]/u;

function codePointBefore(s: string, i: number): string {
  if (i <= 0) return '';
  const lo = s.charCodeAt(i - 1);
  const hi = i >= 2 ? s.charCodeAt(i - 2) : 0;
  return lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff ? s.slice(i - 2, i) : s[i - 1];
}

/**
 * Replaces every whole-word occurrence of `form` in `s`, left to right, with `replace()`: what
 * `s.replace(/(?<![\p{L}\p{N}])form(?![\p{L}\p{N}])/gu, replace)` does, without compiling a
 * Unicode regular expression per name form (that was a third of a batch audit's time).
 */
export function replaceWord(s: string, form: string, replace: () => string): string {
  let out = '';
  let from = 0;
  let copied = 0;
  for (;;) {
    const i = s.indexOf(form, from);
    if (i < 0) break;
    const end = i + form.length;
    const after = s.codePointAt(end);
    if (!WORD_CHAR.test(codePointBefore(s, i)) && (after === undefined || !WORD_CHAR.test(String.fromCodePoint(after)))) {
      out += s.slice(copied, i) + replace();
      copied = end;
      from = end;
    } else {
      from = i + 1;
    }
  }
  return copied === 0 ? s : out + s.slice(copied);
}

export class Redactor {
  /** Name forms, longest first, and the token each becomes. */
  private readonly names: Array<[string, string]> = [];
  /** Every name form has a capital letter (names are matched as written), so a phrase without one holds none. */
  private readonly formsCapitalised: boolean = true;

  constructor(roles: Roles | undefined) {
    if (!roles) return;
    const forms: Array<[string, string]> = [];
    const add = (p: Person | undefined, token: string) => {
      if (!p) return;
      const set = new Set<string>([p.name]);
      if (p.first) set.add(p.first);
      if (p.surname) {
        if (p.first) set.add(`${p.first} ${p.surname}`);
        for (const t of TITLES) set.add(`${t} ${p.surname}`).add(`${t}. ${p.surname}`);
        if (p.title) set.add(`${p.title} ${p.surname}`);
      }
      for (const f of set) if (f.length > 1) forms.push([f, token]);
    };
    let s = relationToken(roles.survivor, 'survivor');
    let pc = relationToken(roles.perpetrator, 'person causing harm');
    if (s === pc) { s = 'survivor'; pc = 'person causing harm'; }
    add(roles.survivor, `[${s}]`);
    add(roles.perpetrator, `[${pc}]`);
    roles.children.forEach((c, i) => add(c, `[child ${i + 1}]`));
    // longest first, so "Kirsty Reid" wins over "Kirsty"
    forms.sort((a, b) => b[0].length - a[0].length);
    this.names.push(...forms);
    this.formsCapitalised = forms.every(([f]) => CAPITAL.test(f));
  }

  /** The redacted, normalised form of a matched phrase. */
  phrase(text: string): string {
    let s = text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
    // every step before the last replaces capitalised words, and most matched phrases have
    // none ("failed to protect"): those skip five scans of the phrase
    if (this.formsCapitalised && !CAPITAL.test(s)) return s.toLowerCase().replace(/\d+/g, '#');
    const tokens: string[] = [];
    const hold = (t: string) => `\u0000${tokens.push(t) - 1}\u0000`;
    for (const [form, token] of this.names) s = replaceWord(s, form, () => hold(token));
    // titled names the note did not declare
    s = s.replace(/\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+\p{Lu}[\p{L}'-]+/gu, () => hold('[person]'));
    // first names the note did not declare (from the engine's name list), with a surname after them
    s = s.replace(/(\p{Lu}[\p{Ll}'-]+)(\s+\p{Lu}[\p{Ll}'-]+)?/gu, (m, first: string) => (nameGender(first) !== undefined ? hold('[person]') : m));
    const keep = (w: string) => KEEP_CAPITALISED.has(w.toLowerCase().replace(/'s$/, ''));
    // "Kirsty Reid ..." at the start: two capitalised words that are not common ones are a name
    s = s.replace(/^(\p{Lu}[\p{Ll}'-]+)\s+(\p{Lu}[\p{Ll}'-]+)/u, (m, a: string, b: string) => (!keep(a) && !keep(b) ? hold('[person]') : m));
    // any other capitalised word inside the phrase (not its first word) is taken for a name
    // unless it is a word case notes capitalise anyway
    s = s.replace(/(?<=\S\s+)\p{Lu}[\p{Ll}'-]+/gu, (w) => (keep(w) ? w : hold('[person]')));
    return s
      .split(/\u0000(\d+)\u0000/)
      .map((part, i) => (i % 2 === 1 ? tokens[Number(part)] : part.toLowerCase().replace(/\d+/g, '#')))
      .join('');
  }
}

/** Everything about the people that a Redactor uses (the engine's rolesKey leaves out relations and titles). */
function redactorKey(roles: Roles): string {
  const p = (x: Person | undefined) => (x ? [x.name, x.first, x.surname, x.title, x.relation] : null);
  return JSON.stringify([p(roles.survivor), p(roles.perpetrator), roles.children.map(p)]);
}

/**
 * Redactors cached by the people they know (one per case file in practice). Keyed on every
 * field a Redactor reads: keyed on less, a file's phrases were redacted with another file's
 * relations, depending on which files a worker thread had seen first. Files are read one
 * after another, so the most recently used few are all that is ever hit again; a bigger
 * cache only held a worker's heap up (2,000 redactors were a third of its live heap).
 */
export class RedactorCache {
  private readonly map = new Map<string, Redactor>();
  /** The last answer, by the roles object asked for: a file's entries share one, and keying it was a percent of a worker's time. */
  private last: { roles: Roles | undefined; redactor: Redactor } | undefined;
  constructor(private readonly max = 64) {}
  get(roles: Roles | undefined): Redactor {
    if (this.last && this.last.roles === roles) return this.last.redactor;
    const redactor = this.lookup(roles);
    this.last = { roles, redactor };
    return redactor;
  }

  private lookup(roles: Roles | undefined): Redactor {
    const key = roles ? redactorKey(roles) : '';
    let r = this.map.get(key);
    if (r) {
      // most recently used last, so the first key is the one to drop
      this.map.delete(key);
    } else {
      r = new Redactor(roles);
      if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value!);
    }
    this.map.set(key, r);
    return r;
  }

  get size(): number { return this.map.size; }
}
