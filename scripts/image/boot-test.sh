#!/usr/bin/env bash
# boot-test.sh: boot the viva image under qemu-system-aarch64 and check it (./setup.sh boot-test).
#   scripts/image/boot-test.sh [--short] [--image IMG] [--power-offs N]
#   default IMG: build/image/viva-bookworm-pi4.img (made by ./setup.sh image; an .img.xz is
#   unpacked first). --short: boot, READY, home, one power-off (the form ./setup.sh test runs);
#   the full form: ten power-offs. Works on a copy; the image stays as it was.
# What is checked and how: scripts/image/boot_test.py. Work files, serial logs and the
# screendumps (home.png) go to build/image/boot-test/. VIVA_TEST_TIME_SCALE stretches every wait.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
img=$top/build/image/viva-bookworm-pi4.img
args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --image) img=${2:?}; shift 2 ;;
    --short) args+=(--short); shift ;;
    --power-offs) args+=(--power-offs "${2:?}"); shift 2 ;;
    *) echo "usage: boot-test.sh [--short] [--image IMG] [--power-offs N]" >&2; exit 2 ;;
    esac
done
command -v qemu-system-aarch64 >/dev/null || { echo "boot-test: SKIP: qemu-system-aarch64 is not installed (scripts/deps/image.txt)"; exit 77; }
if [ ! -f "$img" ] && [ -f "$img.xz" ]; then
    xz -dk "$img.xz"
fi
[ -f "$img" ] || { echo "boot-test: no image $img: run ./setup.sh image first" >&2; exit 1; }
work=${VIVA_BOOT_TEST_DIR:-$top/build/image/boot-test}
exec /usr/bin/python3 "$here/boot_test.py" --image "$img" --work "$work" "${args[@]}"
