#!/usr/bin/env bash
# Sentence splitter throughput, side by side: gristmill's splitter alone (release binary,
# `gristmill split --bench`, one thread, one call per document) and sentencex through its
# Python binding (`eval_sbd.py speed`), on the text of the wcxb-dev ground truths.
#
# Usage: bench/sbd_speed.sh [LANG]   (default en)
# Env:   SHARED (default ../shared), VENV (default /tmp/sbdvenv), WORK (default /tmp/sbd-speed),
#        ROUNDS (passes over the corpus for gristmill, default 5)
# The virtualenv lives outside the project; it is created on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
LANG_CODE="${1:-en}"
SHARED="${SHARED:-../shared}"
VENV="${VENV:-/tmp/sbdvenv}"
WORK="${WORK:-/tmp/sbd-speed}"
ROUNDS="${ROUNDS:-5}"
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import sentencex, pysbd" 2>/dev/null; then
    "$VENV/bin/pip" install -q sentencex pysbd
fi

CORPUS="$WORK/wcxb-dev.txt"
if [ ! -s "$CORPUS" ]; then
    python3 "$SHARED/tools/eval_sbd.py" corpus --dir "$SHARED/bench/wcxb-dev/ground-truth" --out "$CORPUS"
fi

cargo build --release -q
BIN=target/release/gristmill

ours=$("$BIN" split --bench --rounds "$ROUNDS" --lang "$LANG_CODE" < "$CORPUS")
theirs=$("$VENV/bin/python" "$SHARED/tools/eval_sbd.py" speed --splitter sentencex --lang "$LANG_CODE" --text "$CORPUS")

python3 - "$ours" "$theirs" "$ROUNDS" "$LANG_CODE" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rounds, lang = int(sys.argv[3]), sys.argv[4]
print("wcxb-dev ground truths, %.2f MB, %d documents, lang=%s, one thread" % (theirs["mb"], theirs["docs"], lang))
print("%-22s %10s %14s %18s" % ("splitter", "MB/s", "sentences/s", "sentences/corpus"))
print("%-22s %10.1f %14.0f %18d" % ("gristmill (Rust)", ours["mb_per_s"], ours["sents_per_s"], ours["sents"] // rounds))
print("%-22s %10.1f %14.0f %18d" % ("sentencex (Python)", theirs["mb_per_s"], theirs["sents_per_s"], theirs["sents"]))
print("speed-up: %.1fx" % (ours["mb_per_s"] / theirs["mb_per_s"]))
PY
