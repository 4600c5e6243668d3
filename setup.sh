#!/usr/bin/env bash
# setup.sh: the README's two commands, and the packages.
#   ./setup.sh run [viva arguments]   install build/run dependencies, build, start viva
#   ./setup.sh test                   install everything the tests need, build and run every test:
#                                     native, address+undefined sanitizers, aarch64 under qemu
#                                     (on an amd64 machine), armhf under qemu, Debian 13 (trixie)
#                                     arm64 against its libraries, and the install tests: each
#                                     release's arm64 package (and bookworm's armhf one) installed
#                                     with apt into a minimal root of that release and run there;
#                                     then the image's short boot test (VIVA_IMAGE_TEST=0: not)
#   ./setup.sh package                .debs for bookworm and trixie x arm64, armhf, amd64 into
#                                     build/packages/ (scripts/package.sh)
#   ./setup.sh image [--release bookworm|trixie] [--board pi3|pi4|pi5|generic] [--from IMAGE]
#                                     the bootable arm64 SD-card image from Debian's archive:
#                                     build/image/viva-RELEASE-BOARD.img.xz (scripts/image/build.sh)
#   ./setup.sh boot-test [--short]    boots that image under qemu-system-aarch64 and checks the
#                                     kiosk, the watchdog and hard power-offs (scripts/image/)
#   VIVA_TEST_TIME_SCALE=N ./setup.sh test    every test time limit N times longer (a machine
#                                     busy with other work; the sanitizer and qemu builds multiply
#                                     by 2 and 4 again)
# Debian 12 or 13 (or Raspberry Pi OS bookworm/trixie), amd64 or arm64 (a Pi runs everything
# natively and cross-builds only armhf); run as root or as a user with sudo. Installs only what
# is missing; safe to run again. Sysroots and roots are cached in build/sysroots, build/roots.
set -euo pipefail
cd "$(dirname "$0")"
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
host_arch=$(dpkg --print-architecture)
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
# ctest's default limit for a test without a TIMEOUT of its own, scaled like every TIMEOUT by
# the build's time scale (tests/CMakeLists.txt: VIVA_TEST_TIME_SCALE from the environment at
# configure time, times 2 with sanitizers, 4 under qemu).
ctest_timeout() { # dir
    local f
    f=$(cat "$1/viva-test-time-scale" 2>/dev/null || echo 1)
    echo $((600 * f))
}
run_ctest() { # dir, label
    say "tests: $2"
    local out rc=0
    out=$(mktemp)
    (cd "$1" && ctest --output-on-failure -j"$jobs" --timeout "$(ctest_timeout "$1")") 2>&1 | tee "$out" || rc=$?
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
    if [ "$host_arch" = amd64 ]; then
        if ! dpkg --print-foreign-architectures | grep -qx arm64; then
            say "enabling the arm64 architecture for the cross build's libraries"
            as_root dpkg --add-architecture arm64
            apt_updated=
        fi
        apt_install $(packages scripts/deps/cross-arm64.txt)
    fi
    apt_install $(packages scripts/deps/cross-armhf.txt scripts/deps/install-test.txt)
    mkdir -p build
    # The tests' time scale (tests/CMakeLists.txt reads it when each build is configured): as
    # given, else 2 when other work keeps the cores busy. Looked at again before each build is
    # configured (busy_check), from the CPU time the machine spent busy over the last 3 s: the
    # load average lags by a minute, so a load that began just before the tests went unseen.
    # Once doubled it stays doubled. The timed input scripts of the UI tests cannot wait for a
    # screen, only run slower.
    scale_given=${VIVA_TEST_TIME_SCALE:-}
    busy_check() {
        [ -z "$scale_given" ] && [ "${VIVA_TEST_TIME_SCALE:-1}" = 1 ] || return 0
        local a b busy
        a=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
        sleep 3
        b=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8}' /proc/stat)
        busy=$(echo "$a $b" | awk '{ t = $4 - $2; printf "%d", (t > 0 ? 100 * ($3 - $1) / t : 0) }')
        if [ "$busy" -ge 75 ]; then
            export VIVA_TEST_TIME_SCALE=2
            say "busy machine (other work kept the CPUs ${busy}% busy over 3 s): test time limits doubled (VIVA_TEST_TIME_SCALE=2)"
        fi
    }
    t_start=$(date +%s)
    stage() { say "$1 [$(($(date +%s) - t_start)) s]"; }
    stage "static analysis: cppcheck"
    if cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
        --quiet --suppress=missingIncludeSystem $(printf -- '-I %s ' src/*/) src/; then
        echo "cppcheck: no findings"
        total_pass=$((total_pass + 1))
    else
        total_fail=$((total_fail + 1))
    fi
    stage "native build (build/native, $host_arch)"
    busy_check
    configure_build build/native
    run_ctest build/native "native"
    if [ -n "${CI:-}" ] && [ "$(id -u)" = 0 ]; then
        # Installs, upgrades, removes and purges the host's package on this machine: CI only.
        VIVA_TEST_DEB=1 run_ctest_single build/native appliance_deb_install "package install"
    fi
    stage "sanitizer build: address,undefined (build/asan)"
    busy_check
    configure_build build/asan -DVIVA_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 run_ctest build/asan "asan+ubsan"
    mkdir -p build/packages/test
    if [ "$host_arch" = amd64 ]; then
        stage "aarch64 cross build (build/aarch64), tests under qemu-aarch64"
        busy_check
        configure_build build/aarch64 -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" \
            -DVIVA_ARCH=aarch64 -DVIVA_BOARD=pi4
        file build/aarch64/src/app/viva
        run_ctest build/aarch64 "aarch64 under qemu"
        arm64_dir=build/aarch64
    else
        arm64_dir=build/native # a Pi: the native build is the arm64 one
    fi
    # The bookworm arm64 package for the install test, from the Debian 12 arm64 build.
    if grep -q 'VERSION_CODENAME=bookworm' /etc/os-release; then
        rm -f "$arm64_dir"/viva_*.deb
        (cd "$arm64_dir" && cpack -G DEB >cpack.log 2>&1) && cp "$arm64_dir"/viva_*_arm64.deb build/packages/test/ ||
            true
    fi
    stage "armhf cross build (build/armhf, Debian 12 sysroot), tests under qemu-arm"
    scripts/make-sysroot.sh bookworm armhf
    busy_check
    configure_build build/armhf -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" -DVIVA_ARCH=armhf \
        -DVIVA_SYSROOT="$top/build/sysroots/bookworm-armhf" -DVIVA_BOARD=pi3
    file build/armhf/src/app/viva
    run_ctest build/armhf "armhf under qemu"
    rm -f build/armhf/viva_*.deb
    (cd build/armhf && cpack -G DEB >cpack.log 2>&1) && cp build/armhf/viva_*.deb build/packages/test/ || true
    stage "Debian 13 (trixie) arm64 build against its libraries (build/trixie-arm64): libgpiod 2"
    scripts/make-sysroot.sh trixie arm64
    busy_check
    configure_build build/trixie-arm64 -DCMAKE_TOOLCHAIN_FILE="$top/toolchain.cmake" \
        -DVIVA_ARCH=aarch64 -DVIVA_SYSROOT="$top/build/sysroots/trixie-arm64" -DVIVA_BOARD=pi4
    file build/trixie-arm64/src/app/viva
    grep -E 'GPIO: libgpiod' build/trixie-arm64.configure.log || true
    # The board edge (GPIO v2 backend with the real libgpiod 2 under qemu, notify, unit, the
    # package check against trixie's libraries); the rest is the same code as the arm64 build.
    say "tests: trixie arm64 under qemu (label appliance)"
    out=$(mktemp)
    (cd build/trixie-arm64 && ctest -L appliance --output-on-failure \
        --timeout "$(ctest_timeout build/trixie-arm64)") 2>&1 |
        tee "$out" || true
    line=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$out" | tail -n1 || true)
    if [ -n "$line" ]; then
        failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/')
        all=$(echo "$line" | sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/')
        total_pass=$((total_pass + all - failed))
        total_fail=$((total_fail + failed))
    else
        total_fail=$((total_fail + 1))
    fi
    rm -f "$out" build/trixie-arm64/viva_*.deb
    (cd build/trixie-arm64 && cpack -G DEB >cpack.log 2>&1) &&
        cp build/trixie-arm64/viva_*.deb build/packages/test/ || true
    if ! ls build/packages/test/viva_*~deb12_arm64.deb >/dev/null 2>&1; then
        # Not a Debian 12 host: build bookworm's arm64 package against its sysroot.
        scripts/package.sh bookworm-arm64 && cp build/packages/viva_*~deb12_arm64.deb build/packages/test/ ||
            true
    fi
    stage "install tests: apt installs each package into a minimal root of its release"
    ls -l build/packages/test/
    binfmt_ok=1
    if [ "$host_arch" = amd64 ]; then
        as_root scripts/binfmt.sh || binfmt_ok=0
    fi
    pids=()
    names=()
    for t in bookworm-arm64 trixie-arm64 bookworm-armhf; do
        release=${t%-*} arch=${t#*-}
        deb=$(ls build/packages/test/viva_*~deb*_"$arch".deb 2>/dev/null |
              grep "~deb$( [ "$release" = bookworm ] && echo 12 || echo 13)_" | head -n1 || true)
        if [ -z "$deb" ]; then
            echo "install test $t: no package was built for it"
            total_fail=$((total_fail + 1))
            continue
        fi
        # The three run side by side: each is one emulated process at a time.
        as_root tests/appliance/root_install.sh "$release" "$arch" "$deb" \
            >"build/roots-$t.test.log" 2>&1 &
        pids+=($!)
        names+=("$t")
    done
    for i in "${!pids[@]}"; do
        rc=0
        wait "${pids[$i]}" || rc=$?
        say "install test ${names[$i]} (exit $rc)"
        cat "build/roots-${names[$i]}.test.log"
        if [ $rc = 0 ]; then
            total_pass=$((total_pass + 1))
        elif [ $rc = 77 ] && [ -z "${CI:-}" ]; then
            echo "(skipped here; CI requires it)"
        else
            total_fail=$((total_fail + 1))
        fi
    done
    [ $binfmt_ok = 1 ] || echo "note: qemu binfmt handlers could not be registered (scripts/binfmt.sh)"
    # The image's short boot test: boot, READY, home, one hard power-off. The image is built
    # once per package and image-script contents and cached in /var/cache/viva-image
    # (scripts/image/cached.sh), with the base root and its .debs, so a fresh clone on the same
    # machine builds only the image (about 80 s). VIVA_IMAGE_TEST=0 leaves the stage out.
    if [ "${VIVA_IMAGE_TEST:-1}" = 0 ]; then
        say "image boot test: left out (VIVA_IMAGE_TEST=0); ./setup.sh boot-test runs it alone"
    else
        stage "image boot test, short form (scripts/image/boot-test.sh --short)"
        apt_install $(packages scripts/deps/image.txt)
        deb=$(ls build/packages/test/viva_*~deb12_arm64.deb 2>/dev/null | head -n1 || true)
        rc=0
        if [ -z "$deb" ]; then
            echo "image boot test: no bookworm arm64 package was built"
            rc=1
        elif img=$(as_root scripts/image/cached.sh "$deb"); then
            as_root scripts/image/boot-test.sh --short --image "$img" || rc=$?
        else
            rc=1
        fi
        if [ $rc = 0 ]; then
            total_pass=$((total_pass + 1))
        elif [ $rc = 77 ] && [ -z "${CI:-}" ]; then
            echo "(skipped here; CI requires it)"
        else
            total_fail=$((total_fail + 1))
        fi
    fi
    stage "summary over all builds"
    echo "tests: $total_pass passed, $total_fail failed"
    [ "$total_fail" -eq 0 ]
    ;;
package)
    apt_install $(packages scripts/deps/build.txt scripts/deps/package.txt)
    case "$host_arch" in
    amd64) apt_install gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf ;;
    arm64) apt_install gcc-arm-linux-gnueabihf gcc-x86-64-linux-gnu ;;
    esac
    exec scripts/package.sh "$@"
    ;;
image)
    apt_install $(packages scripts/deps/build.txt scripts/deps/package.txt scripts/deps/image.txt)
    case "$host_arch" in
    amd64) apt_install gcc-aarch64-linux-gnu ;;
    esac
    as_root scripts/binfmt.sh >/dev/null
    exec_root=(); [ "$(id -u)" = 0 ] || exec_root=(sudo)
    exec "${exec_root[@]}" scripts/image/build.sh "$@"
    ;;
boot-test)
    apt_install $(packages scripts/deps/image.txt)
    exec scripts/image/boot-test.sh "$@"
    ;;
*)
    echo "usage: ./setup.sh run [viva arguments] | ./setup.sh test | ./setup.sh package [RELEASE-ARCH...]" >&2
    echo "       ./setup.sh image [--release R] [--board B] [--from IMAGE] | ./setup.sh boot-test [--short]" >&2
    exit 2
    ;;
esac
