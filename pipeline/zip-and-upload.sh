#!/usr/bin/env bash
# The zip-and-upload container of the snapshot engine's Job, with shots doing the work: the same
# environment and mounts as tezos-k8s' snapshotEngine/zip-and-upload.sh, the same artifacts,
# buckets and permalinks, and one `shots publish` per artifact (pack straight into the store,
# checksum, signature, metadata, base.json, catalog, pages, permalinks last). Any failure stops
# the run with a one-line reason; nothing is left half-moved (see README, "shots publish").
#
# What it publishes, by HISTORY_MODE (as the reference does):
#   archive  tezos-<net>-archive-tarball-<height>.lz4  profile tezos-archive, from DATA_DIR
#   rolling  tezos-<net>-rolling-tarball-<height>.lz4  profile tezos-rolling, from the node the
#                                                      rolling-snapshot container imported into
#                                                      ROLLING_RESTORE_DIR/var/tezos
#            <net>-<height>.rolling                    profile tezos-rolling-snapshot: the export
#                                                      that container made (see "node binary")
#
# The environment (the snapshot-configmap and the Job's HISTORY_MODE), mapped to shots:
#   HISTORY_MODE                  archive | rolling (required)                -> which profiles
#   NAMESPACE                     e.g. mainnet-shots: the network is its first word, and it names
#                                 the buckets as the reference does           -> --network, stores
#   NETWORK_OVERRIDE, NETWORK     the network when the namespace does not start with it
#                                 (the reference's zip-and-upload ignored NETWORK_OVERRIDE)
#   SNAPSHOT_WEBSITE_DOMAIN_NAME  e.g. xtz-shots.io: the website bucket, and on AWS the network
#                                 buckets <net>.<domain>                      -> --site-store, --store
#   CLOUD_PROVIDER                empty (AWS) or digitalocean: artifacts and base.json on Spaces
#                                 (no website redirects there), the network's permalinks in its
#                                 AWS bucket <net>.<domain> leading to the Space, the website on AWS
#                                                     -> --endpoint-url, --region, --acl public-read,
#                                                        --base-url, --permalink-store,
#                                                        --site-endpoint-url, --site-region
#   S3_BUCKET                     this network's bucket (s3BucketOverride), starting with the
#                                 network's word or holding {network}: the other networks' buckets
#                                 are named alike. The reference's script overwrote it with
#                                 NAMESPACE; here it wins.
#   SCHEMA_URL                    the catalog's $schema                       -> SHOTS_SCHEMA_URL
# Variables of the reference that mean nothing to shots:
#   ALL_SUBDOMAINS                the networks come from site.yml's networks: (each one's base.json
#                                 is read from its store when the site is built)
#   JEKYLL_REMOTE_THEME_REPOSITORY  the theme is site.yml's theme: from the shipped templates
#   TEZOS_VERSION (file)          unused by the reference too; the metadata's tezos_version is the
#                                 node's /version (TEZOS_RPC_VERSION_INFO)
#   ARCHIVE_SLEEP_DELAY, ROLLING_SLEEP_DELAY, RESTORED_STORAGE_INIT_TIME, DISABLE_STORAGE_INIT_TIME,
#   STORAGE_CLASS, NODES, IMAGE_NAME, TEZOS_IMAGE, SERVICE_ACCOUNT, CHAIN_NAME
#                                 the snapshot maker's and the init container's: they act before
#                                 this container starts
#   the reference's expected-size guess (last artifact + 10%): shots' multipart parts grow with the
#                                 upload, so no size is guessed
#
# The mounts (defaults are the reference Job's paths):
#   DATA_DIR            /var/tezos                        the restored node volume (holds node/)
#   SNAPSHOT_CACHE_DIR  /<HISTORY_MODE>-snapshot-cache-volume  BLOCK_HEIGHT, BLOCK_HASH,
#                       BLOCK_TIMESTAMP, TEZOS_RPC_VERSION_INFO (the init container's), and for
#                       rolling <net>-<height>.rolling and SNAPSHOT_HEADER (the export's)
#   ROLLING_RESTORE_DIR /rolling-tarball-restore          the imported rolling node
#   /aws-secrets        aws-access-id, aws-secret-key     AWS keys (optional: else the pod's role)
#   /do-secrets         do-spaces-access-id, do-spaces-secret-key   Spaces keys (digitalocean)
#   NODE_RPC            a node RPC URL, for block info when the BLOCK_* files are absent (archive only:
#                       a rolling export is made at the block those files name)
#
# shots' own settings:
#   SHOTS_SITE          the site folder (site.yml, pages, assets), default /etc/shots/site
#   SHOTS_STORE         the network store, instead of the S3 bucket computed above: s3://...,
#                       file:///path or a folder, with {network} (shots opens every network's
#                       store by it). Set but empty: site.yml's store: (or each network's)
#   SHOTS_SITE_STORE    the website store, likewise (empty: site.yml's site_store:)
#   SHOTS_PERMALINK_STORE  (digitalocean) the permalinks' store, instead of s3://<net>.<domain>
#                       (empty: site.yml's permalink_store:, else beside the artifacts)
#                       Both set to folders publish into folders, e.g. for a trial run.
#   SHOTS_CREDENTIALS_DIR, SHOTS_SITE_CREDENTIALS_DIR  folders of AWS_ACCESS_KEY_ID and
#                       AWS_SECRET_ACCESS_KEY files, instead of the secrets above
#   AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE (IRSA), AWS_ACCESS_KEY_ID..., AWS_PROFILE
#                       read by shots itself when no folder applies
#   SHOTS_SIGNING_KEY   the minisign secret key's text; or SHOTS_SIGNING_KEY_FILE (default
#                       /shots-signing-key/shots.key when it exists); SHOTS_UNSIGNED=true for none
#   SHOTS_ACL           the canned ACL (default public-read on Spaces, none on AWS)
#   DO_SPACES_ENDPOINT  default https://nyc3.digitaloceanspaces.com (the reference's)
#   SHOTS_SITE_REGION   the website bucket's region (default AWS_REGION, AWS_DEFAULT_REGION, us-east-1)
#   SHOTS_ENDPOINT_URL, SHOTS_SITE_ENDPOINT_URL  other S3-compatible hosts (MinIO, a test server)
#                       for the network stores on AWS, and for the website store
#   ROLLING_WAIT_SECONDS  give up waiting for the rolling export and import (default 0: wait, as
#                       the reference does; the Job's activeDeadlineSeconds is the usual bound)
#   SHOTS_DRY_RUN=true  print what would be written; SHOTS the binary (default shots on PATH)
#
# Exit status: 0 done; 1 failed (the reason on standard error); 2 every artifact published but
# some metadata in a bucket was rejected (listed by shots), as the reference failed the Job when
# its catalog did not validate.
set -euo pipefail

