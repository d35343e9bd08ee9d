#!/usr/bin/env bash
# Speed and memory of gristmill against its peers, side by side on the same pages.
#
#   bench/compare.sh [--pages N|all] [--runs R] [--skip-python] [--data DIR]
#
# Pages: the first N (default 400) of ../shared/bench/wcxb-dev/html/*.html.gz in name order.
# Tools (each a separate process, measured whole: start-up, reading, gunzip, decode, work):
#   gunzip+decode   floor: read, gunzip and decode every page, nothing else
#   scraper parse   floor: the above plus an html5ever parse (scraper::Html) of each page
#   gristmill run   the real CLI, `gristmill run --jobs 1` and `--jobs 0` (all cores), writing
#                   documents.jsonl to /tmp
#   gristmill lib   Pipeline::process page by page in the bench harness (same reader as peers)
#   rs-trafilatura, dom_smoothie   crates.io, in bench/peers (own workspace)
#   trafilatura, resiliparse       PyPI, in the virtualenv bench/.venv (created here)
# Single-core rows run under `taskset -c 0` (when available) so every tool has one core; the
# all-cores row is pinned to nothing. Every measurement runs R times (default 3), the tools
# interleaved, and the median of each figure is reported.
# Figures: wall seconds, pages/s and MB/s (uncompressed HTML), median and p95 ms per page of
# the tool's call (harness rows), peak RSS (/usr/bin/time %M).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PAGES=400
RUNS=3
PYTHON=1
DATA=../shared/bench/wcxb-dev/html
while [ $# -gt 0 ]; do
    case "$1" in
    --pages) PAGES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --skip-python) PYTHON=0; shift ;;
    --data) DATA=$2; shift 2 ;;
    -h | --help) sed -n 2,19p "$0"; exit 0 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 1 ;;
    esac
