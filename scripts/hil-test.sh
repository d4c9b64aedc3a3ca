#!/usr/bin/env bash
# Runs vto-hal's hardware-in-the-loop tests (vto-hal/tests/hil.rs) in the QEMU VM whose
# kernel has gpio-sim: the Linux backend against the kernel's real GPIO character device.
#
#   1. prepares the VM (../shared/hil/setup.sh: idempotent, ~0.3 s when cached; needs root
#      the first time, to install packages — CI runs as root);
#   2. builds the `hil` test binary statically, in its own target directory (target/hil)
#      so the flags do not invalidate the host build;
#   3. runs it in the VM with `--ignored --test-threads=1` and exits with its status.
#
# Environment: VTO_SHARED overrides the shared directory (default: the repo's sibling
# `shared`); HIL_TIMEOUT, HIL_VERBOSE, HIL_KEEP go to run-in-vm.sh. Extra arguments are
# passed to the test binary (e.g. a test name filter).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${VTO_SHARED:-$(dirname "$REPO")/shared}"
HIL="$SHARED/hil"
TARGET_DIR="${VTO_HIL_TARGET_DIR:-$REPO/target/hil}"
TRIPLE=x86_64-unknown-linux-gnu

[[ -x "$HIL/run-in-vm.sh" ]] || {
    echo "hil-test: $HIL/run-in-vm.sh not found (set VTO_SHARED to the shared directory)" >&2
    exit 2
}

echo "==> preparing the HIL VM ($HIL/setup.sh)"
if [[ $EUID -eq 0 ]]; then
    "$HIL/setup.sh"
else
    sudo -n "$HIL/setup.sh" || {
        echo "hil-test: $HIL/setup.sh needs root the first time (run it with sudo once)" >&2
        exit 2
    }
fi

echo "==> building the hil test binary (static, $TARGET_DIR)"
cd "$REPO"
# --target keeps RUSTFLAGS away from build scripts and proc-macros.
BIN="$(
    RUSTFLAGS='-C target-feature=+crt-static' CARGO_TARGET_DIR="$TARGET_DIR" \
        cargo test -p vto-hal --no-default-features --features linux,conformance \
        --target "$TRIPLE" --test hil --no-run --message-format=json-render-diagnostics |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
)"
[[ -n "$BIN" && -x "$BIN" ]] || {
    echo "hil-test: cargo did not report the hil test executable" >&2
    exit 1
}

echo "==> running $(basename "$BIN") in the VM"
START=$SECONDS
status=0
"$HIL/run-in-vm.sh" "$BIN" --ignored --test-threads=1 "$@" || status=$?
echo "==> HIL tests finished with status $status in $((SECONDS - START)) s (boot included)"
exit "$status"
