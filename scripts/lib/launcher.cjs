// Launcher of a bundle, written into dist/ by scripts/build.mjs in place of the bundle's own
// name (dist/cli.js runs dist/cli.bundle.js, dist/server.js runs dist/server.bundle.js).
// Node 20 has no compile cache (module.enableCompileCache is Node 22), and compiling a 2 MB
// bundle was a fifth of a short `check`. So the bundle is compiled through vm.Script with the
// V8 code cache the build wrote beside it. V8 uses the cache only when it was made by the same
// Node version with the same flags; anywhere else (VS Code's Electron, say) it is ignored and
// the bundle compiles as usual. Nothing is written at run time unless the build asks for the
// cache (CASENOTE_AUDIT_CODE_CACHE_OUT).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { wrap } = require('node:module');

const file = path.join(__dirname, '__BUNDLE__');
let cachedData;
try {
  cachedData = fs.readFileSync(`${file}.cache`);
} catch {
  // no cache: compile as usual
}
const script = new vm.Script(wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
const out = process.env.CASENOTE_AUDIT_CODE_CACHE_OUT;
// written at exit, so the functions the run compiled lazily are in the cache too
if (out) process.on('exit', () => fs.writeFileSync(out, script.createCachedData()));
// this module stands in for the bundle's: require.main === module holds, __dirname is dist/
script.runInThisContext()(exports, require, module, file, __dirname);
