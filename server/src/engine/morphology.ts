// Inflection expansion for `word~` in rule patterns. Rules name a lemma once and the
// compiler expands it to every form at build time, so matching stays a set lookup.
// Over-generation is harmless (an impossible form never occurs in text), so the regular
// rules generate both the doubled and undoubled consonant forms where English is unsure.

const IRREGULAR: Record<string, string[]> = {
  be: ['be', 'is', 'am', 'are', 'was', 'were', 'been', 'being', "'s", "'re"],
  have: ['have', 'has', 'had', 'having', "'ve"],
  do: ['do', 'does', 'did', 'done', 'doing'],
  go: ['go', 'goes', 'went', 'gone', 'going'],
  get: ['get', 'gets', 'got', 'gotten', 'getting'],
  let: ['let', 'lets', 'letting'],
  put: ['put', 'puts', 'putting'],
  hit: ['hit', 'hits', 'hitting'],
  beat: ['beat', 'beats', 'beaten', 'beating'],
  choose: ['choose', 'chooses', 'chose', 'chosen', 'choosing'],
  leave: ['leave', 'leaves', 'left', 'leaving'],
  keep: ['keep', 'keeps', 'kept', 'keeping'],
  take: ['take', 'takes', 'took', 'taken', 'taking'],
  give: ['give', 'gives', 'gave', 'given', 'giving'],
  make: ['make', 'makes', 'made', 'making'],
  see: ['see', 'sees', 'saw', 'seen', 'seeing'],
  know: ['know', 'knows', 'knew', 'known', 'knowing'],
  throw: ['throw', 'throws', 'threw', 'thrown', 'throwing'],
  lose: ['lose', 'loses', 'lost', 'losing'],
  fall: ['fall', 'falls', 'fell', 'fallen', 'falling'],
  fight: ['fight', 'fights', 'fought', 'fighting'],
  bring: ['bring', 'brings', 'brought', 'bringing'],
  seek: ['seek', 'seeks', 'sought', 'seeking'],
  tell: ['tell', 'tells', 'told', 'telling'],
  say: ['say', 'says', 'said', 'saying'],
  come: ['come', 'comes', 'came', 'coming'],
  become: ['become', 'becomes', 'became', 'becoming'],
  run: ['run', 'runs', 'ran', 'running'],
  hold: ['hold', 'holds', 'held', 'holding'],
  stand: ['stand', 'stands', 'stood', 'standing'],
  feel: ['feel', 'feels', 'felt', 'feeling'],
  think: ['think', 'thinks', 'thought', 'thinking'],
  find: ['find', 'finds', 'found', 'finding'],
  meet: ['meet', 'meets', 'met', 'meeting'],
  hurt: ['hurt', 'hurts', 'hurting'],
  cut: ['cut', 'cuts', 'cutting'],
  shut: ['shut', 'shuts', 'shutting'],
  set: ['set', 'sets', 'setting'],
  blow: ['blow', 'blows', 'blew', 'blown', 'blowing'],
  fly: ['fly', 'flies', 'flew', 'flown', 'flying'],
  break: ['break', 'breaks', 'broke', 'broken', 'breaking'],
  speak: ['speak', 'speaks', 'spoke', 'spoken', 'speaking'],
  drive: ['drive', 'drives', 'drove', 'driven', 'driving'],
  write: ['write', 'writes', 'wrote', 'written', 'writing'],
  rise: ['rise', 'rises', 'rose', 'risen', 'rising'],
  strike: ['strike', 'strikes', 'struck', 'striking'],
  sleep: ['sleep', 'sleeps', 'slept', 'sleeping'],
  drink: ['drink', 'drinks', 'drank', 'drunk', 'drinking'],
  grab: ['grab', 'grabs', 'grabbed', 'grabbing'],
  understand: ['understand', 'understands', 'understood', 'understanding'],
  withdraw: ['withdraw', 'withdraws', 'withdrew', 'withdrawn', 'withdrawing'],
  undergo: ['undergo', 'undergoes', 'underwent', 'undergone', 'undergoing'],
  forbid: ['forbid', 'forbids', 'forbade', 'forbidden', 'forbidding'],
  shake: ['shake', 'shakes', 'shook', 'shaken', 'shaking'],
  swear: ['swear', 'swears', 'swore', 'sworn', 'swearing'],
  tear: ['tear', 'tears', 'tore', 'torn', 'tearing'],
  kick: ['kick', 'kicks', 'kicked', 'kicking'],
  child: ['child', 'children', "child's", "children's"],
  man: ['man', 'men'],
  woman: ['woman', 'women'],
  person: ['person', 'people', 'persons'],
  wife: ['wife', 'wives'],
  life: ['life', 'lives'],
  baby: ['baby', 'babies'],
  party: ['party', 'parties'],
  mouse: ['mouse', 'mice'],
  foot: ['foot', 'feet'],
  tooth: ['tooth', 'teeth'],
};

const VOWELS = 'aeiou';

/** Every form of `lemma`: verb forms (-s, -ed, -ing) and noun plurals. */
export function inflect(lemma: string): string[] {
  const irregular = IRREGULAR[lemma];
  if (irregular) return irregular.slice();
  const forms = new Set<string>([lemma]);
  const last = lemma[lemma.length - 1];
  const prev = lemma[lemma.length - 2] ?? '';
  // third person / plural
  if (/(s|x|z|ch|sh|o)$/.test(lemma)) forms.add(lemma + 'es');
  else if (last === 'y' && !VOWELS.includes(prev)) forms.add(lemma.slice(0, -1) + 'ies');
  else forms.add(lemma + 's');
  // past and participle
  if (last === 'e') {
    forms.add(lemma + 'd');
    forms.add(lemma.slice(0, -1) + 'ing');
    if (lemma.endsWith('ee') || lemma.endsWith('ye') || lemma.endsWith('oe')) forms.add(lemma + 'ing');
    if (lemma.endsWith('ie')) forms.add(lemma.slice(0, -2) + 'ying');
  } else if (last === 'y' && !VOWELS.includes(prev)) {
    forms.add(lemma.slice(0, -1) + 'ied');
    forms.add(lemma + 'ing');
  } else {
    forms.add(lemma + 'ed');
    forms.add(lemma + 'ing');
    // consonant-vowel-consonant endings may double (stop/stopped, control/controlled, travel/travelled)
    const p2 = lemma[lemma.length - 3] ?? '';
    if (!VOWELS.includes(last) && !'wxy'.includes(last) && VOWELS.includes(prev) && !VOWELS.includes(p2)) {
      forms.add(lemma + last + 'ed');
      forms.add(lemma + last + 'ing');
    }
    if (last === 'c') {
      forms.add(lemma + 'ked');
      forms.add(lemma + 'king');
    }
  }
  return [...forms];
}
