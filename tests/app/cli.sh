#!/usr/bin/env bash
# Command line and configuration: --help lists the commands, --version, unknown commands and
# options, and configuration errors name file:line and the key.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config
viva() { $VIVA_EMU "$VIVA_BIN" "$@"; }
fail=0
expect() { # exit-code pattern command...
    local want=$1 pat=$2 out rc
    shift 2
    set +e
    out=$("$@" 2>&1)
    rc=$?
    set -e
    if [ "$rc" != "$want" ] || ! grep -q -- "$pat" <<<"$out"; then
        echo "FAIL: '$*' gave exit $rc (want $want), output:"
        echo "$out" | head -5
        fail=1
    else
        echo "ok: $* -> $rc"
    fi
}
expect 0 "run " viva --help
expect 0 "import" viva --help
expect 0 "^viva [0-9]" viva --version
expect 2 "'frobnicate' is not a viva command" viva frobnicate
expect 2 "--set session.nope: unknown key" viva --set session.nope=1 config
expect 2 "session.think_seconds: 900 is out of range" viva --set session.think_seconds=900 config
mkdir -p "$work/config/viva"
printf '[session]\nquestions = 12\n\n[display]\nfullscreen = maybe\n' > "$work/config/viva/viva.conf"
expect 2 "viva.conf:5: display.fullscreen: 'maybe' is not true or false" viva config
printf '[session]\nquestions = 12\n[nosuch]\nkey = 1\n' > "$work/config/viva/viva.conf"
expect 2 "viva.conf:4: nosuch.key: unknown section" viva config
printf '[session]\nquestions = 12\n' > "$work/config/viva/viva.conf"
expect 0 "questions = 12" viva config
expect 0 "questions = 7" viva --set session.questions=7 config
# The example configuration is what `viva config --defaults` prints, and it loads cleanly.
viva config --defaults > "$work/defaults.conf"
expect 0 "questions = 10" viva --config "$work/defaults.conf" config --defaults
expect 2 "cannot open" viva --config "$work/missing.conf" config
# The loader reads regular files only, and no more than 64 KiB: a device or FIFO is refused at
# once (timeout: the old loader waited on a FIFO and read /dev/zero for ever).
expect 2 "/dev/zero: a character device: the configuration must be a regular file" \
    timeout "$(scaled 20)" $VIVA_EMU "$VIVA_BIN" --config /dev/zero config
mkfifo "$work/fifo.conf"
expect 2 "fifo.conf: a FIFO: the configuration must be a regular file" \
    timeout "$(scaled 20)" $VIVA_EMU "$VIVA_BIN" --config "$work/fifo.conf" config
head -c 70000 /dev/zero | tr '\0' ';' > "$work/big.conf"
expect 2 "big.conf: larger than 64 KiB" viva --config "$work/big.conf" config
expect 2 "is a directory\|a directory: the configuration" viva --config "$work" config
# A NUL byte is refused with its line (it used to cut the value silently).
printf '[session]\nquestions = 12\n[data]\ndir = /tmp/a\0b\n' > "$work/nul.conf"
expect 2 "nul.conf:4: NUL byte" viva --config "$work/nul.conf" config
printf '[session]\ntopic = caf\351\n' > "$work/latin1.conf"
expect 2 "latin1.conf:2: invalid UTF-8" viva --config "$work/latin1.conf" config
# An unclosed section is named as such, at its line.
printf '; comment\n[session\nquestions = 12\n' > "$work/unclosed.conf"
expect 2 "unclosed.conf:2: unclosed section '\[session'" viva --config "$work/unclosed.conf" config
# A long value is blamed on its own line (inih's line buffer used to split it into lines that
# do not exist), and the rest of the file keeps its line numbers.
{ printf '[session]\ntopic = '; head -c 5000 /dev/zero | tr '\0' x; printf '\nquestions = 999\n'; } \
    > "$work/long.conf"
expect 2 "long.conf:2: session.topic: value is longer than 255 bytes" viva --config "$work/long.conf" config
{ printf '[session]\n; '; head -c 5000 /dev/zero | tr '\0' x; printf '\nquestions = 999\n'; } \
    > "$work/longc.conf"
expect 2 "longc.conf:3: session.questions: 999 is out of range" viva --config "$work/longc.conf" config
# Comments, "key: value", CRLF, inline comments and indentation keep working.
printf '# c\r\n[session]\r\n  questions: 13 ; inline\r\n' > "$work/crlf.conf"
expect 0 "questions = 13" viva --config "$work/crlf.conf" config
# The rotation rule lives in the table: `viva config` refuses what `viva run` would.
printf '[display]\nrotation = 45\n' > "$work/rot.conf"
expect 2 "rot.conf:2: display.rotation: 45 is not a multiple of 90" viva --config "$work/rot.conf" config
expect 2 "display.rotation: 45 is not a multiple of 90" viva --config "$work/rot.conf" run
expect 2 "--set display.rotation: 100 is not a multiple of 90" viva --set display.rotation=100 config
expect 0 "rotation = 270" viva --set display.rotation=270 config
# An empty --data-dir is refused rather than silently replaced by the default.
expect 2 "--data-dir: the path is empty" viva --data-dir "" config
# Every configuration key is documented in the README's configuration table.
if [ -f "$VIVA_SOURCE_DIR/README.md" ]; then
    section=
    while IFS= read -r line; do
        case "$line" in
        \;*) ;;
        \[*\]) section=${line#[}; section=${section%]} ;;
        *" = "*)
            key="$section.${line%% = *}"
            grep -q -- "$key" "$VIVA_SOURCE_DIR/README.md" ||
                { echo "FAIL: README.md does not document $key"; fail=1; }
            ;;
        esac
    done < "$work/defaults.conf"
fi
exit $fail
