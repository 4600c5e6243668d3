#!/usr/bin/env bash
# The on-screen keyboard and "New profile", through the real program (offscreen SDL window, real
# LMDB store): arrow Down moves one row down the keyboard (not one key to the right), and a name
# that a profile already has is refused with a message instead of switching to that profile.
# In landscape (13 keys a row) Down, select, Down, select types "n0"; in portrait (7 a row)
# "ho". Four more Downs reach the bottom row (Delete, Done, Cancel), Right is Done.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
# Home: Up, Up (Profile), select; profiles: Right (from the profile in use to New profile...),
# select; the keys; Done.
# Twice: the second time the name exists.
keys='key Down
key Return
key Down
key Return
key Down
key Down
key Down
key Down
key Right
key Return'
{
    t=400
    for pass in 1 2; do
        for k in 'key Up' 'key Up' 'key Return' 'key Right' 'key Return'; do
            echo "$t $k"; t=$((t + 150))
        done
        while read -r k; do echo "$t $k"; t=$((t + 150)); done <<< "$keys"
        echo "$t screenshot pass$pass"; t=$((t + 300))
        [ $pass = 1 ] || break
        t=$((t + 600))
    done
    echo "$((t + 300)) quit"
} > "$work/script"
scale_script "$work/script" "$work/script.scaled"
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
for size in 800x480:n0 720x1280:ho; do
    dims=${size%:*} want=${size#*:}
    w=${dims%x*} h=${dims#*x}
    data=$work/data-$dims
    $VIVA_EMU "$VIVA_BIN" --data-dir "$data" --set display.width=$w --set display.height=$h \
        --set speech.enabled=false --set speech.commands=false --set audio.record=false \
        run --script "$work/script.scaled" --screenshot "$work/shots-$dims" 2> "$work/log-$dims" || true
    list=$($VIVA_EMU "$VIVA_BIN" --data-dir "$data" profiles list 2>&1 || true)
    echo "$dims profiles:"; echo "$list"
    n=$(grep -cw -- "$want" <<< "$list" || true)
    check '[ "$n" = 1 ]' "$dims: Down should move a row: expected one profile '$want' (got $n)"
    check 'grep -q "new profile .$want. refused" "$work/log-$dims"' \
        "$dims: typing the existing name '$want' again was not refused"
    [ $fail = 0 ] || cat "$work/log-$dims"
done
exit $fail
