#!/usr/bin/env bash
# Builds the pinned btcd and lnd releases from the Go module proxy into a cache outside the
# repository, and reuses them when they are already there.
#
#   scripts/regtest/build.sh        # prints the two bin directories
#
# Cache: ${STORM_CACHE:-$HOME/.cache/storm}/bin/{lnd,btcd}-<version>/
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${STORM_CACHE:-$HOME/.cache/storm}"
lnd_bin="$cache/bin/lnd-$LND_VERSION"
btcd_bin="$cache/bin/btcd-$BTCD_VERSION"
# The build tags lnd's release builds use, minus monitoring; routerrpc is needed for payments by route.
lnd_tags='signrpc walletrpc chainrpc invoicesrpc peersrpc autopilotrpc watchtowerrpc routerrpc'

command -v go >/dev/null || { echo 'build.sh: go is not installed (needs Go >= 1.25)' >&2; exit 1; }
# an older Go (>= 1.21) fetches the toolchain lnd asks for through the module proxy by itself
export GOFLAGS=-buildvcs=false

log () { echo "build.sh: $*" >&2; }

build_btcd () {
  if [[ -x "$btcd_bin/btcd" && -x "$btcd_bin/btcctl" ]] && "$btcd_bin/btcd" --version >/dev/null 2>&1; then
    log "btcd $BTCD_VERSION cached in $btcd_bin"
    return
  fi
  log "building btcd $BTCD_VERSION (go install) into $btcd_bin"
  local tmp="$btcd_bin.tmp.$$"
  mkdir -p "$tmp"
  GOBIN="$tmp" go install "github.com/btcsuite/btcd@$BTCD_VERSION" "github.com/btcsuite/btcd/cmd/btcctl@$BTCD_VERSION"
  rm -rf "$btcd_bin" && mv "$tmp" "$btcd_bin"
}

build_lnd () {
  if [[ -x "$lnd_bin/lnd" && -x "$lnd_bin/lncli" ]] && "$lnd_bin/lnd" --version 2>/dev/null | grep -q "${LND_VERSION#v}"; then
    log "lnd $LND_VERSION cached in $lnd_bin"
    return
  fi
  log "building lnd $LND_VERSION into $lnd_bin"
  # lnd's go.mod has replace lines, so `go install lnd@version` refuses: build inside a wrapper
  # module that requires the release and repeats its replace lines.
  local work="$cache/build/lnd-$LND_VERSION"
  mkdir -p "$work"
  local modfile
  modfile="$(go mod download -json "github.com/lightningnetwork/lnd@$LND_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')"
  [[ -f "$modfile" ]] || { echo "build.sh: could not download lnd $LND_VERSION" >&2; exit 1; }
  {
    echo 'module storm.local/lndbuild'
    echo
    grep -E '^go [0-9]' "$modfile"
    echo
    echo "require github.com/lightningnetwork/lnd $LND_VERSION"
    echo
    grep -E '^replace ' "$modfile"
  } > "$work/go.mod"
  # A package importing nothing keeps `go` happy in a module with no code of its own.
  printf 'package lndbuild\n' > "$work/doc.go"
  (
    cd "$work"
    go get "github.com/lightningnetwork/lnd/cmd/lnd@$LND_VERSION" "github.com/lightningnetwork/lnd/cmd/lncli@$LND_VERSION"
    local tmp="$lnd_bin.tmp.$$"
    mkdir -p "$tmp"
    local pkg=github.com/lightningnetwork/lnd/build
    local ldflags="-s -w -X $pkg.Commit=$LND_VERSION -X $pkg.CommitHash=$LND_COMMIT -X $pkg.RawTags=${lnd_tags// /,}"
    go build -trimpath -tags "$lnd_tags" -ldflags "$ldflags" -o "$tmp/" \
      github.com/lightningnetwork/lnd/cmd/lnd github.com/lightningnetwork/lnd/cmd/lncli
    rm -rf "$lnd_bin" && mv "$tmp" "$lnd_bin"
  )
}

start=$(date +%s)
build_btcd
build_lnd
log "done in $(( $(date +%s) - start ))s"
echo "$btcd_bin"
echo "$lnd_bin"
