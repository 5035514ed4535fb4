#!/usr/bin/env bash
# `make bench`: build the JMH suite and the C references, run them, write BENCHMARKS.md.
#
#   benchmarks/run.sh            quick configuration (under 20 minutes on 2 cores)
#   benchmarks/run.sh full       longer warm-up/measurement, every thread count at every d
#   benchmarks/run.sh report     only regenerate BENCHMARKS.md and the plots from benchmarks/results/
#   benchmarks/run.sh smoke      a few-minute check of the whole pipeline (Adam only, two d, tiny runs)
#
# CGD4J_BENCH_TIMING="-f 1 -wi 1 -w 100ms -i 1 -r 100ms" overrides the JMH timing options of any mode
# (a rehearsal of every configuration); CGD4J_BENCH_IGNORE_LOCK=1 runs beside another JMH (rehearsals).
#
# JMH JSON, environment.properties, runs.tsv (each stage: name, start, wall and CPU seconds, command), the PNG
# plots go to benchmarks/results/ (committed with the report); the console log of each JMH run goes to
# benchmarks/target/jmh-*.log. Every benchmark warms at the measured size in its trial set-up
# (benchmarks/.../WarmUp.java: until the JIT is quiet and a cgd4j step allocates nothing) before
# JMH's own warm-up iterations; the "warm-up ..." line of each configuration is in its log.
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

# CPU seconds (user + system) of every child process this shell has waited for so far: the JMH forks
# count in their JMH host's, which counts in ours. A stage's CPU time, unlike its wall time, hardly
# depends on what else runs on the machine, so runs.tsv can tell a loaded run from a slow one.
children_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($16 + $17) / hz }' /proc/$$/stat
}
RUN_START=$(date +%s)
echo "== building the benchmarks and the Spark module (mvn -Pbench package, $(date -u +%H:%M:%S)) =="
mvn -B -ntp -q -Dstyle.color=never -Pbench -pl benchmarks,spark -am package -DskipTests
BUILD_SECONDS=$(( $(date +%s) - RUN_START ))
BUILD_CPU=$(children_cpu)
echo "   build: ${BUILD_SECONDS} s"

report() {
    echo "== writing BENCHMARKS.md ($(date -u +%H:%M:%S)) =="
    # BenchmarkReport also appends the Spark table (spark-logistic.md) and the stage durations (runs.tsv).
    "$JAVA" -Djava.awt.headless=true -cp "$JAR" org.cgd4j.benchmarks.report.BenchmarkReport \
        "$RESULTS" BENCHMARKS.md "$RESULTS"
}
if [ "$MODE" = report ]; then report; exit 0; fi

echo "== building the C references (benchmarks/native) =="
if [ -x benchmarks/native/build.sh ]; then
    benchmarks/native/build.sh
