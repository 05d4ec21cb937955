#!/usr/bin/env bash
# Benchmark: `shots pack` (release build) against the reference shell pipeline of the
# zip-and-upload job, in the same run on the same corpus: a copy of /opt/swift/usr (real binary
# files, about 3 GB) laid out as a Tezos data dir (node/...), with node identity files to leave out.
# Target on a 2-core machine: shots at least 2.5x faster in wall time. Also prints the compression
# ratio and peak RSS (target under 100 MiB).
# Usage: bench/pack.sh [SOURCE_TREE] (default /opt/swift/usr)
set -euo pipefail
cd "$(dirname "$0")/.."
source_tree=${1:-/opt/swift/usr}
runs=${RUNS:-3}
out=$PWD/bench/out/pack
swift build -c release --product shots >/dev/null
shots=$PWD/.build/release/shots

# The corpus is kept between runs (copying it takes longer than packing it).
data=$out/data
if [ ! -f "$out/corpus.done" ] || [ "$(cat "$out/corpus.done")" != "$source_tree" ]; then
  rm -rf "$out" && mkdir -p "$data/node/data"
  cp -a "$source_tree/." "$data/node/"
  echo '{"peer_id":"idtest"}' > "$data/node/data/identity.json"
  echo '[]' > "$data/node/data/peers.json"
  touch "$data/node/data/lock"
  echo "$source_tree" > "$out/corpus.done"
fi
bytes=$(du -sb "$data" | cut -f1)
echo "corpus: $(find "$data" -type f | wc -l) files, $((bytes / 1000000)) MB (copy of $source_tree); $(nproc) cores; $(lz4 --version | head -1 | grep -o 'v[0-9.]*')"
cat > "$out/version.json" <<'JSON'
{"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
JSON
rm -rf "$out/keys" && "$shots" keygen -q -o "$out/keys"
# Read the corpus once so both tools start from the same warm page cache.
find "$data" -type f -print0 | xargs -0 cat > /dev/null

# (GNU tar applies --exclude only to the operands after it.)
reference="tar cf - -C '$data' --exclude=node/data/identity.json --exclude=node/data/peers.json \
  --exclude=node/data/lock --exclude=lost+found node | lz4 | tee '$out/ref/x.lz4' | sha256sum > '$out/ref/x.lz4.sha256'"
# (the issue's `tee >(sha256sum ...)` form: bash would not wait for the hashing, so it is timed this way.)
python3 bench/measure.py --setup "rm -rf '$out/ref' && mkdir -p '$out/ref' && sync" "reference: tar | lz4 | tee | sha256sum" "$runs" \
  bash -c "$reference"
python3 bench/measure.py --setup "rm -rf '$out/shots' && sync" "shots pack" "$runs" \
  "$shots" pack "$data" --profile tezos-archive --network mainnet --base-url https://mainnet.xtz-shots.io \
  --block-height 5000000 --block-hash BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2 \
  --block-timestamp 2024-06-20T10:00:00Z --node-version "$out/version.json" --signing-key "$out/keys/shots.key" -o "$out/shots"

ref_size=$(stat -c %s "$out/ref/x.lz4")
shots_size=$(stat -c %s "$out/shots/"*.lz4)
python3 - "$bytes" "$ref_size" "$shots_size" <<'PY'
import sys
corpus, ref, shots = map(int, sys.argv[1:])
print(f"compressed: reference {ref / 1e6:.0f} MB ({ref / corpus:.3f} of the corpus), shots {shots / 1e6:.0f} MB ({shots / corpus:.3f})")
PY
# Both outputs decompress to a tar of the same files.
diff <(lz4 -dc "$out/ref/x.lz4" | tar -t | sed 's#/$##' | sort) <(lz4 -dc "$out/shots/"*.lz4 | tar -t | sed 's#/$##' | sort) >/dev/null \
  && echo "contents: the same file list in both tarballs" || { echo "contents differ"; exit 1; }
