#!/usr/bin/env bash
# setup.sh: the README's two commands.
#   ./setup.sh run [viva arguments]   install build/run dependencies, build, start viva
#   ./setup.sh test                   install everything the tests need, build and run every test:
#                                     native, address+undefined sanitizers, aarch64 under qemu,
#                                     armhf under qemu
# Debian 12 (or Raspberry Pi OS bookworm); run as root or as a user with sudo. Installs only what
# is missing; safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
werror=OFF
[ -n "${CI:-}" ] && werror=ON

say() { printf '\n==> %s\n' "$*"; }
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
packages() { grep -hv '^\s*#' "$@" | awk 'NF {print $1}'; }
missing() {
    local p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            echo "$p"
    done
}
apt_updated=
apt_install() {
    local need
    need=$(missing "$@")
    [ -z "$need" ] && return 0
    if [ -z "$apt_updated" ]; then
        # A mirror in the middle of a sync can fail one index; try again, then go on with
        # what apt has (the install below fails clearly if a package is really unavailable).
        local i
        for i in 1 2 3; do
            as_root apt-get update -q && break
            echo "setup: apt-get update failed (attempt $i); retrying" >&2
            sleep 5
        done
        apt_updated=1
    fi
    say "installing: $(echo $need)"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $need
}

configure_build() { # dir, cmake args...
    local dir=$1
    shift
    cmake -S "$top" -B "$dir" -DVIVA_WERROR=$werror "$@" >"$dir.configure.log" 2>&1 || {
        cat "$dir.configure.log"
        exit 1
    }
    cmake --build "$dir" -j"$jobs"
}

total_pass=0
total_fail=0
run_ctest() { # dir, label
    say "tests: $2"
    local out rc=0
    out=$(mktemp)
    (cd "$1" && ctest --output-on-failure -j"$jobs" --timeout 600) 2>&1 | tee "$out" || rc=$?
    local line
    line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$out" | tail -n1 || true)
    if [ -n "$line" ]; then
        local failed all
        failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
        all=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
        total_pass=$((total_pass + all - failed))
        total_fail=$((total_fail + failed))
    elif [ $rc -ne 0 ]; then
        total_fail=$((total_fail + 1))
    fi
    rm -f "$out"
}

run_ctest_single() { # dir, test name, label: one test that must run and pass
    say "tests: $3"
    local out
    out=$(mktemp)
    (cd "$1" && ctest -R "^$2\$" --output-on-failure) 2>&1 | tee "$out" || true
    if grep -q '100% tests passed' "$out" && ! grep -q 'Skipped' "$out"; then
        total_pass=$((total_pass + 1))
    else
        total_fail=$((total_fail + 1))
    fi
    rm -f "$out"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
run)
    apt_install $(packages scripts/deps/build.txt)
    mkdir -p build
    say "building build/native"
    configure_build build/native
    say "starting viva"
    exec build/native/src/app/viva "$@"
    ;;
test)
    apt_install $(packages scripts/deps/build.txt scripts/deps/test.txt)
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        say "enabling the arm64 architecture for the cross build's libraries"
        as_root dpkg --add-architecture arm64
        apt_updated=
    fi
    apt_install $(packages scripts/deps/cross-arm64.txt scripts/deps/cross-armhf.txt)
    mkdir -p build
    say "static analysis: cppcheck"
    if cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
        --quiet --suppress=missingIncludeSystem $(printf -- '-I %s ' src/*/) src/; then
        echo "cppcheck: no findings"
        total_pass=$((total_pass + 1))
    else
        total_fail=$((total_fail + 1))
    fi
    say "native build (build/native)"
    configure_build build/native
    run_ctest build/native "native"
    if [ -n "${CI:-}" ] && [ "$(id -u)" = 0 ]; then
        # Installs, upgrades, removes and purges the amd64 package on this machine: CI only.
        VIVA_TEST_DEB=1 run_ctest_single build/native appliance_deb_install "package install"
    fi
    say "sanitizer build: address,undefined (build/asan)"
    configure_build build/asan -DVIVA_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_ctest build/asan "asan+ubsan"
    say "aarch64 cross build (build/aarch64), tests under qemu-aarch64"
    configure_build build/aarch64 -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" -DVIVA_ARCH=aarch64 \
        -DVIVA_BOARD=pi4
    file build/aarch64/src/app/viva
    run_ctest build/aarch64 "aarch64 under qemu"
    say "armhf cross build (build/armhf), tests under qemu-arm"
    scripts/make-sysroot.sh build/sysroot-armhf
    configure_build build/armhf -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" -DVIVA_ARCH=armhf \
        -DVIVA_SYSROOT="$top/build/sysroot-armhf" -DVIVA_BOARD=pi3
    file build/armhf/src/app/viva
    run_ctest build/armhf "armhf under qemu"
    say "summary over all builds"
    echo "tests: $total_pass passed, $total_fail failed"
    [ "$total_fail" -eq 0 ]
    ;;
*)
    echo "usage: ./setup.sh run [viva arguments] | ./setup.sh test" >&2
    exit 2
    ;;
esac
