// The first analyses in a fresh process are slow (V8 compiles the matcher, lazy tables fill):
// a single short paragraph can take 50 ms. Warming up on the rules' own flag examples, one
// small block at a time with a yield between, keeps that cost off the first real note's slices.
// Each example waits until no document is being analysed (`idle`): the note the editor opened
// with is analysed first, not interleaved with the warm-up.

import { Analyzer, RuleSet } from '../engine';

export async function warmUp(ruleSet: RuleSet, idle: () => Promise<void> = () => Promise.resolve()): Promise<number> {
  const analyzer = new Analyzer(ruleSet, { aligned: true });
  const preamble = 'Adults: Kirsty Reid (mother; non-abusing parent); Jamie Kerr (father; person causing harm)\nChildren: Lily Kerr (7)';
  let n = 0;
  for (const rule of ruleSet.rules) {
    for (const ex of [...rule.examples.flag, ...rule.examples.ok].slice(0, 4)) {
      await new Promise<void>((r) => setImmediate(r));
      await idle();
      analyzer.analyze(`${preamble}\n\n${ex.replace(/\[\[|\]\]/g, '')}`);
      n++;
    }
  }
  return n;
}
