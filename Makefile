# Pulse — the commands people type. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ENV ?= preprod
# JUnit tag expression for `make e2e` (e.g. preprod-safe, or 'sse & !slow'); empty = every e2e test.
E2E_GROUPS ?=
# A JDK >= 21: JAVA_HOME when it is one, else one found under /usr/lib/jvm (scripts/find-jdk.sh).
JDK := $(shell scripts/find-jdk.sh)
# moto from the project's own virtual environment, which `make tools` makes when the machine has no moto
# (scripts/ensure-tools.sh). On PATH even before it exists: `make test` runs `tools` first and its tests
# after, within one make, whose PATH was fixed when this file was read.
export PATH := $(CURDIR)/.tools/moto/bin:$(PATH)
# The scripts take the JDK from here, so find-jdk.sh runs (and says what it says) once.
export PULSE_JDK := $(JDK)
JDK_MAJOR := $(shell "$(JDK)/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $$2}')
# Maven 3.8's own libraries call sun.misc.Unsafe, which JDK 24 and newer warn about on every build. JDK 23
# and newer accept the flag that allows it quietly; 21 and 22 would refuse to start with it.
export MAVEN_OPTS := $(strip $(MAVEN_OPTS) $(if $(filter 21 22,$(JDK_MAJOR)),,--sun-misc-unsafe-memory-access=allow))
MVN = JAVA_HOME="$(JDK)" PATH="$(JDK)/bin:$$PATH" mvn -B -ntp -Dstyle.color=never
SSE_ZIP := sse-handler/target/sse-handler.zip
DASHBOARD_JAR := dashboard-handler/target/dashboard-handler.jar
LOCAL_JAR := local-lambda/target/local-lambda.jar
# Only the black-box suite (not the infra or LocalStack tiers), no unit tests.
E2E_SUITE := -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='dev.pulse.e2e.it.*IT'
# `make test` always tests a local stack it starts itself, never a deployed one.
LOCAL_TARGET := env -u DASHBOARD_URL -u PREPROD_API_URL -u SSE_LAMBDA_URL -u E2E_OUTPUTS_FILE \
	E2E_TARGET=local E2E_TERRAFORM_DIR=none

.PHONY: help
help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  make %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  (ENV=preprod|prod selects the environment for plan, deploy, destroy)"

.PHONY: jdk
jdk:
	@test -n "$(JDK)" || { echo "No JDK >= 21 found (see the message above)." >&2; exit 1; }
	@echo "Using JDK at $(JDK)"

.PHONY: build
build: jdk ## Build both function artifacts and the local stack (no tests); one line per module as it goes
	@echo "Building (about a minute the first time):"
	@scripts/mvn-progress.sh install -DskipTests -DskipITs
	@ls -l $(DASHBOARD_JAR) $(SSE_ZIP) $(LOCAL_JAR)
	@sha256sum $(DASHBOARD_JAR) $(SSE_ZIP)

.PHONY: run
run: jdk ## Build if needed, start both functions locally on emulated Function URLs, print the URLs (DEMO=1: with a writer)
	@PULSE_DEMO="$(DEMO)" scripts/run-local.sh

.PHONY: demo
demo: jdk ## make run, plus a writer that posts realistic items for a few tags, so the page is live at once
	@PULSE_DEMO=1 scripts/run-local.sh

.PHONY: local-functions
local-functions: jdk ## Regenerate terraform/local-functions.json (what the local stack runs) from terraform/: plan, offline
	@scripts/build-if-needed.sh
	"$(JDK)/bin/java" -cp $(LOCAL_JAR) dev.pulse.local.DescribeFunctionsMain

.PHONY: tools
tools: ## Check (and install where possible) what the test tiers need: shellcheck, action-validator, moto, terraform
	scripts/ensure-tools.sh

.PHONY: lint
lint: tools ## shellcheck, terraform fmt -check, workflow schema validation
	scripts/lint.sh

.PHONY: test
test: jdk tools ## Every tier that runs here: lint, unit, local e2e, infra (LocalStack skips without Docker)
	@status=0; started=$$SECONDS; \
	echo "== 1/3 lint (about 20 s)"; \
	scripts/lint.sh || status=$$?; \
	echo "== 2/3 build, then per module its unit tests and its integration tests: the local e2e suite and the"; \
	echo "       infra tier run last, in e2e-tests (about 7 minutes; the table at the end has each tier's time)"; \
	$(LOCAL_TARGET) $(MVN) clean verify -fae || status=$$?; \
	echo "== 3/3 reproducible builds (about 15 s)"; \
	scripts/check-reproducible.sh || status=$$?; \
	scripts/test-summary.sh || true; \
	echo "make test took $$(( (SECONDS - started) / 60 )) min $$(( (SECONDS - started) % 60 )) s"; \
	exit $$status

.PHONY: e2e
e2e: jdk ## The e2e suite against a deployed stack (DASHBOARD_URL+SSE_LAMBDA_URL, E2E_OUTPUTS_FILE or terraform outputs)
	$(MVN) -pl e2e-tests verify $(E2E_SUITE) -De2e.groups='$(E2E_GROUPS)'

.PHONY: e2e-local
e2e-local: jdk build ## The e2e suite against a local stack it starts (what `make test` runs after the unit tier)
	$(LOCAL_TARGET) $(MVN) -pl e2e-tests verify $(E2E_SUITE) -De2e.groups='$(E2E_GROUPS)'

.PHONY: diagnose
diagnose: jdk ## Check a deployment (invoke modes, URLs, SSE wrapper, alarms), summarise its JSON logs, link its dashboard (E2E_OUTPUTS_FILE or terraform outputs)
	@$(MVN) -q -pl e2e-tests compile dependency:build-classpath -Dmdep.outputFile=target/diagnose.cp -Dmdep.includeScope=runtime
	@"$(JDK)/bin/java" -cp "e2e-tests/target/classes:$$(cat e2e-tests/target/diagnose.cp)" dev.pulse.e2e.diagnose.DiagnoseMain

.PHONY: write-key
write-key: # Stop before the build when ENV has no write key and open writes were not chosen
	@scripts/write-key.sh $(ENV) >/dev/null

.PHONY: plan
plan: write-key build ## terraform plan for ENV (needs AWS credentials, the state bucket and PULSE_API_KEY)
	scripts/terraform-env.sh plan $(ENV)

.PHONY: deploy
deploy: write-key build ## Build, terraform apply ENV (PULSE_API_KEY), then the preprod-safe e2e tests (make diagnose on failure)
	scripts/terraform-env.sh apply $(ENV)
	@E2E_OUTPUTS_FILE=target/terraform-outputs.json E2E_API_KEY="$${E2E_API_KEY:-$${PULSE_API_KEY:-$${TF_VAR_api_key:-}}}" \
		$(MAKE) --no-print-directory e2e E2E_GROUPS=preprod-safe \
	|| { E2E_OUTPUTS_FILE=target/terraform-outputs.json $(MAKE) --no-print-directory diagnose; exit 1; }

.PHONY: destroy
destroy: ## terraform destroy ENV (asks you to type the environment name; CONFIRM=<env> skips that)
	scripts/terraform-env.sh destroy $(ENV)

.PHONY: test-localstack
test-localstack: jdk build ## LocalStack tier (Testcontainers; needs a Docker engine, skips without one)
	$(MVN) -pl e2e-tests verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='dev.pulse.e2e.localstack.*IT'

# True in a recipe when BENCH_PHASES is unset or names phase $(1).
bench_phase = [[ -z "$${BENCH_PHASES:-}" || ",$${BENCH_PHASES// /}," == *,$(1),* ]]
# Runs main class $(2) of module $(1)'s tests on the classpath the bench target wrote for it.
bench_java = "$(JDK)/bin/java" -cp "$(1)/target/test-classes:$(1)/target/classes:$$(cat $(1)/target/bench.cp)" $(2)

.PHONY: bench
bench: jdk ## Benchmarks: the runtime, SSE environments, cold starts, then the local stack beside a loopback baseline (needs `make build`; BENCH_PHASES=writes runs one phase)
	@for f in $(SSE_ZIP) $(DASHBOARD_JAR) $(LOCAL_JAR); do test -f "$$f" || { echo "$$f is missing: run 'make build' first" >&2; exit 1; }; done
	@# -am: the emulator (aws-emulators) and the counting proxy (testing) come from this clone, not from a shared
	@# ~/.m2 that another build may rewrite while the bench runs.
	$(MVN) -q -pl e2e-tests,lambda-runtime,sse-handler,local-lambda -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
	@# BENCH_PHASES (e.g. writes,coldstarts): the phases to run, all when unset. runtime, environments and coldstarts
	@# are the module benches here; streams, writes, managed-instances and logging are BenchMain's.
	@if $(call bench_phase,runtime); then $(call bench_java,lambda-runtime,dev.pulse.lambda.bench.RuntimeBench); fi
	@if $(call bench_phase,environments); then $(call bench_java,sse-handler,dev.pulse.sse.bench.EnvironmentBench); fi
	@if $(call bench_phase,coldstarts); then $(call bench_java,local-lambda,dev.pulse.local.ColdStartBench); fi
	$(call bench_java,e2e-tests,dev.pulse.e2e.bench.BenchMain)

.PHONY: clean
clean: jdk ## Remove build output
	$(MVN) -q clean
