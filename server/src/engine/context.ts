// Context guards shared by every rule (knowledge base section 2.0): who is the subject of
// the clause, is the trigger negated, quoted or attributed, is the sentence legal text,
// a risk-tool output, a form label or writing about the language itself, and is there a
// domestic-abuse context at all. Each guard is a small function over the tokens of one
// sentence, so it can be tested on its own.

import { RoleIndex, RoleName } from './pattern';
import { Token, TokenKind } from './text';

export type SubjectRole = RoleName | 'none' | 'thing' | 'unknown';

const AUX = new Set([
  'has', 'have', 'had', "'s", 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'will', 'would', 'shall', 'should',
  'can', 'could', 'may', 'might', 'must', 'do', 'does', 'did', 'not', 'never', 'also', 'still', 'again', 'repeatedly',
  'continually', 'consistently', 'then', 'now', 'already', 'further', 'previously', 'clearly', 'always', 'often',
  'sometimes', 'just', 'only', 'yet', 'both', 'all', 'herself', 'himself', 'themselves', 'ever', 'once', 'twice',
  'seemingly', 'reportedly', 'allegedly', 'apparently', 'simply', 'even', 'ultimately', 'so', 'too', 'but', 'n\'t',
  'very', 'quite', 'rather', 'probably', 'possibly', 'certainly', 'however', 'therefore', 'thus', 'subsequently',
]);
const CATENATIVE = new Set([
  'continue', 'continues', 'continued', 'continuing', 'appear', 'appears', 'appeared', 'seem', 'seems', 'seemed',
  'tend', 'tends', 'tended', 'need', 'needs', 'needed', 'want', 'wants', 'wanted', 'try', 'tries', 'tried',
  'going', 'went', 'has', 'have', 'had', 'used', 'ought', 'able', 'unable', 'likely', 'expected', 'required',
]);
const CLAUSE_BREAK = new Set([';', ':', '—', '–', '(', ')', '|', '"', '“', '”']);
const SUBORDINATOR = new Set([
  'that', 'because', 'when', 'whenever', 'while', 'whilst', 'although', 'though', 'if', 'unless', 'since', 'after',
  'before', 'until', 'as', 'where', 'whereas', 'once', 'so', 'but', 'and', 'or', 'which', 'who', 'whom',
]);
/** Words that open a subordinate clause: the subject of a coordinated verb is found after them. */
const CLAUSE_OPENER = new Set([
  'that', 'because', 'when', 'whenever', 'while', 'whilst', 'although', 'though', 'if', 'unless', 'since', 'whereas', 'until',
]);
/** Capitalised words that start a clause without being its subject. */
const CLAUSE_START_WORDS = new Set([
  'the', 'a', 'an', 'this', 'that', 'these', 'those', 'there', 'it', 'in', 'on', 'at', 'after', 'before', 'when', 'while',
  'whilst', 'if', 'as', 'since', 'during', 'following', 'despite', 'although', 'however', 'by', 'yesterday', 'today',
  'then', 'also', 'and', 'but', 'so', 'her', 'his', 'their', 'our', 'my', 'its', 'both', 'all', 'per', 'given',
]);
const PROFESSIONAL_PRONOUNS = new Set(['we', 'i', 'us']);
const COMMON_CAPS = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those', 'his', 'her', 'their', 'its', 'our', 'my', 'your', 'some', 'any', 'all', 'both', 'each', 'every', 'no', 'such']);
const THING_PRONOUNS = new Set(['it', 'this', 'there', 'which', 'what']);

function isAux(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (t.kind !== TokenKind.Word) return false;
  if (AUX.has(t.norm)) return true;
  if (t.norm.endsWith('ly') && t.norm.length > 4) return true;
  // "continues to", "appears to", "has yet to": the catenative verb and its "to"
  if (t.norm === 'to' && i > 0 && (CATENATIVE.has(tokens[i - 1].norm) || tokens[i - 1].norm === 'yet')) return true;
  if (CATENATIVE.has(t.norm) && tokens[i + 1]?.norm === 'to') return true;
  // "keeps letting him in", "kept putting him first": an aspectual verb before an -ing verb
  if (ASPECTUAL.has(t.norm) && /ing$/.test(tokens[i + 1]?.norm ?? '')) return true;
  // "remains in denial", "remained hostile": a copula like "is"
  if (COPULAR.has(t.norm)) return true;
  return false;
}
const ASPECTUAL = new Set(['keep', 'keeps', 'kept', 'keeping', 'carry', 'carries', 'carried', 'persist', 'persists', 'persisted', 'stop', 'stops', 'stopped', 'start', 'starts', 'started', 'begin', 'begins', 'began']);
const COPULAR = new Set(['remain', 'remains', 'remained', 'become', 'becomes', 'became']);