# The node binary, for the rolling snapshot. shots exports a .rolling with `<node> snapshot export`
# and reads its header with `<node> snapshot info --json`. The Job's rolling-snapshot container
# (the octez image) has already exported it (and must: the rolling tarball is made from its
# import), so shots is given this script as the node binary: it answers with that export (a
# symbolic link, no copy) and that container's SNAPSHOT_HEADER. shots still checks that the header
# names the block asked for, and hashes the file as it uploads it.
if [ -n "${ZIP_AND_UPLOAD_EXPORT:-}" ]; then
  case "${1:-} ${2:-}" in
    "snapshot export") ln -s "$ZIP_AND_UPLOAD_EXPORT" "${!#}" ;;
    "snapshot info") cat "$ZIP_AND_UPLOAD_HEADER" ;;
    *) echo "zip-and-upload: as the node binary, only 'snapshot export' and 'snapshot info' are answered, not '$*'" >&2; exit 1 ;;
  esac
  exit 0
fi

die() { printf 'zip-and-upload: %s\n' "$*" >&2; exit 1; }
say() { printf '%s zip-and-upload: %s\n' "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" "$*"; }

# The reference Job runs the image with the argument zip-and-upload (its entrypoint's verb).
if [ "${1:-}" = zip-and-upload ]; then shift; fi
[ $# -eq 0 ] || die "takes no arguments (settings come from the environment; see the top of $0)"

history_mode=${HISTORY_MODE:-}
case "$history_mode" in
  archive | rolling) ;;
  "") die "HISTORY_MODE is required: archive or rolling (the snapshot maker sets it on the Job)" ;;
  *) die "HISTORY_MODE: expected archive or rolling, found '$history_mode'" ;;
