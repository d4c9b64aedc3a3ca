#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12, idempotently. Run as root (CI does);
# a second run only checks and returns within seconds.
#
# - the hardware-in-the-loop VM (QEMU, Debian's kernel, gpio-sim built for it) from
#   ../shared/hil/setup.sh, for the Linux backend's tests against the kernel's drivers;
# - Debian packages the optional backends build against: libasound2-dev (ALSA, feature
#   `alsa`), libclang-dev and linux-libc-dev (the v4l crate generates its V4L2 bindings
#   with bindgen, feature `v4l`), pkg-config;
# - rustfmt and clippy, which the test command runs;
# - the thumbv7em-none-eabihf standard library, to prove vto-core and vto-hal's pure parts
#   build for a microcontroller (no std).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${VTO_SHARED:-$(dirname "$ROOT")/shared}

log() { printf '[setup] %s\n' "$*"; }

# Debian packages: installed only when one is missing, so a second run stays fast.
PACKAGES=(pkg-config libasound2-dev libclang-dev linux-libc-dev)
missing=()
for pkg in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
	log "installing ${missing[*]}"
	SUDO=""
	[[ $(id -u) -eq 0 ]] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
	log "adding rustfmt and clippy"
	rustup component add rustfmt clippy
fi

if ! rustup target list --installed 2>/dev/null | grep -qx thumbv7em-none-eabihf; then
	log "adding the thumbv7em-none-eabihf target"
	rustup target add thumbv7em-none-eabihf || log "warning: thumbv7em-none-eabihf unavailable; the no_std build will be skipped"
fi

[[ -x $SHARED/hil/setup.sh ]] || { echo "error: $SHARED/hil/setup.sh not found; set VTO_SHARED to the shared/ directory" >&2; exit 1; }
if [[ $(id -u) -eq 0 ]]; then
	"$SHARED/hil/setup.sh"
else
	sudo "$SHARED/hil/setup.sh"
fi
