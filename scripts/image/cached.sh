#!/usr/bin/env bash
# cached.sh DEB: the image ./setup.sh test boots (bookworm, pi4), built from DEB (the arm64
# package the test run made) once per set of inputs and kept outside the checkout, so that CI's
# fresh clone on the same machine finds it again:
#   ${VIVA_IMAGE_CACHE:-/var/cache/viva-image}/viva-test-HASH.img
# HASH covers the package's contents and everything under scripts/image/. The base root and the
# downloaded .debs are cached there too (scripts/image/root.sh), so a new HASH costs the
# customisation and assembly only. Older viva-test images are removed. Prints the image's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
deb=${1:?usage: cached.sh DEB}
export VIVA_IMAGE_CACHE=${VIVA_IMAGE_CACHE:-/var/cache/viva-image}
mkdir -p "$VIVA_IMAGE_CACHE"
hash=$( (dpkg-deb --fsys-tarfile "$deb" | sha256sum; dpkg-deb -f "$deb" Version;
         cd "$here" && find . -type f ! -name '*.pyc' | LC_ALL=C sort | xargs sha256sum) |
        sha256sum | cut -c1-16)
img=$VIVA_IMAGE_CACHE/viva-test-$hash.img
if [ -f "$img" ]; then
    echo "image: cached $img" >&2
else
    echo "image: building $img" >&2
    "$here/build.sh" --release bookworm --board pi4 --deb "$deb" --no-xz --out "$img" >&2
    find "$VIVA_IMAGE_CACHE" -maxdepth 1 -name 'viva-test-*.img' ! -path "$img" -delete
fi
echo "$img"
