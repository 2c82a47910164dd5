#!/usr/bin/env bash
# `npm run test:lnd`: the real-LND tests on a fresh regtest network, torn down afterwards.
# Two passes on the same network: with stormd's macaroon scoped by RPC method (recommended in
# docs/lnd.md), then with the one scoped by entity, so both documented lines are checked.
# Extra arguments go to `node --test` (e.g. --test-reporter=spec).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
exec scripts/regtest/with_network.sh bash -c '
  node --test --test-concurrency=1 "$@" "test/lnd/*.test.ts" &&
  STORM_LND_MACAROON=entity node --test --test-concurrency=1 "$@" "test/lnd/*.test.ts"
' test_lnd "$@"
