#!/usr/bin/env bash
# Installs the pinned matrix-synapse from PyPI into a venv cached outside the repository, and
# reuses it when it is already there. Prints the venv's directory.
#
#   scripts/synapse/install.sh
#
# Cache: ${STORM_CACHE:-$HOME/.cache/storm}/synapse-<version>/ (a `.installed` stamp marks a
# finished install; a half-done one is removed and made again).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${STORM_CACHE:-$HOME/.cache/storm}"
venv="$cache/synapse-$SYNAPSE_VERSION"
log () { echo "install.sh: $*" >&2; }

if [[ -f "$venv/.installed" ]] && "$venv/bin/python" -c 'import synapse' 2>/dev/null; then
  log "matrix-synapse $SYNAPSE_VERSION cached in $venv"
  echo "$venv"
  exit 0
fi

python=""
for candidate in python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
    python="$candidate"; break
  fi
done
if [[ -z "$python" ]]; then
  log "Python >= 3.10 with venv is needed; installing python3-venv with apt"
  apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null
  python=python3
fi

log "installing matrix-synapse $SYNAPSE_VERSION from PyPI into $venv (about 30 s)"
rm -rf "$venv"
mkdir -p "$cache"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "matrix-synapse==$SYNAPSE_VERSION"
"$venv/bin/python" -c 'import synapse; print(synapse.__version__)' >/dev/null
touch "$venv/.installed"
log "installed"
echo "$venv"
