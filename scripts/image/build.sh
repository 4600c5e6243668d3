#!/usr/bin/env bash
# build.sh: the viva SD-card image (./setup.sh image).
#   scripts/image/build.sh [--release bookworm|trixie] [--board pi3|pi4|pi5|generic] [--from IMAGE]
# Output: build/image/viva-RELEASE-BOARD.img.xz (and the .img beside it, for boot-test.sh).
# Steps, all from Debian's archive through the machine's own mirror (scripts/debian-mirror.sh):
#   1. viva's arm64 package for the release: scripts/package.sh RELEASE-arm64 (the same build as
#      ./setup.sh package);
#   2. the base root: scripts/image/root.sh (mmdebstrap, cached by its package list);
#   3. a fresh copy of it, customised in a chroot by customise.sh (viva, units, settings file);
#   4. the image, without loop devices or mounts: the boot partition made with mkfs.vfat and
#      mcopy, the root and data partitions with mkfs.ext4 -d, laid into the image file at the
#      offsets of its MBR partition table (sfdisk) with dd conv=notrunc.
# --from IMAGE: a Raspberry Pi OS Lite image instead of steps 2-3's Debian root: its root file
# system is copied out with debugfs, customised by the same customise.sh, and written back, with
# viva's data partition added. Needs root; on an amd64 machine qemu-user-static (binfmt).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
release=bookworm board=pi4 from= deb= xz=1 img=
while [ $# -gt 0 ]; do
    case "$1" in
    --release) release=${2:?}; shift 2 ;;
    --board) board=${2:?}; shift 2 ;;
    --from) from=${2:?}; shift 2 ;;
    # For ./setup.sh test (cached.sh): a package already built, the image's path, no .xz.
    --deb) deb=${2:?}; shift 2 ;;
    --out) img=${2:?}; shift 2 ;;
    --no-xz) xz=0; shift ;;
    *) echo "usage: build.sh [--release bookworm|trixie] [--board pi3|pi4|pi5|generic] [--from IMAGE]" >&2; exit 2 ;;
    esac
done
case "$release" in bookworm | trixie) ;; *) echo "image: --release bookworm or trixie" >&2; exit 2 ;; esac
case "$board" in pi3 | pi4 | pi5) class=pi ;; generic) class=generic ;;
*) echo "image: --board pi3, pi4, pi5 or generic" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "image: needs root (chroot, file ownership in the root file system)" >&2; exit 1; }
[ -z "$from" ] || [ -f "$from" ] || { echo "image: --from $from: no such file" >&2; exit 2; }
out=$top/build/image
mkdir -p "$out"
t0=$(date +%s)
step() { echo "==> image: $* [$(($(date +%s) - t0)) s]"; }
if [ "$(dpkg --print-architecture)" != arm64 ]; then
    "$top/scripts/binfmt.sh" >/dev/null
fi

# --- 1. the package --------------------------------------------------------------------------
if [ -z "$deb" ]; then
    step "viva package for $release arm64 (scripts/package.sh $release-arm64)"
    num=$([ "$release" = bookworm ] && echo 12 || echo 13)
    "$top/scripts/package.sh" "$release-arm64" >"$out/package-$release.log" 2>&1 ||
        { tail -n 30 "$out/package-$release.log"; echo "image: scripts/package.sh failed" >&2; exit 1; }
    deb=$(ls -t "$top"/build/packages/viva_*~deb${num}_arm64.deb | head -n1)
fi
[ -f "$deb" ] || { echo "image: no package $deb" >&2; exit 1; }
echo "package: $deb"

[ -n "$img" ] || img=$out/viva-$release-$board.img
work=$(dirname "$img")/work-$release-$board
root=$work/root
cleanup() {
    for m in proc sys dev/pts dev; do umount "$root/$m" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup
rm -rf "$work"
mkdir -p "$root"

# --- 2. the root -----------------------------------------------------------------------------
if [ -z "$from" ]; then
    tar=$("$here/root.sh" "$release" "$class")
    step "unpacking the base root"
    tar -C "$root" --xattrs --xattrs-include='*' -xf "$tar"
    kind=debian
else
    kind=raspios
    step "reading $from"
    src_img=$work/source.img
    case "$from" in
    *.xz) xz -dc "$from" >"$src_img" ;;
    *.gz) gzip -dc "$from" >"$src_img" ;;
    *) cp --sparse=always "$from" "$src_img" ;;
    esac
    # Its two partitions: FAT boot (1), ext4 root (2).
    read -r bstart bsize < <(sfdisk -d "$src_img" | awk -F'[=,]' '/start=/ && ++n == 1 {print $2+0, $4+0}')
    read -r rstart rsize < <(sfdisk -d "$src_img" | awk -F'[=,]' '/start=/ && ++n == 2 {print $2+0, $4+0}')
    dd if="$src_img" of="$work/src-root.ext4" bs=512 skip="$rstart" count="$rsize" status=none
    debugfs -R "rdump / $root" "$work/src-root.ext4" >/dev/null 2>&1
    mkdir -p "$root/boot/firmware"
    mcopy -s -n -i "$src_img@@$((bstart * 512))" '::*' "$root/boot/firmware/"
    rm -f "$src_img" "$work/src-root.ext4"
fi