/** The role at the end of a noun phrase ending at token j (inclusive), using the role index. */
function roleEndingAt(roles: RoleIndex, j: number): { role: RoleName; start: number } | undefined {
  let best: { role: RoleName; start: number } | undefined;
  for (const [start, refs] of roles) {
    if (start > j) continue;
    for (const r of refs) {
      if (start + r.len - 1 === j && (!best || start < best.start || (start === best.start && rank(r.role) > rank(best.role)))) {
        best = { role: r.role, start };
      }
    }
  }
  return best;
}
const rank = (r: RoleName) => (r === 'perpetrator' || r === 'survivor' ? 3 : r === 'professional' ? 2 : r === 'child' ? 1 : 0);

/**
 * Resolves the grammatical subject of the clause whose verb group starts at token `at`.
 * Heuristic and cheap: walk back over auxiliaries and adverbs to the noun phrase before them.
 */
export function subjectOf(tokens: Token[], roles: RoleIndex, at: number): { role: SubjectRole; index: number } {
  let j = at - 1;
  while (j >= 0 && isAux(tokens, j)) j--;
  if (j < 0) return { role: 'none', index: -1 };
  const t = tokens[j];
  if (t.kind === TokenKind.Punct) {
    if (t.norm === ',' ) {
      // "Mum, who ..." or a parenthetical: look past the comma to the phrase before it
      return subjectBefore(tokens, roles, j);
    }
    return { role: 'none', index: -1 };
  }
  const r = roleEndingAt(roles, j);
  if (r) return { role: r.role, index: r.start };
  if (PROFESSIONAL_PRONOUNS.has(t.norm)) return { role: 'professional', index: j };
  if (t.norm === 'who' || t.norm === 'that' || t.norm === 'which') {
    // relative clause: the antecedent is the subject
    return subjectBefore(tokens, roles, j);
  }
  if (t.norm === 'they') return { role: 'unknown', index: j };
  if (THING_PRONOUNS.has(t.norm)) return { role: 'thing', index: j };
  // "... by letting him back": a by-gerund takes the subject of the clause it modifies
  if ((t.norm === 'by' || t.norm === 'through') && /ing$/.test(tokens[at]?.norm ?? '')) return subjectBefore(tokens, roles, j);
  if (SUBORDINATOR.has(t.norm)) {
    // "... and failed to protect": the coordinated verb shares the subject of the clause before it
    if (t.norm === 'and' || t.norm === 'but' || t.norm === 'or') return subjectBefore(tokens, roles, j);
    return { role: 'none', index: -1 };
  }
  // a noun phrase with a possessor: "Her choice to return", "Mr X's decision"
  for (let k = j; k >= Math.max(0, j - 4); k--) {
    const tk = tokens[k];
    if (tk.kind === TokenKind.Punct || SUBORDINATOR.has(tk.norm)) break;
    if (tk.norm === "'s" && k > 0) {
      const owner = roleEndingAt(roles, k - 1);
      if (owner) return { role: owner.role, index: owner.start };
    }
    if (tk.norm === 'her' || tk.norm === 'his') {
      const owner = roleEndingAt(roles, k);
      if (owner) return { role: owner.role, index: k };
    }
  }
  // a capitalised word we cannot place is probably a person (an unlisted name); a capitalised
  // determiner or common word at the start of a sentence is not
  if (t.cap && !COMMON_CAPS.has(t.norm)) return { role: 'unknown', index: j };
  return { role: 'thing', index: j };
}

