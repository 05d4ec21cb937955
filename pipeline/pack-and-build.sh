#!/usr/bin/env bash
# The final stage of the snapshot job: pack the node's data dir into a signed artifact, merge its
# metadata into the network's base.json, and rebuild the site. Settings come from the environment,
# as in the Kubernetes Job:
#   DATA_DIR        the node's volume (holding node/)          (required)
#   NETWORK         the Tezos network, e.g. mainnet            (required)
#   PROFILE         tezos-rolling (default), tezos-archive or tezos-rolling-snapshot
#   BLOCK_INFO_DIR  folder with BLOCK_HEIGHT/BLOCK_HASH/BLOCK_TIMESTAMP (or set NODE_RPC)
#   NODE_RPC        the node's RPC address, for block info and /version
#   NODE_VERSION    the node's /version JSON file (when NODE_RPC is not set)
#   ARTIFACTS       where artifacts and their metadata go      (default _build/artifacts)
#   BASE_URL        where artifacts are downloaded from        (default: the site's artifact_host)
#   CATALOGS        one folder per network with its base.json  (default _build)
#   SITE, OUTPUT    the site folder and the website output     (default site, _site)
#   SHOTS_SIGNING_KEY or SIGNING_KEY_FILE  the minisign secret key
#   SHOTS           the shots binary                           (default shots on PATH)
set -euo pipefail
: "${DATA_DIR:?DATA_DIR is required}" "${NETWORK:?NETWORK is required}"
shots=${SHOTS:-shots}
profile=${PROFILE:-tezos-rolling}
artifacts=${ARTIFACTS:-_build/artifacts}/$NETWORK
site=${SITE:-site}

args=(pack "$DATA_DIR" --profile "$profile" --network "$NETWORK" --site "$site" -o "$artifacts")
if [ -n "${NODE_RPC:-}" ]; then args+=(--rpc "$NODE_RPC"); else args+=(--block-info-dir "${BLOCK_INFO_DIR:?set BLOCK_INFO_DIR or NODE_RPC}"); fi
[ -n "${NODE_VERSION:-}" ] && args+=(--node-version "$NODE_VERSION")
[ -n "${BASE_URL:-}" ] && args+=(--base-url "$BASE_URL")
[ -n "${SIGNING_KEY_FILE:-}" ] && args+=(--signing-key "$SIGNING_KEY_FILE")
"$shots" "${args[@]}"

# The network's base.json gains the new artifact (created from the artifacts folder if it is new).
catalogs=${CATALOGS:-_build}
base=$catalogs/$NETWORK/base.json
if [ -f "$base" ]; then "$shots" merge --into "$base" "$artifacts"; else "$shots" merge "$artifacts" -o "$base"; fi
"$shots" catalog "$catalogs"/*/base.json -o "$catalogs/tezos-snapshots.json" --site "$site"
"$shots" build "$catalogs"/*/base.json --site "$site" -o "${OUTPUT:-_site}"
