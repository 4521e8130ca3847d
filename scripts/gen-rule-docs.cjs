// Writes docs/rules.md from the rule sources (run by scripts/build.mjs).
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { compilePackFromSources } = require(path.join(root, 'out/server/src/host/rulePack.js'));
const { ruleCatalogue } = require(path.join(root, 'out/server/src/host/ruleDocs.js'));
const { pack } = compilePackFromSources(path.join(root, 'rules'), 'docs');
const out = path.join(root, 'docs', 'rules.md');
const text = ruleCatalogue(pack.rules, pack.version);
if (!fs.existsSync(out) || fs.readFileSync(out, 'utf8') !== text) fs.writeFileSync(out, text);
