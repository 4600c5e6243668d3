#!/usr/bin/env bash
# debian-mirror.sh: print the machine's Debian mirror (the first Debian URI in its apt sources,
# not the security archive), for mmdebstrap. VIVA_DEBIAN_MIRROR overrides it.
set -euo pipefail
if [ -n "${VIVA_DEBIAN_MIRROR:-}" ]; then
    echo "$VIVA_DEBIAN_MIRROR"
    exit 0
fi
mirror=$(grep -hE '^\s*(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
             /etc/apt/sources.list.d/*.sources 2>/dev/null |
         grep -oE '(https?|file)://[^ ]+' | grep -v -- '-security' | grep -i debian | head -n1 || true)
if [ -z "$mirror" ]; then
    echo "debian-mirror: no Debian mirror in /etc/apt/sources.list*; set VIVA_DEBIAN_MIRROR" >&2
    exit 1
fi
echo "$mirror"
