#!/usr/bin/env bash
# root.sh RELEASE CLASS: the image's base root (Debian arm64 from the archive, before viva and
# before the customisation), made once with mmdebstrap and cached as a tar file:
#   /var/cache/viva-image/root-RELEASE-CLASS-HASH.tar     CLASS: pi | generic
# HASH covers the package list (scripts/image/packages.txt lines for this release and class) and
# this script, so a changed list makes a new root. Downloaded .debs are kept in
# /var/cache/viva-image/debs-RELEASE (VIVA_IMAGE_CACHE moves the whole cache; outside the
# checkout, so a fresh clone on the same machine finds it): the next root is made
# without downloading again. Prints the tar file's path on the last line. Needs root and, on a
# machine that is not arm64, qemu-user-static with binfmt_misc (scripts/binfmt.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
release=${1:?usage: root.sh RELEASE pi|generic}
class=${2:?usage: root.sh RELEASE pi|generic}
cache=${VIVA_IMAGE_CACHE:-/var/cache/viva-image}
# The lines for this release and class; those marked "kernel" (second list) are installed last,
# one apt-get call each, in the file's order.
pick() { # kernel: 1 = only the kernel lines, 0 = all others
    awk -v r="$release" -v c="$class" -v k="$1" '/^[[:space:]]*#/ || NF == 0 {next}
        { kern = 0; other = 0; ok = 1
          for (i = 2; i <= NF; i++) if ($i == "kernel") kern = 1; else { other = 1; if ($i == r || $i == c) ok = 2 }
          if (kern != k || (other && ok != 2)) next; print $1 }' "$here/packages.txt" | xargs
}
list=$(pick 0 | tr ' ' ',')
kernel=$(pick 1)
hash=$( (echo "$release $class $list $kernel"; grep -v '^#' "$0") | sha256sum | cut -c1-12)
tar=$cache/root-$release-$class-$hash.tar
if [ -f "$tar" ]; then
    echo "root: cached $tar" >&2
    echo "$tar"
    exit 0
fi
mirror=$("$top/scripts/debian-mirror.sh")
debs=$cache/debs-$release
mkdir -p "$debs"
sources=("deb $mirror $release main non-free-firmware"
    "deb $mirror $release-updates main non-free-firmware")
# The security archive sits beside the main one on Debian's mirrors (".../debian-security").
case "$mirror" in */debian | */debian/) sources+=("deb ${mirror%/}-security $release-security main non-free-firmware") ;; esac
echo "root: mmdebstrap $release arm64 ($class): $list, then $kernel" >&2
t0=$(date +%s)
# No manual pages, documentation (but the copyrights) or translations: an appliance has no
# reader for them, and they are a fifth of the root.
mmdebstrap --variant=apt --architectures=arm64 --components=main,non-free-firmware \
    --include="$list" --skip=essential/unlink \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
    --setup-hook='mkdir -p "$1/boot/firmware" "$1/var/cache/apt/archives"' \
    --setup-hook="sync-in '$debs' /var/cache/apt/archives/" \
    --customize-hook="for p in $kernel; do chroot \"\$1\" env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends \$p || exit 1; done" \
    --customize-hook="sync-out /var/cache/apt/archives '$debs'" \
    --customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb' \
    --format=tar "$release" "$tar.part" "${sources[@]}" >&2
mv "$tar.part" "$tar"
echo "root: made in $(($(date +%s) - t0)) s ($(du -h "$tar" | cut -f1))" >&2
echo "$tar"
