#!/usr/bin/env bash
# root_install.sh RELEASE ARCH DEB: install a viva package into a minimal Debian root of that
# release and architecture and use it there, the way a freshly imaged device would:
#   - the root: `mmdebstrap --variant=apt` plus systemd (as on Raspberry Pi OS), made once and
#     cached as build/roots/RELEASE-ARCH.tar (VIVA_ROOTS_DIR); every run unpacks a fresh copy;
#   - a "previous version" of the package (the same files relabelled 0.1.0-1: there is no real
#     earlier package for trixie, whose libgpiod 2 the 0.1.0 sources cannot use) is installed
#     with apt, so every Depends is resolved from Debian's archive for that release;
#   - checks what the maintainer scripts made (system user, groups, /var/lib/viva 0750, the
#     conffile), that the unit is installed and not enabled, `systemd-analyze verify` inside the
#     root; the administrator edits viva.conf and the kiosk gets a profile;
#   - upgrade with apt to DEB: data and the edited configuration stay;
#   - runs, as user viva: viva --version, bank check, profiles add, export, audio record and
#     play through ALSA (the virtual microphone/speaker, alsa-lib's file plugin: the plain ALSA
#     path of Raspberry Pi OS Lite), and an offscreen `viva run --script` writing screenshots;
#   - purge: the program, its configuration, data and systemd state go; only the viva system
#     user and group stay (Debian policy: files it owned may still exist, e.g. in backups).
# Foreign architectures run through qemu-user with binfmt_misc (scripts/binfmt.sh); on an arm64
# machine (a Pi) arm64 runs natively. Needs root, mmdebstrap and network access to a Debian
# mirror (scripts/debian-mirror.sh). Prints one line per check; exit 0 all passed, 1 a check
# failed, 77 cannot run here (reason printed).
set -u
release=${1:?usage: root_install.sh RELEASE ARCH DEB}
arch=${2:?usage: root_install.sh RELEASE ARCH DEB}
deb=${3:?usage: root_install.sh RELEASE ARCH DEB}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
roots=${VIVA_ROOTS_DIR:-$src/build/roots}
tag="[$release $arch]"
say() { echo "$tag $*"; }

