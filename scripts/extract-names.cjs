// Extracts compromise's first-name lexicon into a compact data file so the engine can
// guess the likely role of an unknown first name without loading compromise at run time.
// Run: node scripts/extract-names.cjs  (output committed: server/src/engine/data/first-names.json)
const fs = require('node:fs');
const path = require('node:path');
const nlp = require('compromise');
const lex = nlp.world().model.one.lexicon;
const female = [];
const male = [];
for (const [word, tag] of Object.entries(lex)) {
  if (!/^[a-z][a-z'-]+$/.test(word)) continue;
  if (tag === 'FemaleName') female.push(word);
  else if (tag === 'MaleName') male.push(word);
}
female.sort();
male.sort();
const out = path.join(__dirname, '..', 'server', 'src', 'engine', 'data', 'first-names.json');
fs.writeFileSync(out, JSON.stringify({ source: 'compromise lexicon (MIT)', female, male }) + '\n');
console.log(`wrote ${female.length} female and ${male.length} male first names to ${path.relative(process.cwd(), out)}`);