/** The first role mentioned in the clause that ends before token j (used for coordination and relatives). */
function subjectBefore(tokens: Token[], roles: RoleIndex, j: number): { role: SubjectRole; index: number } {
  let k = j - 1;
  // back to the start of the clause: a clause break, or a complementiser that opens it ("SW view is that Mum ...")
  while (k >= 0 && !(tokens[k].kind === TokenKind.Punct && (CLAUSE_BREAK.has(tokens[k].norm) || tokens[k].norm === '.')) && !CLAUSE_OPENER.has(tokens[k].norm)) k--;
  const from = k + 1;
  for (let i = from; i < j; i++) {
    const refs = roles.get(i);
    // a name the note does not declare and the name list does not know ("Kirsty continues to ... by letting")
    if (i === from && !refs && tokens[i].cap && tokens[i].kind === TokenKind.Word && !CLAUSE_START_WORDS.has(tokens[i].norm)) return { role: 'unknown', index: i };
    if (refs && refs.length > 0) {
      const best = refs.reduce((a, b) => (rank(b.role) > rank(a.role) ? b : a));
      return { role: best.role, index: i };
    }
    if (PROFESSIONAL_PRONOUNS.has(tokens[i].norm)) return { role: 'professional', index: i };
  }
  return { role: 'unknown', index: -1 };
}

// ---------------------------------------------------------------------------
// Negation

const NEGATORS = new Set(['not', 'no', 'never', 'nor', 'neither', 'without', 'none', 'nothing', 'nobody', 'hardly', 'unfounded', 'unsubstantiated', 'untrue']);
const NEGATING_PHRASES: string[][] = [
  ['rather', 'than'], ['instead', 'of'], ['as', 'opposed', 'to'], ['would', 'be', 'wrong'], ['would', 'be', 'unfair'],
  ['is', 'wrong', 'to'], ['inaccurate'], ['incorrect'], ['disagree'], ['disagrees'], ['dispute'], ['disputes'], ['rejects'],
  ['rejected'], ['unfair', 'to'], ['not', 'accurate'], ['cannot', 'be', 'described'], ['mistaken'], ['misleading'],
];
const PREDICATE_START = new Set([
  'continues', 'continued', 'continue', 'remains', 'remained', 'keeps', 'kept', 'has', 'have', 'had', 'is', 'was',
  'are', 'were', 'still', 'also', 'then', 'now', 'again', 'repeatedly', 'regularly', 'often', 'always',
  'could', 'can', 'would', 'will', 'should', 'did', 'does', 'do', 'must', 'may', 'might',
]);
const NEGATION_BARRIER = new Set([';', ':', '—', '–', '.', '!', '?', ',', 'but', 'however', 'although', 'though', 'whereas', 'because', 'so', 'then', 'therefore', 'thus', 'hence']);

const NEW_CLAUSE_SUBJECT = new Set(['this', 'it', 'he', 'she', 'they', 'we', 'i', 'there']);

/** True when a negator governs the match: within `window` tokens before it, in the same clause. */
export function isNegated(tokens: Token[], at: number, window = 9): boolean {
  // "has not been protective and continues to minimise": a verb negation does not carry over
  // "and" into a new verb group ("no evidence that X and Y" still negates both)
  let newPredicate = false;
  for (let i = at - 1, seen = 0; i >= 0 && seen < window; i--, seen++) {
    const t = tokens[i];
    if (NEGATION_BARRIER.has(t.norm) && !(t.norm === ',' && seen <= 1)) return false;
    if (t.norm === 'and' && PREDICATE_START.has(tokens[i + 1]?.norm ?? '')) newPredicate = true;
    if (newPredicate && (t.norm === 'not' || t.norm === 'never')) return false;
    // "... never been violent before and this was out of character": a coordinated clause with its own subject
    if ((t.norm === 'and' || t.norm === 'or') && i + 1 < at && NEW_CLAUSE_SUBJECT.has(tokens[i + 1].norm)) return false;
    if (NEGATORS.has(t.norm)) {
      // "not only", "no longer" and "not just" do not negate what follows
      const nx = tokens[i + 1]?.norm;
      if (nx === 'only' || nx === 'longer' || nx === 'just' || nx === 'least') continue;
      return true;
    }
    for (const ph of NEGATING_PHRASES) {
      if (ph.length === 0) continue;
      let ok = true;
      for (let k = 0; k < ph.length && ok; k++) ok = tokens[i + k]?.norm === ph[k];
      if (ok && i + ph.length <= at) return true;
    }
  }
  return false;
}

