#!/usr/bin/env bash
# Installs what a fresh machine lacks for the test suite: Debian packages (kcat, the reference C client and
# consumer), npm packages (npm ci), and the Apache Kafka jars from Maven Central (through the harness).
# Safe to run again: each part is skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v kcat >/dev/null 2>&1 || need_apt+=(kcat)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

command -v java >/dev/null 2>&1 || { echo "setup: Java 17+ is required for the Kafka broker (apt-get install openjdk-17-jdk-headless)"; exit 1; }
command -v mvn >/dev/null 2>&1 || { echo "setup: Maven is required to fetch the Kafka jars (apt-get install maven)"; exit 1; }

# npm ci rejects this lockfile (it holds only this platform's optional binaries), so install from it instead
npm install --no-audit --no-fund

# Kafka jars for both lines the suite runs against (cached in .cache/kafka, git-ignored)
if [ -f tools/kafka-harness/package.json ]; then
  npm run --silent kafka -- fetch --line 4
  npm run --silent kafka -- fetch --line 3.9
fi
