#!/usr/bin/env bash
# Builds every benchmarks/native/*.c (the C references: adam.c, triad.c, ...) into
# benchmarks/target/native/libcgd4jref.so, which the JMH benchmarks call through the FFM API.
# -fno-math-errno lets gcc vectorise sqrt (errno is never read); it does not change any result.
# -fopenmp: triad_threads.c splits the triad over threads (libgomp ships with gcc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../target/native"
mkdir -p "$out"
CC=${CC:-gcc}
"$CC" -O3 -march=native -fno-math-errno -fopenmp -shared -fPIC -o "$out/libcgd4jref.so" "$here"/*.c -lm
echo "$out/libcgd4jref.so"
