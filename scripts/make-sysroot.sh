#!/usr/bin/env bash
# make-sysroot.sh: unpack one Debian release's libraries for one architecture into a sysroot, to
# build viva against that release (cross, or for amd64 against another release than the host's).
#   scripts/make-sysroot.sh RELEASE ARCH [DIR]     RELEASE: bookworm | trixie
#                                                  ARCH: arm64 | armhf | amd64
#   default DIR: build/sysroots/RELEASE-ARCH
# Uses mmdebstrap --variant=extract (no maintainer scripts run, nothing runs under emulation) with
# the machine's own Debian mirror, read from its apt sources; nothing is installed on the host.
# The package list is scripts/deps/sysroot.txt. Besides the files, the sysroot gets DEBIAN/symbols
# and DEBIAN/shlibs: every unpacked package's symbols and shlibs files, so dpkg-shlibdeps (run by
# CPack with the sysroot's library directories) derives the package's Depends from THAT
# release's libraries (dpkg-shlibdeps reads DEBIAN/ of the tree a library was found in).
# Idempotent: a finished sysroot (stamp file present, same package list) is kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
release=${1:-}
arch=${2:-}
case "$release" in bookworm | trixie) ;; *)
    echo "usage: make-sysroot.sh bookworm|trixie arm64|armhf|amd64 [DIR]" >&2; exit 2 ;;
esac
case "$arch" in arm64 | armhf | amd64) ;; *)
    echo "usage: make-sysroot.sh bookworm|trixie arm64|armhf|amd64 [DIR]" >&2; exit 2 ;;
esac
dir=${3:-$here/../build/sysroots/$release-$arch}
mkdir -p "$(dirname "$dir")"
dir=$(cd "$(dirname "$dir")" && pwd)/$(basename "$dir")
# Packages for this release: the first word of each line whose release list is empty or names it.
list=$(awk -v r="$release" '/^[[:space:]]*#/ || NF == 0 {next}
    NF == 1 {print $1; next} {for (i = 2; i <= NF; i++) if ($i == r) {print $1; next}}' \
    "$here/deps/sysroot.txt" | xargs | tr ' ' ',')
stamp="$dir/.viva-sysroot"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$list" ]; then
    echo "sysroot: $dir is up to date"
    exit 0
fi
mirror=$("$here/debian-mirror.sh")

rm -rf "$dir"
echo "sysroot: unpacking $release $arch packages into $dir"
start=$(date +%s)
# The extract hook runs while the downloaded .debs are still there: keep their symbols/shlibs.
mmdebstrap --quiet --variant=extract --architectures="$arch" --include="$list" \
    --extract-hook='mkdir -p "$1/DEBIAN" && for d in "$1"/var/cache/apt/archives/*.deb; do
        dpkg-deb --ctrl-tarfile "$d" | tar -xO ./symbols 2>/dev/null >>"$1/DEBIAN/symbols" || true
        dpkg-deb --ctrl-tarfile "$d" | tar -xO ./shlibs 2>/dev/null >>"$1/DEBIAN/shlibs" || true
        dpkg-deb -f "$d" Package Version >>"$1/DEBIAN/packages"; done' \
    "$release" "$dir" "deb $mirror $release main"
# Debian 13 packages ship their files under /usr only and leave the /lib -> usr/lib links to
# base-files' maintainer scripts, which --variant=extract does not run: make them (linker
# scripts such as libc.so name /lib/<triple>/libc.so.6).
for d in bin sbin lib lib64; do
    if [ -d "$dir/usr/$d" ] && [ ! -e "$dir/$d" ] && [ ! -L "$dir/$d" ]; then
        ln -s "usr/$d" "$dir/$d"
    fi
done
# Absolute symlinks inside the sysroot (e.g. libfoo.so -> /lib/...) must point into it.
find "$dir" -type l -lname '/*' | while read -r link; do
    target=$(readlink "$link")
    ln -sfn "$dir$target" "$link"
done
# --variant=extract runs no maintainer scripts, so Debian's alternatives links are missing:
# make the BLAS/LAPACK ones (sphinxbase needs them) point at the reference implementations.
multiarch=$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)
libdir="$dir/usr/lib/$multiarch"
for lib in blas/libblas.so.3 lapack/liblapack.so.3; do
    [ -e "$libdir/$lib" ] && ln -sfn "$libdir/$lib" "$libdir/$(basename "$lib")"
done
grep -q . "$dir/DEBIAN/symbols" || { echo "sysroot: no symbols files collected" >&2; exit 1; }
echo "$release" > "$dir/.viva-release"
echo "$list" > "$stamp"
echo "sysroot: $release $arch done in $(($(date +%s) - start)) s ($(du -sh "$dir" | cut -f1))"
