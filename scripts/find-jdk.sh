#!/usr/bin/env bash
# Prints the home of a JDK >= 25: $JAVA_HOME when it is new enough, else the newest in /usr/lib/jvm.
# Exits 1 with install advice when there is none (the default `java` here is often 17).
set -u
need=25

major() { # major version of the JDK at $1, or 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(major "$JAVA_HOME")" -ge $need ]; then
  echo "$JAVA_HOME"; exit 0
fi
best=""; best_v=0
for home in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
  [ -x "$home/bin/javac" ] || continue
  v=$(major "$home")
  if [ "$v" -ge $need ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
cat >&2 <<MSG
cgd4j needs a JDK >= $need (final FFM API, Vector API incubator); none found in JAVA_HOME or /usr/lib/jvm.
Install one, e.g. Temurin 25 (https://adoptium.net) or on Debian/Ubuntu: apt-get install temurin-25-jdk,
then run make again (or set JAVA_HOME to it).
MSG
exit 1