const CLAIM_NOUNS = new Set([
  'claim', 'suggestion', 'view', 'idea', 'notion', 'assertion', 'belief', 'allegation', 'assumption', 'impression', 'statement',
  'perception', 'argument',
]);
const REBUTTALS: string[][] = [
  ['not', 'accurate'], ['not', 'true'], ['not', 'correct'], ['not', 'fair'], ['not', 'supported'], ['not', 'borne', 'out'],
  ['not', 'the', 'case'], ['not', 'justified'], ['inaccurate'], ['untrue'], ['unfounded'], ['wrong'], ['incorrect'], ['misleading'],
  ['mistaken'], ['unfair'], ['unsupported'], ['false'],
];

/**
 * True when the match sits in a "the claim that ..." clause that the sentence then rebuts:
 * "The claim that Mum keeps going back to him is not accurate."
 */
export function isRebutted(tokens: Token[], start: number, end: number): boolean {
  let claim = false;
  for (let i = start - 1, seen = 0; i > 0 && seen < 12; i--, seen++) {
    if (NEGATION_BARRIER.has(tokens[i].norm) && tokens[i].norm !== ',') break;
    if (tokens[i].norm === 'that' && CLAIM_NOUNS.has(tokens[i - 1].norm)) { claim = true; break; }
  }
  if (!claim) return false;
  for (let i = end, seen = 0; i < tokens.length && seen < 12; i++, seen++) {
    const n = tokens[i].norm;
    if (n === ';' || n === ':' || n === '.') return false;
    if (n !== 'is' && n !== 'was' && n !== 'are' && n !== 'were' && n !== 'seems' && n !== 'appears') continue;
    for (const r of REBUTTALS) if (r.every((w, k) => tokens[i + 1 + k]?.norm === w)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Attribution: "Ms Reid said ...", "according to Mr Kerr ..."

const SAY_VERBS = new Set([
  'said', 'says', 'stated', 'states', 'told', 'tells', 'reported', 'reports', 'claimed', 'claims', 'alleged', 'alleges',
  'described', 'describes', 'explained', 'explains', 'disclosed', 'discloses', 'admitted', 'admits', 'denied', 'denies',
  'insisted', 'insists', 'maintained', 'maintains', 'believes', 'believed', 'feels', 'felt', 'thinks', 'thought',
  'recalled', 'recalls', 'shared', 'shares', 'wrote', 'writes', 'texted', 'messaged', 'shouted', 'screamed',
  'added', 'adds', 'accepts', 'accepted', 'blamed', 'blames', 'called', 'calls', 'asserted', 'asserts',
  'acknowledged', 'acknowledges', 'complained', 'complains', 'argued', 'argues', 'suggested', 'suggests', 'view', 'views',
  'account', 'perspective', 'words', 'opinion', 'position', 'minimised', 'minimises', 'justified', 'justifies', 'excused',
]);

/** True when the match at token `at` is inside speech attributed to someone other than the writer. */
export function isAttributed(tokens: Token[], roles: RoleIndex, at: number, end?: number): boolean {
  if (end !== undefined && isAttributedAfter(tokens, roles, end)) return true;
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i];
    if (t.kind === TokenKind.Punct && (t.norm === ';' || t.norm === '.')) return false;
    // "Ms Reid said 'I'm fine' but she remains ...": the quotation was the speech; what follows
    // a contrast after it is the writer's own voice
    if (CONTRAST.has(t.norm) && !t.quoted) {
      const before = tokens[i - 1]?.norm === ',' ? tokens[i - 2] : tokens[i - 1];
      if (before && before.quoted) return false;
    }
    // a dash after a closed quotation returns to the writer's voice: "Kai said '...' - Mum needs to ..."
    if (t.kind === TokenKind.Punct && (t.norm === '-' || t.norm === '—' || t.norm === '–') && i > 0 && tokens[i - 1].quoted && !t.quoted) return false;
    if (t.norm === 'according' && tokens[i + 1]?.norm === 'to') {
      const who = subjectAfter(roles, i + 2);
      return who !== 'professional';
    }
    if (SAY_VERBS.has(t.norm) && !isWordsIdiom(tokens, i) && !isCalledOut(tokens, i) && !isShoutedAt(tokens, i, at) && !isPassiveSay(tokens, i)) {
      const subj = subjectOf(tokens, roles, i);
      if (subj.role === 'survivor' || subj.role === 'perpetrator' || subj.role === 'child' || subj.role === 'person' || subj.role === 'unknown') return true;
      // "in her words", "his account is that"
      const prev = tokens[i - 1]?.norm;
      if (prev === 'her' || prev === 'his' || prev === 'their') return true;
    }
  }
  return false;
}

const CONTRAST = new Set(['but', 'however', 'although', 'though', 'whereas', 'yet', '-', '–', '—']);
const TRAILING_SAY = new Set(['said', 'says', 'told', 'tells', 'reports', 'reported', 'claims', 'claimed', 'insists', 'insisted', 'thinks', 'thought', 'believes', 'believed', 'feels', 'felt', 'explained', 'explains', 'added', 'adds', 'maintains', 'maintained']);
const FAMILY_ROLES = new Set<SubjectRole>(['survivor', 'perpetrator', 'child', 'person']);

/** A trailing attribution after the match, in the same clause run: "..., according to Mum" or "..., Mum says". */
function isAttributedAfter(tokens: Token[], roles: RoleIndex, end: number): boolean {
  for (let i = end; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === TokenKind.Punct && (t.norm === ';' || t.norm === '.' || t.norm === ':')) return false;
    if (t.norm === 'according' && tokens[i + 1]?.norm === 'to') return FAMILY_ROLES.has(subjectAfter(roles, i + 2));
    if (t.norm === ',') {
      const refs = roles.get(i + 1);
      if (!refs || refs.length === 0) continue;
      const best = refs.reduce((a, b) => (rank(b.role) > rank(a.role) ? b : a));
      if (FAMILY_ROLES.has(best.role) && TRAILING_SAY.has(tokens[i + 1 + best.len]?.norm ?? '')) return true;
    }
  }
  return false;
}

