#!/usr/bin/env bash
# tests/consumer/run.sh REPO_DIR: builds the consumer application against the cgd4j artifacts that
# `make test` deployed to the Maven repository REPO_DIR (never ~/.m2), then runs its training loop:
#   1. class path,  README's JVM flags
#   2. module path, README's JVM flags, LAPACK forced to the bundled OpenBLAS jar (found on the module path)
#   3. class path  without --add-modules jdk.incubator.vector: scalar kernels after exactly one warning
#   4. module path without it, likewise
# Each run must print "consumer OK" (it checks resume-after-checkpoint bit for bit and that the loss falls).
set -euo pipefail
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: tests/consumer/run.sh REPO_DIR (a deployed Maven repository)" >&2; exit 2; }
export CGD4J_CONSUMER_REPO="file://$(cd "$1" && pwd)"
cd "$(dirname "$0")"
JAVA_HOME=${JAVA_HOME:-$(../../scripts/find-jdk.sh)}
export JAVA_HOME
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
JAVA=$JAVA_HOME/bin/java

echo "== consumer: building tests/consumer against $CGD4J_CONSUMER_REPO =="
rm -rf target/m2/org/cgd4j target/lib target/classes
mvn -B -ntp -q -Dstyle.color=never -s settings.xml -Dmaven.repo.local="$PWD/target/m2" package

APP=target/cgd4j-consumer-1.jar
CP="$APP:$(printf '%s:' target/lib/*.jar)"
MP="$APP:target/lib"
VECTOR=(--add-modules jdk.incubator.vector)
failures=0

# run NAME EXPECT... -- JAVA ARGS: runs the loop, checks its output contains every EXPECT (grep -E).
run() {
    local name=$1; shift
    local expect=()
    while [ "$1" != "--" ]; do expect+=("$1"); shift; done; shift
    local out="target/run-$name.log"
    if ! "$JAVA" "$@" > "$out" 2>&1; then
        echo "consumer $name: FAILED (exit code), log: tests/consumer/$out"; sed 's/^/    /' "$out"; failures=$((failures + 1)); return
    fi
    for e in "consumer OK" "${expect[@]}"; do
        if ! grep -qE -- "$e" "$out"; then
            echo "consumer $name: FAILED, no line matching '$e' in tests/consumer/$out"; sed 's/^/    /' "$out"
            failures=$((failures + 1)); return
        fi
    done
    echo "consumer $name: ok ($(grep -E '^(kernels|lapack):' "$out" | cut -c1-110 | paste -sd';' -))"
}
# exactly one warning about the scalar fallback, and no other warning than the JDK's incubator notice
one_warning() {
    local out="target/run-$1.log"
    local n; n=$(grep -c 'cgd4j uses its scalar kernels' "$out" || true)
    local others; others=$(grep -E 'WARNING' "$out" | grep -c -v -e 'cgd4j uses its scalar kernels' -e 'Using incubator modules' || true)
    if [ "$n" != 1 ] || [ "$others" != 0 ]; then
        echo "consumer $1: FAILED, expected one scalar-kernel warning and no other, got $n and $others others"
        sed 's/^/    /' "$out"; failures=$((failures + 1))
    fi
}

run classpath 'kernels: .*vector' 'lapack: OpenBLAS' 'module: class path' -- \
    "${VECTOR[@]}" --enable-native-access=ALL-UNNAMED -cp "$CP" org.cgd4j.consumer.TrainingLoop
run modulepath-bundled 'kernels: .*vector' "lapack: OpenBLAS .*target/blas-cache/openblas-" 'module: org.cgd4j.consumer' -- \
    "${VECTOR[@]}" --enable-native-access=org.cgd4j.blas -Dcgd4j.blas=native -Dcgd4j.blas.library=bundled \
    -Dcgd4j.blas.cache=target/blas-cache -p "$MP" -m org.cgd4j.consumer/org.cgd4j.consumer.TrainingLoop
run classpath-scalar 'kernels: .*scalar' 'lapack: OpenBLAS' -- \
    --enable-native-access=ALL-UNNAMED -cp "$CP" org.cgd4j.consumer.TrainingLoop
one_warning classpath-scalar
run modulepath-scalar 'kernels: .*scalar' 'lapack: OpenBLAS' 'module: org.cgd4j.consumer' -- \
    --enable-native-access=org.cgd4j.blas -p "$MP" -m org.cgd4j.consumer/org.cgd4j.consumer.TrainingLoop
one_warning modulepath-scalar

if [ "$failures" -ne 0 ]; then echo "consumer: $failures check(s) failed" >&2; exit 1; fi
echo "consumer: all 4 runs ok"
