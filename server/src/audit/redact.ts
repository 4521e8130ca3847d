// Redaction of anything a report derives from note text (top phrases): the people a note
// declares become role tokens ([mother], [father], [partner], [child 1]), other names and
// titled surnames become [person], digits become #, and the rest is lower-cased, so the same
// wording counts as one phrase across cases and no phrase names anyone.

import { Person, Roles } from '../engine';
import { nameGender, rolesKey } from '../engine/roles';

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

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Redactor {
  private readonly names: Array<[RegExp, string]> = [];

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
    for (const [f, token] of forms) this.names.push([new RegExp(`(?<![\\p{L}\\p{N}])${escape(f)}(?![\\p{L}\\p{N}])`, 'gu'), token]);
  }

  /** The redacted, normalised form of a matched phrase. */
  phrase(text: string): string {
    let s = text.replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"').replace(/\s+/g, ' ').trim();
    const tokens: string[] = [];
    const hold = (t: string) => `\u0000${tokens.push(t) - 1}\u0000`;
    for (const [re, token] of this.names) s = s.replace(re, () => hold(token));
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

/** Redactors cached by the people they know (one per case file in practice). */
export class RedactorCache {
  private readonly map = new Map<string, Redactor>();
  get(roles: Roles | undefined): Redactor {
    const key = roles ? rolesKey(roles) : '';
    let r = this.map.get(key);
    if (!r) {
      if (this.map.size > 2000) this.map.clear();
      r = new Redactor(roles);
      this.map.set(key, r);
    }
    return r;
  }
}