function subjectAfter(roles: RoleIndex, i: number): SubjectRole {
  const refs = roles.get(i);
  if (!refs || refs.length === 0) return 'unknown';
  return refs.reduce((a, b) => (rank(b.role) > rank(a.role) ? b : a)).role;
}

// ---------------------------------------------------------------------------
// Sentence kinds that are not the writer's narrative

const META = new Set([
  'approach', 'discourse', 'framing', 'frame', 'framed', 'language', 'terminology', 'term', 'terms', 'wording', 'phrase',
  'phrases', 'phrasing', 'paradigm', 'concept', 'narrative', 'narratives', 'training', 'trainer', 'workshop', 'keynote',
  'seminar', 'module', 'curriculum', 'glossary', 'vocabulary', 'audit', 'auditor', 'auditors', 'research',
  'researchers', 'study', 'studies', 'literature', 'lecture', 'label', 'labels', 'labelling', 'critique', 'critiqued',
  'words', 'word', 'template', 'templates', 'reflective', 'guidance', 'policy', 'handbook',
]);
const META_PHRASES: string[][] = [
  ['so', 'called'], ['move', 'away', 'from'], ['moving', 'away', 'from'], ['moved', 'away', 'from'],
  // practice-guide advice about wording: "avoid describing ... as", "instead of writing that ..."
  ['avoid', 'describing'], ['avoid', 'using'], ['avoid', 'writing'], ['avoid', 'saying'], ['avoid', 'calling'], ['avoid', 'labelling'],
  ['instead', 'of', 'writing'], ['instead', 'of', 'saying'], ['rather', 'than', 'writing'], ['rather', 'than', 'saying'],
  ['writing', 'that'], ['describing', 'abuse', 'as'], ['describing', 'domestic', 'abuse', 'as'],
  // events about ideas (a routine case conference or supervision session is not)
  ['at', 'a', 'conference'], ['conference', 'paper'], ['conference', 'presentation'], ['conference', 'speaker'],
  ['supervision', 'discussion', 'about'], ['reflective', 'supervision'],
];

/** The phrases by their first word: the guard tries only those at each token (it runs on every sentence with a candidate). */
const META_PHRASES_BY_FIRST = new Map<string, string[][]>();
for (const ph of META_PHRASES) META_PHRASES_BY_FIRST.set(ph[0], [...(META_PHRASES_BY_FIRST.get(ph[0]) ?? []), ph]);

