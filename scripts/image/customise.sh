#!/bin/sh
# customise.sh BOARD: turns a Debian root (ours, from root.sh) or a Raspberry Pi OS Lite root
# into a viva appliance. Runs INSIDE the root (chroot), as root, with the viva package and
# files/ of this directory copied to /tmp/viva-image/. The same steps serve both kinds of root:
#   - the viva package, with apt (its dependencies from the root's own archive);
#   - the kiosk unit enabled with the image's drop-in (settings file, notices), the settings and
#     data-growing units, the default target multi-user (console, no desktop);
#   - no login prompt anywhere: getty.target masked (tty1 and serial), no spare VTs, no
#     Ctrl+Alt+Del; SSH installed but off (the settings file turns it on);
#   - /etc/fstab: the boot partition at /boot/firmware, viva's data partition at /var/lib/viva;
#   - the board: the package's board profile in /etc/viva/viva.conf, the kernel command line
#     (quiet console on tty1) and, on Debian's raspi-firmware, config.txt through its own hooks.
set -eu
board=${1:?usage: customise.sh pi3|pi4|pi5|generic}
src=/tmp/viva-image
export DEBIAN_FRONTEND=noninteractive
say() { echo "customise: $*"; }

# --- viva -----------------------------------------------------------------------------------
deb=$(ls "$src"/viva_*.deb | head -n1)
say "installing $(basename "$deb")"
apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends "$deb"
apt-get clean
rm -rf /var/lib/apt/lists/*

# The board profile: the package ships viva.conf for its build's board (pi4 for arm64); the other
# profiles' differences are the [audio]/[gpio] values, set here for the image's board.
case "$board" in
pi3) sed -i 's/^output = .*/output = bcm2835 Headphones/' /etc/viva/viva.conf ;;
generic) sed -i 's/^output = .*/output =/; s/^chip = .*/chip =/' /etc/viva/viva.conf ;;
esac

# Later kernel updates on the device make their initramfs as usual.
[ -f /etc/initramfs-tools/update-initramfs.conf ] &&
    sed -i 's/^update_initramfs=no/update_initramfs=yes/' /etc/initramfs-tools/update-initramfs.conf

# --- units ------------------------------------------------------------------------------------
install -d /usr/lib/viva-image /etc/systemd/system/viva.service.d
install -m 0755 "$src/files/viva-settings" "$src/files/viva-grow-data" /usr/lib/viva-image/
install -m 0644 "$src/files/viva-settings.service" "$src/files/viva-grow-data.service" \
    /etc/systemd/system/
install -m 0644 "$src/files/viva-image.conf" /etc/systemd/system/viva.service.d/image.conf
: >/etc/viva/settings.conf
systemctl enable viva.service viva-settings.service viva-grow-data.service
systemctl set-default multi-user.target
# No login prompt: the kiosk owns tty1; no getty on any VT or serial line.
systemctl mask getty.target ctrl-alt-del.target
install -d /etc/systemd/logind.conf.d
install -m 0644 /usr/share/doc/viva/examples/kiosk-logind.conf /etc/systemd/logind.conf.d/viva-kiosk.conf \
    2>/dev/null || printf '[Login]\nNAutoVTs=0\nReserveVT=0\n' >/etc/systemd/logind.conf.d/viva-kiosk.conf
# SSH off (viva-settings turns it on with the owner's key); no host keys baked into the image.
if [ -e /lib/systemd/system/ssh.service ] || [ -e /usr/lib/systemd/system/ssh.service ]; then
    systemctl disable ssh.service ssh.socket >/dev/null 2>&1 || true
    rm -f /etc/ssh/ssh_host_*
    install -d /etc/ssh/sshd_config.d
    printf 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n' \
        >/etc/ssh/sshd_config.d/viva.conf
fi
# Raspberry Pi OS: its first-boot user wizard and its own SSH switch do not apply.
for u in userconfig.service sshswitch.service; do
    systemctl disable "$u" >/dev/null 2>&1 || true
done
# Wi-Fi address from DHCP when viva-settings configured a network (Debian image only).
if [ -d /etc/systemd/network ] && ! command -v NetworkManager >/dev/null; then
    printf '[Match]\nName=wlan0 eth0 end0\n\n[Network]\nDHCP=yes\n' >/etc/systemd/network/50-viva.network
    systemctl enable systemd-networkd.service >/dev/null 2>&1 || true
fi
echo viva >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\tviva\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts
# The journal in RAM (and 16 MiB at most): no log writes wearing the card, nothing a power cut
# can leave half written on the root. The kiosk's data is on its own partition.
install -d /etc/systemd/journald.conf.d
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=16M\n' >/etc/systemd/journald.conf.d/viva.conf

# --- file systems -----------------------------------------------------------------------------
if [ "${VIVA_IMAGE_KIND:-debian}" = debian ]; then
    cat >/etc/fstab <<'EOT'
# viva image: the labels are set by scripts/image/build.sh
LABEL=viva-root  /               ext4  defaults,noatime,errors=remount-ro  0 1
LABEL=VIVABOOT   /boot/firmware  vfat  defaults,noatime,umask=0022,nofail  0 2
LABEL=viva-data  /var/lib/viva   ext4  defaults,noatime,nofail,x-systemd.device-timeout=5min  0 2
EOT
else
    # Raspberry Pi OS keeps its fstab (PARTUUIDs of its two partitions); add the data partition.
    grep -q 'LABEL=viva-data' /etc/fstab ||
        echo 'LABEL=viva-data  /var/lib/viva   ext4  defaults,noatime,nofail,x-systemd.device-timeout=5min  0 2' >>/etc/fstab
fi

# --- boot: kernel command line, firmware configuration ------------------------------------------
cmdline_extra="quiet loglevel=3 consoleblank=0 vt.global_cursor_default=0"
if [ -f /etc/default/raspi-firmware ]; then
    # Debian's raspi-firmware writes cmdline.txt and config.txt at every kernel update from
    # these files, so the settings survive updates.
    sed -i 's/^#\?ROOTPART=.*/ROOTPART=LABEL=viva-root/; s/^#\?CONSOLES=.*/CONSOLES="tty1"/' \
        /etc/default/raspi-firmware
    echo "$cmdline_extra" >/etc/default/raspi-extra-cmdline
    cat >/etc/default/raspi-firmware-custom <<'EOT'
# viva: the KMS driver for the display (SDL's KMSDRM), sound on HDMI and the jack.
dtoverlay=vc4-kms-v3d
dtparam=audio=on
disable_splash=1
EOT
    for k in /boot/vmlinuz-*; do
        [ -e "$k" ] && /etc/kernel/postinst.d/z50-raspi-firmware "${k#/boot/vmlinuz-}" </dev/null
    done
elif [ -f /boot/firmware/cmdline.txt ]; then
    # Raspberry Pi OS: one line; console on tty1 only and no first-boot resize of the root.
    sed -i 's/ console=serial0,[0-9]*//; s/ init=[^ ]*//; s/$/ '"$cmdline_extra"'/' /boot/firmware/cmdline.txt
fi
# The settings file for the owner, beside config.txt.
if [ -d /boot/firmware ]; then
    install -m 0644 "$src/files/viva-settings.txt" /boot/firmware/viva-settings.txt
fi
say "done ($board)"
