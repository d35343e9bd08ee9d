#!/usr/bin/env bash
# The test suite: formatting, lints, and every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --release --quiet