/** Idioms in which "word(s)" is not about language: "had words", "words of advice", "in other words". */
function isWordsIdiom(tokens: Token[], i: number): boolean {
  const n = tokens[i].norm;
  if (n !== 'words' && n !== 'word') return false;
  const prev = tokens[i - 1]?.norm;
  const next = tokens[i + 1]?.norm;
  if (next === 'of' && ['advice', 'warning', 'caution', 'encouragement', 'comfort', 'support'].includes(tokens[i + 2]?.norm ?? '')) return true;
  if (n === 'words' && prev !== undefined && ['had', 'have', 'has', 'having', 'exchanged', 'exchange', 'exchanging', 'other'].includes(prev)) return true;
  // "a word against him", "have a word with", "her word against his", "kept his word", "word of mouth"
  if (n === 'word') {
    if (next === 'of' && tokens[i + 2]?.norm === 'mouth') return true;
    if (prev !== undefined && ['her', 'his', 'their', 'my', 'your', 'our'].includes(prev)) return true;
    if (prev === 'a' && next !== undefined && ['against', 'with', 'in', 'edgeways', 'edgewise', 'from'].includes(next)) return true;
  }
  return false;
}

/** "called to the address", "called police", "called 999": summoning help, not speech. */
function isCalledOut(tokens: Token[], i: number): boolean {
  const n = tokens[i].norm;
  if (n !== 'called' && n !== 'calls') return false;
  const next = tokens[i + 1]?.norm;
  return next !== undefined && ['to', 'out', 'for', 'police', 'the', '999', '911', '000', '101', 'an', 'ambulance', 'round', 'back', 'in', 'at', 'by', 'off', 'me', 'us'].includes(next);
}

/** "Mum was told to ...", "Dad was asked": in the passive the subject is the one spoken to, not the speaker. */
function isPassiveSay(tokens: Token[], i: number): boolean {
  let k = i - 1;
  while (k >= 0 && (tokens[k].norm.endsWith('ly') && tokens[k].norm.length > 4 || ['both', 'all', 'also', 'then', 'again', 'already'].includes(tokens[k].norm))) k--;
  return k >= 0 && ['was', 'were', 'been', 'being', 'is', 'are', 'be', 'get', 'got', 'gets'].includes(tokens[k].norm);
}

/** "He shouted at her" is behaviour; it reports speech only when "that" or a quotation follows before the match. */
function isShoutedAt(tokens: Token[], i: number, at: number): boolean {
  if (!['shouted', 'screamed', 'shouts', 'screams'].includes(tokens[i].norm) || tokens[i + 1]?.norm !== 'at') return false;
  for (let k = i + 2; k < at; k++) if (tokens[k].norm === 'that' || tokens[k].quoted) return false;
  return !tokens[at]?.quoted;
}

/** Case-work senses of words that are otherwise markers of writing about language. */
function isCaseWorkSense(tokens: Token[], i: number): boolean {
  const n = tokens[i].norm;
  const prev = tokens[i - 1]?.norm ?? '';
  const next = tokens[i + 1]?.norm ?? '';
  if (isWordsIdiom(tokens, i)) return true;
  // "case conference", "child protection conference", "review conference"
  if (n === 'conference') return ['case', 'protection', 'review', 'initial', 'planning', 'strategy', 'cp', 'group', 'pre', 'birth', 'transfer', 'child', "child's"].includes(prev);
  // a door frame or a time frame, not framing
  if (n === 'frame') return ['door', 'window', 'bed', 'picture', 'photo', 'climbing', 'walking', 'zimmer', 'time', 'metal', 'wooden', 'cot'].includes(prev);
  // a school term, not "the term 'x'"
  if (n === 'term') return ['school', 'summer', 'autumn', 'spring', 'winter', 'first', 'second', 'third', 'last', 'next', 'this', 'each', 'every', 'per', 'mid', 'half', 'long', 'short'].includes(prev);
  // a guidance teacher (Scottish schools)
  if (n === 'guidance') return ['teacher', 'teachers', 'staff', 'department', 'base', 'team', 'worker'].includes(next);
  // "supervision order", "under supervision"
  if (n === 'supervision') return prev === 'under' || ['order', 'orders', 'requirement', 'requirements'].includes(next);
  return false;
}

/** Writing about the words or the concept rather than about the family. */
export function isMetaLanguage(tokens: Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const n = tokens[i].norm;
    if (META.has(n) && !isCaseWorkSense(tokens, i)) return true;
    const phrases = META_PHRASES_BY_FIRST.get(n);
    if (phrases !== undefined) for (const ph of phrases) if (ph.every((w, k) => tokens[i + k]?.norm === w)) return true;
  }
  return false;
}