else
    mkdir -p benchmarks/target/native
    gcc -O3 -march=native -shared -fPIC -o benchmarks/target/native/libcgd4jref.so benchmarks/native/*.c
fi

# What each mode measures. Every configuration is a JVM fork that first warms at its own size (see
# WarmUp), so the quick run spends its time on fewer configurations rather than on shorter ones:
# Adam, the headline, at every d on 1 thread; the other optimizers, 2 threads and the C references at
# fewer d. The whole quick run must stay under 20 minutes on 2 cores (runs.tsv has each stage's time).
ALL_D=100,1000,10000,100000,1000000,10000000
case "$MODE" in
    full)
        TIMING=(-f 1 -wi 3 -w 1s -i 10 -r 1s)
        ADAM_D=$ALL_D; LARGE_D=$ALL_D; OTHER_D=$ALL_D; OTHER_LARGE_D=$ALL_D; C_D=$ALL_D; TRIAD_D=$ALL_D
        ADAM_IMPLS=c,c-checked,vector,vector-kernel,vector-propagate; SIZES=64,128,256,512,1024; EIGEN_IMPLS=openblas,java,ejml
        FULL_IMPLS=$EIGEN_IMPLS; DL4J_T2_D=1000000,10000000; POLICY_D=1000000,10000000
        POWER_D=$ALL_D; ENGINE_ADAM_D= ; LAPACK_SIZES=256,512,1024
        TERMS_D=1000,100000,10000000; TERMS=plain,decay,l2,scan,scan-norm; THREAD_STAGES=1; EXACT_D=$ALL_D; PAIR_D=$ALL_D; AGREE_D=100000,1000000,10000000; BLAS3=(-p impl=openblas,java -p n=64,256,512,1024)
        KRON=(-p blockSize=128,256,512) ;;
    quick)
        # WarmUp has already run each configuration until the JIT is quiet; one short JMH warm-up
        # iteration still absorbs what JMH's first iteration costs (with none, the first measured
        # iteration ran up to 1.3x slower and carried hundreds of bytes per call). Five measured
        # ones give the error bar.
        TIMING=(-f 1 -wi 1 -w 100ms -i 5 -r 200ms)
        # 2 threads only where splitting can pay (both libraries stay on one thread below 1e5); the
        # other optimizers where the targets are closest (1e5, 1e7) and on 1 thread only; eigen sizes up
        # to the targets' 512; the exact full step on OpenBLAS and ND4J (EJML's eigensolver has its own
        # table); DL4J's 2-thread run at 1e7 only.
        ADAM_D=1000,10000,100000,1000000,10000000; LARGE_D=1000000,10000000; OTHER_D=100000,10000000
        OTHER_LARGE_D=; C_D=1000,100000,1000000,10000000; TRIAD_D=1000000,10000000
        FULL_IMPLS=openblas; DL4J_T2_D=10000000; POLICY_D=10000000
        # C exact, the kernel pass and the PROPAGATE step are in the paired stage (every d), so the unpaired
        # stages time C, C checked and the public step only.
        ADAM_IMPLS=c,c-checked; SIZES=64,256,512; EIGEN_IMPLS=openblas,ejml
        POWER_D=1000,10000000; ENGINE_ADAM_D=1000,100000,1000000,10000000; ENGINE_ADAM_IMPLS=vector; LAPACK_SIZES=512
        TERMS_D=10000000; TERMS=plain,decay,scan,scan-norm; THREAD_STAGES=; EXACT_D=; PAIR_D=1000,100000,1000000,10000000;
        AGREE_D=100000,1000000,10000000; BLAS3=(-p impl=openblas,java -p op=dgemm,dqr -p n=512)
        KRON=(-p blockSize=256 -p precision=f64,f32) ;;
    smoke)
        TIMING=(-f 1 -wi 1 -w 100ms -i 2 -r 100ms)
        ALL_D=1000,100000; ADAM_D=$ALL_D; LARGE_D=100000; OTHER_D=; OTHER_LARGE_D=; C_D=$ALL_D; TRIAD_D=100000
        ADAM_IMPLS=c,c-checked; SIZES=64,256; EIGEN_IMPLS=openblas,ejml
        FULL_IMPLS=openblas; DL4J_T2_D=1000000; POLICY_D=100000
        POWER_D=1000; ENGINE_ADAM_D=1000; ENGINE_ADAM_IMPLS=vector,vector-kernel,vector-propagate; LAPACK_SIZES=256
        TERMS_D=100000; TERMS=plain,scan-norm; THREAD_STAGES=; EXACT_D=1000; PAIR_D=1000; AGREE_D=; BLAS3=(-p impl=openblas,java -p op=dgemm -p n=64)
        KRON=(-p blockSize=128 -p precision=f64) ;;
esac
if [ -n "${CGD4J_BENCH_TIMING:-}" ]; then read -ra TIMING <<< "$CGD4J_BENCH_TIMING"; fi
# CGD4J_BENCH_IGNORE_LOCK=1: run beside another JMH instead of waiting for its lock (rehearsals on a
# shared machine only: the figures are then not to be trusted).
JMH_JVM=()
if [ -n "${CGD4J_BENCH_IGNORE_LOCK:-}" ]; then JMH_JVM=(-Djmh.ignoreLock=true); fi

rm -f "$RESULTS"/*.json "$RESULTS"/*.png "$RESULTS"/spark-logistic.md "$RESULTS"/runs.tsv
rm -rf "$RESULTS/agreement"
mkdir -p "$RESULTS"
printf 'build\t%s\t%s\t%s\t%s\n' "$(date -u -d @"$RUN_START" +%H:%M:%S)" "$BUILD_SECONDS" "$BUILD_CPU" \
    "mvn -B -ntp -q -Pbench -pl benchmarks,spark -am package -DskipTests" > "$RESULTS/runs.tsv"

# What the numbers were measured on; BenchmarkReport prints it. Probe adds the kernels cgd4j chose
# (ISA, vector width) and the BLAS library it loaded, as a benchmark fork sees them.
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
    echo "jmh=1.37, ${TIMING[*]}, -prof gc; every configuration first warms at its own size until the JIT is quiet (WarmUp)"
    "$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$JAR" \
        org.cgd4j.benchmarks.report.Probe 2>/dev/null || echo "kernels=unknown (Probe failed)"
    echo "load=$(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/environment.properties"

# stage NAME SECONDS START CPU_BEFORE COMMAND: one line of runs.tsv (name, start, wall s, CPU s, command).
stage() {
    local name=$1 seconds=$2 start=$3 cpu=$(( $(children_cpu) - $4 )); shift 4
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$start" "$seconds" "$cpu" "$*" >> "$RESULTS/runs.tsv"
    echo "   $name: ${seconds} s, ${cpu} s CPU (since start: $(( $(date +%s) - RUN_START )) s, load $(cut -d' ' -f1 /proc/loadavg))"
}

# quoted ARGS...: the arguments as one shell line, quoting only those that need it.
quoted() {
    local out=() a
    for a in "$@"; do
        if [[ $a =~ ^[A-Za-z0-9_./=,:+@%-]+$ ]]; then out+=("$a"); else out+=("'${a//\'/\'\\\'\'}'"); fi
    done
    echo "${out[*]}"
}

# jmh NAME [JMH args...]: one JMH run writing $RESULTS/NAME.json. JMH refuses to start while another
# JMH holds /tmp/jmh.lock (someone else benchmarking on this machine): wait for it, up to 10 minutes.
jmh() {
    local name=$1; shift
    local log="$LOGS/jmh-${name//\//-}.log"
    local env_prefix="${OMP_NUM_THREADS:+OMP_NUM_THREADS=$OMP_NUM_THREADS }${OPENBLAS_NUM_THREADS:+OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS }"
    local command
    command="${env_prefix}java -jar $JAR $(quoted "$@") ${TIMING[*]} -prof gc"
    for attempt in $(seq 1 60); do
        local start cpu
        start=$(date +%s)
        cpu=$(children_cpu)
        echo "== JMH: $name ($(date -u +%H:%M:%S)) =="
        if "$JAVA" "${JMH_JVM[@]}" -jar "$JAR" "$@" "${TIMING[@]}" -prof gc -rf json -rff "$RESULTS/$name.json" > "$log" 2>&1; then
            grep -E '^[A-Za-z0-9]+Benchmark\.[a-zA-Z0-9]+ ' "$log" | sed 's/^/  /' || true
            if grep -q 'NOT settled' "$log"; then
                echo "   warm-up hit its time cap in: $(grep 'NOT settled' "$log" | sed 's/^warm-up //; s/:.*//' | paste -sd ';')"
            fi
            stage "$name" $(( $(date +%s) - start )) "$(date -u -d @"$start" +%H:%M:%S)" "$cpu" "$command"
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
updaters 1 "$ADAM_D" "$OTHER_D"
updaters 2 "$LARGE_D" "$OTHER_LARGE_D"

