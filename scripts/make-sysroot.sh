#!/usr/bin/env bash
# make-sysroot.sh: unpack Debian 12 armhf libraries into a sysroot for the armhf cross build.
#   scripts/make-sysroot.sh [DIR]      (default: build/sysroot-armhf)
# Uses mmdebstrap --variant=extract (no maintainer scripts run) with the machine's own Debian
# mirror, read from its apt sources; nothing is installed on the host. Idempotent: a finished
# sysroot (stamp file present and package list unchanged) is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../build/sysroot-armhf}
mkdir -p "$(dirname "$dir")"
dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
list=$(grep -v '^\s*#' "$here/deps/sysroot-armhf.txt" | xargs | tr ' ' ',')
stamp="$dir/.viva-sysroot"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$list" ]; then
    echo "sysroot: $dir is up to date"
    exit 0
fi

# The first Debian (not security, not third-party) URI from the apt sources.
mirror=$(grep -hE '^\s*(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
             /etc/apt/sources.list.d/*.sources 2>/dev/null |
         grep -oE '(https?|file)://[^ ]+' | grep -v -- '-security' | grep -i debian | head -n1 || true)
if [ -z "$mirror" ]; then
    echo "sysroot: no Debian mirror found in /etc/apt/sources.list*; cannot build the armhf sysroot" >&2
    exit 1
fi
rm -rf "$dir"
echo "sysroot: unpacking armhf packages into $dir"
mmdebstrap --quiet --variant=extract --architectures=armhf --include="$list" \
    bookworm "$dir" "deb $mirror bookworm main"
# Absolute symlinks inside the sysroot (e.g. libfoo.so -> /lib/...) must point into it.
find "$dir" -type l -lname '/*' | while read -r link; do
    target=$(readlink "$link")
    ln -sfn "$dir$target" "$link"
done
# --variant=extract runs no maintainer scripts, so Debian's alternatives links are missing:
# make the BLAS/LAPACK ones (sphinxbase needs them) point at the reference implementations.
libdir="$dir/usr/lib/arm-linux-gnueabihf"
for lib in blas/libblas.so.3 lapack/liblapack.so.3; do
    [ -e "$libdir/$lib" ] && ln -sfn "$libdir/$lib" "$libdir/$(basename "$lib")"
done
echo "$list" > "$stamp"
echo "sysroot: done"
