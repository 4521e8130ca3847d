// Who is who in a note. Role detection reads the people a note declares ("Ms Reid (mother)",
// "Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)",
// "Children: Lily (7)") and turns them into (a) references the matcher can resolve to roles and
// (b) the names used to fill suggestion placeholders. Nothing here guesses a name: when a role
// is unknown the placeholder stays a visible slot such as [perpetrator].

import names from './data/first-names.json';
import { CompiledPattern, matchPattern, RoleIndex, RoleName, ROLE_NAMES } from './pattern';
import { normWord, Token, TokenKind } from './text';

export type Gender = 'f' | 'm' | undefined;

export interface Person {
  /** The name as written, e.g. "Kirsty Reid" or "Lily". */
  name: string;
  first?: string;
  surname?: string;
  title?: string;
  relation?: string;
  gender: Gender;
}

export interface Roles {
  survivor?: Person;
  perpetrator?: Person;
  children: Person[];
  /** How the note refers to the adults when it uses kinship words ("Mum", "Dad"). */
  survivorKinWord?: string;
  perpetratorKinWord?: string;
}

const FEMALE = new Set<string>(names.female);
const MALE = new Set<string>(names.male);
/** Words that are also first names but far more often something else in case notes. */
const NAME_STOPWORDS = new Set([
  'will', 'may', 'june', 'april', 'august', 'grace', 'hope', 'faith', 'joy', 'mark', 'bill', 'rose', 'dawn', 'sue',
  'pat', 'rob', 'art', 'sky', 'summer', 'autumn', 'winter', 'river', 'storm', 'crystal', 'amber', 'ruby', 'pearl',
  'holly', 'ivy', 'iris', 'daisy', 'jade', 'sandy', 'rusty', 'dusty', 'chase', 'case', 'page', 'court', 'mercy',
  'honor', 'honour', 'justice', 'miles', 'frank', 'gene', 'guy', 'jack', 'jean', 'penny', 'sunny', 'ray', 'don',
  'dean', 'gay', 'kay', 'lee', 'van', 'wade', 'west', 'young', 'king', 'price', 'hunter', 'carter', 'mason', 'cook',
]);

/**
 * The gender of a capitalised word read as an undeclared first name: none for a word in
 * capitals ("KIRSTY", "CAMHS": a heading or an acronym), else nameGender. Asked for every
 * capitalised token of each sentence whose roles are needed, where the test for capitals (an
 * upper-cased copy of the word), lower-casing it and three Set lookups showed in profiles; the
 * same few hundred capitalised words recur, so the answers are memoised by the word as written
 * (0 none, 1 'f', 2 'm'). Bounded (any text passes through), cleared when full.
 */
const NAME_GENDER_OF = new Map<string, number>();
const NAME_GENDER_OF_MAX = 20000;
const GENDER_CODES: readonly Gender[] = [undefined, 'f', 'm'];

export function undeclaredNameGender(text: string): Gender {
  const code = NAME_GENDER_OF.get(text);
  if (code !== undefined) return GENDER_CODES[code];
  const g = text.length > 1 && text === text.toUpperCase() ? undefined : nameGender(text);
  if (NAME_GENDER_OF.size >= NAME_GENDER_OF_MAX) NAME_GENDER_OF.clear();
  NAME_GENDER_OF.set(text, g === 'f' ? 1 : g === 'm' ? 2 : 0);
  return g;
}

export function nameGender(first: string): Gender {
  const w = first.toLowerCase();
  if (NAME_STOPWORDS.has(w)) return undefined;
  const f = FEMALE.has(w);
  const m = MALE.has(w);
  if (f && !m) return 'f';
  if (m && !f) return 'm';
  return undefined;
}

const FEMALE_RELATIONS = /\b(mother|mum|mom|mam|stepmother|stepmum|grandmother|gran|aunt|wife|girlfriend|daughter|sister)\b/i;
const MALE_RELATIONS = /\b(father|dad|stepfather|stepdad|grandfather|grandad|uncle|husband|boyfriend|son|brother)\b/i;
const SURVIVOR_LABEL = /\b(non[- ]?abusing|non[- ]?offending|non[- ]?abusive|protective parent|victim|survivor)\b/i;
const PERPETRATOR_LABEL = /\b(person causing harm|perpetrator|person using (?:violence|abuse)|abusive parent|alleged perpetrator|abuser)\b/i;

