#!/usr/bin/env bash
# Prints the Java client's golden protocol frames as JSON into @x/protocol's test fixtures:
#   tools/codegen/vectors/run.sh
# Needs Java 17+ and Maven (jars come from Maven Central into the repo's .cache/m2).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="$root/packages/protocol/src/messages/__fixtures__/java-3.9.2-goldens.json"
classpath_file="$(mktemp)"
trap 'rm -f "$classpath_file"' EXIT
mvn -q -f "$here/pom.xml" -Dmaven.repo.local="$root/.cache/m2" dependency:build-classpath \
  -Dmdep.outputFile="$classpath_file" >/dev/null
mkdir -p "$(dirname "$out")"
java -cp "$(cat "$classpath_file")" "$here/ProtocolGoldens.java" > "$out"
echo "wrote $out"