# The hardware: the C triad and the C Adam step, plain and behind a gradient check.
jmh hardware-triad 'TriadBenchmark' -p d=$TRIAD_D
jmh hardware-adam 'diagonal\.AdamStepBenchmark' -p impl=$ADAM_IMPLS -p d=$C_D
# The C loop under the Java kernels' own contract (no FMA, the same max), where the f32 kernel is furthest from C.
if [ -n "$EXACT_D" ]; then
    jmh hardware-adam-exact 'diagonal\.AdamStepBenchmark' -p impl=c-exact -p d=$EXACT_D
fi

# The diagonal engine's own targets: the step against C, the general power a = 0.3 against a = ½,
# 2 threads against 1, and the kernel pass with the training-loop terms (clipping, decay, L2).
if [ -n "$ENGINE_ADAM_D" ]; then
    jmh diagonal-adam 'diagonal\.AdamStepBenchmark' -p impl=$ENGINE_ADAM_IMPLS -p d=$ENGINE_ADAM_D
fi
# Issue 17's Adam targets with C in the same fork, alternating blocks (the machine's speed moves in time).
jmh diagonal-adam-pair 'diagonal\.AdamPairBenchmark' -p d=$PAIR_D
# Issue 17's agreement check: a second fork of the headline's cgd4j Adam (1 thread) and of the engine's
# own benchmark of the same step, each d back to back, into results/agreement/ (which the report reads
# apart): with the first forks above they give each configuration's fork-to-fork spread.
if [ -n "$AGREE_D" ]; then
    mkdir -p "$RESULTS/agreement"
    for d in ${AGREE_D//,/ }; do
        jmh "agreement/headline-$d" 'CgdUpdaterBenchmark' -p threads=1 -p optimizer=adam -p d=$d
        jmh "agreement/engine-$d" 'diagonal\.AdamStepBenchmark' -p impl=vector -p d=$d
    done
fi
# SGD's public step under THROW and PROPAGATE against ND4J's SGD, one step of each in turn in one fork.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 jmh diagonal-policy-pair 'diagonal\.PolicyPairBenchmark' -p d=$POLICY_D
jmh diagonal-power 'diagonal\.PowerBenchmark' -p impl=cgd4j -p d=$POWER_D
jmh diagonal-power-c 'diagonal\.PowerBenchmark' -p impl=c -p d=$POWER_D
# The kernel's 2-thread scaling against the triad's (full runs; the updater comparison has Adam at 2 threads).
if [ -n "$THREAD_STAGES" ]; then
    jmh diagonal-threads 'diagonal\.ThreadsBenchmark'
    jmh hardware-triad-threads 'TriadThreadsBenchmark'
fi
jmh diagonal-terms 'diagonal\.KernelTermsBenchmark' -p d=$TERMS_D -p terms=$TERMS

# The training loop (issue 13): a model-shaped layout with groups, clipping and a schedule against
# one plain Adam step; row-sparse steps of an embedding table.
jmh training-loop 'training\.TrainingLoopBenchmark'
jmh training-rows 'training\.RowSparseBenchmark'

# Symmetric eigendecomposition: cgd4j FFM dsyevd (+ pure Java in full runs) and EJML, then ND4J.
OPENBLAS_NUM_THREADS=1 jmh eigen-cgd4j-ejml 'blas\.EigenBenchmark' -p impl=$EIGEN_IMPLS -p n=$SIZES
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 jmh eigen-nd4j 'Nd4jEigenBenchmark' -p n=$SIZES
# dsyevd on the system OpenBLAS against the bundled jar's (what users without root get), per kernel set.
OPENBLAS_NUM_THREADS=1 jmh eigen-openblas-builds 'blas\.LapackBuildBenchmark' -p n=$LAPACK_SIZES
# The BLAS-3 calls KRONECKER makes (GEMM, SYRK, QR): OpenBLAS through FFM against the pure-Java fallback.
OPENBLAS_NUM_THREADS=1 jmh blas3 'blas\.Blas3Benchmark' "${BLAS3[@]}"
# The whole exact full-CGD step on each eigensolver.
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 jmh full-step 'full\.FullStepBenchmark' -p eigensolver=$FULL_IMPLS,nd4j -p d=$SIZES
# KRONECKER (SOAP-like) steps on an MLP layout against the BLAS-3 calls they make, and against FULL at d = 2048.
OPENBLAS_NUM_THREADS=1 jmh kronecker-step 'kronecker\.KroneckerStepBenchmark\.(noRefresh|blas)$' "${KRON[@]}"
# One amortized call is ten steps (about 1 s at 1e6 parameters, one of them a refresh): iterations of
# a few calls each, or the 200 ms iterations would each time a single, partly compiled call.
SAVED_TIMING=("${TIMING[@]}")
case "$MODE" in full) TIMING=(-f 1 -wi 2 -w 3s -i 3 -r 3s) ;; quick) TIMING=(-f 1 -wi 1 -w 3s -i 3 -r 3s) ;; esac
OPENBLAS_NUM_THREADS=1 jmh kronecker-amortized 'kronecker\.KroneckerStepBenchmark\.amortized$' "${KRON[@]}"
TIMING=("${SAVED_TIMING[@]}")
# The same step with the blocks spread over 2 workers (BLAS at one thread each).
OPENBLAS_NUM_THREADS=1 jmh kronecker-step-t2 'kronecker\.KroneckerStepBenchmark\.noRefresh' "${KRON[@]}" -p threads=2
OPENBLAS_NUM_THREADS=1 jmh kronecker-vs-full 'kronecker\.KroneckerVersusFullBenchmark'


