#!/usr/bin/env node
// Generates the per-rule and per-category parts of the settings schema in package.json
// (contributes.configuration: caseNoteAudit.rules / caseNoteAudit.categories) from the
// compiled rule pack, so the settings editor and settings.json offer completion for every
// rule id. Run by scripts/build.mjs after dist/rules.json is written; writes only on change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const pack = JSON.parse(fs.readFileSync(path.join(root, 'dist/rules.json'), 'utf8'));
const { CATEGORIES, ALIGNED_KINDS } = require(path.join(root, 'out/server/src/engine/types.js'));
const LEVELS = ['off', 'error', 'warning', 'information', 'hint'];
const generic = (s) => s.replace(/\{perpetrator\}/g, 'the person causing harm').replace(/\{survivor\}/g, 'the survivor').replace(/\{child\}/g, 'the child');
const oneLine = (s) => s.replace(/\s+/g, ' ').trim();

const rules = {};
for (const r of [...pack.rules].sort((a, b) => a.id.localeCompare(b.id))) {
  rules[r.id] = {
    type: 'string',
    enum: LEVELS,
    markdownDescription: `${r.kind === 'aligned' ? 'Aligned practice' : 'Category'} \`${r.category}\`, default \`${r.severity}\`. ${oneLine(generic(r.message))}`,
  };
}
const categories = {};
for (const c of CATEGORIES) categories[c] = { type: 'boolean', default: true, description: `Check wording in the category "${c.replace(/-/g, ' ')}".` };
for (const c of ALIGNED_KINDS) categories[c] = { type: 'boolean', default: true, description: `Aligned practice indicator "${c.replace(/-/g, ' ')}" (shown when caseNoteAudit.showAligned is on).` };

const file = path.join(root, 'package.json');
const before = fs.readFileSync(file, 'utf8');
const pkg = JSON.parse(before);
const props = pkg.contributes.configuration.properties;
props['caseNoteAudit.rules'].properties = rules;
props['caseNoteAudit.categories'].properties = categories;
const after = JSON.stringify(pkg, null, 2) + '\n';
if (after !== before) {
  fs.writeFileSync(file, after);
  console.log(`package.json: settings schema updated (${Object.keys(rules).length} rules, ${Object.keys(categories).length} categories)`);
}
