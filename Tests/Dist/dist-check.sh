#!/usr/bin/env bash
# The release binary, tried as a new user tries it (`make dist-check`): copied alone into an empty
# folder, run in a private mount namespace where the Swift toolchain and this repository are
# hidden under empty tmpfs mounts, with a copy of site/ and no templates/ anywhere. It must print
# its version, run the whole job (keygen, pack, merge, catalog, build, publish into folder
# stores) and build the site from the themes built into it, byte for byte as the debug build
# does from templates/; ldd must list only Debian's libraries, inside the namespace too.
# Usage: Tests/Dist/dist-check.sh [BINARY]   (default dist/shots)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=$(realpath "${1:-$root/dist/shots}")
swift=$(command -v swift) || { echo "dist-check: no swift on PATH to find the toolchain by" >&2; exit 1; }
toolchain=$(dirname "$(dirname "$(dirname "$(realpath "$swift")")")")  # .../usr/bin/swift → its root
fail() { echo "dist-check: $*" >&2; exit 1; }
[ -x "$binary" ] || fail "$binary: not an executable (run make dist)"
[ "$toolchain" != / ] || fail "the toolchain's root resolves to /"

# Every shared library the binary needs: Debian's (a package owns it), none from the toolchain
# or from this repository's build folders.
check_libraries() {
  local libraries
  libraries=$(ldd "$1") || fail "ldd $1 failed"
  echo "$libraries" | grep -q "not found" && fail "a library is missing:"$'\n'"$libraries"
  while read -r path; do
    case $path in "$toolchain"/* | "$root"/*) fail "$path: linked from the toolchain or the build folder";; esac
    dpkg -S "$path" >/dev/null 2>&1 || dpkg -S "$(realpath "$path")" >/dev/null 2>&1 \
      || fail "$path: no Debian package owns it"
  done < <(echo "$libraries" | grep -o '/[^ ]*' )
  echo "$libraries"
}
check_libraries "$binary"

work=$(mktemp -d /tmp/shots-dist-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/empty"
cp "$binary" "$work/bin/shots"
cp -R "$root/site" "$work/site"
"$root/pipeline/sample-data-dir.sh" "$work/node" >/dev/null
# The reference: the same site built from the templates/ folder on disk.
"$binary" build -q --site "$root/site" --templates "$root/templates" -o "$work/reference"

# In the namespace: the toolchain and the repository are empty folders; the binary is alone.
unshare -rm bash -euo pipefail -s "$toolchain" "$root" "$work" <<'INSIDE'
toolchain=$1 root=$2 work=$3
mount -t tmpfs -o ro,size=1m none "$toolchain"
mount -t tmpfs -o ro,size=1m none "$root"
[ -z "$(ls -A "$toolchain")" ] && [ -z "$(ls -A "$root")" ] || { echo "dist-check: the toolchain is still visible" >&2; exit 1; }
! command -v swift >/dev/null || [ ! -x "$(command -v swift)" ] || { echo "dist-check: swift still runs" >&2; exit 1; }
shots=$work/bin/shots
cd "$work/empty"
set -x
! ldd "$shots" | grep "not found"
"$shots" --version
for verb in pack keygen merge catalog build publish; do "$shots" "$verb" --help >/dev/null; done
"$shots" keygen -q -o ../keys
"$shots" pack ../node --profile tezos-rolling --network mainnet --site ../site -o ../artifacts/mainnet \
  --block-info-dir ../node/block --node-version ../node/version.json --signing-key ../keys/shots.key
"$shots" merge ../artifacts/mainnet -o ../catalogs/mainnet/base.json
"$shots" catalog ../catalogs/*/base.json -o ../catalogs/tezos-snapshots.json --site ../site
"$shots" build ../catalogs/*/base.json --site ../site -o ../site-packed
"$shots" build --site ../site -o ../out
"$shots" build --site ../site/polkashots -o ../out-polkashots
"$shots" publish ../artifacts/mainnet/*.lz4 --site ../site --signing-key ../keys/shots.key
set +x
[ -z "$(ls -A .)" ] || { echo "dist-check: shots wrote into the folder it ran from" >&2; exit 1; }
INSIDE

diff -r -x '.shots-*' "$work/reference" "$work/out" || fail "the site built from the built-in themes differs from templates/"
[ -f "$work/out-polkashots/index.html" ] && [ -f "$work/site-packed/index.html" ] || fail "a site was not built"
ls "$work/_build/store/mainnet" | grep -q '\.lz4$' || fail "publish wrote no artifact into the folder store"
echo "dist-check: $binary runs alone from an empty folder without the toolchain; ldd lists only Debian's libraries"
