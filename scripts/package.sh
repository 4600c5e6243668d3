#!/usr/bin/env bash
# package.sh: build viva's .deb for each Debian release and architecture into build/packages/.
#   scripts/package.sh [RELEASE-ARCH ...]      default: bookworm and trixie x arm64, armhf, amd64
#   e.g. scripts/package.sh trixie-arm64
# Each package is built against that release's libraries: a sysroot from scripts/make-sysroot.sh
# (cached in build/sysroots/), the host's gcc cross compilers (toolchain.cmake), so dpkg-shlibdeps
# takes Depends from that release's symbols files. Board profile: pi4 for arm64 (runs on every
# 64-bit Pi), pi3 for armhf (Pi 2 v1.2, 3, 4, 5, Zero 2 W on a 32-bit OS), generic for amd64.
# Each package is then checked with firmware/check-deb.sh (Architecture, Depends against the
# linked libraries, conffile, lintian). Prints a table of packages and sizes; exit 1 on a failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$top/build/packages
jobs=$(nproc 2>/dev/null || echo 2)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(bookworm-arm64 bookworm-armhf bookworm-amd64
    trixie-arm64 trixie-armhf trixie-amd64)
mkdir -p "$out"
fail=0
summary=()
for t in "${targets[@]}"; do
    release=${t%-*}
    arch=${t#*-}
    case "$arch" in
    arm64) viva_arch=aarch64 board=pi4 ;;
    armhf) viva_arch=armhf board=pi3 ;;
    amd64) viva_arch=x86_64 board=generic ;;
    *) echo "package: unknown architecture in '$t' (arm64, armhf, amd64)" >&2; exit 2 ;;
    esac
    start=$(date +%s)
    echo "==> $release $arch: sysroot"
    "$here/make-sysroot.sh" "$release" "$arch"
    sysroot=$top/build/sysroots/$release-$arch
    dir=$top/build/pkg/$release-$arch
    echo "==> $release $arch: build ($dir, board $board)"
    mkdir -p "$dir"
    cmake -S "$top" -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" \
        -DVIVA_ARCH=$viva_arch -DVIVA_SYSROOT="$sysroot" -DVIVA_BOARD=$board \
        -DVIVA_BUILD_TESTS=OFF -DVIVA_HARDENING=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        >"$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
    cmake --build "$dir" -j"$jobs" >"$dir.build.log" 2>&1 || { tail -n 40 "$dir.build.log"; exit 1; }
    rm -f "$dir"/viva_*.deb
    (cd "$dir" && cpack -G DEB >"$dir.cpack.log" 2>&1) || { cat "$dir.cpack.log"; exit 1; }
    deb=$(ls "$dir"/viva_*.deb)
    cp "$deb" "$out/"
    deb=$out/$(basename "$deb")
    echo "==> $release $arch: check $(basename "$deb")"
    if bash "$top/firmware/check-deb.sh" "$deb" "$sysroot" >"$dir.check.log" 2>&1; then
        echo "ok: Depends match the linked libraries, lintian clean"
    else
        grep -v '^ok' "$dir.check.log"
        fail=1
    fi
    dpkg-deb -f "$deb" Depends | sed 's/^/    Depends: /'
    summary+=("$(printf '%-34s %8s KiB  %3s s' "$(basename "$deb")" \
        "$(( $(stat -c %s "$deb") / 1024 ))" "$(($(date +%s) - start))")")
done
echo
echo "packages in $out:"
printf '  %s\n' "${summary[@]}"
exit $fail
