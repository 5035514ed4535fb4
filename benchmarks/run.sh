#!/usr/bin/env bash
# `make bench`: build the JMH suite and the C references, run them, write BENCHMARKS.md.
#
#   benchmarks/run.sh            quick configuration (under 20 minutes on 2 cores)
#   benchmarks/run.sh full       longer warm-up/measurement, every thread count at every d
#   benchmarks/run.sh report     only regenerate BENCHMARKS.md and the plots from benchmarks/results/
#   benchmarks/run.sh smoke      a few-minute check of the whole pipeline (Adam only, two d, tiny runs)
#
# CGD4J_BENCH_TIMING="-f 1 -wi 1 -w 100ms -i 1 -r 100ms" overrides the JMH timing options of any mode
# (a rehearsal of every configuration).
#
# JMH JSON, environment.properties and the PNG plots go to benchmarks/results/ (committed with the
# report); the console log of each JMH run goes to benchmarks/target/jmh-*.log.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:-quick}
case "$MODE" in quick|full|report|smoke) ;; *) echo "usage: benchmarks/run.sh [quick|full|report|smoke]" >&2; exit 2 ;; esac

JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk.sh)}
export JAVA_HOME
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
JAVA="$JAVA_HOME/bin/java"
RESULTS=benchmarks/results
JAR=benchmarks/target/benchmarks.jar
LOGS=benchmarks/target

echo "== building the benchmarks (mvn -Pbench package) =="
mvn -B -ntp -q -Dstyle.color=never -Pbench -pl benchmarks -am package -DskipTests

report() {
    echo "== writing BENCHMARKS.md =="
    "$JAVA" -Djava.awt.headless=true -cp "$JAR" org.cgd4j.benchmarks.report.BenchmarkReport \
        "$RESULTS" BENCHMARKS.md "$RESULTS"
    # Whole-job timings that are not JMH (Spark): their Markdown, appended as written.
    if [ -f "$RESULTS/spark-logistic.md" ]; then
        { echo; echo "## Data-parallel logistic regression on Spark (spark/run.sh, SparkLogisticBenchmark)"; echo;
          cat "$RESULTS/spark-logistic.md"; } >> BENCHMARKS.md
    fi
}
if [ "$MODE" = report ]; then report; exit 0; fi

echo "== building the C references (benchmarks/native) =="
if [ -x benchmarks/native/build.sh ]; then
    benchmarks/native/build.sh