esac
namespace=${NAMESPACE:-}
namespace_network=${namespace%%-*}
network=${NETWORK_OVERRIDE:-${NETWORK:-$namespace_network}}
[ -n "$network" ] || die "NAMESPACE is required (its first word is the network, as in mainnet-shots), or NETWORK"
domain=${SNAPSHOT_WEBSITE_DOMAIN_NAME:-}
provider=${CLOUD_PROVIDER:-}
case "$provider" in
  "" | aws | digitalocean) ;;
  *) die "CLOUD_PROVIDER: expected digitalocean or empty (AWS), found '$provider'" ;;
esac

shots=${SHOTS:-shots}
data_dir=${DATA_DIR:-/var/tezos}
cache=${SNAPSHOT_CACHE_DIR:-/$history_mode-snapshot-cache-volume}
restore=${ROLLING_RESTORE_DIR:-/rolling-tarball-restore}
site=${SHOTS_SITE:-/etc/shots/site}
[ -f "$site/site.yml" ] || die "no site.yml in $site: mount the site folder there (a ConfigMap) or set SHOTS_SITE"
[ -d "$data_dir/node" ] || die "DATA_DIR: no node/ in $data_dir (the node's volume is mounted there)"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/zip-and-upload.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# A folder shots reads keys from (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), linked to a secret
# mounted under the reference's file names; prints its path, or nothing when the secret is absent.
credentials_from() { # SECRET_DIR ACCESS_KEY_FILE SECRET_KEY_FILE NAME
  [ -f "$1/$2" ] && [ -f "$1/$3" ] || return 0
  mkdir -m 700 "$scratch/$4"
  ln -s "$1/$2" "$scratch/$4/AWS_ACCESS_KEY_ID"
  ln -s "$1/$3" "$scratch/$4/AWS_SECRET_ACCESS_KEY"
  echo "$scratch/$4"
}
aws_keys=$(credentials_from "${AWS_SECRETS_DIR:-/aws-secrets}" aws-access-id aws-secret-key aws)

common=(--network "$network" --site "$site")
[ "${SHOTS_DRY_RUN:-}" = true ] && common+=(--dry-run)

# The network's store: artifacts, their .sha256/.minisig/.json, base.json, permalinks.
# The reference's buckets: on AWS <net>.<domain> (NAMESPACE less its last word, then the domain);
# on Spaces the namespace itself (mainnet-shots). {network} stands for the network's word, so
# shots finds every network's base.json when it builds the site.
templated() { # NAME: NAME with the namespace's network word at its start written {network}
  if [ -n "$namespace_network" ] && [ "${1#"$namespace_network"}" != "$1" ]; then
    printf '{network}%s' "${1#"$namespace_network"}"
  else
    printf '%s' "$1"
  fi
}
bucket_template=
if [ -n "${S3_BUCKET:-}" ]; then
  # shots opens every network's store with the same template (to read each base.json and move
  # each bucket's index.html), so one literal bucket would be shared by all the site's networks.
  bucket_template=$S3_BUCKET
  [ "$bucket_template" != "${bucket_template#*\{network\}}" ] || bucket_template=$(namespace_network=$network templated "$S3_BUCKET")
  [ "$bucket_template" != "${bucket_template#*\{network\}}" ] \
    || die "S3_BUCKET: expected the network's word or {network} in it (as in $network.example.com), found '$S3_BUCKET'; or set SHOTS_STORE= and give each network's store: in site.yml"
elif [ "$provider" = digitalocean ]; then
  [ -n "$namespace" ] || [ -n "${SHOTS_STORE+set}" ] || die "NAMESPACE or S3_BUCKET is required: it names the Spaces bucket"
  bucket_template=$(templated "$namespace")
elif [ -n "$namespace" ] && [ -n "$domain" ]; then
  bucket_template=$(templated "${namespace%-*}").$domain
elif [ -n "$domain" ]; then
  bucket_template="{network}.$domain"
