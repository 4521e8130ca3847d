// Preloaded (node --require) by scripts/bench-batch.mjs into the process it measures: on exit,
// writes the process's peak resident set (worker threads included, they share the process)
// to the file named by CASENOTE_BENCH_MAXRSS, so the bench needs no /usr/bin/time.
const fs = require('node:fs');

const out = process.env.CASENOTE_BENCH_MAXRSS;
if (out) {
  process.on('exit', () => {
    // maxRSS is in kilobytes
    fs.writeFileSync(out, String(process.resourceUsage().maxRSS));
  });
}
