#!/usr/bin/env bash
# Runs every test of vto: the README's test command and CI's.
#
#   1. installs what is missing (scripts/setup.sh, apt-get as root, idempotent);
#   2. formatting and lints (clippy with every feature, warnings are errors);
#   3. unit, integration, property and doc tests of the workspace with every feature,
#      the Raspberry Pi backend included (it builds anywhere; it runs on a Pi);
#   4. vto-core and vto-hal (ehal adapters, codecs) built for a Cortex-M4 without std;
#   5. the Linux backend against the kernel's gpio-sim in the QEMU VM (scripts/hil-test.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n==> %s\n' "$*"; }
START=$SECONDS

step "setup"
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, all features)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "cargo test (workspace, all features)"
cargo test --workspace --all-features

step "vto-core and the pure parts of vto-hal without std (thumbv7em-none-eabihf)"
if rustup target list --installed 2>/dev/null | grep -qx thumbv7em-none-eabihf; then
	cargo build -p vto-core --target thumbv7em-none-eabihf
	cargo build -p vto-hal --no-default-features --features ehal --target thumbv7em-none-eabihf
else
	echo "skipped: the thumbv7em-none-eabihf target is not installed (scripts/setup.sh could not add it)"
fi

step "Linux backend in the HIL VM (gpio-sim, pty)"
scripts/hil-test.sh

printf '\nall suites passed in %d s\n' $((SECONDS - START))
