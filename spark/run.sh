#!/usr/bin/env bash
# Runs the cgd4j CLI (or another main class of the spark module) with Spark on the class path, in-process:
#
#   spark/run.sh tune --spark 'local[*]' [tune options]       tuning trials as Spark tasks
#   spark/run.sh --main org.cgd4j.spark.bench.SparkLogisticBenchmark 'local[2]' 1000000 100 4 300
#
# Builds the module first when its jar is missing. The JVM options are Spark 4.2.0's own
# (org.apache.spark.launcher.JavaModuleOptions, as spark-submit passes them) plus cgd4j's.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=${JAVA_HOME:-$(scripts/find-jdk.sh)}
export MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
JAR=spark/target/spark-0.1.0-SNAPSHOT.jar
if [ ! -f "$JAR" ] || [ ! -f spark/target/classpath.txt ]; then
    mvn -B -ntp -q -Dstyle.color=never -pl spark -am package -DskipTests >&2
fi
MAIN=org.cgd4j.experiments.Cgd4j
if [ "${1:-}" = --main ]; then MAIN=$2; shift 2; fi
SPARK_OPTS=(-XX:+IgnoreUnrecognizedVMOptions
    --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
    --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
    --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true -Dio.netty.allocator.type=pooled
    -Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE --sun-misc-unsafe-memory-access=allow)
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "${SPARK_OPTS[@]}" \
    -cp "$JAR:$(cat spark/target/classpath.txt)" "$MAIN" "$@"
