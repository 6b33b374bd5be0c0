/**
 * A profiling loop, not a benchmark: runs the bench component's stateDict() and loadStateDict() many times so that
 * `node --cpu-prof` sees where a generated load spends its time.
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile/load-loop.ts [iterations]
 * Prints CPU µs per stateDict() and per loadStateDict(), the least of 5 batches (a rough figure; the interleaved
 * comparison is codegen.bench.ts).
 */
import { BenchScheduler } from '../codegen/bench-component.js';
import { benchValues, fill } from '../codegen/bench-values.js';

const iterations = Number(process.argv[2] ?? 200_000);
const source = fill(new BenchScheduler(), benchValues());
const target = new BenchScheduler();
const state = source.stateDict();

let sink = 0;
/** CPU microseconds per call of `op`, the least over `rounds` batches (CPU time: the machine is shared). */
function time(op: () => void, rounds = 5): number {
  let best = Infinity;
  const n = Math.ceil(iterations / rounds);
  for (let r = 0; r < rounds; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) op();
    const used = process.cpuUsage(t);
    best = Math.min(best, (used.user + used.system) / n);
  }
  return best;
}
const save = time(() => {
  sink += Object.keys(source.stateDict()).length;
});
const load = time(() => {
  target.loadStateDict(state);
  sink += target.step;
});
console.log(`stateDict ${save.toFixed(2)} µs, loadStateDict ${load.toFixed(2)} µs (CPU time, least of 5 batches; sink ${sink})`);
