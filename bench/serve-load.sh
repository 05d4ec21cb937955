#!/usr/bin/env bash
# Load: `shots serve` (release build) under wrk on loopback, 100 connections for 20 s on a mix of
# pages and a 200 MB artifact (each request of it a 1 MiB range at a random offset, as parallel
# and resumed downloads ask, and every tenth the whole file), against the reference shape,
# Python's http.server over the same files, in the same run. Reports requests/s, transfer rate,
# latency, non-2xx/3xx answers and socket errors, and shots' RSS after 5 s and at the end.
# Usage: bench/serve-load.sh   (DURATION=20s CONNECTIONS=100 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-20s}
connections=${CONNECTIONS:-100}
out=$PWD/bench/out/serve
swift build -c release --product shots --scratch-path "$PWD/.build-bench" >/dev/null
shots=$PWD/.build-bench/release/shots
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk; make bench installs it)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
origin=http://127.0.0.1:$port

# A data dir whose tarball is 200 MB (random bytes do not compress), published for the preview.
rm -rf "$out" && mkdir -p "$out/data/node/data/store" "$out/block"
head -c 200000000 /dev/urandom > "$out/data/node/data/store/blocks.bin"
printf '5000000\n' > "$out/block/BLOCK_HEIGHT"
printf 'BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2\n' > "$out/block/BLOCK_HASH"
printf '2024-06-20T10:00:00Z\n' > "$out/block/BLOCK_TIMESTAMP"
printf '{"version":{"major":20,"minor":1,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}' > "$out/version.json"
"$shots" publish "$out/data" --site site --profile tezos-rolling --network mainnet --block-info-dir "$out/block" \
  --node-version "$out/version.json" --unsigned --store "$out/stores/{network}" --site-store "$out/stores/site" --preview "$origin" -q
artifact=tezos-mainnet-rolling-tarball-5000000.lz4
size=$(stat -c %s "$out/stores/mainnet/$artifact")
echo "artifact: $artifact, $((size / 1000000)) MB; $(nproc) cores; wrk $connections connections, 2 threads, $duration"

# The request mix, for a server whose site is under SITE and network store under STORE.
cat > "$out/mix.lua" <<LUA
local site, store = os.getenv("SITE"), os.getenv("STORE")
local pages = {"/", "/mainnet/", "/ghostnet/", "/getting-started/", "/assets/style.css", "/tezos-snapshots.json", "/mainnet/feed.xml"}
local n = 0
math.randomseed(42)
request = function()
  n = n + 1
  if n % 3 ~= 0 then return wrk.format("GET", site .. pages[(n % #pages) + 1]) end
  if n % 30 == 0 then return wrk.format("GET", store .. "/$artifact") end
  local start = math.random(0, $size - 1048577)
  return wrk.format("GET", store .. "/$artifact", {Range = "bytes=" .. start .. "-" .. (start + 1048575)})
end
LUA

run_wrk() { # NAME URL SITE STORE
  SITE=$3 STORE=$4 wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -s "$out/mix.lua" "$2" > "$out/$1.txt" 2>&1
  local rate transfer errors non2xx p99
  rate=$(awk '/Requests\/sec/ {print $2}' "$out/$1.txt")
  transfer=$(awk '/Transfer\/sec/ {print $2}' "$out/$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$out/$1.txt")
  errors=$(awk '/Socket errors/ {print}' "$out/$1.txt")
  non2xx=$(awk '/Non-2xx or 3xx/ {print $NF}' "$out/$1.txt")
  echo "$1: $rate requests/s, $transfer/s, p99 latency $p99, non-2xx/3xx: ${non2xx:-0}, ${errors:-socket errors: none}"
}

rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$1/status"; }

"$shots" serve --site site --site-store "$out/stores/site" --store "$out/stores/{network}" --port "$port" 2> "$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; kill ${reference:-} 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "$origin/" && break; sleep 0.1; done
start_rss=$(rss $server)
( sleep 5; rss $server > "$out/rss-5s" ) &
run_wrk shots "$origin" "" /store/mainnet
end_rss=$(rss $server)
echo "shots serve RSS: $start_rss MiB idle, $(cat "$out/rss-5s") MiB after 5 s of load, $end_rss MiB at the end ($((end_rss - $(cat "$out/rss-5s"))) MiB more)"
kill $server; wait $server 2>/dev/null || true

# The reference: Python's http.server over the same stores (site under /site, store under /mainnet).
ref_port=$(free_port)
python3 -m http.server "$ref_port" --bind 127.0.0.1 --directory "$out/stores" > "$out/reference.log" 2>&1 &
reference=$!
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$ref_port/site/" && break; sleep 0.1; done
run_wrk reference "http://127.0.0.1:$ref_port" /site /mainnet
