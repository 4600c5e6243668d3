#!/usr/bin/env bash
# deb_install.sh: install, run, upgrade, remove and purge the .deb ON THIS MACHINE.
# It changes the system (installs viva, creates the viva user), so it runs only when asked:
#   VIVA_TEST_DEB=1 ctest -R deb_install      (as root; Debian 12; systemd need not be running)
# VIVA_DEB=path.deb tests that package; otherwise one is made with cpack from this build tree
# (VIVA_BUILD_DIR). Refuses to touch a machine where viva is already installed.
# Exit 77 = skipped.
set -u
if [ "${VIVA_TEST_DEB:-0}" != 1 ]; then
    echo "SKIP: set VIVA_TEST_DEB=1 to install/upgrade/remove the package on this machine"
    exit 77
fi
if [ "$(id -u)" != 0 ]; then
    echo "SKIP: needs root (dpkg -i)"; exit 77
fi
if [ -n "${VIVA_EMU:-}" ]; then
    echo "SKIP: cross build; install test runs on the amd64 build"; exit 77
fi
if dpkg-query -W -f='${Status}' viva 2>/dev/null | grep -q 'installed'; then
    echo "SKIP: a viva package is already installed here; not touching it"; exit 77
fi

tmp=$(mktemp -d)
user_existed=0
getent passwd viva >/dev/null && user_existed=1
cleanup() {
    dpkg -P viva >/dev/null 2>&1
    if [ $user_existed = 0 ] && getent passwd viva >/dev/null; then
        userdel viva 2>/dev/null
        getent group viva >/dev/null && groupdel viva 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
# dpkg, waiting (up to 3 minutes) while another process (apt) holds the dpkg lock.
dpkg() {
    local i
    for i in $(seq 1 90); do
        command dpkg "$@" </dev/null >"$tmp/dpkg.out" 2>&1
        local rc=$?
        if [ $rc -ne 0 ] && grep -q 'lock' "$tmp/dpkg.out" && grep -q 'locked' "$tmp/dpkg.out"; then
            sleep 2
            continue
        fi
        cat "$tmp/dpkg.out"
        return $rc
    done
    cat "$tmp/dpkg.out"
    return 1
}
check() { # check "description" command...
    local what=$1; shift
    if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

deb=${VIVA_DEB:-}
if [ -z "$deb" ]; then
    (cd "$VIVA_BUILD_DIR" && cpack -G DEB -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1) || {
        echo "FAIL: cpack"; cat "$tmp/cpack.log"; exit 1; }
    deb=$(ls "$tmp"/pkg/viva_*.deb | head -n1)
fi
echo "package: $deb"

# 1. Metadata.
arch=$(dpkg-deb -f "$deb" Architecture)
depends=$(dpkg-deb -f "$deb" Depends)
check "Architecture $arch is $(dpkg --print-architecture)" [ "$arch" = "$(dpkg --print-architecture)" ]
has_dep() { case ", $depends," in *", $1"*) return 0 ;; esac; return 1; }
check "Depends has libc6 (from dpkg-shlibdeps): $depends" has_dep 'libc6 (>='
check "Depends has fonts-dejavu-core" has_dep fonts-dejavu-core
check "conffile list names /etc/viva/viva.conf" \
    sh -c "dpkg-deb --ctrl-tarfile '$deb' | tar -xO ./conffiles | grep -qx /etc/viva/viva.conf"

# 2. Install (dependencies must already be there: this is dpkg, not apt).
if ! dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
    echo "FAIL: dpkg -i"; cat "$tmp/dpkg.log"; exit 1
fi
check "user viva exists, no login shell" \
    sh -c "getent passwd viva | grep -q ':/var/lib/viva:/usr/sbin/nologin$'"
check "viva is in the video, input and audio groups" \
    sh -c "id -nG viva | tr ' ' '\n' | grep -cxE 'video|input|audio' | grep -qx 3"
check "/var/lib/viva is viva's, mode 750" \
    sh -c "[ \"\$(stat -c '%U:%G %a' /var/lib/viva)\" = 'viva:viva 750' ]"
check "/etc/viva/viva.conf is a registered conffile" \
    sh -c "dpkg-query -W -f='\${Conffiles}' viva | grep -q '/etc/viva/viva.conf'"
runuser -u viva -- /usr/bin/viva --version >"$tmp/ver" 2>&1
check "viva --version as user viva: $(cat "$tmp/ver")" grep -q '^viva [0-9]' "$tmp/ver"
check "man page installed" test -s /usr/share/man/man1/viva.1.gz
check "unit installed" test -s /lib/systemd/system/viva.service
check "unit not enabled by installing" \
    sh -c "! ls /etc/systemd/system/multi-user.target.wants/viva.service 2>/dev/null"

# 3. The administrator edits the configuration; the kiosk has data.
sed -i 's/^questions = .*/questions = 7/' /etc/viva/viva.conf
runuser -u viva -- sh -c 'echo answer > /var/lib/viva/test-answer'
(cd /tmp && runuser -u viva -- env HOME=/var/lib/viva /usr/bin/viva config) >"$tmp/eff" 2>&1
check "viva reads /etc/viva/viva.conf (questions = 7)" grep -qx 'questions = 7' "$tmp/eff"

# 4. Upgrade: the same package with a higher version, then the same version again.
mkdir -p "$tmp/up"
dpkg-deb -R "$deb" "$tmp/up/root"
v=$(dpkg-deb -f "$deb" Version)
sed -i "s/^Version: .*/Version: ${v}+up1/" "$tmp/up/root/DEBIAN/control"
dpkg-deb -b --root-owner-group "$tmp/up/root" "$tmp/up/viva_up.deb" >/dev/null
if dpkg -i "$tmp/up/viva_up.deb" </dev/null >"$tmp/dpkg.log" 2>&1; then
    echo "ok: upgrade to ${v}+up1"
else
    echo "FAIL: upgrade"; cat "$tmp/dpkg.log"; fail=1
fi
check "installed version is ${v}+up1" \
    sh -c "[ \"\$(dpkg-query -W -f='\${Version}' viva)\" = '${v}+up1' ]"
check "edited viva.conf kept across the upgrade" grep -qx 'questions = 7' /etc/viva/viva.conf
check "data kept across the upgrade" test -f /var/lib/viva/test-answer
if dpkg -i "$tmp/up/viva_up.deb" </dev/null >"$tmp/dpkg.log" 2>&1; then
    echo "ok: reinstall over itself"
else
    echo "FAIL: reinstall"; cat "$tmp/dpkg.log"; fail=1
fi
check "edited viva.conf kept across the reinstall" grep -qx 'questions = 7' /etc/viva/viva.conf

# 5. Remove: program gone, configuration and data kept.
dpkg -r viva >"$tmp/dpkg.log" 2>&1 || { echo "FAIL: dpkg -r"; cat "$tmp/dpkg.log"; fail=1; }
check "program removed" test ! -e /usr/bin/viva
check "configuration kept after remove" test -f /etc/viva/viva.conf
check "data kept after remove" test -f /var/lib/viva/test-answer
check "package state is config-files" \
    sh -c "dpkg-query -W -f='\${Status}' viva | grep -q config-files"

# 6. Purge: configuration and data gone (as the description warns), user kept.
dpkg -P viva >"$tmp/dpkg.log" 2>&1 || { echo "FAIL: dpkg -P"; cat "$tmp/dpkg.log"; fail=1; }
check "configuration removed by purge" test ! -e /etc/viva/viva.conf
check "/var/lib/viva removed by purge" test ! -e /var/lib/viva
check "package description warns that purge deletes /var/lib/viva" \
    sh -c "dpkg-deb -f '$deb' Description | grep -q 'PURGING THE'"
exit $fail
