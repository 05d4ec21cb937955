#!/usr/bin/env bash
# make e2e: the tezos-k8s chart's own snapshot picker and downloader (utils/config-generator.py
# and utils/snapshot-downloader.sh of oxheadalpha/tezos-k8s) restore a node from what shots
# published, served by `shots serve`: once through the catalog (SNAPSHOT_SOURCE, the picker's
# choice) and once through a permalink (ROLLING_TARBALL_URL). Their code is not in this
# repository: the harness reads it from a fetched copy (TEZOS_K8S: a checkout, or a git directory
# such as the one `fetch` makes), and changes no more than the task allows: the downloader runs
# under bash (it says #!/bin/sh but uses >( )), with its hard-coded /var/tezos replaced by a
# folder of the harness's; its own `tee >(sha256sum)` race (the check may read the sum before
# sha256sum wrote it) is retried only when the bytes it downloaded were right; the picker's
# selection function is called without its module's Kubernetes start-up.
# Usage: Tests/E2E/tezos-k8s-e2e.sh [SHOTS]   (TEZOS_K8S=... for the copy)
set -euo pipefail
cd "$(dirname "$0")/../.."
shots=${1:-$PWD/.build/debug/shots}
repo=${TEZOS_K8S:-/work/.mirror/oxheadalpha+tezos-k8s/repo}
work=$(mktemp -d "${TMPDIR:-/tmp}/shots-e2e.XXXXXX")
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$work"' EXIT

# The two scripts, from a checkout or a git directory.
read_script() {
  if [ -f "$repo/$1" ]; then cat "$repo/$1"; else git -C "$repo" show "HEAD:$1"; fi
}
read_script utils/snapshot-downloader.sh > "$work/snapshot-downloader.sh" 2>/dev/null \
  && read_script utils/config-generator.py > "$work/config-generator.py" 2>/dev/null \
  || { echo "e2e: no copy of oxheadalpha/tezos-k8s at $repo (set TEZOS_K8S to a checkout or its git directory)" >&2; exit 1; }
python3 -c 'import requests' 2>/dev/null || python3 -m pip install -q requests || python3 -m pip install -q --break-system-packages requests

# What make run publishes, for the preview at a free port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
origin=http://127.0.0.1:$port
pipeline/sample-data-dir.sh "$work/sample" >/dev/null
"$shots" publish "$work/sample" --site site --profile tezos-rolling --network mainnet --block-info-dir "$work/sample/block" \
  --node-version "$work/sample/version.json" --unsigned --store "$work/stores/{network}" --site-store "$work/stores/site" \
  --preview "$origin" -q
"$shots" serve --site site --site-store "$work/stores/site" --store "$work/stores/{network}" --port "$port" 2> "$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null "$origin/health" && break; sleep 0.1; done

# The picker's selection function, taken from its module by name and run with the globals it reads.
pick() { # HISTORY_MODE FILE: writes the snapshot_config.json the chart would write
  python3 - "$work/config-generator.py" "$1" "$2" <<'PY'
import ast, json, os, re, sys, requests
source = open(sys.argv[1]).read()
function = next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef) and node.name == "create_node_snapshot_config_json")
scope = {"os": os, "re": re, "sys": sys, "requests": requests, "MY_POD_CLASS": {}, "NETWORK_CONFIG": {"chain_name": "mainnet"}}
exec(compile(ast.Module(body=[function], type_ignores=[]), sys.argv[1], "exec"), scope)
config = scope["create_node_snapshot_config_json"](sys.argv[2])
if not config:
    sys.exit("the picker found no snapshot")
open(sys.argv[3], "w").write(json.dumps(config))
PY
}

restore() { # NAME: runs the downloader on $work/NAME/snapshot_config.json, then checks the node
  local dir=$work/$1 tries=0
  sed "s|/var/tezos|$dir|g" "$work/snapshot-downloader.sh" > "$work/downloader-$1.sh"
  until bash "$work/downloader-$1.sh" > "$work/$1.log" 2>&1; do
    tries=$((tries + 1))
    expected=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("sha256", ""))' "$dir/snapshot_config.json")
    url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$dir/snapshot_config.json")
    actual=$(curl -LfsS "$url" | sha256sum | head -c 64)
    if [ "$tries" -ge 3 ] || [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      echo "e2e: $1: the downloader failed (bytes $actual, metadata $expected):" >&2; cat "$work/$1.log" >&2; exit 1
    fi
    echo "e2e: $1: the downloader's tee >(sha256sum) race struck, with the right bytes; again"
    rm -rf "$dir/node" "$dir/sha256sum_failed"
  done
  # The node restored: every file of the data dir but those a tarball leaves out, byte for byte.
  (cd "$work/sample/node/data" && find . -type f ! -name identity.json ! -name peers.json ! -name lock | sort | xargs sha256sum) > "$work/expected.sums"
  (cd "$dir/node/data" && sha256sum -c --quiet "$work/expected.sums") || { echo "e2e: $1: the restored node differs" >&2; exit 1; }
  [ ! -e "$dir/node/data/identity.json" ] || { echo "e2e: $1: identity.json was restored" >&2; exit 1; }
  echo "e2e: $1: node restored ($(find "$dir/node/data" -type f | wc -l) files), $(grep -c 'sha256sum check successful' "$work/$1.log" || true) checksum checks passed"
}

mkdir -p "$work/catalog" "$work/permalink"
SNAPSHOT_SOURCE="$origin/tezos-snapshots.json" PREFER_TARBALLS=true OCTEZ_VERSION=tezos/tezos:v19.2 pick rolling "$work/catalog/snapshot_config.json" > "$work/picker-catalog.log"
echo "e2e: the picker chose $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/catalog/snapshot_config.json")"
restore catalog
ROLLING_TARBALL_URL="$origin/mainnet/rolling-tarball" pick rolling "$work/permalink/snapshot_config.json" > "$work/picker-permalink.log"
restore permalink
grep -q "GET /mainnet/rolling-tarball 302" "$work/serve.log" && grep -q "GET /store/mainnet/tezos-mainnet-rolling-tarball-6000000.lz4 200" "$work/serve.log" \
  || { echo "e2e: the permalink was not followed through shots serve" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "e2e: passed: the tezos-k8s picker and downloader restored a node through the catalog and through a permalink"
