#!/usr/bin/env bash
# The OpenAPI tools integrators use, against a running node.
#
#   scripts/api-check.sh URL [TOKEN]   checks URL/api/v1/openapi.json with
#                                      openapi-spec-validator, then runs
#                                      `schemathesis run --checks all` against the node
#                                      (with `Authorization: Bearer TOKEN` when given, e.g.
#                                      the admin token, so authenticated routes are reached)
#   scripts/api-check.sh venv          prints the venv folder (installing it if needed)
#
# Both tools come from PyPI into a venv under <repo>/.cache (or $CAREMESH_APICHECK_VENV),
# installed once. Exits non-zero on any finding. Settings: API_CHECK_MAX_EXAMPLES (default 25
# per operation), API_CHECK_SEED (default: random), API_CHECK_REPORT (a folder for a JUnit
# report), API_CHECK_INCLUDE (a regex: only the paths it matches, e.g. for a second run with
# another role's token). The rules an OpenAPI schema cannot state are in scripts/api_check_hooks.py.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CAREMESH_APICHECK_VENV:-$ROOT/.cache/apicheck-venv}"
# Versions known to pass; newer ones may add checks.
PACKAGES=("schemathesis==4.32.5" "openapi-spec-validator==0.9.0")
# shellcheck source=scripts/venv.sh
source "$ROOT/scripts/venv.sh"

check() {
    local url="${1%/}" token="${2:-}"
    install_venv "$VENV" "${PACKAGES[@]}"
    # Schemathesis and Hypothesis keep state in the working folder: give them a scratch one.
    local work
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' RETURN
    local doc="$work/openapi.json"
    python3 -c 'import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=10).read())' \
        "$url/api/v1/openapi.json" >"$doc"
    "$VENV/bin/openapi-spec-validator" "$doc"
    local args=(run --checks all --exclude-checks positive_data_acceptance
        --max-examples "${API_CHECK_MAX_EXAMPLES:-25}" --workers 1 --no-color)
    if [ -n "${API_CHECK_INCLUDE:-}" ]; then
        args+=(--include-path-regex "$API_CHECK_INCLUDE")
    fi
    if [ -n "$token" ]; then
        args+=(--header "Authorization: Bearer $token")
    fi
    if [ -n "${API_CHECK_SEED:-}" ]; then
        args+=(--seed "$API_CHECK_SEED")
    fi
    if [ -n "${API_CHECK_REPORT:-}" ]; then
        args+=(--report junit --report-dir "$(realpath -m "$API_CHECK_REPORT")")
    fi
    (cd "$work" && SCHEMATHESIS_HOOKS=api_check_hooks PYTHONPATH="$ROOT/scripts" \
        PYTHONDONTWRITEBYTECODE=1 "$VENV/bin/schemathesis" "${args[@]}" "$url/api/v1/openapi.json")
}

case "${1:-}" in
    venv) install_venv "$VENV" "${PACKAGES[@]}"; echo "$VENV" ;;
    http://* | https://*) check "$@" ;;
    *) echo "usage: api-check.sh URL [TOKEN] | venv" >&2; exit 2 ;;
esac
