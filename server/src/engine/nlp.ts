// The one place the engine uses an NLP library. compromise parses ~0.08 MB/s here, far too
// slow to run on every sentence, so it is loaded lazily and only consulted for a sentence a
// rule's token pattern has already matched (the cheap prefilter), and its answers are cached.

type Nlp = typeof import('compromise');
let nlp: Nlp | undefined;
function load(): Nlp {
  // required lazily so that start-up and notes without grammar checks never pay for it
  if (!nlp) {
    const mod = require('compromise') as Nlp & { default?: Nlp };
    nlp = mod.default ?? mod;
  }
  return nlp;
}

interface VerbSubject {
  /** Character range of the verb phrase and of its subject noun phrase in the sentence. */
  verb: { start: number; end: number };
  subject?: { start: number; end: number };
}

const cache = new Map<string, VerbSubject[]>();
const CACHE_LIMIT = 2000;

interface Offset { start: number; length: number }
interface TermJson { offset: Offset }

function parse(sentence: string): VerbSubject[] {
  const hit = cache.get(sentence);
  if (hit) return hit;
  const verbs = load()(sentence).verbs();
  const out: VerbSubject[] = [];
  const vjson = verbs.json({ offset: true }) as Array<{ offset: Offset }>;
  for (let i = 0; i < vjson.length; i++) {
    const v = vjson[i].offset;
    const entry: VerbSubject = { verb: { start: v.start, end: v.start + v.length } };
    const subj = (verbs.eq(i) as unknown as typeof verbs).subjects().json({ offset: true }) as Array<{ offset?: Offset; terms?: TermJson[] }>;
    const o = subj[0]?.offset;
    if (o) entry.subject = { start: o.start, end: o.start + o.length };
    out.push(entry);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(sentence, out);
  return out;
}

/** The character range of the subject of the verb phrase at or just after `offset`, if the parser finds one. */
export function subjectSpan(sentence: string, offset: number): { start: number; end: number } | undefined {
  const verbs = parse(sentence);
  const v = verbs.find((x) => x.verb.start <= offset && offset < x.verb.end) ?? verbs.find((x) => x.verb.start >= offset);
  return v?.subject;
}
