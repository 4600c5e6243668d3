#!/usr/bin/env bash
# deb_check.sh: make the package from this build tree with cpack (into a temporary directory)
# and check it with firmware/check-deb.sh: architecture, Depends against the libraries the
# binary links, conffile, lintian. Changes nothing on the machine. Exit 77 (skip) without
# cpack/dpkg-deb.
set -u
for tool in cpack dpkg-deb readelf; do
    command -v $tool >/dev/null 2>&1 || { echo "SKIP: $tool is not installed"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$VIVA_BUILD_DIR" && cpack -G DEB -B "$tmp" >"$tmp/cpack.log" 2>&1) || {
    echo "FAIL: cpack"; cat "$tmp/cpack.log"; exit 1; }
deb=$(ls "$tmp"/viva_*.deb | head -n1)
echo "package: $(basename "$deb")"
dpkg-deb -f "$deb" Package Version Architecture Depends
# A sysroot build (another Debian release) names its libraries' packages from the sysroot.
bash "$VIVA_SOURCE_DIR/firmware/check-deb.sh" "$deb" ${VIVA_SYSROOT_DIR:+"$VIVA_SYSROOT_DIR"}
