#!/usr/bin/env bash
# Runs viva on SDL's offscreen driver at the smallest supported screen (800x480), full HD and
# portrait, walks through every screen with a script (home, question, answer, review, summary,
# progress, settings, profiles, the on-screen keyboard, the two error screens, and the recovery
# screen of a damaged store with its confirmation and details pages) and checks
# each PNG: right size, and text drawn (bright pixels) where the screen puts its text.
# Screenshots are left in ./screenshots for people to look at.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
export SDL_VIDEODRIVER=offscreen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
if [ -n "${VIVA_EMU:-}" ]; then
    # Under qemu the recogniser runs 10-20 times slower and would take most of this test's
    # time: answer feedback is off here (it is tested natively and in tests/feedback).
    mkdir -p "$XDG_CONFIG_HOME/viva"
    printf '[feedback]\nenabled = false\n' >"$XDG_CONFIG_HOME/viva/viva.conf"
fi
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/mic.raw TEST_SPK_WAV=$work/speaker.wav
# A tone that swells and fades like speech, long enough that the answer runs until the script
# ends it (a steady tone would become the detector's noise floor and end the answer).
if command -v sox >/dev/null; then
    sox -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$TEST_MIC_RAW" synth 300 sine 300 tremolo 1.5 80 vol 0.3
else
    head -c 9600000 /dev/urandom > "$TEST_MIC_RAW"
fi
mkdir -p screenshots
# Home -> start -> question -> answer -> review -> grade -> stop -> summary -> home -> progress
# -> home -> settings -> home -> profile -> profiles -> new profile -> keyboard (types "aa" with
# the on-screen keys, then "bo" on the keyboard, and Enter: profile "aabo") -> home.
cat > "$work/tour" <<'EOS'
200  screenshot home
300  key Return
600  screenshot question
700  key Return
760  screenshot answer
1100 key Return
1600 screenshot review
1700 key 2
1900 key Return
2000 key Escape
2300 screenshot summary
2400 key Return
2500 key Down
2600 key Down
2700 key Return
3100 screenshot progress
3200 key Escape
3300 key Down
3400 key Down
3500 key Down
3600 key Return
3900 screenshot settings
4000 key Escape
4100 key Up
4200 key Up
4300 key Return
4600 screenshot profiles
4700 key Down
4800 key Return
4900 key Return
5000 key Return
5300 screenshot keyboard
5400 type bo
5500 key Return
5800 screenshot home-new-profile
5900 quit
EOS
printf '200 key Return\n700 screenshot error-mic\n800 quit\n' > "$work/nomic"
printf '400 screenshot error-storage\n500 quit\n' > "$work/nostore"
printf '%s\n' '300 screenshot recover' '600 key Left' '900 key Return' '1400 screenshot recover-details' \
    '1700 key Escape' '2000 key Return' '2500 screenshot recover-confirm' '2800 quit' > "$work/damaged"
# The scripts' times grow with the suite's time scale (tests/timescale.sh).
scale_script "$work/tour" "$work/tour.scaled" && mv "$work/tour.scaled" "$work/tour"
scale_script "$work/nomic" "$work/nomic.scaled" && mv "$work/nomic.scaled" "$work/nomic"
scale_script "$work/nostore" "$work/nostore.scaled" && mv "$work/nostore.scaled" "$work/nostore"
scale_script "$work/damaged" "$work/damaged.scaled" && mv "$work/damaged.scaled" "$work/damaged"
touch "$work/not-a-directory"
fail=0
common="--set session.think_seconds=30 --set session.answer_seconds=600 --set audio.silence_seconds=30
        --set speech.enabled=false --set speech.commands=false --set audio.input=test_mic
        --set audio.output=test_spk"
for size in 800x480 1920x1080 480x800; do
    w=${size%x*} h=${size#*x}
    out=$work/$size
    # shellcheck disable=SC2086
    {
        $VIVA_EMU "$VIVA_BIN" --data-dir "$work/data-$size" $common --set display.width=$w \
            --set display.height=$h run --seed 7 --script "$work/tour" --screenshot "$out"
        $VIVA_EMU "$VIVA_BIN" --data-dir "$work/data-$size" $common --set display.width=$w \
            --set display.height=$h --set audio.input=no-such-microphone run \
            --script "$work/nomic" --screenshot "$out"
        $VIVA_EMU "$VIVA_BIN" --data-dir "$work/not-a-directory" $common --set display.width=$w \
            --set display.height=$h run --script "$work/nostore" --screenshot "$out"
        # A truncated store with a backup: the recovery screen (tests/ui/test_recover.sh
        # restores it; here it is only looked at).
        dmg=$work/damaged-$size
        $VIVA_EMU "$VIVA_BIN" --data-dir "$dmg" profiles add ada >/dev/null
        $VIVA_EMU "$VIVA_BIN" --data-dir "$dmg" backup "$dmg/backups/20261206-120000-s000001" >/dev/null
        head -c 20000 "$dmg/data.mdb" > "$work/cut" && mv "$work/cut" "$dmg/data.mdb"
        $VIVA_EMU "$VIVA_BIN" --data-dir "$dmg" $common --set display.width=$w \
            --set display.height=$h run --script "$work/damaged" --screenshot "$out"
    } 2> "$work/log-$size" || { echo "FAIL: viva failed at $size"; fail=1; }
    grep -E "screen:|screenshot|error|warning" "$work/log-$size" || true
    profiles=$($VIVA_EMU "$VIVA_BIN" --data-dir "$work/data-$size" profiles 2>&1 || true)
    echo "$profiles" | grep -q '^aabo ' || { echo "FAIL: profile 'aabo' was not made at $size: $profiles"; fail=1; }
    for shot in home question answer review summary progress settings profiles keyboard \
        home-new-profile error-mic error-storage recover recover-details recover-confirm; do
        if [ ! -f "$out/$shot.png" ]; then
            echo "FAIL: no $shot screenshot at $size"; fail=1; continue
        fi
        cp "$out/$shot.png" "screenshots/$shot-$size.png"
        # Where the screen's main text is: the question text for the question screens (not the
        # band below the header), the upper part of the screen for the others.
        case $shot in
        question|answer)
            if [ "$h" -gt "$w" ]; then region="0.04 0.15 0.96 0.55"; else region="0.02 0.15 0.70 0.85"; fi ;;
        *) region="0.02 0.02 0.98 0.60" ;;
        esac
        read -r pw ph bright < <($VIVA_EMU "$PNG_PROBE" "$out/$shot.png" $region)
        echo "$shot $size: ${pw}x${ph}, text pixels ${bright} per mille"
        if [ "$pw" != "$w" ] || [ "$ph" != "$h" ]; then
            echo "FAIL: $shot at $size has size ${pw}x${ph}"; fail=1
        fi
        if [ "$bright" -lt 8 ]; then  # a blank area reads 0; one short line about 15
            echo "FAIL: $shot at $size shows no text"; fail=1
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
