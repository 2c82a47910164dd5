#!/usr/bin/env bash
# Brings the regtest network up, runs the given command against it, and always tears the
# network down, keeping the command's exit code.
#
#   scripts/regtest/with_network.sh node --test --test-concurrency=1 test/lnd/
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node="${NODE:-node}"
[[ -x "$here/../../node_modules/.bin/node" ]] && node="$here/../../node_modules/.bin/node"

# `up` refuses when a network is already up, and cleans up after itself when it fails
"$node" "$here/cli.ts" up || exit 1
trap '"$node" "$here/cli.ts" down' EXIT
"$@"
