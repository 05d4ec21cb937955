#!/usr/bin/env bash
# Benchmark: `shots restore` (release build) against the reference one-liner
# `curl -s URL | lz4 -d | tar -x -C DEST` (which verifies nothing), in the same run on the same
# signed artifact served by `shots serve` on loopback. The corpus is a copy of SOURCE_TREE
# (default /opt/swift/usr/lib: real binary files, about 2 GB) laid out as a Tezos data dir, packed
# and published into folder stores with a signing key as `make run` does.
# Cases, RUNS times each (default 3), alternating, DEST emptied (untimed) before every run:
#   1. the reference; shots restore (default 4 connections) and with --connections 1;
#   2. through Tests/StorageTests/fault_proxy.py --rate RATE (default 25 MB/s per connection, as a
#      host that caps each connection's speed): the reference against shots --connections 4.
#      Target on a 2-core machine: shots at least 2.5x the reference's speed there.
# Reports the median wall time, MB/s of the compressed artifact, the ratio to the reference of the
# same section, peak RSS (the reference's: the sum of its three processes' peaks, all alive at
# once) and CPU user/sys seconds (median; the reference's summed over its three processes).
# After every run DEST must hold node/ with every entry of the tarball, or the bench stops.
# Usage: bench/restore.sh [SOURCE_TREE]   (RUNS=3 RATE=25000000 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
source_tree=${1:-/opt/swift/usr/lib}
runs=${RUNS:-3}
rate=${RATE:-25000000}
out=$PWD/bench/out/restore
swift build -c release --product shots --scratch-path "$PWD/.build-bench" >/dev/null
shots=$PWD/.build-bench/release/shots

# The corpus is kept between runs (copying it takes longer than restoring it), made as
# bench/pack.sh makes its own: SOURCE_TREE under node/, with the files a tarball leaves out.
data=$out/data
if [ ! -f "$out/corpus.done" ] || [ "$(cat "$out/corpus.done")" != "$source_tree" ]; then
  rm -rf "$out" && mkdir -p "$data/node/data"
  cp -a "$source_tree/." "$data/node/"
  echo '{"peer_id":"idtest"}' > "$data/node/data/identity.json"
  echo '[]' > "$data/node/data/peers.json"
  touch "$data/node/data/lock"
  echo "$source_tree" > "$out/corpus.done"
fi
work=$out/work
rm -rf "$work" && mkdir -p "$work/block" "$work/times"
dest=$work/dest

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
origin=http://127.0.0.1:$port

