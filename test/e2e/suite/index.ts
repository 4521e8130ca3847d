// Entry point of the end-to-end suite inside a real VS Code extension host (the `run()`
// contract of @vscode/test-electron, also used by the code-server route). Prints a plain
// "N passed, N failed" line for CI.
import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        const total = mocha.suite.total();
        console.log(`e2e-suite: ${total - failures} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} tests failed.`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
