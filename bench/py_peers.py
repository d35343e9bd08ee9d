"""Benchmark harness for bench/compare.sh: runs ONE Python extractor (trafilatura or
resiliparse) over a list of gzipped HTML pages and prints one JSON line with per-page
timings, in the same shape as the Rust harness in bench/peers.

The timed call is the extraction of one page from a decoded string (parse included);
reading, gunzip and decoding are outside it, as for the Rust peers.
"""

import gzip
import json
import sys
import time


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("trafilatura", "resiliparse"):
        print("usage: py_peers.py {trafilatura|resiliparse} LIST_FILE", file=sys.stderr)
        return 1
    tool, list_file = sys.argv[1], sys.argv[2]
    with open(list_file, encoding="utf-8") as f:
        paths = [line.strip() for line in f if line.strip()]

    if tool == "trafilatura":
        import trafilatura

        def run(html: str) -> str:
            return trafilatura.extract(html) or ""

    else:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.html import HTMLTree

        def run(html: str) -> str:
            return extract_plain_text(HTMLTree.parse(html), main_content=True)

    times = []
    bytes_html = 0
    out_bytes = 0
    failures = 0
    for p in paths:
        with gzip.open(p, "rb") if p.endswith(".gz") else open(p, "rb") as f:
            raw = f.read()
        bytes_html += len(raw)
        html = decode(raw)
        t = time.perf_counter()
        try:
            out = run(html)
        except Exception:  # a peer failing on a page counts, it does not stop the run
            out = ""
            failures += 1
        times.append((time.perf_counter() - t) * 1e3)
        out_bytes += len(out.encode("utf-8"))

    times.sort()

    def pct(q: float) -> float:
        return times[round((len(times) - 1) * q)] if times else 0.0

    print(
        json.dumps(
            {
                "tool": tool,
                "pages": len(times),
                "bytes_html": bytes_html,
                "out_bytes": out_bytes,
                "failures": failures,
                "call_total_ms": round(sum(times), 1),
                "median_ms": round(pct(0.5), 3),
                "p95_ms": round(pct(0.95), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
