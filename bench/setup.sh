#!/usr/bin/env bash
# Installs what the side-by-side benchmark needs beyond the test suite's scripts/setup.sh, on a fresh Debian
# machine; safe to run again (each step is skipped when already done):
#   - Debian packages: librdkafka-dev (node-rdkafka links against it), kcat, GNU time (per-process rusage),
#     a C++ toolchain for node-gyp
#   - node-rdkafka built against Debian's librdkafka (BUILD_LIBRDKAFKA=0) with node-gyp, since npm 11 does
#     not run its install script unless allowed
#   - Node 24 from the npm registry's `node` package into .cache/node24 (@platformatic/kafka needs Node 22+)
#   - matplotlib in a virtualenv at .cache/bench-venv, for the chart
#   - the Kafka 4 jars (broker and ProducerPerformance) through the harness
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

need_apt=()
dpkg -s librdkafka-dev >/dev/null 2>&1 || need_apt+=(librdkafka-dev)
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3 python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "bench setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -d node_modules/node-rdkafka ] || npm install --no-audit --no-fund

bash bench/build-node-rdkafka.sh
node -e "const k = require('node-rdkafka'); console.log('bench setup: node-rdkafka on librdkafka ' + k.librdkafkaVersion)"

# Node 24 for @platformatic/kafka, where scripts/node24.mjs puts it too
node24=.cache/node24/node_modules/node/bin/node
if [ ! -x "$node24" ]; then
  echo "bench setup: fetching Node 24 (npm package node@24)"
  mkdir -p .cache/node24
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix .cache/node24 node@24 >/dev/null
fi
echo "bench setup: Node 24 is $("$node24" -v)"

venv=.cache/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import matplotlib' 2>/dev/null; then
  echo "bench setup: installing matplotlib into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q matplotlib==3.11.2
fi

npm run --silent kafka -- fetch --line 4
echo "bench setup: done ($root)"