[ "$(id -u)" = 0 ] || { say "SKIP: needs root (chroot, mount)"; exit 77; }
command -v mmdebstrap >/dev/null || { say "SKIP: mmdebstrap is not installed"; exit 77; }
[ -f "$deb" ] || { say "FAIL: no package $deb"; exit 1; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")
host_arch=$(dpkg --print-architecture)
if [ "$arch" != "$host_arch" ] && ! "$src/scripts/binfmt.sh" --check >/dev/null 2>&1; then
    say "SKIP: this machine cannot run $arch programs (scripts/binfmt.sh found no qemu handler)"
    exit 77
fi
mirror=$("$src/scripts/debian-mirror.sh") || exit 77

# --- The cached root -----------------------------------------------------------------------
mkdir -p "$roots"
tarball=$roots/$release-$arch.tar
recipe="mmdebstrap --variant=apt --architectures=$arch --include=systemd $release $mirror (main, updates)"
t0=$(date +%s)
if [ ! -f "$tarball" ] || [ "$(cat "$tarball.recipe" 2>/dev/null)" != "$recipe" ]; then
    say "making the root: $recipe"
    rm -f "$tarball" "$tarball.recipe"
    # --format=tar: the file name ends in .part, from which mmdebstrap would guess a directory.
    if ! mmdebstrap --quiet --format=tar --variant=apt --architectures="$arch" --include=systemd \
        "$release" "$tarball.part" "deb $mirror $release main" \
        "deb $mirror $release-updates main" >"$roots/$release-$arch.log" 2>&1; then
        say "FAIL: mmdebstrap (log: $roots/$release-$arch.log)"
        tail -n 20 "$roots/$release-$arch.log"
        rm -f "$tarball.part"
        exit 1
    fi
    mv "$tarball.part" "$tarball"
    echo "$recipe" >"$tarball.recipe"
    say "root made in $(($(date +%s) - t0)) s ($(du -h "$tarball" | cut -f1))"
else
    say "root: cached $tarball"
fi

# --- A fresh copy ----------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/viva-root-$release-$arch.XXXXXX")
root=$work/root
mkdir "$root"
cleanup() {
    umount "$root/proc" 2>/dev/null
    # Never delete through a mount point.
    if grep -q " $root/" /proc/mounts; then
        say "left $work: something is still mounted in it"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball"
mount -t proc proc "$root/proc" || { say "FAIL: cannot mount /proc in the root"; exit 1; }
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
fail=0
passed=0
check() { # check "description" command...
    local what=$1
    shift
    if "$@"; then
        say "ok: $what"
        passed=$((passed + 1))
    else
        say "FAIL: $what"
        fail=$((fail + 1))
    fi
}
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
apt_in_root() {
    in_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o Dpkg::Use-Pty=0 "$@"
}
# As the viva user, with the kiosk's environment (the unit's HOME/XDG), in /var/lib/viva.
as_viva() {
    chroot --userspec="$vuid:$vgid" "$root" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
        HOME=/var/lib/viva XDG_CONFIG_HOME=/var/lib/viva/.config SDL_VIDEODRIVER=offscreen \
        SDL_FRAMEBUFFER_ACCELERATION=0 JACK_NO_START_SERVER=1 \
        ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:/tmp/viva-test/virtual-audio.conf \
        TEST_MIC_RAW=/tmp/viva-test/mic.raw TEST_SPK_WAV=/tmp/viva-test/spk.wav \
        sh -c 'cd /var/lib/viva && exec "$@"' sh "$@"
}
log=$work/log

# Files present before viva: what purge must return to (besides the user).
(cd "$root" && find . -xdev -path ./proc -prune -o -print | sort) >"$work/before"

# --- 1. The previous version, with apt ---------------------------------------------------------
mkdir -p "$work/prev"
dpkg-deb -R "$deb" "$work/prev/root"
sed -i 's/^Version: .*/Version: 0.1.0-1/' "$work/prev/root/DEBIAN/control"
dpkg-deb -b --root-owner-group "$work/prev/root" "$root/tmp/viva_0.1.0-1_$arch.deb" >/dev/null
cp "$deb" "$root/tmp/"
t1=$(date +%s)
if ! apt_in_root update >"$log" 2>&1; then
    say "FAIL: apt-get update in the root"; cat "$log"; exit 1
fi
if apt_in_root install --no-install-recommends "/tmp/viva_0.1.0-1_$arch.deb" >"$log" 2>&1; then
    n=$(grep -c '^Setting up' "$log")
    say "ok: apt installed viva 0.1.0-1 and $((n - 1)) dependencies from $release in $(($(date +%s) - t1)) s"
    passed=$((passed + 1))
else
    say "FAIL: apt-get install of the package"; tail -n 30 "$log"; exit 1
fi

# --- 2. What the maintainer scripts made ------------------------------------------------------
pw=$(in_root getent passwd viva)
vuid=$(echo "$pw" | cut -d: -f3)
vgid=$(echo "$pw" | cut -d: -f4)
check "system user viva ($pw): uid < 1000, home /var/lib/viva, no login shell" \
    sh -c "[ -n '$vuid' ] && [ '$vuid' -lt 1000 ] && echo '$pw' | grep -q ':/var/lib/viva:/usr/sbin/nologin$'"
groups=$(in_root id -nG viva)
check "viva is in video, render, input, audio ($groups)" \
    sh -c "for g in video render input audio; do echo ' $groups ' | grep -q \" \$g \" || exit 1; done"
check "/var/lib/viva is viva:viva 0750 ($(stat -c '%U:%G %a' "$root/var/lib/viva" 2>&1))" \
    sh -c "[ \"\$(stat -c '%u:%g %a' '$root/var/lib/viva')\" = '$vuid:$vgid 750' ]"
check "/etc/viva/viva.conf is a conffile" \
    sh -c "chroot '$root' dpkg-query -W -f='\${Conffiles}' viva | grep -q /etc/viva/viva.conf"
unit=$(cd "$root" && ls lib/systemd/system/viva.service usr/lib/systemd/system/viva.service 2>/dev/null | head -n1)
check "unit installed (/$unit)" test -n "$unit"
check "unit not enabled by installing" \
    sh -c "! ls '$root'/etc/systemd/system/*.wants/viva.service 2>/dev/null"
in_root systemd-analyze verify --man=no "/$unit" >"$log" 2>&1
rc=$?
check "systemd-analyze verify /$unit inside the root: clean (rc $rc)" \
    sh -c "[ $rc = 0 ] && ! grep -q . '$log'"
[ $rc = 0 ] && grep -q . "$log" && sed "s/^/$tag   /" "$log"

# The administrator's edit and the kiosk's data, before the upgrade.
sed -i 's/^questions = .*/questions = 7/' "$root/etc/viva/viva.conf"
as_viva viva --data-dir /var/lib/viva profiles add before-upgrade >"$log" 2>&1
rc=$?
check "profiles add before-upgrade (as viva, rc $rc)" test $rc = 0

# --- 3. Upgrade to the package under test -----------------------------------------------------
t2=$(date +%s)
if apt_in_root install --no-install-recommends "/tmp/$(basename "$deb")" >"$log" 2>&1; then
    say "ok: apt upgraded 0.1.0-1 -> $(dpkg-deb -f "$deb" Version) in $(($(date +%s) - t2)) s"
    passed=$((passed + 1))
else
    say "FAIL: upgrade with apt"; tail -n 30 "$log"; fail=$((fail + 1))
fi
check "installed version is $(dpkg-deb -f "$deb" Version)" \
    sh -c "[ \"\$(chroot '$root' dpkg-query -W -f='\${Version}' viva)\" = '$(dpkg-deb -f "$deb" Version)' ]"
check "edited viva.conf kept (questions = 7)" grep -qx 'questions = 7' "$root/etc/viva/viva.conf"
as_viva viva --data-dir /var/lib/viva profiles list >"$log" 2>&1
check "profile made before the upgrade is still there" grep -q before-upgrade "$log"
as_viva viva --data-dir /var/lib/viva config >"$log" 2>&1
check "viva reads /etc/viva/viva.conf (questions = 7)" grep -qx 'questions = 7' "$log"

# --- 4. The program, as the kiosk user ----------------------------------------------------------
t3=$(date +%s)
as_viva viva --version >"$log" 2>&1
check "viva --version: $(head -n1 "$log")" grep -q "^viva $(dpkg-deb -f "$deb" Version | sed 's/~.*//')" "$log"
bank=$(cd "$root" && ls usr/share/viva/bank/*.bank 2>/dev/null | head -n1)
as_viva viva bank check "/$bank" >"$log" 2>&1
check "viva bank check /$bank: $(tail -n1 "$log")" grep -q '^ok: [1-9][0-9]* questions' "$log"
as_viva viva --data-dir /var/lib/viva profiles add alice >"$log" 2>&1
check "viva profiles add alice" sh -c "chroot --userspec=$vuid:$vgid '$root' env HOME=/var/lib/viva viva --data-dir /var/lib/viva profiles list 2>&1 | grep -q alice"
mkdir -p "$root/tmp/viva-test"
cp "$src/tests/audio/virtual-audio.conf" "$root/tmp/viva-test/"
chmod 0777 "$root/tmp/viva-test"
as_viva viva --data-dir /var/lib/viva export --profile alice --out /tmp/viva-test/export >"$log" 2>&1
rc=$?
check "viva export --profile alice (rc $rc): $(ls "$root/tmp/viva-test/export" 2>/dev/null | xargs)" \
    sh -c "[ $rc = 0 ] && [ -n \"\$(ls '$root/tmp/viva-test/export')\" ]"

# ALSA: a 440 Hz tone as the microphone's raw input, recorded through PortAudio -> alsa-lib,
# then played back to the speaker file.
sox -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$root/tmp/viva-test/mic.raw" \
    synth 2 sine 440 vol 0.25
as_viva viva audio devices >"$log" 2>&1
check "viva audio devices lists the ALSA test devices" grep -q test_mic "$log"
as_viva viva --data-dir /var/lib/viva audio record --seconds 1 --out /tmp/viva-test/rec.wav \
    --device test_mic >"$log" 2>&1
rc=$?
check "viva audio record from ALSA (rc $rc): $(stat -c %s "$root/tmp/viva-test/rec.wav" 2>/dev/null) bytes" \
    sh -c "[ $rc = 0 ] && [ \$(stat -c %s '$root/tmp/viva-test/rec.wav') -gt 16000 ]"
as_viva viva audio play /tmp/viva-test/rec.wav --device test_spk >"$log" 2>&1
rc=$?
check "viva audio play to ALSA (rc $rc): $(stat -c %s "$root/tmp/viva-test/spk.wav" 2>/dev/null) bytes" \
    sh -c "[ $rc = 0 ] && [ \$(stat -c %s '$root/tmp/viva-test/spk.wav') -gt 16000 ]"

# The kiosk's screen, offscreen: home, then quit.
printf '500 screenshot home\n900 key Down\n1200 screenshot home2\n1500 quit\n' \
    >"$root/tmp/viva-test/script"
as_viva viva --data-dir /var/lib/viva --set display.width=800 --set display.height=480 \
    --set speech.enabled=false --set speech.commands=false \
    run --script /tmp/viva-test/script --screenshot /tmp/viva-test/shots >"$log" 2>&1
rc=$?
shot=$root/tmp/viva-test/shots/home.png
check "viva run --script (offscreen, rc $rc) wrote $(file -b "$shot" 2>/dev/null | cut -d, -f1-2)" \
    sh -c "[ $rc = 0 ] && file -b '$shot' | grep -q 'PNG image data, 800 x 480'"
[ $rc = 0 ] || tail -n 20 "$log" | sed "s/^/$tag   /"
# Kept for people to look at.
cp "$shot" "$roots/$release-$arch-home.png" 2>/dev/null && say "screenshot: $roots/$release-$arch-home.png"
say "program checks took $(($(date +%s) - t3)) s"
rm -rf "$root/tmp/viva-test"

# --- 5. Purge -------------------------------------------------------------------------------------
apt_in_root purge viva >"$log" 2>&1 || { say "FAIL: apt-get purge viva"; tail -n 20 "$log"; fail=$((fail + 1)); }
check "package gone after purge" \
    sh -c "! chroot '$root' dpkg-query -W -f='\${Status}' viva 2>/dev/null | grep -q 'installed\|config-files'"
check "/etc/viva removed" test ! -e "$root/etc/viva"
check "/var/lib/viva removed" test ! -e "$root/var/lib/viva"
check "viva system user kept (policy)" sh -c "chroot '$root' getent passwd viva >/dev/null"
rm -f "$root"/tmp/viva_*.deb
(cd "$root" && find . -xdev -path ./proc -prune -o -print | sort) >"$work/after"
# New paths that name viva (the dependencies apt installed stay, as after any apt purge).
left=$(comm -13 "$work/before" "$work/after" | grep -i viva || true)
check "no file or directory naming viva left after purge${left:+: $(echo $left)}" test -z "$left"

say "$passed passed, $fail failed (root, install, upgrade, run, purge: $(($(date +%s) - t0)) s)"
[ "$fail" = 0 ]
