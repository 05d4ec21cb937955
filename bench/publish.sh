#!/usr/bin/env bash
# Benchmark: `shots publish` (pack + upload, release build) into moto_server on loopback, against
# the reference shape `tar | lz4 | tee >(sha256sum) | aws s3 cp -` in the same run, on bench/pack.sh's
# corpus (a copy of /opt/swift/usr laid out as a Tezos data dir). Also measures moto's own ingest
# ceiling (one 1 GB `curl -T` PUT), since on loopback moto, not the network, bounds an upload.
# Runs alternate reference/shots; best of each is reported, with the peak RSS of shots.
# Usage: bench/publish.sh [SOURCE_TREE] (default /opt/swift/usr)
set -euo pipefail
cd "$(dirname "$0")/.."
source_tree=${1:-/opt/swift/usr}
runs=${RUNS:-3}
out=$PWD/bench/out/publish
swift build -c release --product shots --scratch-path "$PWD/.build-bench" >/dev/null
shots=$PWD/.build-bench/release/shots

# The corpus is bench/pack.sh's, made the same way (so either script reuses the other's copy).
pack=$PWD/bench/out/pack
data=$pack/data
if [ ! -f "$pack/corpus.done" ] || [ "$(cat "$pack/corpus.done")" != "$source_tree" ]; then
  rm -rf "$pack" && mkdir -p "$data/node/data"
  cp -a "$source_tree/." "$data/node/"
  echo '{"peer_id":"idtest"}' > "$data/node/data/identity.json"
  echo '[]' > "$data/node/data/peers.json"
  touch "$data/node/data/lock"
  echo "$source_tree" > "$pack/corpus.done"
fi
rm -rf "$out" && mkdir -p "$out/block"
bytes=$(du -sb "$data" | cut -f1)
echo "corpus: $(find "$data" -type f | wc -l) files, $((bytes / 1000000)) MB (copy of $source_tree); $(nproc) cores; moto $(python3 -c 'import moto; print(moto.__version__)')"
printf 'BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2\n' > "$out/block/BLOCK_HASH"
printf '2024-07-02T00:00:00Z\n' > "$out/block/BLOCK_TIMESTAMP"
cat > "$out/version.json" <<'JSON'
{"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
JSON
head -c 1000000000 /dev/urandom > "$out/ceiling.bin" && sync   # no writeback during the PUTs
find "$data" -type f -print0 | xargs -0 cat > /dev/null   # a warm page cache for every run

# moto without authentication accepts any key; the aws CLI and shots still want one to sign with.
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_DEFAULT_REGION=us-east-1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
moto=""
stop_moto() { [ -z "$moto" ] || { kill "$moto" 2>/dev/null; wait "$moto" 2>/dev/null || true; moto=""; }; }
trap stop_moto EXIT
# moto keeps every object in memory: a fresh server (and fresh buckets) for each measurement.
# Its log ($out/moto-*.log) shows when the last part arrived: moto's CompleteMultipartUpload
# alone takes 10-20 s for 1.5 GB (it assembles the object in Python), in both tools' wall time.
fresh_moto() {
  stop_moto
  moto_server -H 127.0.0.1 -p "$port" > "$out/moto-$1.log" 2>&1 & moto=$!
  for _ in $(seq 100); do curl -s -o /dev/null "$url" && break; sleep 0.1; done
  for b in bench-ref bench-mainnet bench-site bench-ceiling; do aws --endpoint-url "$url" s3 mb "s3://$b" >/dev/null; done
}

# (GNU tar applies --exclude only to the operands after it; shots leaves out the same files.)
# bash does not wait for `>(sha256sum)`, so the run ends only once the checksum is written.
reference="tar -C '$data' -cf - --exclude=node/data/identity.json --exclude=node/data/peers.json \
  --exclude=node/data/lock --exclude=lost+found node | lz4 -c | tee >(sha256sum > '$out/ref.sha256') \
  | aws --endpoint-url $url s3 cp - s3://bench-ref/ref.lz4 --expected-size $bytes --only-show-errors
  until [ -s '$out/ref.sha256' ]; do sleep 0.01; done"
# Appends "wall_s peak_kib uploaded_bytes" to $1.times; stops the bench with the tool's error.
timed() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$out/time" "$@" > "$out/$label.log" 2>&1 || { echo "$label failed:"; cat "$out/$label.log"; exit 1; }
}
for i in $(seq "$runs"); do
  fresh_moto ceiling-$i
  curl -s -o /dev/null -w '%{time_total} %{speed_upload}\n' -T "$out/ceiling.bin" "$url/bench-ceiling/1g.bin" >> "$out/ceiling.times"
  fresh_moto reference-$i && rm -f "$out/ref.sha256"
  timed reference bash -c "$reference"
  echo "$(cat "$out/time") $(aws --endpoint-url "$url" s3api head-object --bucket bench-ref --key ref.lz4 --query ContentLength)" >> "$out/reference.times"
  fresh_moto shots-$i
  echo $((7000000 + i)) > "$out/block/BLOCK_HEIGHT"   # a new artifact name per run
  timed shots "$shots" publish "$data" --profile tezos-rolling --network mainnet --block-info-dir "$out/block" \
    --node-version "$out/version.json" --unsigned --store s3://bench-mainnet --site-store s3://bench-site \
    --endpoint-url "$url" --site site
  key=$(aws --endpoint-url "$url" s3 ls s3://bench-mainnet/ | awk '$4 ~ /\.lz4$/ {print $4}')
  echo "$(cat "$out/time") $(aws --endpoint-url "$url" s3api head-object --bucket bench-mainnet --key "$key" --query ContentLength)" >> "$out/shots.times"
done
stop_moto

python3 - "$bytes" "$runs" "$out" <<'PY' | tee "$out/results.txt"
import sys
corpus, runs, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rows = lambda name: [list(map(float, l.split())) for l in open(f"{out}/{name}.times")]
ceiling = max(speed for _, speed in rows("ceiling")) / 1e6
ref, shots = min(rows("reference")), min(rows("shots"))
print(f"best of {runs} runs; moto ingest ceiling (1 GB curl -T PUT): {ceiling:.0f} MB/s")
print(f"{'':<10}{'wall s':>8}{'corpus MB/s':>13}{'upload MB/s':>13}{'% of moto':>11}{'object MB':>11}{'peak RSS MiB':>14}")
for name, (wall, kib, size) in (("reference", ref), ("shots", shots)):
    rss = f"{kib / 1024:.1f}" if name == "shots" else "-"
    print(f"{name:<10}{wall:8.2f}{corpus / wall / 1e6:13.0f}{size / wall / 1e6:13.0f}{size / wall / 1e6 / ceiling * 100:10.0f}%{size / 1e6:11.0f}{rss:>14}")
print(f"shots is {ref[0] / shots[0]:.2f}x the reference's speed (wall time)")
PY