fi
bucket=${bucket_template//\{network\}/$network}

if [ -n "${SHOTS_STORE+set}" ]; then
  [ -n "$SHOTS_STORE" ] && common+=(--store "$SHOTS_STORE")
  store_shown=${SHOTS_STORE:-store: of site.yml}
else
  [ -n "$bucket_template" ] || die "SNAPSHOT_WEBSITE_DOMAIN_NAME is required: it names the network's bucket (<net>.<domain>); or set S3_BUCKET or SHOTS_STORE"
  common+=(--store "s3://$bucket_template")
  store_shown=s3://$bucket_template
fi
store_shown=${store_shown//\{network\}/$network}
if [ -n "${SHOTS_SITE_STORE+set}" ]; then
  [ -n "$SHOTS_SITE_STORE" ] && common+=(--site-store "$SHOTS_SITE_STORE")
else
  [ -n "$domain" ] || die "SNAPSHOT_WEBSITE_DOMAIN_NAME is required: it names the website bucket; or set SHOTS_SITE_STORE"
  common+=(--site-store "s3://$domain")
fi

# Credentials and hosts. The website store's --site-* flags default to the network store's, so
# every one that must differ is given.
site_region=${SHOTS_SITE_REGION:-${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}}
if [ "$provider" = digitalocean ]; then
  endpoint=${DO_SPACES_ENDPOINT:-https://nyc3.digitaloceanspaces.com}
  endpoint_host=${endpoint#*://}
  endpoint_host=${endpoint_host%%/*}
  common+=(--endpoint-url "$endpoint" --region "${DO_SPACES_REGION:-${endpoint_host%%.*}}")
  # Objects on Spaces are private unless each is written public-read (SHOTS_ACL= for none).
  acl=${SHOTS_ACL-public-read}
  [ -n "$acl" ] && common+=(--acl "$acl")
  # Downloads come from the Space's own host, as in the reference's metadata.
  [ -n "$bucket" ] && common+=(--base-url "https://$bucket.$endpoint_host")
  network_keys=${SHOTS_CREDENTIALS_DIR:-$(credentials_from "${DO_SECRETS_DIR:-/do-secrets}" do-spaces-access-id do-spaces-secret-key spaces)}
  if [ -n "$network_keys" ]; then
    common+=(--credentials-dir "$network_keys")
  elif [ -z "${SHOTS_STORE+set}" ]; then
    die "Spaces keys are required: mount the do-secrets secret at /do-secrets (do-spaces-access-id, do-spaces-secret-key) or set SHOTS_CREDENTIALS_DIR"
  fi
  # Spaces serves no website redirects: the permalinks and index.html go to the network's AWS
  # bucket, as the reference's AWS_S3_BUCKET, leading to the artifacts' URLs on the Space.
  if [ -n "${SHOTS_PERMALINK_STORE+set}" ]; then
    [ -n "$SHOTS_PERMALINK_STORE" ] && common+=(--permalink-store "$SHOTS_PERMALINK_STORE")
  elif [ -n "$domain" ]; then
    permalink_bucket=${namespace:+$(templated "${namespace%-*}")}
    common+=(--permalink-store "s3://${permalink_bucket:-{network\}}.$domain")
  fi
  # The website and the permalinks are on AWS: its regional endpoint, its region, and AWS keys or,
  # with none, the pod's role ("" resets the folder the website store would take from --credentials-dir).
  common+=(--site-endpoint-url "${SHOTS_SITE_ENDPOINT_URL:-https://s3.$site_region.amazonaws.com}" --site-region "$site_region")
  common+=(--site-credentials-dir "${SHOTS_SITE_CREDENTIALS_DIR:-$aws_keys}")
else
  [ -n "${SHOTS_ACL:-}" ] && common+=(--acl "$SHOTS_ACL")
  [ -n "${SHOTS_ENDPOINT_URL:-}" ] && common+=(--endpoint-url "$SHOTS_ENDPOINT_URL")
  [ -n "${SHOTS_SITE_ENDPOINT_URL:-}" ] && common+=(--site-endpoint-url "$SHOTS_SITE_ENDPOINT_URL")
  network_keys=${SHOTS_CREDENTIALS_DIR:-$aws_keys}
  [ -n "$network_keys" ] && common+=(--credentials-dir "$network_keys")
  [ -n "${SHOTS_SITE_CREDENTIALS_DIR:-}" ] && common+=(--site-credentials-dir "$SHOTS_SITE_CREDENTIALS_DIR")
  # Bucket names with dots (mainnet.xtz-shots.io) are not covered by AWS's TLS certificate as
  # virtual hosts (<bucket>.s3.<region>.amazonaws.com): address them path-style.
  common+=(--path-style)
fi

# The signing key: the environment (a Secret's key as SHOTS_SIGNING_KEY), else a mounted file.
key_file=${SHOTS_SIGNING_KEY_FILE:-}
if [ -n "$key_file" ]; then
  [ -f "$key_file" ] || die "SHOTS_SIGNING_KEY_FILE: no such file $key_file"
  common+=(--signing-key "$key_file")
elif [ -z "${SHOTS_SIGNING_KEY:-}" ]; then
  if [ -f /shots-signing-key/shots.key ]; then
    common+=(--signing-key /shots-signing-key/shots.key)
  elif [ "${SHOTS_UNSIGNED:-}" = true ]; then
    common+=(--unsigned)
  else
    die "no signing key: set SHOTS_SIGNING_KEY (the key's text) or SHOTS_SIGNING_KEY_FILE, mount it at /shots-signing-key/shots.key, or SHOTS_UNSIGNED=true"
  fi
fi

# The block: the files the init container wrote (the block it checked, HEAD~2 for rolling), else
# the node's RPC head.
if [ -s "$cache/BLOCK_HEIGHT" ]; then
  [ -s "$cache/TEZOS_RPC_VERSION_INFO" ] || die "$cache/TEZOS_RPC_VERSION_INFO is missing: the init container writes the node's /version there"
  common+=(--block-info-dir "$cache" --node-version "$cache/TEZOS_RPC_VERSION_INFO")
  height=$(tr -d '[:space:]' < "$cache/BLOCK_HEIGHT")
elif [ -n "${NODE_RPC:-}" ] && [ "$history_mode" = archive ]; then
  common+=(--rpc "$NODE_RPC")
  height=
else
  die "no block info: $cache/BLOCK_HEIGHT is missing (the init container writes BLOCK_HEIGHT, BLOCK_HASH and BLOCK_TIMESTAMP there)${NODE_RPC:+; NODE_RPC serves archive jobs only}"
fi

# The catalog's $schema stays what the reference published.
if [ -z "${SHOTS_SCHEMA_URL:-}" ] && [ -n "${SCHEMA_URL:-}" ]; then export SHOTS_SCHEMA_URL=$SCHEMA_URL; fi

status=0
publish() { # SOURCE PROFILE [FLAG...]
  local source=$1 profile=$2 code=0
  shift 2
  say "$profile: shots publish $source (network $network, store $store_shown)"
  "$shots" publish "$source" --profile "$profile" "${common[@]}" "$@" || code=$?
  case "$code" in
    0) ;;
    2) say "$profile: published; shots rejected some metadata (listed above)"; status=2 ;;
    *) die "$profile: shots publish failed (exit status $code; its reason is above)" ;;
  esac
}

# Waits until a test passes, saying so once a minute; ROLLING_WAIT_SECONDS bounds it.
wait_until() { # WHAT TEST...
  local what=$1 waited=0 limit=${ROLLING_WAIT_SECONDS:-0}
  shift
  until "$@"; do
    if [ $((waited % 60)) -eq 0 ]; then say "waiting for $what"; fi
    if [ "$limit" -gt 0 ] && [ "$waited" -ge "$limit" ]; then die "gave up after ${limit}s waiting for $what"; fi
    sleep 10
    waited=$((waited + 10))
  done
}

if [ "$history_mode" = archive ]; then
  publish "$data_dir" tezos-archive
  exit "$status"
fi

# Rolling: the rolling-snapshot container exports <net>-<height>.rolling into the cache volume
# (named by the namespace's first word, as it does), then imports it into ROLLING_RESTORE_DIR
# behind a marker file, then writes SNAPSHOT_HEADER and removes the marker.
export_file=$cache/${namespace_network:-$network}-$height.rolling
marker=$restore/snapshot-import-in-progress
# shellcheck disable=SC2317 # called through wait_until
imported() { [ -f "$export_file" ] && [ -s "$cache/SNAPSHOT_HEADER" ] && [ ! -e "$marker" ]; }
wait_until "the rolling snapshot $export_file to be exported and imported into $restore" imported
[ -d "$restore/var/tezos/node" ] || die "$restore/var/tezos/node is missing: the rolling snapshot was not imported there"

publish "$restore/var/tezos" tezos-rolling
export ZIP_AND_UPLOAD_EXPORT=$export_file ZIP_AND_UPLOAD_HEADER=$cache/SNAPSHOT_HEADER
publish "$data_dir" tezos-rolling-snapshot --node-bin "$(readlink -f "$0")"
exit "$status"
