#!/usr/bin/env bash
# The manual page, `viva run --help` and the README agree: the built man page carries the
# project's version, names every command of src/cli/commands.def and every configuration
# section of src/app/config.def, and the keys `viva run --help` lists are named in the README's
# key paragraph and the man page's USING IT section.
set -euo pipefail
man=${VIVA_MAN_PAGE:?}
src=$VIVA_SOURCE_DIR
fail=0
bad() { echo "FAIL: $1"; fail=1; }
[ -s "$man" ] || { echo "FAIL: no built man page at $man"; exit 1; }
# Version: from CMake, not written by hand.
grep -q "^\.TH VIVA 1 \"[^\"]*\" \"viva $VIVA_VERSION\"" "$man" ||
    bad "the man page's .TH line does not say viva $VIVA_VERSION: $(grep '^\.TH' "$man")"
grep -q '@PROJECT_VERSION@' "$man" && bad "the version placeholder was not filled in"
# Every subcommand, as a bold command word at the start of an item or in the text.
n=0
for cmd in $(sed -n 's/^CMD(\([a-z_]*\),.*/\1/p' "$src/src/cli/commands.def"); do
    n=$((n + 1))
    grep -qE "^\.B $cmd( |\$)|\\\\fB$cmd( |\\\\)" "$man" || bad "the man page does not name the command '$cmd'"
done
[ "$n" -ge 10 ] || bad "only $n commands read from commands.def"
echo "commands checked: $n"
# Every configuration section, as [section].
n=0
for sec in $(grep -oE '^CFG_[A-Z_]+\(([a-z_]+)' "$src/src/app/config.def" | sed 's/.*(//' | sort -u); do
    n=$((n + 1))
    grep -qF "[$sec]" "$man" || bad "the man page does not name the configuration section [$sec]"
done
[ "$n" -ge 8 ] || bad "only $n sections read from config.def"
echo "sections checked: $n"
# The keys: every key `viva run --help` names is in the README's and the man page's key text.
help=$(${VIVA_EMU:-} "$VIVA_BIN" run --help)
grep -q "Esc = quit" <<< "$help" && bad "run --help still says 'Esc = quit'"
readme_keys=$(awk '/Everything works with three buttons/,/list the same keys/' "$src/README.md")
man_keys=$(awk '/^\.SH USING IT/,/^\.PP/' "$man")
[ -n "$readme_keys" ] || bad "the README's key paragraph was not found"
for key in Left Up PageUp Right Down PageDown Enter Space period Esc Backspace 0-3 P B T C R; do
    grep -qw -- "$key" <<< "$help" || bad "run --help does not name the key $key"
    grep -qw -- "$key" <<< "$readme_keys" || bad "the README's key paragraph does not name $key"
    grep -qw -- "$key" <<< "${man_keys//\\-/-}" || bad "the man page's USING IT does not name $key"
done
exit $fail
