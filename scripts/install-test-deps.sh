#!/usr/bin/env bash
# What the tests need from Debian: chromium and fonts (browser tests), postgresql (the stub on
# PostgreSQL; the tests start their own server). As root, install what is missing; otherwise
# stop at once and print the one command that does it.
set -euo pipefail

packages=(chromium fonts-dejavu-core fonts-noto-core postgresql)
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "The tests need Debian packages that are missing: ${missing[*]}" >&2
    echo "Install them once with:" >&2
    echo "    sudo sh -c '$command'" >&2
    exit 1
fi
echo "installing from Debian: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
