// Canonical spelling so that one rule covers British, American and Australian forms.
// The same function runs on rule words and on text, so any deterministic mapping is safe:
// it only has to map variants of one word to one form and never merge two words a rule
// needs to tell apart.

// a Map, not an object literal: text words such as "constructor" or "toString" must not find
// Object.prototype's members (that turned a token's norm into a function and crashed the guards)
const WORDS = new Map<string, string>(Object.entries({
  behavior: 'behaviour', behaviors: 'behaviours', behavioral: 'behavioural', behaviorally: 'behaviourally',
  program: 'programme', programs: 'programmes', judgment: 'judgement', judgments: 'judgements',
  defense: 'defence', offense: 'offence', offenses: 'offences', license: 'licence', practise: 'practice',
  practised: 'practiced', practising: 'practicing', center: 'centre', centers: 'centres',
  counseling: 'counselling', counselor: 'counsellor', counselors: 'counsellors', counseled: 'counselled',
  traveled: 'travelled', traveling: 'travelling', canceled: 'cancelled', canceling: 'cancelling',
  fulfill: 'fulfil', enroll: 'enrol', enrollment: 'enrolment', pediatric: 'paediatric', pediatrician: 'paediatrician',
  neighbor: 'neighbour', neighbors: 'neighbours', color: 'colour', favor: 'favour', favorite: 'favourite',
  honor: 'honour', labor: 'labour', rumor: 'rumour', harbor: 'harbour', mold: 'mould', gray: 'grey',
  fueled: 'fuelled', fueling: 'fuelling', labeled: 'labelled', labeling: 'labelling', modeled: 'modelled',
  signaled: 'signalled', totaled: 'totalled', focussed: 'focused', focussing: 'focusing',
  tumultous: 'tumultuous', mom: 'mom', moms: 'moms', jewelry: 'jewellery', aging: 'ageing',
  acknowledgment: 'acknowledgement', catalog: 'catalogue', dialog: 'dialogue', analog: 'analogue',
  skeptical: 'sceptical', willful: 'wilful', installment: 'instalment', cozy: 'cosy', plow: 'plough',
  disk: 'disc', tire: 'tyre', curb: 'kerb', pajamas: 'pyjamas', toward: 'towards', afterward: 'afterwards',
  whilst: 'while', amongst: 'among', learnt: 'learned', spelt: 'spelled', dreamt: 'dreamed',
}));

const KEEP = new Set(['size', 'seize', 'prize', 'capsize', 'baize', 'maize', 'citizen', 'citizens', 'denizen']);

export function canonicalSpelling(w: string): string {
  const direct = WORDS.get(w);
  if (direct !== undefined) return direct;
  if (w.length >= 6 && (w.includes('iz') || w.includes('yz')) && !KEEP.has(w)) {
    // -ize/-ise families: recognize/recognise, minimized/minimised, prioritizing/prioritising
    const m = /^(.{3,}?)(yz|iz)(e|es|ed|er|ers|ing|ation|ations|ational)$/.exec(w);
    if (m) return m[1] + (m[2] === 'yz' ? 'ys' : 'is') + m[3];
  }
  return w;
}
