#!/usr/bin/env bash
# Regenerates the golden RecordBatch fixtures from Apache Kafka's MemoryRecordsBuilder (kafka-clients from
# Maven Central), then has Kafka's reader verify the batches our builder writes for the same cases, on this
# Node and, when given as $NODE24 (a Node 24 binary), on that too. Needs Java 17+ and Maven; the unit tests
# need neither: they read the committed fixture.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
fixture="$here/../src/records/__fixtures__/java-record-batches.json"
ours="$(mktemp)"
trap 'rm -f "$ours"' EXIT
cd "$here"
mvn -q -B compile
mvn -q -B exec:java -Dexec.args="generate $fixture"
(cd "$here/../../.." && npx biome format --write "$fixture" >/dev/null)
for node in node ${NODE24:-}; do
  echo "our batches built on $($node -v):"
  "$node" --import tsx write-ours.ts "$ours"
  mvn -q -B exec:java -Dexec.args="verify $ours"
done