# DL4J: ND4J's Adam against CgdUpdater.adam, the updater phase and one whole fit iteration of MLPs of
# about 1e6 and 1e7 parameters (float, synthetic batch), 1 and 2 ND4J threads (2 threads at the sizes
# DL4J_T2_D). The updater phase (step) and the iteration (fit); applyUpdater alone, and fit at 2
# threads, only in full runs.
case "$MODE" in smoke) DL4J_D=1000000 ;; *) DL4J_D=1000000,10000000 ;; esac
case "$MODE" in full) DL4J_METHODS='(step|fit|updater)' ;; *) DL4J_METHODS='(step|fit)' ;; esac
for t in 1 2; do
    if [ "$t" = 1 ]; then d=$DL4J_D; else d=$DL4J_T2_D; fi
    methods=$DL4J_METHODS
    if [ "$t" = 2 ] && [ "$MODE" != full ]; then methods=step; fi
    OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t \
        jmh "dl4j-t$t" "dl4j\\.Dl4jUpdaterBenchmark\\.$methods\$" -p threads=$t -p precision=f32 -p d=$d
done

# CgdSpark (Adam, full CGD) against MLlib's L-BFGS on a synthetic logistic regression, local[2]: a
# whole-job timing (time per iteration, time to MLlib's loss + 1e-4, Spark job against driver step).
case "$MODE" in
    full) SPARK_SIZE=(1000000 100) ;;
    smoke) SPARK_SIZE=(20000 20) ;;
    *) SPARK_SIZE=(200000 50) ;;
