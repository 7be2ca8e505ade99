#!/usr/bin/env bash
# Builds node-rdkafka against Debian's librdkafka (librdkafka-dev; BUILD_LIBRDKAFKA=0) with the node-gyp
# that ships with npm. The root package.json denies its install script (it would compile the bundled
# librdkafka on every install), and any `npm install` that reinstalls the package drops this build, so
# bench/setup.sh and the suite itself call this whenever `require('node-rdkafka')` fails.
set -euo pipefail
cd "$(dirname "$0")/.."
binding=node_modules/node-rdkafka/build/Release/node-librdkafka.node
if [ -f "$binding" ] && ldd "$binding" | grep -q '/lib/x86_64-linux-gnu/librdkafka.so'; then exit 0; fi
dpkg -s librdkafka-dev >/dev/null 2>&1 || { echo "build-node-rdkafka: librdkafka-dev is missing (bash bench/setup.sh installs it)"; exit 1; }
echo "build-node-rdkafka: building node-rdkafka against Debian's librdkafka"
gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
log=/tmp/x-bench-node-gyp.log
(cd node_modules/node-rdkafka && BUILD_LIBRDKAFKA=0 node "$gyp" rebuild --nodedir=/usr -j 2 >"$log" 2>&1) ||
  { tail -30 "$log"; echo "build-node-rdkafka: build failed (log: $log)"; exit 1; }
