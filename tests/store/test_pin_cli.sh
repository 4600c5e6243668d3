#!/usr/bin/env bash
# `viva profiles pin NAME [--clear]` and `viva export` of a profile with a PIN, on a real
# store: the PIN is read twice, must be 4-8 digits; export refuses without it or with a wrong
# one (writing nothing), works with it from stdin or --pin-file; five wrong PINs start a delay
# that a second run still sees; --clear and removing the profile remove it.
set -uo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config VIVA_ASSET_DIR=${VIVA_ASSET_DIR:-$VIVA_SOURCE_DIR/assets}
viva() { $VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" "$@"; }
fail=0
expect() { # exit-code pattern stdin command...
    local want=$1 pat=$2 in=$3 out rc
    shift 3
    out=$(printf '%b' "$in" | "$@" 2>&1)
    rc=$?
    if [ "$rc" != "$want" ] || ! grep -q -- "$pat" <<<"$out"; then
        echo "FAIL: '$*' <<< '$in' gave exit $rc (want $want, /$pat/), output:"
        echo "$out" | head -5
        fail=1
    else
        echo "ok: $* -> $rc"
    fi
}
viva profiles add ada >/dev/null
viva profiles add bob >/dev/null
expect 0 "exported 0 answers" "" viva export --profile ada --out "$work/e0"
expect 2 "usage: viva profiles" "" viva profiles pin
expect 2 "no profile named 'nobody'" "1234\n1234\n" viva profiles pin nobody
expect 2 "4 to 8 digits" "12\n12\n" viva profiles pin ada
expect 2 "4 to 8 digits" "12a45\n12a45\n" viva profiles pin ada
expect 2 "4 to 8 digits" "123456789\n123456789\n" viva profiles pin ada
expect 2 "the two PINs differ" "2468\n2469\n" viva profiles pin ada
expect 2 "no PIN was given" "" viva profiles pin ada
expect 0 "set the PIN of 'ada'" "2468\n2468\n" viva profiles pin ada

# Export asks for it; refused, it writes nothing.
expect 2 "has a PIN; give it on stdin or with --pin-file" "" viva export --profile ada --out "$work/e1"
expect 1 "wrong PIN" "1111\n" viva export --profile ada --out "$work/e1"
[ ! -e "$work/e1" ] || { echo "FAIL: a refused export wrote $work/e1"; fail=1; }
expect 0 "exported 0 answers" "2468\n" viva export --profile ada --out "$work/e2"
printf '2468\n' > "$work/pin.txt"
expect 0 "exported 0 answers" "" viva export --profile ada --out "$work/e3" --pin-file "$work/pin.txt"
expect 2 "cannot open" "" viva export --profile ada --out "$work/e4" --pin-file "$work/none.txt"
expect 0 "exported 0 answers" "" viva export --profile bob --out "$work/e5" # no PIN: no question

# Five wrong PINs in a row: the sixth attempt, even the right PIN, waits (also in a new run).
for i in 1 2 3 4 5; do
    expect 1 "wrong PIN" "0000\n" viva export --profile ada --out "$work/e6"
done
# Each wrong PIN costs an argon2id check, slow under qemu on a loaded machine: the delay may
# already have run a second or more when it is reported.
expect 1 "too many wrong PINs for 'ada'; try again in \(30\|[12][0-9]\) s" "2468\n" viva export --profile ada --out "$work/e6"
[ ! -e "$work/e6" ] || { echo "FAIL: a refused export wrote $work/e6"; fail=1; }

# Setting it again starts the count again; --clear removes it.
expect 0 "set the PIN" "13579\n13579\n" viva profiles pin ada
expect 0 "exported" "13579\n" viva export --profile ada --out "$work/e7"
expect 0 "cleared the PIN of 'ada'" "" viva profiles pin ada --clear
expect 0 "has no PIN" "" viva profiles pin ada --clear
expect 0 "exported 0 answers" "" viva export --profile ada --out "$work/e8"

# Removing a profile removes its PIN: a new profile of the same name has none.
expect 0 "set the PIN" "8642\n8642\n" viva profiles pin bob
expect 0 "removed profile 'bob'" "" viva profiles remove bob
viva profiles add bob >/dev/null
expect 0 "exported 0 answers" "" viva export --profile bob --out "$work/e9"

# The kiosk (a real viva run on SDL's offscreen driver): two profiles, so the profile screen
# comes first; choosing the one in use, which has a PIN, asks for it before home; the right PIN
# typed on the keyboard opens it.
expect 0 "set the PIN" "2468\n2468\n" viva profiles pin ada
cat > "$work/script" <<'EOS'
200 key 1
250 key Return
300 key BackSpace
350 key 2
400 key 4
450 key 6
500 key 8
550 key Return
900 quit
EOS
export SDL_VIDEODRIVER=offscreen
scale_script "$work/script" "$work/script.scaled"
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
# SDL, fontconfig and ALSA load modules whose one-off allocations LeakSanitizer cannot
# attribute (as in tests/ui): no leak report for this whole-program run only.
log=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 viva --set session.profile=ada --set speech.enabled=false --set speech.commands=false \
    --set feedback.enabled=false run --script "$work/script.scaled" 2>&1)
rc=$?
if [ $rc = 3 ]; then
    echo "skipped the kiosk part: no display"
else
    screens=$(grep -o "screen: [a-z]*\|the right PIN\|a wrong PIN" <<<"$log" | tr '\n' ',')
    if [ $rc != 0 ] || [ "$screens" != "screen: home,screen: profiles,screen: pin,the right PIN,screen: home," ]; then
        echo "FAIL: the kiosk gave exit $rc and $screens"; echo "$log" | tail -5; fail=1
    else
        echo "ok: the kiosk asks for the PIN before home: $screens"
    fi
fi
exit $fail
