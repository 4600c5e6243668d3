#!/usr/bin/env bash
# Runs viva on SDL's offscreen driver at the smallest supported screen (800x480), full HD and
# portrait, takes a screenshot of the question screen through a script, and checks each PNG:
# right size, and question text drawn (bright pixels) in the question area but not in the
# empty band below the header. Screenshots are left in ./screenshots for people to look at.
set -euo pipefail
export SDL_VIDEODRIVER=offscreen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
mkdir -p screenshots
cat > "$work/script" <<'EOS'
200 screenshot question
400 key Return
600 screenshot answer
800 quit
EOS
fail=0
for size in 800x480 1920x1080 480x800; do
    w=${size%x*} h=${size#*x}
    out=$work/$size
    $VIVA_EMU "$VIVA_BIN" --set display.width=$w --set display.height=$h run --seed 7 \
        --script "$work/script" --screenshot "$out"
    for shot in question answer; do
        cp "$out/$shot.png" "screenshots/$shot-$size.png"
        if [ "$h" -gt "$w" ]; then region="0.04 0.15 0.96 0.55"; else region="0.02 0.15 0.70 0.85"; fi
        read -r pw ph bright < <($VIVA_EMU "$PNG_PROBE" "$out/$shot.png" $region)
        echo "$shot $size: ${pw}x${ph}, text pixels ${bright} per mille"
        if [ "$pw" != "$w" ] || [ "$ph" != "$h" ]; then
            echo "FAIL: $shot at $size has size ${pw}x${ph}"; fail=1
        fi
        if [ "$bright" -lt 8 ]; then  # a blank area reads 0; one short line about 15
            echo "FAIL: $shot at $size shows no question text"; fail=1
        fi
    done
done
# With no display at all, viva must refuse with a message naming the fix and exit code 3.
set +e
msg=$(SDL_VIDEODRIVER=x11 DISPLAY=:nonexistent $VIVA_EMU "$VIVA_BIN" run 2>&1)
rc=$?
set -e
echo "no display: exit $rc: $msg"
[ "$rc" -eq 3 ] || { echo "FAIL: expected exit 3 without a display"; fail=1; }
echo "$msg" | grep -q kmsdrm || { echo "FAIL: message does not name kmsdrm"; fail=1; }
# With no driver named and no display, SDL's invisible offscreen fallback is not a display.
set +e
msg=$(env -u SDL_VIDEODRIVER -u DISPLAY -u WAYLAND_DISPLAY $VIVA_EMU "$VIVA_BIN" run 2>&1)
rc=$?
set -e
echo "no driver named: exit $rc: $msg"
[ "$rc" -eq 3 ] || { echo "FAIL: expected exit 3 with no display and no driver named"; fail=1; }
[ $fail -eq 0 ] && echo "screenshots: 1 passed, 0 failed" || echo "screenshots: 0 passed, 1 failed"
exit $fail
