// Preloaded (node --require) by scripts/bench-batch.mjs into the process it measures: on exit,
// writes the process's peak resident set (worker threads included, they share the process),
// its CPU time (all threads) and the main thread's own CPU time to the file named by
// CASENOTE_BENCH_MAXRSS as JSON, so the bench needs no /usr/bin/time. The main thread's own
// figure shows it does no more than relay the terminal (the audit runs in a worker thread);
// Node 20 has no per-thread CPU call, so it is read from /proc (Linux; null elsewhere).
const fs = require('node:fs');

const out = process.env.CASENOTE_BENCH_MAXRSS;
if (out) {
  process.on('exit', () => {
    const ru = process.resourceUsage();
    let mainCpuMs = null;
    try {
      // fields after the ")" of the command name: state is field 3, utime 14, stime 15 (clock ticks, 100 Hz on Linux)
      const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      mainCpuMs = (Number(f[11]) + Number(f[12])) * 10;
    } catch { /* not Linux */ }
    // maxRSS is in kilobytes, CPU times in microseconds
    fs.writeFileSync(out, JSON.stringify({ maxRssKb: ru.maxRSS, cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000, mainCpuMs }));
  });
}