const LEGAL_WORDS = new Set([
  'statute', 'statutory', 'section', 'petition', 'count', 'affidavit', 'allegation', 'subsection', 'schedule', 'wic',
  'verbatim', 'filed', 'judgment', 'judgement', 'sustained', 'substantiated', 'interdict', 'act', 'order', 'orders',
  'ground', 'grounds', 'registration', 'register', 'category', 'code', 'clause', 'paragraph', 'para', 'regulation',
  'regs', 'legislation', 'bail', 'conditions', 'condition', 'findings', 'finding', 'charge', 'charges', 'indictment',
  'complaint', 'libel', 'avo', 'dvo', 'injunction', 'decree',
]);

/** A statute, petition, order, registration category or court finding reproduced as data. */
export function isLegalCitation(tokens: Token[], raw: string): boolean {
  if (/§|\bs\.\s?\d|\bss?\s\d+\(|\(\w\)\(\d\)|\b(?:Act|Order|Regulations?)\s+(?:19|20)\d\d\b|\bWIC\b|\b\d+\(\w\)/.test(raw)) return true;
  // a run of adjacent legal words is one term ("bail conditions", "registration category")
  let hits = 0;
  for (let i = 0; i < tokens.length; i++) if (LEGAL_WORDS.has(tokens[i].norm) && !(i > 0 && LEGAL_WORDS.has(tokens[i - 1].norm))) hits++;
  // one legal term is common in narrative ("bail conditions"); two or more, or a verbatim marker, is a citation
  return hits >= 2 || /\b(?:as filed|verbatim|as worded|reads:|states:)/i.test(raw);
}

const RISK_TOOLS = /\b(DASH|DAQ|MARAC|SDM|ODARA|MARAM|DARA|SARA|B-SAFER|CAADA|Barnardo'?s|DVRIM|RIC|iVPD|VPD|Safe Lives|SafeLives)\b/;
const RISK_LEVEL = /\b(standard|medium|high|low|moderate|very high|raised)\b\s*(?:risk)?/i;

/** A risk-tool result or police code copied as data ("DASH: standard risk"). */
export function isRiskToolOutput(raw: string): boolean {
  if (RISK_TOOLS.test(raw) && (RISK_LEVEL.test(raw) || /\d+\s*\/\s*\d+|score/i.test(raw))) return true;
  return /\b(?:risk level|risk rating|risk category|police category|incident code|crime code|occurrence type)\s*[:=]/i.test(raw);
}

/** A form label with a tick-box value ("Exposure to domestic abuse: Y"). */
export function isFormLabel(raw: string): boolean {
  return /^[\p{L}\s/()'’-]{3,60}:\s*(?:Y|N|Yes|No|N\/A|NA|☐|☑|☒|✓|✔|x|X|\[ ?x? ?\]|Unknown|None|\d+)\s*\.?$/u.test(raw.trim());
}

// ---------------------------------------------------------------------------
// Domestic-abuse context

export const DA_WORDS = new Set([
  'dv', 'da', 'dfv', 'ipv', 'domestic', 'abuse', 'abusive', 'abused', 'violence', 'violent', 'assault', 'assaulted',
  'assaults', 'assaulting', 'coercive', 'controlling', 'police', 'marac', 'dash', 'daq', 'refuge', 'idva', 'bail',
  'interdict', 'molestation', 'perpetrator', 'caledonian', 'arrested', 'arrest', 'custody', '999', '911', 'strangled',
  'strangulation', 'punched', 'hit', 'kicked', 'slapped', 'threatened', 'threats', 'threatening', 'intimidating',
  'intimidation', 'frightened', 'scared', 'afraid', 'fear', 'fearful', 'injuries', 'injured', 'bruising', 'bruises',
  'harassment', 'stalking', 'partner', 'ex', 'boyfriend', 'husband', 'victim', 'survivor', 'mum', 'mom', 'mam',
  'mother', 'dad', 'father', 'da/dad', 'parents', 'couple',
]);

/** Whether a domestic-abuse word occurs among `tokens` outside [skipFrom, skipTo) (the trigger itself does not count). */
export function hasAbuseWord(tokens: Token[], skipFrom = -1, skipTo = -1): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (i >= skipFrom && i < skipTo) continue;
    if (DA_WORDS.has(tokens[i].norm)) return true;
  }
  return false;
}
