#!/usr/bin/env bash
# A throwaway Synapse for the Matrix bot tests.
#
#   scripts/synapse.sh start DIR   installs Synapse once (venv under <repo>/.cache), writes a
#                                  config into DIR, starts it on a free loopback port and
#                                  prints "URL PID" when the client API answers
#   scripts/synapse.sh stop DIR    stops the Synapse started in DIR
#   scripts/synapse.sh venv        prints the venv folder (installing it if needed)
#
# Users: $VENV/bin/register_new_matrix_user -c DIR/homeserver.yaml -u NAME -p PASS --no-admin URL
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CAREMESH_SYNAPSE_VENV:-$ROOT/.cache/synapse-venv}"
# shellcheck source=scripts/venv.sh
source "$ROOT/scripts/venv.sh"

configure() {
    local dir="$1" port="$2"
    # Run from DIR: the generated log config names a file in the working directory.
    (cd "$dir" && "$VENV/bin/python" -m synapse.app.homeserver \
        --server-name localhost \
        --config-path "$dir/homeserver.yaml" \
        --data-directory "$dir" \
        --generate-config --report-stats=no >&2)
    "$VENV/bin/python" - "$dir/homeserver.yaml" "$port" <<'PY'
import secrets, sys, yaml
path, port = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    cfg = yaml.safe_load(f)
cfg["listeners"] = [{
    "port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
    "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}],
}]
cfg["registration_shared_secret"] = secrets.token_hex(16)
cfg["enable_registration"] = False
cfg["report_stats"] = False
cfg["trusted_key_servers"] = []
cfg["suppress_key_server_warning"] = True
cfg["federation_domain_whitelist"] = []
fast = {"per_second": 1000, "burst_count": 1000}
cfg["rc_message"] = fast
cfg["rc_registration"] = fast
cfg["rc_login"] = {"address": fast, "account": fast, "failed_attempts": fast}
cfg["rc_joins"] = {"local": fast, "remote": fast}
cfg["rc_joins_per_room"] = fast
cfg["rc_invites"] = {"per_room": fast, "per_user": fast, "per_issuer": fast}
cfg["rc_3pid_validation"] = fast
cfg["rc_admin_redaction"] = fast
cfg["rc_key_requests"] = fast
with open(path, "w") as f:
    yaml.safe_dump(cfg, f)
PY
}

start() {
    local dir="$1"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    install_venv "$VENV" matrix-synapse
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    configure "$dir" "$port"
    local url="http://127.0.0.1:$port"
    # exec: the background job is Synapse itself, with none of the caller's pipes open
    # (a caller reading our stdout would otherwise wait for Synapse to exit).
    (cd "$dir" && exec setsid "$VENV/bin/python" -m synapse.app.homeserver \
        -c "$dir/homeserver.yaml") </dev/null >"$dir/synapse.out" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/synapse.pid"
    for _ in $(seq 1 300); do
        if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
            "$url/_matrix/client/versions" 2>/dev/null; then
            echo "$url $pid"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "synapse exited; see $dir/synapse.out" >&2
            tail -n 30 "$dir/synapse.out" >&2 || true
            return 1
        fi
        sleep 0.2
    done
    echo "synapse did not answer within 60 s; see $dir/synapse.out" >&2
    kill "$pid" 2>/dev/null || true
    return 1
}

stop() {
    local dir="$1"
    [ -f "$dir/synapse.pid" ] || return 0
    local pid
    pid="$(cat "$dir/synapse.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$dir/synapse.pid"
}

case "${1:-}" in
    start) start "${2:?usage: synapse.sh start DIR}" ;;
    stop) stop "${2:?usage: synapse.sh stop DIR}" ;;
    venv) install_venv "$VENV" matrix-synapse; echo "$VENV" ;;
    *) echo "usage: synapse.sh start DIR | stop DIR | venv" >&2; exit 2 ;;
esac
