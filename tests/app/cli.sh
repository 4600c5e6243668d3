#!/usr/bin/env bash
# Command line and configuration: --help lists the commands, --version, unknown commands and
# options, and configuration errors name file:line and the key.
set -euo pipefail
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
