#!/usr/bin/env bash
# Peak memory of a large gristmill run: builds a JSONL of about N GB by repeating the WCXB-dev
# pages ({"id","url","html"} rows) under /tmp (never in the repo), runs `gristmill run` over it
# and reports wall time, throughput and peak RSS (/usr/bin/time %M) against the 300 MB target.
#
#   bench/memory.sh [--gb N] [--jobs J] [--pipeline F] [--data DIR] [--clean] [--build-only]
#
# --gb     input size in GB (default 5); the file is kept for reruns, --clean deletes it after
# --jobs   worker threads for the run (default 0 = all cores)
# --build-only   only build the input file
# --pipeline F   pipeline config for the run (default: pipelines/default.toml)
set -euo pipefail
cd "$(dirname "$0")/.."

GB=5
JOBS=0
CLEAN=0
BUILD_ONLY=0
PIPELINE=()
DATA=../shared/bench/wcxb-dev/html
while [ $# -gt 0 ]; do
    case "$1" in
    --gb) GB=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --data) DATA=$2; shift 2 ;;
    --clean) CLEAN=1; shift ;;
    --build-only) BUILD_ONLY=1; shift ;;
    --pipeline) PIPELINE=(--pipeline "$2"); shift 2 ;;
    -h | --help) sed -n 2,11p "$0"; exit 0 ;;
    *) echo "memory.sh: unknown argument $1" >&2; exit 1 ;;
    esac
done
[ -d "$DATA" ] || { echo "memory.sh: no page folder $DATA" >&2; exit 1; }

WORK=${TMPDIR:-/tmp}/gristmill-mem
mkdir -p "$WORK"
INPUT=$WORK/input-${GB}g.jsonl

[ "$BUILD_ONLY" = 1 ] || cargo build --release -q

if [ ! -s "$INPUT" ]; then
    echo "== building $INPUT (~$GB GB of JSONL rows from $DATA)" >&2
    python3 - "$DATA" "$INPUT" "$GB" <<'EOF'
import gzip, json, os, sys
data, out, gb = sys.argv[1], sys.argv[2], float(sys.argv[3])
target = int(gb * 1e9)
names = sorted(n for n in os.listdir(data) if n.endswith((".html", ".html.gz")))
pages = []
for n in names:
    p = os.path.join(data, n)
    raw = gzip.open(p, "rb").read() if n.endswith(".gz") else open(p, "rb").read()
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:
        html = raw.decode("cp1252", errors="replace")
    pages.append((n.split(".")[0], html))
written, rep = 0, 0
with open(out + ".tmp", "w", encoding="utf-8") as f:
    while written < target:
        for pid, html in pages:
            line = json.dumps({"id": f"{rep}-{pid}", "url": f"https://example.org/{rep}/{pid}", "html": html}, ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            if written >= target:
                break
        rep += 1
os.replace(out + ".tmp", out)
print(f"wrote {written/1e9:.2f} GB, {rep} passes over {len(pages)} pages", file=sys.stderr)
EOF
fi

[ "$BUILD_ONLY" = 1 ] && exit 0
SIZE=$(stat -c %s "$INPUT")
ROWS=$(wc -l <"$INPUT")
rm -rf "$WORK/out"
echo "== gristmill run --jobs $JOBS over $INPUT" >&2
/usr/bin/time -f '%e %M %U %S' -o "$WORK/time.txt" \
    target/release/gristmill run --jobs "$JOBS" "${PIPELINE[@]}" --quiet -o "$WORK/out" "$INPUT"
read -r WALL RSS USER SYS <"$WORK/time.txt"
DOCS=$(wc -l <"$WORK/out/documents.jsonl")
ERRS=$(wc -l <"$WORK/out/errors.jsonl" 2>/dev/null || echo 0)
python3 - "$SIZE" "$ROWS" "$DOCS" "$ERRS" "$WALL" "$RSS" "$USER" "$SYS" "$JOBS" <<'EOF'
import sys
size, rows, docs, errs = (int(x) for x in sys.argv[1:5])
wall, rss, user, sys_ = float(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
jobs = sys.argv[9]
print(f"input      {size/1e9:.2f} GB, {rows} JSONL rows -> {docs} documents, {errs} errors")
print(f"run        gristmill run --jobs {jobs}: {wall:.1f} s wall, {user+sys_:.1f} s CPU, {size/1e6/wall:.1f} MB/s, {rows/wall:.0f} docs/s")
verdict = "OK" if rss < 300 * 1024 else "OVER"
print(f"peak RSS   {rss/1024:.0f} MB (target < 300 MB: {verdict})")
EOF
rm -rf "$WORK/out"
if [ "$CLEAN" = 1 ]; then rm -f "$INPUT"; fi
