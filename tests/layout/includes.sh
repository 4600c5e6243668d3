#!/usr/bin/env bash
# The layout rules on this source tree, with the known exceptions beside this script.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec bash "$VIVA_SOURCE_DIR/scripts/check-includes.sh" --exceptions "$here/exceptions.txt" \
    "$VIVA_SOURCE_DIR"
