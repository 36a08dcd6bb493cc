#!/usr/bin/env bash
# Rebuilds bots/fonts/NotoSans-LatinDevanagari.ttf, the font of the /stats chart: Noto Sans
# (Basic Latin, Latin-1, a few punctuation marks and ₹) and Noto Sans Devanagari (the whole
# block, with every layout feature, so conjuncts and vowel signs shape), merged into one
# face. Both are OFL-1.1 (bots/fonts/OFL.txt). Needs Debian's fonts-noto-core and PyPI's
# fonttools, installed into .cache like scripts/synapse.sh does for Synapse.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
noto=/usr/share/fonts/truetype/noto
venv="${CAREMESH_FONTTOOLS_VENV:-$root/.cache/fonttools-venv}"
[ -f "$noto/NotoSans-Regular.ttf" ] || apt-get install -y fonts-noto-core
[ -x "$venv/bin/pyftsubset" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q fonttools; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv/bin/pyftsubset" "$noto/NotoSans-Regular.ttf" --layout-features='*' --no-hinting \
  --unicodes="U+0020-007E,U+00A0-00FF,U+2013-2014,U+2018-201D,U+2022,U+2026,U+20B9,U+00D7" \
  --output-file="$work/latin.ttf"
"$venv/bin/pyftsubset" "$noto/NotoSansDevanagari-Regular.ttf" --layout-features='*' --no-hinting \
  --unicodes="U+0900-097F,U+A8E0-A8FF,U+200C-200D,U+25CC" \
  --output-file="$work/deva.ttf"
"$venv/bin/pyftmerge" "$work/latin.ttf" "$work/deva.ttf" --output-file="$root/bots/fonts/NotoSans-LatinDevanagari.ttf"
echo "wrote bots/fonts/NotoSans-LatinDevanagari.ttf"