const NAME = String.raw`(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2}`;
// "Kirsty Reid (mother; non-abusing parent)" / "Mr Kerr (father)"
const PERSON_PAREN = new RegExp(String.raw`(${NAME})\s*\(([^()\n]{1,80})\)`, 'gu');
// "Mr Kerr, father," / "Jamie Kerr - father" (a title or a full name, so "The mother" is not a person)
const TITLED_OR_FULL = String.raw`(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+\p{Lu}[\p{L}'’-]+|\p{Lu}[\p{L}'’-]+\s+\p{Lu}[\p{L}'’-]+)`;
const PERSON_APPOS = new RegExp(String.raw`(${TITLED_OR_FULL}),?\s+(?:the\s+)?(?:-\s+)?((?:children's|child's|birth|biological)?\s*(?:mother|father|mum|dad|stepfather|stepdad|stepmother|partner))\b`, 'gu');
// markdown table rows and "Label: value" lines
const LABEL_LINE = /^\s*\|?\s*(Non-abusing parent|Non-offending parent|Person causing harm|Perpetrator|Alleged perpetrator|Survivor|Victim|Mother|Father|Children|Child|Child\(ren\)|Subject child(?:ren)?)\s*(?:\||:)\s*([^\n|]+)/gimu;
const CHILD_ITEM = /(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?)\s*\((?:aged?\s*)?(\d{1,2}|unborn|\d{1,2}\s*(?:months?|weeks?|mths?|yrs?|years?))\)/gu;

/** Capitalised words that start sentences and headings but are not names. */
const NOT_A_NAME = /^(?:The|This|That|These|Her|His|Their|Our|Your|A|An|And|But|Both|Visit|Home|Call|Met|Saw|When|While|If|Mum|Dad|Mother|Father|Children|Child|Adults?|Baby|Present|Apologies|Police|School|Today|Yesterday|Case|Note|Plan|Review)\b/;