# Pack and publish, signed, into folder stores (as `make run`; block info as pipeline/sample-data-dir.sh).
printf '6000000\n' > "$work/block/BLOCK_HEIGHT"
printf 'BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2\n' > "$work/block/BLOCK_HASH"
printf '2024-07-02T00:00:00Z\n' > "$work/block/BLOCK_TIMESTAMP"
cat > "$work/version.json" <<'JSON'
{"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
JSON
"$shots" keygen -q -o "$work/keys"
"$shots" publish "$data" --profile tezos-rolling --network mainnet --block-info-dir "$work/block" \
  --node-version "$work/version.json" --signing-key "$work/keys/shots.key" --preview "$origin" \
  --site site --store "$work/stores/{network}" --site-store "$work/stores/site" -q
artifact_path=$(ls "$work/stores/mainnet/"*.lz4)
artifact=$(basename "$artifact_path")
size=$(stat -c %s "$artifact_path")
bytes=$(du -sb "$data" | cut -f1)
# What every restore must produce: the tarball's entries (directories aside), counted once.
expected=$(lz4 -dc "$artifact_path" | tar -tv | grep -vc '^d')
echo "corpus: $(find "$data" -type f | wc -l) files, $((bytes / 1000000)) MB (copy of $source_tree); artifact $artifact, $((size / 1000000)) MB, $expected entries"
echo "$(nproc) cores; $(lz4 --version | head -1 | grep -o 'v[0-9.]*'); $(curl --version | head -1 | cut -d' ' -f1-2); $(tar --version | head -1); proxy cap $((rate / 1000000)) MB/s per connection"

serve=""; proxy=""
stop() { # every server this script started, by PID
  for pid in $proxy $serve; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  proxy=""; serve=""
}
trap stop EXIT
"$shots" serve --port "$port" --site site --store "$work/stores/{network}" --site-store "$work/stores/site" > "$work/serve.log" 2>&1 & serve=$!
url=$origin/store/mainnet/$artifact
for _ in $(seq 100); do curl -sf -o /dev/null -r 0-0 "$url" && break; sleep 0.1; done
curl -sf -o /dev/null -r 0-0 "$url" || { echo "shots serve did not start:"; cat "$work/serve.log"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{redirect_url}' "$origin/store/mainnet/rolling-tarball")" = "$url" ] \
  || echo "note: the permalink does not redirect to $url"

echo '[]' > "$work/rules.json"
python3 Tests/StorageTests/fault_proxy.py --target "127.0.0.1:$port" --port-file "$work/proxy.port" \
  --rules "$work/rules.json" --log "$work/proxy.log" --rate "$rate" > "$work/proxy.out" 2>&1 & proxy=$!
for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.1; done
[ -s "$work/proxy.port" ] || { echo "fault_proxy.py did not start:"; cat "$work/proxy.out"; exit 1; }
proxied_url=http://127.0.0.1:$(cat "$work/proxy.port")/store/mainnet/$artifact

# Read the artifact once so every run starts from the same warm page cache.
cat "$artifact_path" > /dev/null

check() { # LABEL: DEST holds node/ and every entry of the tarball, nothing half-restored
  local entries
  [ -d "$dest/node" ] || { echo "$1: no node/ in $dest after the run:"; ls -la "$dest"; exit 1; }
  entries=$(find "$dest" -mindepth 1 -not -type d | wc -l)
  [ "$entries" = "$expected" ] || { echo "$1: $entries entries in $dest, the tarball has $expected"; exit 1; }
}
# Each run appends "wall_s peak_kib user_s sys_s" to times/LABEL; a failure stops the bench.
run_reference() { # LABEL URL
  local label=$1 t=$work/times
  rm -rf "$dest" && mkdir -p "$dest" && sync
  /usr/bin/time -f '%e' -o "$t/wall" bash -c "set -o pipefail
    /usr/bin/time -f '%M %U %S' -o '$t/curl' curl -s '$2' \
      | /usr/bin/time -f '%M %U %S' -o '$t/lz4' lz4 -d \
      | /usr/bin/time -f '%M %U %S' -o '$t/tar' tar -x -C '$dest'" > "$work/$label.log" 2>&1 \
    || { echo "$label failed:"; cat "$work/$label.log"; exit 1; }
  check "$label"
  # Peak RSS: the sum of the three peaks; CPU: the sum of the three processes'.
  echo "$(cat "$t/wall") $(cat "$t/curl" "$t/lz4" "$t/tar" | awk '{k += $1; u += $2; s += $3} END {print k, u, s}')" >> "$t/$label"
}
run_shots() { # LABEL URL [OPTIONS...]
  local label=$1 source=$2; shift 2
  rm -rf "$dest" && mkdir -p "$dest" && sync
  /usr/bin/time -f '%e %M %U %S' -o "$work/times/time" "$shots" restore "$source" "$dest" \
    --public-key "$work/keys/shots.pub" -q "$@" > "$work/$label.log" 2>&1 \
    || { echo "$label failed:"; cat "$work/$label.log"; exit 1; }
  check "$label"
  cat "$work/times/time" >> "$work/times/$label"
}

for i in $(seq "$runs"); do
  run_reference reference "$url"
  run_shots shots-4 "$url"
  run_shots shots-1 "$url" --connections 1
  run_reference proxied-reference "$proxied_url"
  run_shots proxied-shots-4 "$proxied_url" --connections 4
  echo "run $i of $runs done"
done
stop
rm -rf "$dest"

python3 - "$size" "$runs" "$rate" "$work/times" <<'PY' | tee "$out/results.txt"
import statistics, sys
size, runs, rate, times = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def case(name):
    rows = [list(map(float, line.split())) for line in open(f"{times}/{name}")]
    median = lambda i: statistics.median(row[i] for row in rows)
    return {"wall": median(0), "best": min(r[0] for r in rows), "rss": max(r[1] for r in rows) / 1024,
            "user": median(2), "sys": median(3)}
cap = rate / 1e6
cases = [("reference: curl | lz4 -d | tar -x", "reference", "reference"),
         ("shots restore (4 connections)", "shots-4", "reference"),
         ("shots restore --connections 1", "shots-1", "reference"),
         (f"proxied reference ({cap:.0f} MB/s/conn)", "proxied-reference", "proxied-reference"),
         (f"proxied shots, 4 conns ({cap:.0f} MB/s/conn)", "proxied-shots-4", "proxied-reference")]
results = {key: case(key) for _, key, _ in cases}
print(f"median of {runs} runs (alternating); artifact {size / 1e6:.0f} MB compressed; ratio = reference's wall / this wall")
print(f"{'':<42}{'wall s':>8}{'best s':>8}{'MB/s':>8}{'ratio':>7}{'peak RSS MiB':>14}{'user s':>8}{'sys s':>7}")
for label, key, base in cases:
    r = results[key]
    print(f"{label:<42}{r['wall']:8.2f}{r['best']:8.2f}{size / r['wall'] / 1e6:8.0f}{results[base]['wall'] / r['wall']:6.2f}x"
          f"{r['rss']:14.1f}{r['user']:8.2f}{r['sys']:7.2f}")
print("reference rows: peak RSS is the sum of curl's, lz4's and tar's peaks; user/sys summed over the three")
ratio = results["proxied-reference"]["wall"] / results["proxied-shots-4"]["wall"]
print(f"capped per connection: shots --connections 4 is {ratio:.2f}x the reference's speed (target >= 2.5x): "
      f"{'met' if ratio >= 2.5 else 'NOT met'}")
PY
