#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12, idempotently. Run as root (CI does);
# a second run only checks and returns within seconds.
#
# - the hardware-in-the-loop VM (QEMU, Debian's kernel, gpio-sim built for it) from
#   ../shared/hil/setup.sh, for the Linux backend's tests against the kernel's drivers;
# - rustfmt and clippy, which the test command runs;
# - the thumbv7em-none-eabihf standard library, to prove vto-core and vto-hal's pure parts
#   build for a microcontroller (no std).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${VTO_SHARED:-$(dirname "$ROOT")/shared}

log() { printf '[setup] %s\n' "$*"; }

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
