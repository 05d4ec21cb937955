#!/usr/bin/env bash
# Benchmark: `shots merge` (release build) over N generated per-artifact files.
# Targets on a 2-core machine: N=10,000 in under 1 s; --into with 1 new file among 10,000 in under 0.2 s.
# Usage: bench/merge.sh [N] (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${RUNS:-5}
out=bench/out/merge-$n
swift build -c release --product shots >/dev/null
shots=.build/release/shots

rm -rf "$out" && mkdir -p "$out"
python3 bench/generate_artifacts.py "$n" "$out/bucket"
echo "corpus: $n per-artifact files, $(du -sh "$out/bucket" | cut -f1) on disk; $(nproc) cores"

# The full merge, from nothing.
# Each run writes a new file (removed first), as the pipeline does, so the guard against shrinking
# an existing output does not add a read of the previous run's result.
python3 bench/measure.py "merge $n files -> base.json" "$runs" \
  sh -c "rm -f '$out/base.json' && exec '$shots' merge -q '$out/bucket' -o '$out/base.json'"
echo "base.json: $(du -h "$out/base.json" | cut -f1)"

# The pipeline's case: one new artifact arrives in a bucket that already has base.json.
python3 bench/generate_artifacts.py 1 "$out/bucket" "$n"
python3 bench/measure.py "merge --into base.json (1 new among $n)" "$runs" \
  sh -c "rm -f '$out/base-next.json' && exec '$shots' merge -q --into '$out/base.json' '$out/bucket' -o '$out/base-next.json'"
test "$(jq length "$out/base-next.json")" -eq $((n + 1))
