# cgd4j front door. Every target sets itself up: it finds a JDK >= 25 and, as root with apt-get,
# installs OpenBLAS/LAPACK when missing. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JAVA_HOME := $(shell scripts/find-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error no JDK >= 25 found; see the message above)
endif
export JAVA_HOME
# Maven 3.8 bundles a Guava that calls sun.misc.Unsafe; silence JDK 25's warning about it.
export MAVEN_OPTS ?= --sun-misc-unsafe-memory-access=allow
JAVA := $(JAVA_HOME)/bin/java
MVN := mvn -B -ntp -Dstyle.color=never
JVM_FLAGS := --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
CLI_JAR := experiments/target/experiments-0.1.0-SNAPSHOT.jar
CLI = $(JAVA) $(JVM_FLAGS) -cp $(CLI_JAR):$$(cat experiments/target/classpath.txt) org.cgd4j.experiments.Cgd4j

.PHONY: help test run doctor tune bench native build clean

help:
	@echo "make run     reproduce the paper's experiments (tables and plots under results/)"
	@echo "make test    build and run every test"
	@echo "make doctor  show JDK, SIMD kernels and the BLAS library in use"
	@echo "make tune    re-tune each optimizer's hyperparameters (writes experiments/tuned/)"
	@echo "make bench   JMH benchmarks against ND4J, EJML and C; writes BENCHMARKS.md"

# Prints "native" or "fallback"; with native present the tests *require* it (no silent fallback).
native:
	@scripts/ensure-openblas.sh

# After the reactor's tests, the library artifacts (parent, BOM, blas-bindings, engine with -sources
# and -javadoc jars) are deployed to a throw-away file repository, never ~/.m2, and tests/consumer
# builds against them as a user's application and trains on the class path and the module path.
CONSUMER_REPO := tests/consumer/target/cgd4j-repo

test:
	@mode=$$(scripts/ensure-openblas.sh); \
	if [ "$$mode" = native ]; then req=-Dcgd4j.blas=native; else req=; fi; \
	rm -rf $(CONSUMER_REPO); \
	$(MVN) verify deploy:deploy -DaltDeploymentRepository=cgd4j-under-test::file://$(CURDIR)/$(CONSUMER_REPO) \
		-Dcgd4j.test.flags="$$req" && tests/consumer/run.sh $(CONSUMER_REPO)

build:
	@scripts/ensure-openblas.sh >/dev/null
	@$(MVN) -q package -DskipTests -pl experiments -am

run: build
	$(CLI) reproduce $(ARGS)

doctor: build
	@$(CLI) doctor

tune: build
	$(CLI) tune $(ARGS)

bench:
	@scripts/ensure-openblas.sh >/dev/null
	benchmarks/run.sh $(ARGS)

clean:
	$(MVN) -q clean -Pbench
	rm -rf tests/consumer/target
