#!/usr/bin/env bash
# Issue 7: cold `kindling codegen` and `tsc --noEmit` over the 500-component synthetic project, 4 configurations
# measured in alternation. Usage: run.sh setup | run.sh measure ROUNDS   (results appended to $OUT)
# Needs two worktrees: the baseline at /work/wt/baseline (git worktree add --detach /work/wt/baseline 6c24069, npm ci)
# and main at /work/wt/h7-main (node_modules linked from the main checkout); H (default /tmp/h7) holds the projects.
# Summarize the rows with bench/issue7/summarize.py. Used for BENCHMARKS.md, "Issue 7: did not regress".
set -euo pipefail
H=${H:-/tmp/h7}; BASE=/work/wt/baseline; MAIN=/work/wt/h7-main; OUT=${OUT:-$H/results.tsv}
repo() { case $1 in A|D) echo $BASE;; B|C) echo $MAIN;; esac; }
codegen() { # $1 config, rest: args; cwd = project dir, as bench/codegen/cold-codegen.ts does
  local c=$1 r; r=$(repo $c); shift
  (cd $H/$c && NO_COLOR=1 CI=1 node $r/node_modules/tsx/dist/cli.mjs $r/src/cli/bin.ts codegen "$@")
}
setup() {
  mkdir -p $H; rm -rf $H/A $H/B $H/C $H/D
  cat > $H/write-project.mts <<'TS'
import { join } from 'node:path';
const [repo, dir, entry] = process.argv.slice(2);
const { writeSyntheticProject } = await import(join(repo!, 'bench/codegen/synthetic-project.ts'));
const p = writeSyntheticProject({ dir: dir!, classes: 500, kindlingEntry: entry!, typeRoots: join(repo!, 'node_modules/@types') });
console.log(JSON.stringify({ tsconfig: p.tsconfig, files: p.sourceFiles.length, fields: p.fieldCount }));
TS
  # A: baseline writer, kindling -> baseline src/index.ts (the baseline bench)
  $BASE/node_modules/.bin/tsx $H/write-project.mts $BASE $H/A $BASE/src/index.ts
  # B: main writer, kindling -> main src/index.ts, kindling/runtime -> main src/runtime/index.ts (main's bench)
  $MAIN/node_modules/.bin/tsx $H/write-project.mts $MAIN $H/B $MAIN/src/index.ts
  # C: main writer, kindling -> a state-layer-only entry in the project dir (outside src/, not scanned)
  $MAIN/node_modules/.bin/tsx $H/write-project.mts $MAIN $H/C $H/C/kindling-entry/index.ts
  mkdir -p $H/C/kindling-entry
  local S=../../../..$MAIN/src/state
  cat > $H/C/kindling-entry/index.ts <<TS
// State-layer-only stand-in for 'kindling': what the synthetic components import (persist, stateful, Tensor,
// zeros) plus the names codegen's symbol probe asks of 'kindling' (GeneratedState(WithShims), VALUE_KIND).
export { persist, stateful } from '$S/decorators.js';
export { type Tensor, zeros } from '$S/tensor.js';
export type { GeneratedState } from '$S/codec.js';
export type { GeneratedStateWithShims } from '$S/shims.js';
export { VALUE_KIND } from '$S/value-kinds.js';
TS
  node -e 'const fs=require("fs"),f=process.argv[1],j=JSON.parse(fs.readFileSync(f,"utf8"));
    j.compilerOptions.paths["kindling/runtime"]=[process.argv[2]]; fs.writeFileSync(f,JSON.stringify(j,null,2)+"\n")' \
    $H/C/tsconfig.json $MAIN/src/runtime/index.ts
  # D: A plus one project file that pulls main's whole framework into the program (baseline codegen, main-size program)
  $BASE/node_modules/.bin/tsx $H/write-project.mts $BASE $H/D $BASE/src/index.ts
  cat > $H/D/src/shared/main-framework.ts <<TS
// Puts main's src/index.ts (framework + tfjs-core .d.ts) into the program; imports of the components unchanged.
export type * as MainFramework from '../../../../..$MAIN/src/index.js';
TS
  for c in A B C D; do codegen $c | tail -1; done   # first generation, so generated files exist
  for c in A B C D; do
    $(repo $c)/node_modules/.bin/tsc --listFilesOnly -p $H/$c/tsconfig.json > $H/files-$c.txt
    echo "$c files=$(wc -l < $H/files-$c.txt) kindling-src=$(grep -c '^/work/wt/[^/]*/src/' $H/files-$c.txt) tfjs=$(grep -c tfjs $H/files-$c.txt)"
  done
}
measure() {
  local rounds=$1 i c r t
  [ -s $OUT ] || printf 'round\tconfig\tkind\tload1\twall\tuser\tsys\tmaxrssKiB\n' > $OUT
  for ((i = 1; i <= rounds; i++)); do
    for c in A B C D; do
      r=$(repo $c)
      read -r l _ < /proc/loadavg
      /usr/bin/time -o $H/time.txt -f '%e %U %S %M' bash -c "cd $H/$c && NO_COLOR=1 CI=1 node $r/node_modules/tsx/dist/cli.mjs $r/src/cli/bin.ts codegen > $H/last-$c.log 2>&1"; t=$(tail -1 $H/time.txt)
      grep -q '500 generated file(s), 0 written, 0 removed; 0 errors' $H/last-$c.log || { echo "codegen $c unexpected:"; tail -2 $H/last-$c.log; exit 1; }
      printf '%s\t%s\tcodegen\t%s\t%s\n' $i $c $l "$(tr ' ' '\t' <<< "$t")" | tee -a $OUT
      read -r l _ < /proc/loadavg
      /usr/bin/time -o $H/time.txt -f '%e %U %S %M' $r/node_modules/.bin/tsc --noEmit -p $H/$c/tsconfig.json > $H/last-tsc-$c.log 2>&1 || true; t=$(tail -1 $H/time.txt)
      [ -s $H/last-tsc-$c.log ] && { echo "tsc $c errors:"; head -3 $H/last-tsc-$c.log; exit 1; }
      printf '%s\t%s\ttsc\t%s\t%s\n' $i $c $l "$(tr ' ' '\t' <<< "$t")" | tee -a $OUT
    done
  done
}
"$@"
