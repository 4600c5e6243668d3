#!/bin/bash
# check-deb.sh PACKAGE.deb [SYSROOT]: check a built viva package without installing it.
# SYSROOT: the scripts/make-sysroot.sh tree the package was built against (another release's
# libraries): library owners are then read from its DEBIAN/symbols and DEBIAN/shlibs.
#  - Architecture matches the machine code of usr/bin/viva (arm64, armhf, amd64);
#  - every shared library the binary needs (readelf NEEDED) belongs to a package named in
#    Depends (the library package names are the same on every Debian architecture, so the
#    host's dpkg database or the armhf sysroot names them);
#  - fonts-dejavu-core and adduser are in Depends, the conffile is declared;
#  - lintian, when installed, reports no error or warning.
# Prints one line per check; exits 1 if any failed.
set -u
deb=${1:?usage: check-deb.sh PACKAGE.deb [SYSROOT]}
sysroot=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }

dpkg-deb -x "$deb" "$tmp/root" || { bad "cannot unpack $deb"; exit 1; }
arch=$(dpkg-deb -f "$deb" Architecture)
depends=$(dpkg-deb -f "$deb" Depends)
bin=$tmp/root/usr/bin/viva

machine=$(readelf -h "$bin" | sed -n 's/^ *Machine: *//p')
case "$machine" in
*AArch64*) want=arm64 ;;
*ARM*) want=armhf ;;
*X86-64* | *x86-64*) want=amd64 ;;
*80386*) want=i386 ;;
*) want="unknown ($machine)" ;;
esac
[ "$arch" = "$want" ] && ok "Architecture: $arch (binary: $machine)" ||
    bad "Architecture: $arch, but usr/bin/viva is $machine ($want)"

# The package owning a library: look in the package architecture's multiarch directories first
# (then amd64's: the armhf libraries live in a sysroot, not in dpkg's database, and the
# package names are the same), never in lib32/cross copies.
owner() {
    local t d p
    if [ -n "$sysroot" ]; then
        # symbols: "libfoo.so.1 libfoo1 #MINVER#"; shlibs: "libfoo 1 libfoo1 (>= 1.0)".
        p=$(awk -v s="$1" '$1 == s && $0 !~ /^[ |*]/ {print $2; exit}' "$sysroot/DEBIAN/symbols")
        if [ -z "$p" ]; then
            local base=${1%.so.*} ver=${1##*.so.}
            p=$(awk -v b="$base" -v v="$ver" '$1 == b && $2 == v {print $3; exit}' \
                "$sysroot/DEBIAN/shlibs")
        fi
        echo "$p"
        return
    fi
    for t in "$triplet" x86_64-linux-gnu; do
        for d in /usr/lib/$t /lib/$t; do
            p=$(dpkg -S "$d/$1" 2>/dev/null | head -n1 | cut -d: -f1)
            [ -n "$p" ] && { echo "$p"; return; }
        done
    done
    dpkg -S "*/$1" 2>/dev/null | cut -d: -f1 | grep -vE -- '-cross$|-i386$|lib32' | head -n1
}
case "$arch" in
arm64) triplet=aarch64-linux-gnu ;;
armhf) triplet=arm-linux-gnueabihf ;;
amd64) triplet=x86_64-linux-gnu ;;
*) triplet=$arch ;;
esac
has_dep() { printf ', %s,' "$depends" | grep -q ", $1[ ,(]"; }
for soname in $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    case "$soname" in
    ld-linux*) pkg=libc6 ;; # the dynamic loader comes with libc6 on every architecture
    *) pkg=$(owner "$soname") ;;
    esac
    if [ -z "$pkg" ]; then
        bad "$soname: no installed package provides it here, cannot check Depends"
    elif has_dep "$pkg"; then
        ok "$soname -> $pkg is in Depends"
    else
        bad "$soname -> $pkg is NOT in Depends: $depends"
    fi
done
for p in fonts-dejavu-core adduser; do
    has_dep "$p" && ok "Depends has $p" || bad "Depends lacks $p"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles 2>/dev/null | grep -qx /etc/viva/viva.conf &&
    ok "conffile /etc/viva/viva.conf declared" || bad "/etc/viva/viva.conf is not a conffile"

if command -v lintian >/dev/null 2>&1; then
    lintian --allow-root "$deb" > "$tmp/lintian" 2>&1
    if grep -qE '^[EW]: ' "$tmp/lintian"; then
        bad "lintian:"; grep -E '^[EW]: ' "$tmp/lintian"
    else
        ok "lintian: no errors or warnings"
    fi
else
    echo "note: lintian not installed, skipped"
fi
exit $fail