function makePerson(raw: string, relation?: string): Person {
  const m = /^(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(.*)$/u.exec(raw.trim());
  const title = m?.[1];
  const rest = (m ? m[2] : raw).trim();
  const parts = rest.split(/\s+/);
  let gender: Gender;
  if (relation && FEMALE_RELATIONS.test(relation)) gender = 'f';
  else if (relation && MALE_RELATIONS.test(relation)) gender = 'm';
  else if (title === 'Mr') gender = 'm';
  else if (title === 'Mrs' || title === 'Ms' || title === 'Miss') gender = 'f';
  else if (!title && parts.length >= 1) gender = nameGender(parts[0]);
  const person: Person = { name: raw.trim(), gender, relation: relation?.trim() };
  if (title) {
    person.title = title;
    person.surname = parts[parts.length - 1];
    if (parts.length > 1) person.first = parts[0];
  } else {
    person.first = parts[0];
    if (parts.length > 1) person.surname = parts[parts.length - 1];
  }
  return person;
}

/** How much of a note role detection reads: notes declare people up front. */
export const ROLES_HEAD_CHARS = 20000;

/** Reads the people a note declares. Only the first few KB are needed: notes declare people up front. */
export function detectRoles(text: string): Roles {
  const head = text.length > ROLES_HEAD_CHARS ? text.slice(0, ROLES_HEAD_CHARS) : text;
  const roles: Roles = { children: [] };
  const assign = (p: Person, label: string) => {
    if (PERPETRATOR_LABEL.test(label)) { roles.perpetrator ??= p; return; }
    if (SURVIVOR_LABEL.test(label)) { roles.survivor ??= p; return; }
  };
  for (const m of head.matchAll(LABEL_LINE)) {
    const label = m[1].toLowerCase();
    const value = m[2].trim();
    if (label.startsWith('child') || label.startsWith('subject')) {
      for (const c of value.matchAll(CHILD_ITEM)) addChild(makePerson(c[1]));
      continue;
    }
    const pm = /^([^()]+?)\s*(?:\(([^()]*)\))?\s*$/u.exec(value);
    if (!pm) continue;
    const p = makePerson(pm[1], pm[2] ?? (label === 'mother' || label === 'father' ? label : undefined));
    if (label.includes('non') || label === 'survivor' || label === 'victim') roles.survivor ??= p;
    else if (label.includes('harm') || label.includes('perpetrator')) roles.perpetrator ??= p;
  }
  for (const m of head.matchAll(PERSON_PAREN)) {
    const inner = m[2];
    if (NOT_A_NAME.test(m[1])) continue;
    if (/^(?:aged?\s*)?\d{1,2}(?:\s*(?:months?|weeks?|yrs?|years?))?$|^unborn$/i.test(inner.trim())) {
      addChild(makePerson(m[1]));
      continue;
    }
    // "mother's partner" is a partner: a possessive kin word qualifies the relation, it is not the relation
    const relText = inner.replace(/\b(?:mother|father|mum|dad|mom|mam)['’]s\s+(?=(?:partner|boyfriend|girlfriend|husband|wife|ex)\b)/gi, '');
    const rel = (relText.match(/(?:children's |child's |birth |biological )?(mother|father|mum|dad|stepfather|stepdad|stepmother|partner|boyfriend|girlfriend|husband|wife)/i) ?? [])[0];
    const p = makePerson(m[1], rel);
    assign(p, inner);
    if (!SURVIVOR_LABEL.test(inner) && !PERPETRATOR_LABEL.test(inner) && rel) relationOnly(p);
  }
  for (const m of head.matchAll(PERSON_APPOS)) if (!NOT_A_NAME.test(m[1])) relationOnly(makePerson(m[1], m[2]));
  if (/\b(mum|mom|mam|mother)\b/i.test(head)) roles.survivorKinWord = kinWord(head, /\b(Mum|Mom|Mam|Mother)\b/);
  if (/\b(dad|father)\b/i.test(head)) roles.perpetratorKinWord = kinWord(head, /\b(Dad|Father)\b/);
  if (roles.survivor?.gender === 'm') {
    // the kinship defaults swap when the record names the father as the non-abusing parent
    const s = roles.survivorKinWord;
    roles.survivorKinWord = roles.perpetratorKinWord;
    roles.perpetratorKinWord = s;
  }
  return roles;

  function addChild(p: Person) {
    if (!roles.children.some((c) => c.name === p.name)) roles.children.push(p);
  }
  // A bare relation ("Mr Kerr (father)") is a fallback: mothers default to the survivor role and
  // fathers or partners to the person causing harm, unless the note labels roles explicitly.
  function relationOnly(p: Person) {
    if (!p.relation) return;
    if (/mother|mum|mom|wife|girlfriend/i.test(p.relation)) {
      if (!roles.survivor && roles.perpetrator?.name !== p.name) roles.survivor = p;
    } else if (/father|dad|partner|boyfriend|husband/i.test(p.relation)) {
      if (!roles.perpetrator && roles.survivor?.name !== p.name) roles.perpetrator = p;
    }
  }
}

function kinWord(text: string, re: RegExp): string | undefined {
  const m = re.exec(text);
  return m ? m[1] : undefined;
}

/** A short, stable fingerprint of the roles (part of the paragraph memo key). */
export function rolesKey(r: Roles): string {
  const p = (x?: Person) => (x ? `${x.name}/${x.gender ?? ''}` : '');
  return [p(r.survivor), p(r.perpetrator), r.children.map((c) => c.name).join(','), r.survivorKinWord ?? '', r.perpetratorKinWord ?? ''].join('|');
}

// ---------------------------------------------------------------------------
// Role references in a sentence

export interface RefPatterns {
  femaleRef: CompiledPattern;
  maleRef: CompiledPattern;
  survivorGeneric: CompiledPattern;
  perpetratorGeneric: CompiledPattern;
  childRef: CompiledPattern;
  professionalRef: CompiledPattern;
}

/** Name token sequences per role, derived once per note. */
export interface NameTable {
  seqs: Array<{ norms: string[]; role: RoleName }>;
  /** The non-empty seqs by their first word, in seqs order (most tokens start no name). */
  byFirst: Map<string, Array<{ norms: string[]; role: RoleName }>>;
  /** How gendered references map to roles for this note. */
  female: RoleName;
  male: RoleName;
  /** First word of a name -> the roles (roleBit) of the names starting with it. */
  firstRoles: Map<string, number>;
  /**
   * By the first letter of a name's first word (a-z; 26 for any other character), the bits
   * (length & 31) of those words' lengths (see mayStartName). Sentences are tested word by
   * word against a note's few names, and most words fail this before a look-up by string,
   * which was most of possibleRoles' cost.
   */
  firstShapes: Int32Array;
}

/** A role as one bit of a mask (ROLE_NAMES order). */
export function roleBit(r: RoleName): number {
  return 1 << ROLE_NAMES.indexOf(r);
}

/** Which of the generic reference patterns (RefPatterns) can match a sentence, by its words. */
export type RefsPossible = Record<keyof RefPatterns, boolean>;

/**
 * The roles (a roleBit mask) a sentence can hold a reference to, without building its role
 * index: a superset of the roles indexRoles finds. A reference is a declared name (it starts
 * with the first word of one in the name table), a generic reference (`refs` says which of
 * those patterns have their required words in the sentence) or an undeclared first name (a
 * capitalised word with a gender in the names list). The rule set's prefilter skips the
 * patterns that need any other role.
 */
export function possibleRoles(tokens: Token[], table: NameTable, refs: RefsPossible): number {
  const f = roleBit(table.female);
  const m = roleBit(table.male);
  let mask = 0;
  if (refs.perpetratorGeneric) mask |= roleBit('perpetrator');
  if (refs.survivorGeneric) mask |= roleBit('survivor');
  if (refs.femaleRef) mask |= f;
  if (refs.maleRef) mask |= m;
  if (refs.childRef) mask |= roleBit('child');
  if (refs.professionalRef) mask |= roleBit('professional');
  const names = table.firstRoles.size > 0 ? table.firstRoles : undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (names && mayStartName(table, t.norm)) mask |= names.get(t.norm) ?? 0;
    if ((mask & (f | m)) === (f | m) || !t.cap || t.kind !== TokenKind.Word) continue;
    const g = undeclaredNameGender(t.text);
    if (g) mask |= g === 'f' ? f : m;
  }
  return mask;
}

const shapeSlot = (w: string): number => {
  const c = w.charCodeAt(0) - 97;
  return c >= 0 && c < 26 ? c : 26;
};

/** False when `norm` is no name's first word, by its first letter and length (a necessary test, before a look-up). */
function mayStartName(table: NameTable, norm: string): boolean {
  return (table.firstShapes[shapeSlot(norm)] & (1 << (norm.length & 31))) !== 0;
}

export function nameTable(roles: Roles): NameTable {
  const seqs: NameTable['seqs'] = [];
  const add = (p: Person | undefined, role: RoleName) => {
    if (!p) return;
    const forms = new Set<string>();
    forms.add(p.name);
    if (p.first) forms.add(p.first);
    if (p.first && p.surname) forms.add(`${p.first} ${p.surname}`);
    if (p.surname) for (const t of ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx']) forms.add(`${t} ${p.surname}`);
    for (const f of forms) seqs.push({ norms: f.split(/[\s-]+/).filter(Boolean).map(normWord), role });
  };
  add(roles.survivor, 'survivor');
  add(roles.perpetrator, 'perpetrator');
  for (const c of roles.children) add(c, 'child');
  const sg = roles.survivor?.gender ?? 'f';
  const pg = roles.perpetrator?.gender ?? (sg === 'f' ? 'm' : 'f');
  const map = (g: 'f' | 'm'): RoleName => (sg === pg ? 'person' : sg === g ? 'survivor' : pg === g ? 'perpetrator' : 'person');
  const byFirst: NameTable['byFirst'] = new Map();
  const firstRoles = new Map<string, number>();
  for (const q of seqs) {
    if (q.norms.length === 0) continue;
    let list = byFirst.get(q.norms[0]);
    if (!list) byFirst.set(q.norms[0], (list = []));
    list.push(q);
    firstRoles.set(q.norms[0], (firstRoles.get(q.norms[0]) ?? 0) | roleBit(q.role));
  }
  const firstShapes = new Int32Array(27);
  for (const w of byFirst.keys()) firstShapes[shapeSlot(w)] |= 1 << (w.length & 31);
  return { seqs, byFirst, female: map('f'), male: map('m'), firstRoles, firstShapes };
}

/** Finds every role reference in a sentence: declared names first, then generic references and first names. */
export function indexRoles(tokens: Token[], table: NameTable, refs: RefPatterns): RoleIndex {
  const idx: RoleIndex = new Map();
  const add = (i: number, role: RoleName, len: number) => {
    let list = idx.get(i);
    if (!list) { list = []; idx.set(i, list); }
    if (!list.some((r) => r.role === role && r.len === len)) list.push({ role, len });
  };
  const env = { tokens, roles: idx };
  // per token: 1 inside a declared name, 2 inside any reference (an array: a Set per sentence was most of this function's cost)
  const cover = new Uint8Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    if (!mayStartName(table, tokens[i].norm)) continue;
    const starting = table.byFirst.get(tokens[i].norm);
    if (!starting) continue;
    for (const s of starting) {
      if (i + s.norms.length > tokens.length) continue;
      let ok = true;
      for (let k = 0; k < s.norms.length && ok; k++) ok = tokens[i + k].norm === s.norms[k];
      if (ok) {
        add(i, s.role, s.norms.length);
        cover.fill(1, i, i + s.norms.length);
      }
    }
  }
  const apply = (p: CompiledPattern, role: RoleName) => {
    for (const m of matchPattern(p, env)) if (cover[m.start] === 0) add(m.start, role, m.end - m.start);
  };
  apply(refs.perpetratorGeneric, 'perpetrator');
  apply(refs.survivorGeneric, 'survivor');
  apply(refs.femaleRef, table.female);
  apply(refs.maleRef, table.male);
  apply(refs.childRef, 'child');
  apply(refs.professionalRef, 'professional');
  // undeclared first names: a likely role from the name, as a fallback only, and never for a
  // word already inside a reference ("Ms Reid": Reid is a surname, whatever the name list says)
  for (const [start, refs] of idx) for (const r of refs) cover.fill(2, start, Math.min(start + r.len, tokens.length));
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (cover[i] !== 0 || !t.cap || t.kind !== TokenKind.Word) continue;
    const g = undeclaredNameGender(t.text);
    if (!g) continue;
    let len = 1;
    // "Kirsty Reid": take a following capitalised surname along
    const nx = tokens[i + 1];
    if (nx && nx.cap && nx.kind === TokenKind.Word && !nameGender(nx.text) && cover[i + 1] === 0) len = 2;
    add(i, g === 'f' ? table.female : table.male, len);
  }
  return idx;
}

/** The text used for a placeholder, or undefined when the note does not say. */
export function placeholderValue(roles: Roles, which: 'survivor' | 'perpetrator' | 'child'): string | undefined {
  if (which === 'child') {
    const names = roles.children.map((c) => c.first ?? c.name);
    if (names.length === 0) return undefined;
    if (names.length === 1) return names[0];
    if (names.length === 2) return `${names[0]} and ${names[1]}`;
    return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  }
  const p = which === 'survivor' ? roles.survivor : roles.perpetrator;
  if (p) {
    // as declared: a title is never added, since that would assume how the person is addressed
    return p.name;
  }
  return which === 'survivor' ? roles.survivorKinWord : roles.perpetratorKinWord;
}