else
    mkdir -p benchmarks/target/native
    gcc -O3 -march=native -shared -fPIC -o benchmarks/target/native/libcgd4jref.so benchmarks/native/*.c
fi

# Adam, the headline, runs at every d; SGD, RMSProp and AdaBelief at fewer d in the quick run (each
# configuration is a JVM fork of several seconds, and the whole run must stay under 20 minutes).
ALL_D=100,1000,10000,100000,1000000,10000000
case "$MODE" in
    full)
        TIMING=(-f 1 -wi 5 -w 1s -i 10 -r 1s)
        LARGE_D=$ALL_D; OTHER_D=$ALL_D; OTHER_LARGE_D=$ALL_D
        ADAM_IMPLS=c,c-checked,vector,vector-kernel; SIZES=64,128,256,512,1024; EIGEN_IMPLS=openblas,java,ejml
        POWER_D=$ALL_D; ENGINE_ADAM_D= ; LAPACK_SIZES=256,512,1024 ;;
    quick)
        TIMING=(-f 1 -wi 2 -w 200ms -i 5 -r 200ms)
        # 2 threads only where splitting can pay: below 1e5 both libraries stay on one thread anyway
        LARGE_D=100000,1000000,10000000; OTHER_D=1000,100000,10000000; OTHER_LARGE_D=100000,10000000
        ADAM_IMPLS=c,c-checked; SIZES=64,128,256,512,1024; EIGEN_IMPLS=openblas,ejml
        POWER_D=1000,100000,10000000; ENGINE_ADAM_D=1000,100000,1000000,10000000; LAPACK_SIZES=256,1024 ;;
    smoke)
        TIMING=(-f 1 -wi 1 -w 100ms -i 2 -r 100ms)
        ALL_D=1000,100000; LARGE_D=100000; OTHER_D=; OTHER_LARGE_D=
        ADAM_IMPLS=c,c-checked; SIZES=64,256; EIGEN_IMPLS=openblas,ejml
        POWER_D=1000; ENGINE_ADAM_D=1000; LAPACK_SIZES=256 ;;
esac
if [ -n "${CGD4J_BENCH_TIMING:-}" ]; then read -ra TIMING <<< "$CGD4J_BENCH_TIMING"; fi
# The engine's own microbenchmarks time Vector API loops that C2 needs ~1 s to compile: a quick
# warm-up of 2 × 200 ms measured them half-interpreted (tens of times too slow). They get longer.
case "$MODE" in
    quick) WARM_TIMING=(-f 1 -wi 3 -w 1s -i 5 -r 1s) ;;
    *) WARM_TIMING=("${TIMING[@]}") ;;
esac

rm -f "$RESULTS"/*.json "$RESULTS"/*.png "$RESULTS"/spark-logistic.md
mkdir -p "$RESULTS"

# Records what the numbers were measured on; BenchmarkReport prints it.
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- engine blas-bindings benchmarks/src benchmarks/native benchmarks/run.sh 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "command=\`make bench${1:+ ARGS=$1}\` ($MODE configuration)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), flags: $(grep -m1 -o -w -E 'avx512f|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')"
    echo "cores=$(nproc) (L3 $(lscpu 2>/dev/null | awk -F: '/L3/ {gsub(/^ +/, "", $2); print $2}'))"
    echo "memory=$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
    echo "os=$(uname -sr)"
    echo "jdk=$("$JAVA" -version 2>&1 | head -1) ($JAVA_HOME)"
    echo "cc=$(gcc --version | head -1), -O3 -march=native"
    echo "nd4j=nd4j-native 1.0.0-M2.1, linux-x86_64-avx2 natives, same JVM as cgd4j"
    echo "jmh=1.37, ${TIMING[*]}, -prof gc"
    echo "jmh_warm=${WARM_TIMING[*]}, -prof gc (PowerBenchmark, ThreadsBenchmark, AdamStepBenchmark's Java impls)"
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/environment.properties"

# jmh_warm NAME [JMH args...]: as jmh, with the longer WARM_TIMING.
jmh_warm() {
    local saved=("${TIMING[@]}")
    TIMING=("${WARM_TIMING[@]}")
    jmh "$@"
    TIMING=("${saved[@]}")
}

# jmh NAME [JMH args...]: one JMH run writing $RESULTS/NAME.json. JMH refuses to start while another
# JMH holds /tmp/jmh.lock (someone else benchmarking on this machine): wait for it, up to 10 minutes.
jmh() {
    local name=$1; shift
    local log="$LOGS/jmh-$name.log"
    for attempt in $(seq 1 60); do
        echo "== JMH: $name ($(date -u +%H:%M:%S)) =="
        if "$JAVA" -jar "$JAR" "$@" "${TIMING[@]}" -prof gc -rf json -rff "$RESULTS/$name.json" > "$log" 2>&1; then
            grep -E '^[A-Za-z0-9]+Benchmark\.[a-zA-Z0-9]+ ' "$log" | sed 's/^/  /' || true
            return 0
        fi
        if ! grep -q 'Unable to acquire the JMH lock' "$log"; then break; fi
        echo "   another JMH run holds /tmp/jmh.lock; retrying in 10 s"
        sleep 10
    done
    tail -30 "$log"
    echo "JMH run $name failed (log: $log)" >&2
    exit 1
}

# updaters THREADS ADAM_DIMS OTHER_DIMS: cgd4j then ND4J (back to back, so both see the same machine).
updaters() {
    local t=$1 adam=$2 other=$3
    jmh "updaters-cgd4j-adam-t$t" 'CgdUpdaterBenchmark' -p threads=$t -p optimizer=adam -p d=$adam
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        jmh "updaters-nd4j-adam-t$t" 'Nd4jUpdaterBenchmark' -p threads=$t -p optimizer=adam -p d=$adam
    if [ -n "$other" ]; then
        jmh "updaters-cgd4j-others-t$t" 'CgdUpdaterBenchmark' -p threads=$t -p optimizer=sgd,rmsprop,adabelief -p d=$other
        OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
            jmh "updaters-nd4j-others-t$t" 'Nd4jUpdaterBenchmark' -p threads=$t -p optimizer=sgd,rmsprop,adabelief -p d=$other
    fi
}
updaters 1 "$ALL_D" "$OTHER_D"
updaters 2 "$LARGE_D" "$OTHER_LARGE_D"

# The hardware: the C triad and the C Adam step, plain and behind a gradient check (the Java impls of
# the same benchmark need longer warm-ups than the quick run's: the full run measures them here, the
# others below).
jmh hardware-triad 'TriadBenchmark' -p d=$ALL_D
if [ -f benchmarks/src/main/java/org/cgd4j/benchmarks/diagonal/AdamStepBenchmark.java ]; then
    jmh hardware-adam 'diagonal\.AdamStepBenchmark' -p impl=$ADAM_IMPLS -p d=$ALL_D
fi

# The diagonal engine's own targets: the step against C, the general power a = 0.3 against a = ½,
# 2 threads against 1.
if [ -n "$ENGINE_ADAM_D" ]; then
    jmh_warm diagonal-adam 'diagonal\.AdamStepBenchmark' -p impl=vector,vector-kernel -p d=$ENGINE_ADAM_D
fi
jmh_warm diagonal-power 'diagonal\.PowerBenchmark' -p impl=cgd4j -p d=$POWER_D
jmh diagonal-power-c 'diagonal\.PowerBenchmark' -p impl=c -p d=$POWER_D
jmh_warm diagonal-threads 'diagonal\.ThreadsBenchmark'
jmh hardware-triad-threads 'TriadThreadsBenchmark'

# Symmetric eigendecomposition: cgd4j FFM dsyevd (+ pure Java in full runs) and EJML, then ND4J.
if [ -f benchmarks/src/main/java/org/cgd4j/benchmarks/blas/EigenBenchmark.java ]; then
    OPENBLAS_NUM_THREADS=1 jmh eigen-cgd4j-ejml 'blas\.EigenBenchmark' -p impl=$EIGEN_IMPLS -p n=$SIZES
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 jmh eigen-nd4j 'Nd4jEigenBenchmark' -p n=$SIZES
# dsyevd on the system OpenBLAS against the bundled jar's (what users without root get), per kernel set.
OPENBLAS_NUM_THREADS=1 jmh eigen-openblas-builds 'blas\.LapackBuildBenchmark' -p n=$LAPACK_SIZES
# The whole exact full-CGD step on each eigensolver (helper "full"'s benchmark).
if [ -f benchmarks/src/main/java/org/cgd4j/benchmarks/full/FullStepBenchmark.java ]; then
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 jmh full-step 'full\.FullStepBenchmark' -p eigensolver=$EIGEN_IMPLS,nd4j -p d=$SIZES
fi

# DL4J: ND4J's Adam against CgdUpdater.adam, the updater phase and one whole fit iteration of MLPs of
# about 1e6 and 1e7 parameters (float, synthetic batch), 1 and 2 ND4J threads.
case "$MODE" in smoke) DL4J_D=1000000 ;; *) DL4J_D=1000000,10000000 ;; esac
for t in 1 2; do
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        jmh "dl4j-t$t" 'dl4j\.Dl4jUpdaterBenchmark' -p threads=$t -p precision=f32 -p d=$DL4J_D
done

# CgdSpark (Adam, full CGD) against MLlib's L-BFGS on a synthetic logistic regression, local[2]: a
# whole-job timing (time per iteration, time to MLlib's loss + 1e-4, Spark job against driver step).
case "$MODE" in
    full) SPARK_SIZE=(1000000 100) ;;
    smoke) SPARK_SIZE=(20000 20) ;;
    *) SPARK_SIZE=(200000 50) ;;
esac
echo "== Spark: SparkLogisticBenchmark n=${SPARK_SIZE[0]} p=${SPARK_SIZE[1]} ($(date -u +%H:%M:%S)) =="
spark/run.sh --main org.cgd4j.spark.bench.SparkLogisticBenchmark 'local[2]' "${SPARK_SIZE[@]}" 4 300 \
    > "$LOGS/spark-logistic.log" 2>&1 || { tail -30 "$LOGS/spark-logistic.log"; echo "Spark benchmark failed" >&2; exit 1; }
grep -E '^\|' "$LOGS/spark-logistic.log" > "$RESULTS/spark-logistic.md" || true
{ echo; echo "n = ${SPARK_SIZE[0]}, p = ${SPARK_SIZE[1]}, 4 partitions, local[2]; log: benchmarks/target/spark-logistic.log"; } >> "$RESULTS/spark-logistic.md"

report
