#!/usr/bin/env bash
# Runs vto's benchmarks and prints the figures recorded in docs/performance.md.
# Absolute figures drift on shared machines: compare runs made on the same machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "==> Wiegand CPU cost (criterion)"
cargo bench --bench wiegand -- --warm-up-time 1 --measurement-time 3
echo
echo "==> Wiegand last-pulse-to-frame latency on a real clock"
cargo bench --bench wiegand_latency
