#!/usr/bin/env bash
# Benchmark: `shots build` (release build) of the embedded site over N generated artifacts on
# 8 networks, then an incremental rebuild after one new artifact.
# Targets on a 2-core machine: N=10,000 full build under 0.5 s; incremental rebuild under 0.1 s.
# Usage: bench/build.sh [N] (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${RUNS:-9}
out=bench/out/build-$n
swift build -c release --product shots >/dev/null
shots=$PWD/.build/release/shots

rm -rf "$out" && mkdir -p "$out"
python3 bench/generate_artifacts.py "$n" "$out/bucket"
echo "corpus: $n per-artifact files on 8 networks; $(nproc) cores"

# A full build: the output folder is removed before each run (untimed).
python3 bench/measure.py --setup "rm -rf '$out/site'" "full build ($n artifacts)" "$runs" \
  "$shots" build -q "$out/bucket" --site site -o "$out/site"
echo "output: $(find "$out/site" -type f | wc -l) files, $(du -sh "$out/site" | cut -f1)"

# Incremental: one new artifact since the last build. Each run starts from that build (restored
# untimed), as the pipeline does after publishing one artifact.
"$shots" build -q "$out/bucket" --site site -o "$out/previous"
python3 bench/generate_artifacts.py 1 "$out/extra" "$n"
cp "$out/extra/"*.json "$out/bucket/"
python3 bench/measure.py --setup "rm -rf '$out/site' && cp -a '$out/previous' '$out/site' && sync" "rebuild after 1 new artifact" "$runs" \
  "$shots" build -q "$out/bucket" --site site -o "$out/site"
rm -rf "$out/site" && cp -a "$out/previous" "$out/site"
"$shots" build "$out/bucket" --site site -o "$out/site" | tail -1
