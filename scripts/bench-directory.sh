#!/usr/bin/env bash
# Care directory benchmark against PostGIS, on the same generated files, in one run.
#
#   scripts/bench-directory.sh [N]      (N facilities, default 1000000; 2000 query points)
#
# 1. gen_facilities.py writes N facilities and 2000 queries into a temp dir;
# 2. `caremesh bench directory` (release build) imports them into a fresh node, reopens it
#    in a fresh process (start-up time, memory) and times every query kind in process;
# 3. ../shared/anchors/postgis_knn.sh N (installs PostgreSQL 15 + PostGIS 3 via apt if
#    missing; needs root) times the same queries server-side;
# 4. prints our p99 / PostGIS's best server-side p99 per query kind, goal <= 0.2, and the
#    memory (goal < 400 MB) and start-up (goal < 5 s) figures.
# For people, not CI: it takes minutes and much of the machine. CAREMESH_BIN=path uses an
# already built release binary instead of building one.
set -euo pipefail

N="${1:-1000000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ANCHORS="$ROOT/../shared/anchors"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "# generating $N facilities and 2000 queries in $TMP"
python3 "$ANCHORS/gen_facilities.py" facilities "$N" > "$TMP/facilities.csv"
python3 "$ANCHORS/gen_facilities.py" queries 2000 > "$TMP/queries.csv"

cd "$ROOT"
if [ -z "${CAREMESH_BIN:-}" ]; then
  cargo build --release -q -p caremesh-node --bin caremesh
  CAREMESH_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/caremesh"
fi
CAREMESH_LOG="${CAREMESH_LOG:-warn}" "$CAREMESH_BIN" \
  bench directory --facilities "$TMP/facilities.csv" --queries "$TMP/queries.csv" \
  | tee "$TMP/caremesh.out"

bash "$ANCHORS/postgis_knn.sh" "$N" | tee "$TMP/postgis.out"

python3 - "$TMP/caremesh.out" "$TMP/postgis.out" <<'PY'
import re, sys

def fields(line):
    return dict(re.findall(r"(\w+)=([^\s|]+)", line))

def ms(v):
    return float(v.rstrip("ms"))

ours, theirs, start = {}, {}, {}
for line in open(sys.argv[1]):
    if line.startswith("SUMMARY caremesh"):
        f = fields(line); ours[f["query"]] = f
    elif line.startswith("START"):
        start = fields(line)
for line in open(sys.argv[2]):
    if line.startswith("SUMMARY postgis"):
        f = fields(line)
        q = "knn_filt" if f["query"].startswith("knn_filt") else f["query"]
        # The best server-side p99 of the variants (plain and tuned composite index).
        if q not in theirs or ms(f["server_p99"]) < ms(theirs[q]["server_p99"]):
            theirs[q] = f

print()
print("%-9s %12s %12s %14s %8s %6s %s" % ("query", "ours p50", "ours p99", "PostGIS p99", "ratio", "goal", ""))
for q in ("knn", "knn_filt", "radius5k"):
    if q not in ours or q not in theirs:
        print("%-9s missing figures" % q); continue
    o, t = ms(ours[q]["p99"]), ms(theirs[q]["server_p99"])
    r = o / t if t > 0 else float("inf")
    print("%-9s %10.3fms %10.3fms %12.3fms %8.3f %6s %s" % (
        q, ms(ours[q]["p50"]), o, t, r, "<=0.2", "ok" if r <= 0.2 else "MISSED"))
if start:
    rss = float(start["rss_after_start"].rstrip("MiB"))
    secs = float(start["open"].rstrip("s"))
    print("memory after start %.0f MiB (goal < 400 MB: %s); start-up %.2f s (goal < 5 s: %s)" % (
        rss, "ok" if rss * 1.048576 < 400 else "MISSED", secs, "ok" if secs < 5 else "MISSED"))
PY
