#!/usr/bin/env bash
# Runs vto's benchmarks and prints the figures recorded in docs/performance.md.
# Absolute figures drift on shared machines: compare runs made on the same machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

run() { printf '\n==> %s\n' "$1"; shift; "$@"; }
quick=(-- --warm-up-time 1 --measurement-time 3)

run "Wiegand CPU cost (criterion)" cargo bench --bench wiegand "${quick[@]}"
run "Wiegand last-pulse-to-frame latency on a real clock" cargo bench --bench wiegand_latency
run "Access decisions with 100,000 cards" cargo bench --bench access "${quick[@]}"
run "Camera snapshots (JPEG)" cargo bench --bench camera_jpeg "${quick[@]}"
run "Audio path" cargo bench --bench audio_copy "${quick[@]}"
if [[ -f benches/store.rs ]]; then
	run "Storage (SQLite)" cargo bench --bench store "${quick[@]}"
fi
run "Station start-up with 100,000 cards and 1,000,000 events" cargo bench --bench station_startup
