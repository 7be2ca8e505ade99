#!/usr/bin/env bash
# Regenerates ../src/__fixtures__/java-partitions.json.gz from the Java client (needs Java 17+ and Maven;
# unit tests only read the committed fixture). Usage: packages/partitioners/test-vectors/regenerate.sh [version]
set -euo pipefail
version="${1:-4.4.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for artifact in "org.apache.kafka:kafka-clients:$version" "org.slf4j:slf4j-api:1.7.36"; do
  mvn -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$work" >/dev/null
done
javac -d "$work" -cp "$work/*" "$here/PartitionVectors.java"
java -cp "$work:$work/*" PartitionVectors "$version" | gzip -9n > "$here/../src/__fixtures__/java-partitions.json.gz"
echo "wrote src/__fixtures__/java-partitions.json.gz (kafka-clients $version)"
