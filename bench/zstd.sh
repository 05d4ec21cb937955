#!/usr/bin/env bash
# Benchmark: the zstd profile against the LZ4 one, in the same run on the same corpus (a copy of
# /opt/swift/usr/lib, real binary files, laid out as a Tezos data dir): `shots pack` with each, the
# stock `tar | zstd -T0` beside them as zstd's own parallel reference, then how small each artifact
# is and how fast the stock CLIs decompress it (what every client of a tarball runs).
# Usage: bench/zstd.sh [SOURCE_TREE] (default /opt/swift/usr/lib)
set -euo pipefail
cd "$(dirname "$0")/.."
source_tree=${1:-/opt/swift/usr/lib}
runs=${RUNS:-3}
out=$PWD/bench/out/zstd
swift build -c release --product shots >/dev/null
shots=$PWD/.build/release/shots

# The corpus is kept between runs (copying it takes longer than packing it).
data=$out/data
if [ ! -f "$out/corpus.done" ] || [ "$(cat "$out/corpus.done")" != "$source_tree" ]; then
  rm -rf "$out" && mkdir -p "$data/node/data"
  cp -a "$source_tree/." "$data/node/"
  echo '{"peer_id":"idtest"}' > "$data/node/data/identity.json"
  echo "$source_tree" > "$out/corpus.done"
fi
bytes=$(du -sb "$data" | cut -f1)
echo "corpus: $(find "$data" -type f | wc -l) files, $((bytes / 1000000)) MB (copy of $source_tree); $(nproc) cores; $(lz4 --version | head -1 | grep -o 'v[0-9.]*'), zstd $(zstd -V | grep -o 'v[0-9.]*' | head -1)"
cat > "$out/version.json" <<'JSON'
{"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
JSON
find "$data" -type f -print0 | xargs -0 cat > /dev/null

pack() {  # profile folder
  python3 bench/measure.py --setup "rm -rf '$out/$2' && sync" "shots pack --profile $1" "$runs" \
    "$shots" pack "$data" --profile "$1" --network mainnet --base-url https://mainnet.xtz-shots.io \
    --block-height 5000000 --block-hash BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2 \
    --block-timestamp 2024-06-20T10:00:00Z --node-version "$out/version.json" --unsigned -o "$out/$2"
}
pack tezos-archive lz4
pack tezos-archive-zstd zstd
python3 bench/measure.py --setup "rm -rf '$out/ref' && mkdir -p '$out/ref' && sync" "reference: tar | zstd -T0 (level 3)" "$runs" \
  bash -c "tar cf - -C '$data' --exclude=node/data/identity.json node | zstd -q -T0 -3 > '$out/ref/x.zst'"

lz4_file=$(ls "$out"/lz4/*.lz4)
zstd_file=$(ls "$out"/zstd/*.zst)
python3 bench/measure.py "stock lz4 -d of the lz4 artifact" "$runs" bash -c "lz4 -dc '$lz4_file' > /dev/null"
python3 bench/measure.py "stock zstd -d of the zstd artifact" "$runs" bash -c "zstd -dc '$zstd_file' > /dev/null"
python3 - "$bytes" "$(stat -c %s "$lz4_file")" "$(stat -c %s "$zstd_file")" "$(stat -c %s "$out/ref/x.zst")" <<'PY'
import sys
corpus, lz4, zstd, ref = map(int, sys.argv[1:])
print(f"compressed: lz4 {lz4 / 1e6:.0f} MB ({lz4 / corpus:.3f} of the corpus), shots zstd {zstd / 1e6:.0f} MB ({zstd / corpus:.3f}, "
      f"{zstd / lz4:.3f} of lz4's), zstd -T0 {ref / 1e6:.0f} MB ({ref / corpus:.3f})")
PY
# The zstd artifact holds the same files as the LZ4 one.
diff <(lz4 -dc "$lz4_file" | tar -t | sort) <(zstd -dc "$zstd_file" | tar -t | sort) >/dev/null \
  && echo "contents: the same file list in both artifacts" || { echo "contents differ"; exit 1; }
