#!/usr/bin/env bash
# The test suite: formatting, lints, and every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
# Profile `ci` is `release` with thin LTO (Cargo.toml): the tests run optimised code without
# a fat-LTO link per test binary.
cargo test --profile ci --quiet 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over all test binaries (cargo's own last line is the doc-test binary's).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
