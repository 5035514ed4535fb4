#!/usr/bin/env bash
# Makes sure OpenBLAS/LAPACK is loadable. As root with apt-get, installs Debian's packages once,
# quietly; otherwise prints the exact command and carries on (cgd4j then uses its pure-Java fallback).
# Prints "native" when the library is present afterwards, "fallback" otherwise.
set -u
have() { ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; }
if have; then echo native; exit 0; fi
pkgs="libopenblas0-pthread liblapacke"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "cgd4j: installing OpenBLAS/LAPACK ($pkgs) with apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q $pkgs >/tmp/cgd4j-apt.log 2>&1 \
    || { apt-get update -q >>/tmp/cgd4j-apt.log 2>&1 && apt-get install -y -q $pkgs >>/tmp/cgd4j-apt.log 2>&1; } \
    || echo "cgd4j: apt-get failed, see /tmp/cgd4j-apt.log" >&2
fi
if have; then echo native; exit 0; fi
echo "cgd4j: OpenBLAS not found; using the pure-Java fallback. For native speed run: sudo apt-get install $pkgs" >&2
echo fallback