done
[ -d "$DATA" ] || { echo "compare.sh: no page folder $DATA" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "compare.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

WORK=${TMPDIR:-/tmp}/gristmill-bench
mkdir -p "$WORK"

echo "== building (release)" >&2
cargo build --release -q
cargo build --release -q --manifest-path bench/peers/Cargo.toml
GM=$ROOT/target/release/gristmill
PEERS=$ROOT/bench/peers/target/release/peers

if [ "$PYTHON" = 1 ]; then
    VENV=$ROOT/bench/.venv
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import trafilatura, resiliparse' 2>/dev/null; then
        echo "== creating $VENV (trafilatura, resiliparse)" >&2
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q trafilatura resiliparse lxml_html_clean
    fi
    PY=$VENV/bin/python
fi

# The page set: a list file for the harnesses, a folder of copies for the CLI.
ls "$DATA" | grep -E '\.html(\.gz)?$' | sort >"$WORK/all.txt"
if [ "$PAGES" = all ]; then PAGES=$(wc -l <"$WORK/all.txt"); fi
LIST=$WORK/list-$PAGES.txt
DIR=$WORK/pages-$PAGES
head -n "$PAGES" "$WORK/all.txt" | sed "s|^|$(cd "$DATA" && pwd)/|" >"$LIST"
N=$(wc -l <"$LIST")
if [ ! -d "$DIR" ] || [ "$(ls "$DIR" | wc -l)" != "$N" ]; then
    rm -rf "$DIR" && mkdir -p "$DIR"
    xargs -a "$LIST" cp -t "$DIR"
fi

PIN=""
if command -v taskset >/dev/null; then PIN="taskset -c 0"; fi
CORES=$(nproc)

# name|pinned(1/0)|command
TOOLS=(
    "gunzip+decode|1|$PEERS gunzip $LIST"
    "scraper parse|1|$PEERS scraper $LIST"
    "gristmill run -j1|1|$GM run --jobs 1 --quiet -o $WORK/out-j1 $DIR"
    "gristmill run -j$CORES|0|$GM run --jobs 0 --quiet -o $WORK/out-jall $DIR"
    "gristmill lib|1|$PEERS gristmill $LIST"
    "dom_smoothie|1|$PEERS dom_smoothie $LIST"
    "rs-trafilatura|1|$PEERS rs-trafilatura $LIST"
)
if [ "$PYTHON" = 1 ]; then
    TOOLS+=("resiliparse|1|$PY bench/py_peers.py resiliparse $LIST")
    TOOLS+=("trafilatura|1|$PY bench/py_peers.py trafilatura $LIST")
fi

RES=$WORK/results-$PAGES.tsv
: >"$RES"
for run in $(seq 1 "$RUNS"); do
    for t in "${TOOLS[@]}"; do
        IFS='|' read -r name pinned cmd <<<"$t"
        echo "== run $run/$RUNS: $name" >&2
        pin=""
        [ "$pinned" = 1 ] && pin=$PIN
        # shellcheck disable=SC2086
        /usr/bin/time -f '%e %M %U %S' -o "$WORK/time.txt" nice -n 0 $pin $cmd >"$WORK/stdout.txt"
        json=$(grep -m1 '^{' "$WORK/stdout.txt" || echo '{}')
        printf '%s\t%s\t%s\t%s\n' "$name" "$run" "$(tail -n1 "$WORK/time.txt")" "$json" >>"$RES"
    done
done

python3 - "$RES" "$N" "$RUNS" "$CORES" "$PIN" "$DIR" <<'EOF'
import json, statistics, sys
res, n, runs, cores, pin, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
import os
html_bytes = 0
import gzip
rows = {}
order = []
for line in open(res):
    name, run, tm, js = line.rstrip("\n").split("\t")
    wall, rss, user, sys_ = tm.split()
    j = json.loads(js)
    if name not in rows:
        rows[name] = []
        order.append(name)
    rows[name].append((float(wall), int(rss), j, float(user) + float(sys_)))
    if j.get("bytes_html"):
        html_bytes = j["bytes_html"]
med = lambda xs: statistics.median(xs) if xs else None
summary = {}
for name in order:
    rs = rows[name]
    summary[name] = {
        "wall": med([r[0] for r in rs]),
        "cpu": med([r[3] for r in rs]),
        "rss": med([r[1] for r in rs]) / 1024,
        "median_ms": med([r[2]["median_ms"] for r in rs if "median_ms" in r[2]]),
        "p95_ms": med([r[2]["p95_ms"] for r in rs if "p95_ms" in r[2]]),
        "call_s": med([r[2]["call_total_ms"] / 1000 for r in rs if "call_total_ms" in r[2]]),
    }
mb = html_bytes / 1e6
print(f"\n{n} WCXB-dev pages ({mb:.1f} MB of HTML), {cores} cores; median of {runs} runs per figure,")
print(f"tools interleaved; single-core rows pinned with '{pin or 'nothing (taskset missing)'}'; the machine is shared,")
print("so expect +-10% noise. wall/CPU/pages/s/MB/s/RSS: whole process (CPU = user+sys, steadier than")
print("wall on a busy machine); call s / med ms / p95 ms: the tool's own call per page (harness rows).\n")
hdr = f"{'tool':<20} {'wall s':>7} {'CPU s':>7} {'pages/s':>8} {'MB/s':>7} {'call s':>7} {'med ms':>7} {'p95 ms':>7} {'RSS MB':>7}"
print(hdr)
print("-" * len(hdr))
fmt = lambda v, w, p: f"{v:>{w}.{p}f}" if v is not None else f"{'-':>{w}}"
for name in order:
    s = summary[name]
    print(f"{name:<20} {fmt(s['wall'],7,2)} {fmt(s['cpu'],7,2)} {fmt(n/s['wall'],8,1)} {fmt(mb/s['wall'],7,1)} "
          f"{fmt(s['call_s'],7,2)} {fmt(s['median_ms'],7,2)} {fmt(s['p95_ms'],7,2)} {fmt(s['rss'],7,0)}")
gm = summary.get("gristmill run -j1")
lib = summary.get("gristmill lib")
if gm:
    print("\nwhole process, gristmill run -j1 / X (time ratios; < 1 means gristmill is faster):")
    for name in order:
        if name.startswith("gristmill"):
            continue
        s = summary[name]
        line = f"  {name:<18} wall {gm['wall']/s['wall']:5.2f}x  CPU {gm['cpu']/s['cpu']:5.2f}x  (X takes {s['cpu']/gm['cpu']:.2f}x gristmill's CPU)"
        if lib and lib["median_ms"] and s["median_ms"]:
            line += f";  per-page call median gristmill/X {lib['median_ms']/s['median_ms']:.2f}x"
        print(line)
    jall = [v for k, v in summary.items() if k.startswith("gristmill run -j") and k != "gristmill run -j1"]
    if jall:
        print(f"\nscaling: gristmill run -j{cores} is {gm['wall']/jall[0]['wall']:.2f}x faster than -j1")
    floor = summary.get("scraper parse")
    if floor:
        print(f"gristmill/floor: run -j1 takes {gm['wall']/floor['wall']:.2f}x the bare-parse process wall time, {gm['cpu']/floor['cpu']:.2f}x its CPU", end="")
        if lib and floor["call_s"]:
            print(f"; Pipeline::process takes {lib['call_s']/floor['call_s']:.2f}x the parse call time")
        else:
            print()
EOF
