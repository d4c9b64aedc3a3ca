#!/usr/bin/env bash
# Installs what the test suite needs on Debian 12, idempotently. Run as root (CI does);
# a second run only checks and returns within seconds.
#
# - the hardware-in-the-loop VM (QEMU, Debian's kernel, gpio-sim built for it) from
#   ../shared/hil/setup.sh, for the Linux backend's tests against the kernel's drivers;
# - rustfmt and clippy, which the test command runs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${VTO_SHARED:-$(dirname "$ROOT")/shared}

log() { printf '[setup] %s\n' "$*"; }

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
	log "adding rustfmt and clippy"
	rustup component add rustfmt clippy
fi

[[ -x $SHARED/hil/setup.sh ]] || { echo "error: $SHARED/hil/setup.sh not found; set VTO_SHARED to the shared/ directory" >&2; exit 1; }
if [[ $(id -u) -eq 0 ]]; then
	"$SHARED/hil/setup.sh"
else
	sudo -n "$SHARED/hil/setup.sh"
fi
