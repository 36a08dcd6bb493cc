# Sourced by the scripts that need Python tools from PyPI (synapse.sh, api-check.sh).
#
# install_venv VENV PACKAGE...   makes the venv VENV with the packages, once. The marker is
# written last, so an interrupted pip is redone rather than trusted; a lock beside the venv
# keeps runs that start at the same moment from installing over each other.
install_venv() {
    local venv="$1"
    shift
    if [ -f "$venv/.caremesh-complete" ]; then
        return
    fi
    mkdir -p "$(dirname "$venv")"
    exec 9>"$venv.install.lock"
    flock 9
    if [ -f "$venv/.caremesh-complete" ]; then
        return
    fi
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
    touch "$venv/.caremesh-complete"
}
