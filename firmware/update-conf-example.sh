#!/bin/sh
# update-conf-example.sh VIVA_BIN: rewrite firmware/viva.conf.example after config.def changed:
# the comment header is kept, the rest is replaced by `viva config --defaults`.
set -eu
bin=${1:?usage: update-conf-example.sh path/to/viva}
here=$(cd "$(dirname "$0")" && pwd)
example="$here/viva.conf.example"
tmp="$example.tmp"
sed -n '/^\[/q;p' "$example" > "$tmp"
${VIVA_EMU:-} "$bin" config --defaults >> "$tmp"
mv "$tmp" "$example"
echo "updated $example"
