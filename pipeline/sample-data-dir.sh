#!/usr/bin/env bash
# Makes a small Tezos node data dir for the embedded default job (`make run`): node/data with a
# store and context of generated binary files, plus the files a tarball must leave out (identity,
# peers, lock, lost+found), the block info files the reference init container writes, and the
# node's /version answer. The real node cannot run here; this stands in for its volume.
# Usage: pipeline/sample-data-dir.sh DIR
set -euo pipefail
dir=${1:?usage: sample-data-dir.sh DIR}
case "$dir" in /|.|..|"$HOME") echo "sample-data-dir.sh: refusing to replace $dir" >&2; exit 1;; esac
rm -rf "$dir"
mkdir -p "$dir/node/data/store/cycles" "$dir/node/data/context" "$dir/lost+found" "$dir/block"
# Deterministic "binary" contents: the first MiBs of the toolchain's own binaries when present.
for i in 1 2 3 4; do
  head -c $((i * 700000)) /bin/bash > "$dir/node/data/store/cycles/cycle_$i.bin"
done
head -c 2000000 /bin/ls > "$dir/node/data/context/store.pack"
printf '{ "data-dir": "/var/tezos/node/data", "network": "mainnet" }\n' > "$dir/node/data/config.json"
printf '{ "peer_id": "idsample", "secret_key": "sample-secret-never-packed" }\n' > "$dir/node/data/identity.json"
printf '[]\n' > "$dir/node/data/peers.json"
: > "$dir/node/data/lock"
printf '6000000\n' > "$dir/block/BLOCK_HEIGHT"
printf 'BLockGenesisGenesisGenesisGenesisGenesisf79b5d1CoW2\n' > "$dir/block/BLOCK_HASH"
printf '2024-07-02T00:00:00Z\n' > "$dir/block/BLOCK_TIMESTAMP"
cat > "$dir/version.json" <<'JSON'
{"version":{"major":19,"minor":2,"additional_info":"release"},"network_version":{"chain_name":"TEZOS_MAINNET","distributed_db_version":2,"p2p_version":1},"commit_info":{"commit_hash":"4e5c2f8a","commit_date":"2024-06-12 15:32:57 +0000"}}
JSON