esac
SPARK_COMMAND=(spark/run.sh --main org.cgd4j.spark.bench.SparkLogisticBenchmark 'local[2]' "${SPARK_SIZE[@]}" 4 300)
spark_start=$(date +%s)
spark_cpu=$(children_cpu)
echo "== Spark: SparkLogisticBenchmark n=${SPARK_SIZE[0]} p=${SPARK_SIZE[1]} ($(date -u +%H:%M:%S)) =="
"${SPARK_COMMAND[@]}" > "$LOGS/spark-logistic.log" 2>&1 \
    || { tail -30 "$LOGS/spark-logistic.log"; echo "Spark benchmark failed" >&2; exit 1; }
grep -E '^\|' "$LOGS/spark-logistic.log" > "$RESULTS/spark-logistic.md" || true
{ echo; echo "n = ${SPARK_SIZE[0]}, p = ${SPARK_SIZE[1]}, 4 partitions, local[2]; log: benchmarks/target/spark-logistic.log"; } >> "$RESULTS/spark-logistic.md"
stage spark $(( $(date +%s) - spark_start )) "$(date -u -d @"$spark_start" +%H:%M:%S)" "$spark_cpu" "$(quoted "${SPARK_COMMAND[@]}")"

echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/environment.properties"
echo "total_seconds=$(( $(date +%s) - RUN_START ))" >> "$RESULTS/environment.properties"
echo "total_cpu_seconds=$(children_cpu)" >> "$RESULTS/environment.properties"
report
echo "== make bench took $(( $(date +%s) - RUN_START )) s =="