# --- 3. customise ----------------------------------------------------------------------------
step "customising ($kind root, board $board)"
mkdir -p "$root/tmp/viva-image"
cp "$deb" "$root/tmp/viva-image/"
cp -r "$here/files" "$root/tmp/viva-image/"
cp "$here/customise.sh" "$root/tmp/viva-image/"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mv "$root/etc/resolv.conf" "$root/etc/resolv.conf.viva" 2>/dev/null || true
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The archive the root was made from, for apt to resolve viva's dependencies.
if [ "$kind" = debian ]; then
    mirror=$("$top/scripts/debian-mirror.sh")
    chroot "$root" apt-get -q -o Dpkg::Use-Pty=0 update >"$work/apt-update.log" 2>&1 ||
        { cat "$work/apt-update.log"; exit 1; }
fi
chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 VIVA_IMAGE_KIND=$kind \
    sh /tmp/viva-image/customise.sh "$board" >"$work/customise.log" 2>&1 ||
    { tail -n 40 "$work/customise.log"; echo "image: customise.sh failed (log $work/customise.log)" >&2; exit 1; }
grep '^customise:' "$work/customise.log"
rm -f "$root/etc/resolv.conf"
mv "$root/etc/resolv.conf.viva" "$root/etc/resolv.conf" 2>/dev/null || true
rm -rf "$root/tmp/viva-image"
cleanup
vuid=$(awk -F: '$1 == "viva" {print $3}' "$root/etc/passwd")
vgid=$(awk -F: '$1 == "viva" {print $4}' "$root/etc/passwd")
[ -n "$vuid" ] || { echo "image: no viva user in the root" >&2; exit 1; }

# --- 4. the image ----------------------------------------------------------------------------
step "assembling the image"
bootdir=$work/boot
mkdir -p "$bootdir"
cp -a "$root/boot/firmware/." "$bootdir/" 2>/dev/null || true
rm -rf "${root:?}/boot/firmware/"*
if [ "$class" = generic ] && [ "$kind" = debian ]; then
    # No board firmware: the kernel and initrd for whatever loads them (UEFI stub, QEMU, U-Boot).
    cp "$(ls "$root"/boot/vmlinuz-* | tail -n1)" "$bootdir/vmlinuz"
    cp "$(ls "$root"/boot/initrd.img-* | tail -n1)" "$bootdir/initrd.img"
    install -m 0644 "$here/files/viva-settings.txt" "$bootdir/viva-settings.txt"
fi
mib() { echo $(( ($1 + 1048575) / 1048576 )); }
boot_mib=256
used=$(du -s --block-size=1M "$root" | cut -f1)
# Fixed sizes and offsets in every image, so that a new image's boot and root partitions can be
# written over an old card's without touching its data partition (docs/readme/appliance.md):
# MBR 4 MiB, boot 256 MiB, root 3 GiB (room for kernel and package updates), data from 3332 MiB.
root_mib=3072
if [ $(( used * 3 / 2 )) -gt $root_mib ]; then
    echo "image: the root holds $used MiB: too much for its $root_mib MiB partition" >&2
    exit 1
fi
data_mib=256
rm -f "$img" "$img.xz"
total=$(( 4 + boot_mib + root_mib + data_mib ))
truncate -s "${total}M" "$img.part"
sfdisk --quiet "$img.part" <<EOT
label: dos
unit: sectors
start=8192, size=$((boot_mib * 2048)), type=c, bootable
start=$((8192 + boot_mib * 2048)), size=$((root_mib * 2048)), type=83
start=$((8192 + (boot_mib + root_mib) * 2048)), type=83
EOT
part_off() { sfdisk -d "$img.part" | awk -F'[=,]' -v n="$1" '/start=/ && ++i == n {print $2+0}'; }
part_len() { sfdisk -d "$img.part" | awk -F'[=,]' -v n="$1" '/start=/ && ++i == n {print $4+0}'; }
# Boot: FAT32.
rm -f "$work/boot.vfat"
mkfs.vfat -F 32 -n VIVABOOT -C "$work/boot.vfat" $(( $(part_len 1) / 2 )) >/dev/null
mcopy -s -i "$work/boot.vfat" "$bootdir"/* ::
# Root and data: ext4 with the journal, made from the directories.
mkfs.ext4 -q -F -L viva-root -d "$root" "$work/root.ext4" "$(( $(part_len 2) / 2 ))k"
mkdir -p "$work/data"
chown "$vuid:$vgid" "$work/data"
chmod 0750 "$work/data"
mkfs.ext4 -q -F -L viva-data -E root_owner="$vuid:$vgid" -d "$work/data" "$work/data.ext4" "$(( $(part_len 3) / 2 ))k"
for p in 1 2 3; do
    f=$work/$(echo "boot.vfat root.ext4 data.ext4" | cut -d' ' -f$p)
    dd if="$f" of="$img.part" bs=1M seek="$(( $(part_off $p) * 512 ))" oflag=seek_bytes conv=notrunc,sparse status=none
    rm -f "$f"
done
mv "$img.part" "$img"
rm -rf "$work"
if [ $xz = 1 ]; then
    step "compressing"
    xz -T0 -3 -k -f "$img"
    echo "image: $img.xz ($(du -h --apparent-size "$img.xz" | cut -f1) compressed, $(mib "$(stat -c %s "$img")") MiB raw; root ${used} MiB used) in $(($(date +%s) - t0)) s"
else
    echo "image: $img ($(mib "$(stat -c %s "$img")") MiB; root ${used} MiB used) in $(($(date +%s) - t0)) s"
fi
