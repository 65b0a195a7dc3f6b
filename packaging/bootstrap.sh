#!/bin/sh
# Installs what wharf needs to build, run and test on Debian 12, from
# Debian's own packages. Idempotent: installs only what is missing, and
# does nothing (not even apt-get update) when everything is there.
# Runs as root, or through sudo when there is one.
set -eu

PACKAGES="
build-essential cmake pkg-config
libncurses-dev libpq-dev libusb-1.0-0-dev libzint-dev libcurl4-openssl-dev
libjansson-dev libssl-dev zlib1g-dev libcairo2-dev libpango1.0-dev
libcups2-dev libmicrohttpd-dev gettext fonts-wqy-microhei
postgresql-15 postgresql-client-15
libcmocka-dev tmux zbar-tools dmtx-utils umockdev libumockdev-dev
clang libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "bootstrap: all build and test dependencies are installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		exec sudo "$0" "$@"
	fi
	echo "bootstrap: missing packages:$missing" >&2
	echo "bootstrap: run this script as root to install them" >&2
	exit 1
fi

echo "bootstrap: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting is the point
apt-get install -y -qq --no-install-recommends $missing
