#!/usr/bin/env bash
# Runs vto-hal's hardware-in-the-loop tests in the QEMU VM of ../shared/hil, against the
# kernel's own drivers: gpio-sim (tests/hil.rs, the Linux GPIO backend), vivid
# (tests/hil_camera.rs, the V4L2 camera) and snd-aloop (tests/hil_audio.rs, ALSA audio), and
# the whole station on the Linux backend (vto-app/tests/hil_station.rs).
#
#   1. prepares the VM (../shared/hil/setup.sh: idempotent, ~0.3 s when cached; needs root
#      the first time, to install packages — CI runs as root);
#   2. builds each suite's test binary in its own target directory (target/hil/<link>)
#      so the flags do not invalidate the host build;
#   3. runs each in a fresh VM with `--ignored --test-threads=1`; exits non-zero if any
#      suite failed.
#
# Environment: VTO_SHARED overrides the shared directory (default: the repo's sibling
# `shared`); HIL_TIMEOUT, HIL_VERBOSE, HIL_KEEP go to run-in-vm.sh. Extra arguments are
# passed to the test binaries (e.g. a test name filter); HIL_SUITE=hil_camera runs one suite.
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

cd "$REPO"
# One VM boot per suite: "package|test target|features|link mode". The GPIO suite is linked
# statically; the media suites link dynamically because ALSA's libasound is a shared
# library (the VM sees the host's /usr, so its libraries are there).
SUITES=(
    "vto-hal|hil|linux,conformance|static"
    "vto-hal|hil_camera|v4l,sim|dynamic"
    "vto-hal|hil_audio|alsa,sim|dynamic"
    "vto-app|hil_station|linux|dynamic"
)

# Builds one suite's test binary and prints its path.
build_suite() {
    local package=$1 target=$2 features=$3 link=$4 flags=""
    [[ $link == static ]] && flags='-C target-feature=+crt-static'
    # --target keeps RUSTFLAGS away from build scripts and proc-macros.
    RUSTFLAGS="$flags" CARGO_TARGET_DIR="$TARGET_DIR/$link" \
        cargo test -p "$package" --no-default-features --features "$features" \
        --target "$TRIPLE" --test "$target" --no-run --message-format=json-render-diagnostics |
        grep -F "\"name\":\"$target\"" |
        sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1
}

status=0
for suite in "${SUITES[@]}"; do
    IFS='|' read -r package target features link <<<"$suite"
    if [[ -n ${HIL_SUITE:-} && $HIL_SUITE != "$target" ]]; then
        continue
    fi
    echo "==> building the $target test binary ($link, features $features)"
    BIN="$(build_suite "$package" "$target" "$features" "$link")"
    [[ -n "$BIN" && -x "$BIN" ]] || {
        echo "hil-test: cargo did not report the $target test executable" >&2
        exit 1
    }
    echo "==> running $(basename "$BIN") in the VM"
    START=$SECONDS
    suite_status=0
    "$HIL/run-in-vm.sh" "$BIN" --ignored --test-threads=1 "$@" || suite_status=$?
    echo "==> $target finished with status $suite_status in $((SECONDS - START)) s (boot included)"
    [[ $suite_status -eq 0 ]] || status=$suite_status
done
exit "$status"
