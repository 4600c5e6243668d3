#!/usr/bin/env bash
# Notices from outside (VIVA_NOTICE_FILE; on the image, the settings script's list of bad lines in
# the owner's settings file): viva logs them and shows them on its first screen, one line of
# text; an empty file shows nothing; a missing file is no error.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
printf '1500 screenshot first\n1800 quit\n' >"$work/script"
scale_script "$work/script" "$work/script.scaled"
show() { # notice file (may be absent), log
    VIVA_NOTICE_FILE=$1 $VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" --set speech.enabled=false \
        --set speech.commands=false --set display.width=800 --set display.height=480 \
        run --script "$work/script.scaled" --screenshot "$work/shots" 2>"$2"
}
printf 'settings line 4 (timezone = Mars/Olympus): no such time zone\nsettings line 9 (wifi_password): a WPA password has 8 to 63 characters, this one 3\n' \
    >"$work/notices"
show "$work/notices" "$work/log1"
cat "$work/log1"
check 'grep -q "notice from $work/notices: settings line 4 (timezone = Mars/Olympus): no such time zone settings line 9" "$work/log1"' \
    "the notices were not logged as one line"
check '[ -s "$work/shots/first.png" ]' "no screenshot of the first screen"
# The same screen without the notice: the notice changed what is drawn.
: >"$work/empty"
mkdir -p "$work/shots1" && cp "$work/shots/first.png" "$work/shots1/"
show "$work/empty" "$work/log2"
check '! grep -q "notice from" "$work/log2"' "an empty notice file was shown"
check '! cmp -s "$work/shots/first.png" "$work/shots1/first.png"' \
    "the first screen looks the same with and without the notice"
show "$work/absent" "$work/log3"
check '! grep -qi "notice from\|error" "$work/log3"' "a missing notice file was reported"
[ $fail -eq 0 ] && echo "notice file: 1 passed, 0 failed" || echo "notice file: 0 passed, 1 failed"
exit $fail
